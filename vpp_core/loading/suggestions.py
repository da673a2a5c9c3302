"""Did-you-mean: the closest of the names allowed, for a message about a name that is not."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or nothing if none is close."""
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown(what: str, name: str, allowed: Iterable[str]) -> str:
    """``unknown WHAT 'name' (did you mean …?); allowed: a, b, c``."""
    names = sorted(allowed)
    listed = ", ".join(names) if names else "none"
    return f"unknown {what} {name!r}{did_you_mean(name, names)}; allowed: {listed}"
