"""The core reporters: ``text`` for people, ``json`` for machines.

A reporter is ``render(report, options) -> str``; ``options`` may hold ``verbose``
(text: evidence for every result, not only the ones that need attention).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from vpp_core.formatting import format_quantity
from vpp_core.markers import hookimpl
from vpp_core.report import Report, StrategyAudit, report_data
from vpp_core.results import Evidence, Reference, Result, Status
from vpp_core.specs import ReporterSpec

_ATTENTION = (Status.FAIL, Status.ERROR, Status.WAIVED)
_INDENT = " " * 7


def _reference(reference: Reference) -> str:
    parts = [reference.document]
    if reference.section:
        parts.append(reference.section)
    if reference.page is not None:
        parts.append(f"p.{reference.page}")
    text = ", ".join(parts)
    return f"{text} <{reference.url}>" if reference.url else text


def _evidence(evidence: Evidence) -> Iterator[str]:
    if evidence.numerator is not None and evidence.denominator is not None:
        yield (f"{evidence.numerator.label} {format_quantity(evidence.numerator)} ÷ "
               f"{evidence.denominator.label} {format_quantity(evidence.denominator)}")
    if evidence.measured is not None and evidence.threshold is not None:
        yield (f"{evidence.measured.label} {format_quantity(evidence.measured)} "
               f"{evidence.operator or 'vs'} {evidence.threshold.label} "
               f"{format_quantity(evidence.threshold)}")
    elif evidence.measured is not None:
        yield f"{evidence.measured.label} {format_quantity(evidence.measured)}"
    if evidence.parts:
        shown = ", ".join(f"{part.label} {format_quantity(part)}" for part in evidence.parts)
        yield f"parts: {shown}"
    if evidence.shortfall is not None:
        yield f"to comply: {evidence.shortfall.label} {format_quantity(evidence.shortfall)}"
    yield from evidence.notes


def _result(result: Result, verbose: bool) -> Iterator[str]:
    yield (f"{result.status.value.upper():<7}{result.code:<9}{result.severity.value:<8}"
           f"{result.subject}  {result.title}")
    if result.status not in _ATTENTION and not verbose:
        return
    yield f"{_INDENT}{result.message}"
    for line in _evidence(result.evidence):
        yield f"{_INDENT}  {line}"
    if result.waiver is not None:
        waiver = result.waiver
        yield (f"{_INDENT}waived: {waiver.reason} (approved by {waiver.approved_by}; "
               f"{waiver.reference}; expires {waiver.expires})")
    for reference in result.references:
        yield f"{_INDENT}source: {_reference(reference)}"


def _counts(counts: Mapping[str, int]) -> str:
    total = sum(counts.values())
    shown = ", ".join(f"{number} {status}" for status, number in counts.items())
    return f"{total} result{'s' if total != 1 else ''}: {shown}"


def _audit(audit: StrategyAudit, verbose: bool) -> Iterator[str]:
    strategy = audit.strategy
    yield f"{strategy.partnership} — {strategy.financial_year}"
    yield f"  {strategy.title} ({strategy.source})"
    yield ""
    if not audit.results:
        yield "  no rules ran"
    for result in audit.results:
        yield from _result(result, verbose)
    yield ""


def render_text(report: Report, options: Mapping[str, Any]) -> str:
    """A report people read: every result on a line, details where attention is needed."""
    verbose = bool(options.get("verbose", False))
    lines: list[str] = []
    for audit in report.audits:
        lines.extend(_audit(audit, verbose))
    if report.waivers:
        lines.append("Waivers:")
        lines.extend(f"  {note.state.value}: {note.message}" for note in report.waivers)
        lines.append("")
    lines.extend(f"Note: {note}" for note in report.notes)
    packs = ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs)
    lines.append(f"Packs: {packs or 'none'}")
    lines.append(f"Summary: {_counts(report.counts())}")
    code = report.exit_code()
    meaning = {0: f"nothing failed at or above {report.options.fail_on.value}",
               1: f"findings at or above {report.options.fail_on.value}",
               3: "a rule errored"}[code]
    lines.append(f"Exit code {code}: {meaning}")
    return "\n".join(lines) + "\n"


def render_json(report: Report, options: Mapping[str, Any]) -> str:
    """The whole report as JSON: sorted keys, decimals as strings, two runs diff clean."""
    return json.dumps(report_data(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@hookimpl
def vpp_register_reporters() -> list[ReporterSpec]:
    return [
        ReporterSpec("json", render_json, "json", "The whole report as JSON, for machines."),
        ReporterSpec("text", render_text, "txt", "A readable report for the terminal."),
    ]
