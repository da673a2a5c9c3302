"""A local plugin with reporters that raise or return bytes, a check that prints, and a
check that raises KeyboardInterrupt."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vpp_core import CheckContext, CheckSpec, Finding, ReporterSpec, Status, Subject, hookimpl


def raising(report: Any, options: Mapping[str, Any]) -> str:
    raise RuntimeError("the template is missing")


def giving_bytes(report: Any, options: Mapping[str, Any]) -> Any:
    return b"%PDF-1.7"


def chatty(ctx: CheckContext) -> Iterator[Finding]:
    print("debug: checking the strategy")
    yield Finding(Subject("strategy", "chatty"), Status.PASS, "printed a line")


def interrupted(ctx: CheckContext) -> Iterator[Finding]:
    raise KeyboardInterrupt


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("chatty", chatty, "Prints while it runs."),
            CheckSpec("interrupted", interrupted, "Raises KeyboardInterrupt.")]


@hookimpl
def vpp_register_reporters() -> list[ReporterSpec]:
    return [ReporterSpec("raising", raising, ".txt", "Raises."),
            ReporterSpec("bytes", giving_bytes, ".pdf", "Returns bytes.")]
