"""Did-you-mean: the closest of the names allowed, for a message about a name that is not."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable


def closest(name: str, allowed: Iterable[str]) -> str | None:
    """The allowed name closest to ``name``, or ``None`` if none is close."""
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, allowed: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest allowed name, or nothing if none is close."""
    close = closest(name, allowed)
    return f" (did you mean {close!r}?)" if close else ""


def unknown(what: str, name: str, allowed: Iterable[str]) -> str:
    """``unknown WHAT 'name' (did you mean …?); allowed: a, b, c``."""
    names = sorted(allowed)
    listed = ", ".join(names) if names else "none"
    return f"unknown {what} {name!r}{did_you_mean(name, names)}; allowed: {listed}"


def unknown_keys(keys: Collection[str], allowed: Collection[str]) -> str:
    """``unknown key 'x'; allowed: a, b; did you mean 'a'?`` for keys a table does not take."""
    named = ", ".join(repr(key) for key in sorted(keys))
    message = f"unknown key {named}" if len(keys) == 1 else f"unknown keys {named}"
    message += f"; allowed: {', '.join(sorted(allowed)) or 'none'}"
    guesses = [
        f"{close!r}" if len(keys) == 1 else f"{close!r} for {key!r}"
        for key in sorted(keys) if (close := closest(key, allowed))
    ]
    return f"{message}; did you mean {', '.join(guesses)}?" if guesses else message
