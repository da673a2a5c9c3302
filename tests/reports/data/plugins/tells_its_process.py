"""A local plugin whose check says which process ran it."""

from __future__ import annotations

import os
from collections.abc import Iterator

from vpp_core import CheckContext, CheckSpec, Finding, Status, Subject, hookimpl


def which(ctx: CheckContext) -> Iterator[Finding]:
    yield Finding(Subject("strategy", "process"), Status.PASS, f"process {os.getpid()}")


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("which-process", which, "Says which process ran it.")]
