"""The core reporters: ``text`` for people, ``json`` for machines.

A reporter is ``render(report, options) -> str``; ``options`` may hold ``verbose``
(text: evidence for every result, not only the ones that need attention) and ``color``
(text: ANSI colours, which the command line asks for only on a terminal).

Text from the inputs never reaches the terminal raw: every line is passed through
:func:`vpp_core.model.escaping.terminal_text` (no escape sequences, no control characters, one
line each) before the report's own colours are added.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.results import Evidence, Result, Status
from vpp_core.plugin_api.specs import ReporterSpec
from vpp_core.reports.formats.common import (
    ATTENTION,
    STATUS_ORDER,
    audit_counts,
    exit_line,
    measurement_text,
    reference_text,
    rule_count,
    switched_off_text,
    waiver_text,
)
from vpp_core.reports.report import Report, StrategyAudit, report_data
from vpp_core.reports.tables import render_table

_INDENT = " " * 7


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


_COLOURS = {Status.PASS: "32", Status.FAIL: "1;31", Status.ERROR: "1;35",
            Status.WAIVED: "33", Status.NOT_APPLICABLE: "2"}


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


_WORDS = {status: status.value.upper() for status in Status}


def _status(status: Status, color: bool, width: int = 0) -> str:
    """The status in capitals, padded to ``width`` and always followed by a space."""
    word = _WORDS[status]
    return _paint(word.ljust(max(width, len(word) + 1)), _COLOURS[status], color)


def _result_line(result: Result, color: bool) -> str:
    return _status(result.status, color, 7) + terminal_text(
        f"{result.code:<9}{result.severity.value:<8}{result.subject}  {result.title}")


def _details(result: Result) -> Iterator[str]:
    yield f"{_INDENT}{result.message}"
    for line in _evidence(result.evidence):
        yield f"{_INDENT}  {line}"
    if result.waiver is not None:
        yield f"{_INDENT}waived: {waiver_text(result)}"
    for reference in result.references:
        link = f" <{reference.url}>" if reference.url else ""
        yield f"{_INDENT}source: {reference_text(reference)}{link}"


def _result(result: Result, verbose: bool, color: bool) -> Iterator[str]:
    yield _result_line(result, color)
    if result.status in ATTENTION or verbose:
        yield from (terminal_text(line) for line in _details(result))


def _metrics(audit: StrategyAudit) -> Iterator[str]:
    rows = [[name, measurement_text(value), value.note] for name, value in audit.metrics.items()]
    if rows:
        yield "  Metrics"
        table = render_table(["metric", "value", "note"], rows, right=[1])
        yield from (f"  {line}" for line in table.splitlines())
        yield ""


def _audit(audit: StrategyAudit, verbose: bool, color: bool, brief: bool) -> Iterator[str]:
    strategy = audit.strategy
    yield terminal_text(f"{strategy.partnership} — {strategy.financial_year}")
    yield terminal_text(f"  {strategy.title} ({strategy.source})")
    yield ""
    if not audit.results:
        yield "  no rules ran"
    for result in audit.results:
        if not brief:
            yield from _result(result, verbose, color)
        elif result.status in ATTENTION:
            yield _result_line(result, color)
    if brief:
        yield f"  {_counts(audit_counts(audit))} (details: --verbose, or --output html:FILE)"
    yield ""
    if verbose:
        yield from _metrics(audit)


def _counts(counts: Mapping[str, int]) -> str:
    total = sum(counts.values())
    shown = ", ".join(f"{number} {status}" for status, number in counts.items())
    return f"{total} result{'s' if total != 1 else ''}: {shown}"


_SUMMARY_STATUSES = (Status.PASS, Status.FAIL, Status.ERROR, Status.WAIVED,
                     Status.NOT_APPLICABLE)


def render_summary(report: Report, *, color: bool = False) -> str:
    """The table ending every text report: per strategy, the rules run and the results by
    status; a strategy that could not be audited, with why; and the exit code."""
    headers = ["strategy", "rules", *(status.value for status in _SUMMARY_STATUSES), "outcome"]
    rows: list[list[str]] = []
    for audit in report.audits:
        counts = audit_counts(audit)
        outcome = next((status.value for status in STATUS_ORDER if counts[status.value]),
                       "no results")
        rows.append([audit.strategy.source, str(rule_count(audit)),
                     *(str(counts[status.value]) for status in _SUMMARY_STATUSES), outcome])
    for failed in report.failed:
        rows.append([failed.source, "-", *("-" for _ in _SUMMARY_STATUSES),
                     f"not audited ({failed.reason})"])
    if len(rows) > 1:
        totals = report.counts()
        rows.append([f"all {len(rows)} strategies", "",
                     *(str(totals[status.value]) for status in _SUMMARY_STATUSES), ""])
    table = render_table(headers, rows, right=range(1, len(headers) - 1))
    if color:
        table = "\n".join(_colour_outcome(line) for line in table.splitlines())
    lines = ["Strategies", table]
    for failed in report.failed:
        lines.append(terminal_text(f"  {failed.message}"))
    lines.append(exit_line(report))
    return "\n".join(lines) + "\n"


def _colour_outcome(line: str) -> str:
    for status in STATUS_ORDER:
        if line.endswith(f"  {status.value}"):
            return line[: -len(status.value)] + _paint(status.value, _COLOURS[status], True)
    if line.endswith(")") and "not audited" in line:
        return _paint(line, _COLOURS[Status.ERROR], True)
    return line


def render_text(report: Report, options: Mapping[str, Any]) -> str:
    """A report people read: every result on a line, details where attention is needed,
    and a summary table; ``options``: ``verbose`` (evidence and metrics for every result),
    ``color`` (ANSI colours, for a terminal).

    For a batch of several strategies, each lists only the results that need attention,
    one line each, unless ``verbose``: the files written with ``--output`` hold the rest.
    """
    verbose = bool(options.get("verbose", False))
    color = bool(options.get("color", False))
    brief = len(report.audits) + len(report.failed) > 1 and not verbose
    lines: list[str] = []
    for audit in report.audits:
        lines.extend(_audit(audit, verbose, color, brief))
    if report.waivers:
        lines.append("Waivers:")
        lines.extend(terminal_text(f"  {note.state.value}: {note.message}")
                     for note in report.waivers)
        lines.append("")
    lines.extend(terminal_text(f"Note: {note}") for note in report.notes)
    if report.switched_off:
        lines.append("Switched off:")
        lines.extend(terminal_text(f"  {switched_off_text(rule)}") for rule in report.switched_off)
        lines.append("")
    packs = ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs)
    lines.append(terminal_text(f"Packs: {packs or 'none'}"))
    lines.append(f"Summary: {_counts(report.counts())}")
    lines.append("")
    return "\n".join(lines) + "\n" + render_summary(report, color=color)


def render_json(report: Report, options: Mapping[str, Any]) -> str:
    """The whole report as JSON: sorted keys, decimals as strings, two runs diff clean."""
    return json.dumps(report_data(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@hookimpl
def vpp_register_reporters() -> list[ReporterSpec]:
    return [
        ReporterSpec("json", render_json, "json", "The whole report as JSON, for machines."),
        ReporterSpec("text", render_text, "txt", "A readable report for the terminal."),
    ]
