"""A local plugin whose check kills the process running it (as a crash in C code would)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from vpp_core import CheckSpec, Finding, hookimpl
from vpp_core.plugin_api.context import CheckContext


def die(ctx: CheckContext) -> Iterator[Finding]:
    os._exit(70)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("kills-process", die, "Ends its process.")]
