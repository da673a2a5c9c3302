"""A local plugin with checks that end their process with exit code 0, two ways."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

from vpp_core import CheckContext, CheckSpec, Finding, hookimpl


def hard_exit(ctx: CheckContext) -> Iterator[Finding]:
    os._exit(0)


def soft_exit(ctx: CheckContext) -> Iterator[Finding]:
    sys.exit(0)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("os-exit", hard_exit, "Calls os._exit(0)."),
            CheckSpec("sys-exit", soft_exit, "Calls sys.exit(0).")]
