"""A plugin whose check raises: its rule must give an error result and nothing else."""

from __future__ import annotations

from collections.abc import Iterator

from vpp_core import CheckSpec, Finding, hookimpl
from vpp_core.plugin_api.context import CheckContext


def broken(ctx: CheckContext) -> Iterator[Finding]:
    raise RuntimeError("the monitoring service is down")


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("demo-broken", broken, "Always raises.")]
