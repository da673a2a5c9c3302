"""A plugin with a misspelt hook: it must be refused, not silently ignored."""

from __future__ import annotations

from vpp_core import CheckSpec


def vpp_register_chekcs() -> list[CheckSpec]:
    return []
