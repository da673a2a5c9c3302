"""Values written into TOML text by hand (a skeleton, a reference page, an example line)."""

from __future__ import annotations

from typing import Any

import tomli_w


def inline_toml(value: Any) -> str:
    """``value`` as one line of inline TOML: strings quoted and escaped (quotes, backslashes,
    line breaks and control characters), tables as ``{ … }``, arrays as ``[…]``."""
    if isinstance(value, dict):
        return ("{ " + ", ".join(f"{key} = {inline_toml(item)}" for key, item in value.items())
                + " }")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(inline_toml(item) for item in value) + "]"
    return tomli_w.dumps({"x": value}).partition("=")[2].strip()
