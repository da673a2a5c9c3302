"""A local plugin whose import leaves a marker file (at $VPP_TEST_MARKER): proof it ran."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from vpp_core import CheckContext, CheckSpec, Finding, Status, Subject, hookimpl

Path(os.environ["VPP_TEST_MARKER"]).write_text("imported\n", encoding="utf-8")


def marked(ctx: CheckContext) -> Iterator[Finding]:
    yield Finding(Subject("strategy", "marker"), Status.PASS, "the marker plugin ran")


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("marked", marked, "Passes once imported.")]
