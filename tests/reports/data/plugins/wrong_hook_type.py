"""A local plugin whose hook returns a dictionary instead of a list of CheckSpec."""

from __future__ import annotations

from vpp_core import hookimpl


@hookimpl
def vpp_register_checks() -> dict[str, str]:
    return {"check": "not a spec"}
