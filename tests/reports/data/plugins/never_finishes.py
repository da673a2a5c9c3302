"""A local plugin whose check runs far past any time limit a test sets (five seconds)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from vpp_core import CheckSpec, Finding, hookimpl
from vpp_core.plugin_api.context import CheckContext


def wait(ctx: CheckContext) -> Iterator[Finding]:
    for _ in range(100):
        time.sleep(0.05)
    return iter(())


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("never-finishes", wait, "Takes five seconds.")]
