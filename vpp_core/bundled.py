"""Where the data shipped with vpp-core lives, from a checkout or an installed wheel."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

THAMES_VALLEY = "thames-valley-2024-25"


def fixtures_folder() -> Path:
    """The folder of bundled fixtures (one folder per strategy)."""
    with as_file(files("vpp_fixtures")) as folder:
        return Path(folder)


def rules_folder() -> Path:
    """The folder of bundled rule packs."""
    with as_file(files("vpp_rules")) as folder:
        return Path(folder)


def bundled_strategy(name: str = THAMES_VALLEY) -> Path:
    """The ``strategy.toml`` of a bundled fixture; Thames Valley 2024–25 by default."""
    return fixtures_folder() / name / "strategy.toml"
