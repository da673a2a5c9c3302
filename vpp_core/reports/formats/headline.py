"""The plain-language headline of a report: what must be resolved before the return."""

from __future__ import annotations

from collections.abc import Sequence

from vpp_core.plugin_api.results import Severity, Status
from vpp_core.reports.report import StrategyAudit


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def headline(audits: Sequence[StrategyAudit], *, failed: int = 0) -> str:
    """``11 errors to resolve before the return; 9 warnings to review``: failures by
    severity (waived ones left out), rules that could not run, strategies not audited."""
    results = [result for audit in audits for result in audit.results]
    errors = sum(1 for r in results if r.status is Status.FAIL and r.severity is Severity.ERROR)
    warnings = sum(1 for r in results
                   if r.status is Status.FAIL and r.severity is Severity.WARNING)
    infos = sum(1 for r in results if r.status is Status.FAIL and r.severity is Severity.INFO)
    broken = len({r.code for r in results if r.status is Status.ERROR})
    parts = []
    if broken:
        parts.append(_count(broken, "rule could not run", "rules could not run"))
    if failed:
        parts.append(_count(failed, "strategy could not be audited",
                            "strategies could not be audited"))
    if errors:
        parts.append(_count(errors, "error", "errors") + " to resolve before the return")
    if warnings:
        parts.append(_count(warnings, "warning", "warnings") + " to review")
    if infos:
        parts.append(_count(infos, "note", "notes") + " for information")
    if not parts:
        return "Nothing to resolve before the return: every rule passed or did not apply"
    if not errors and not broken and not failed:
        parts.insert(0, "No error to resolve before the return")
    return "; ".join(parts)
