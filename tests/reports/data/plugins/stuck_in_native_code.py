"""A local plugin whose check is stuck in native code (no signal handler runs until it ends),
and which catches BaseException and switches the alarm off for good measure."""

from __future__ import annotations

import signal
from collections.abc import Iterator

from vpp_core import CheckContext, CheckSpec, Finding, hookimpl


def stuck(ctx: CheckContext) -> Iterator[Finding]:
    signal.alarm(0)
    while True:
        try:
            sum(range(10**13))
        except BaseException:  # hostile on purpose
            signal.setitimer(signal.ITIMER_REAL, 0)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("stuck", stuck, "Never returns.")]
