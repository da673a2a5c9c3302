"""What every whole-process benchmark shares: the environment its processes run in."""

from __future__ import annotations

import os

#: Byte-code caching on in the processes timed, as for any installed package (with
#: PYTHONDONTWRITEBYTECODE set, every process would compile our modules again).
ENVIRONMENT = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}

#: What every ``vpp`` process imports before it reads a file: pluggy (plugins), attrs and
#: cattrs (the typed model and its structuring) and tomli (strategies and packs). The
#: hand-written reference run after these imports (:func:`floor`) is the least any vpp
#: command over the same data could take before reading a strategy or pack, checking a row
#: or writing a report.
REQUIRED_IMPORTS = "import pluggy, attrs, cattrs, tomli; "


def floor(reference: str) -> str:
    """The ``python -c`` code of a reference with vpp-core's required imports first."""
    return REQUIRED_IMPORTS + reference


def floor_line(goal: float, reference: tuple[float, float], least: tuple[float, float]) -> str:
    """What the floor leaves, from (wall, processor) seconds of the reference and of the
    floor: the floor's ratio to the reference, and the milliseconds a goal of ``goal`` × the
    reference leaves for everything vpp-core does besides the query."""
    ratios = " wall, ".join(f"{f / r:.2f}x" for f, r in zip(least, reference, strict=True))
    left = " wall, ".join(f"{(goal * r - f) * 1000:.0f} ms"
                          for f, r in zip(least, reference, strict=True))
    return (f"floor (the reference after vpp-core's required imports): {ratios} processor "
            f"the reference; a {goal}x goal leaves {left} processor for the strategy or "
            "definition, the packs, every row's checks and the report")
