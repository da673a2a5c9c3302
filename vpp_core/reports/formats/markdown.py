"""Markdown, for pasting into a report: a summary table, then per strategy the findings that
need attention with their evidence and sources, every result in a table, the metrics and
the Theory of Change as a Mermaid diagram. Text from the inputs is escaped: markup, raw HTML
and links other than http(s) are shown as written, never rendered."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from vpp_core.model.escaping import markdown_code, markdown_link, markdown_text
from vpp_core.plugin_api.results import Result
from vpp_core.reports.formats.common import (
    ATTENTION,
    SUMMARY_COLUMNS,
    audit_counts,
    audit_label,
    evidence_rows,
    exit_line,
    measurement_text,
    percent_text,
    progress_by_rule,
    reference_text,
    rule_count,
    switched_off_text,
    waiver_text,
)
from vpp_core.reports.formats.lines import audited_strategy
from vpp_core.reports.report import Report, StrategyAudit

# Every text shown goes through :func:`markdown_text` (one line, markup inert, fit for a
# table cell), :func:`markdown_code` or :func:`markdown_link` (http(s) links only).
cell = markdown_text


def _table(headers: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    rule = ["---:" if index in right else "---" for index in range(len(headers))]
    return [
        "| " + " | ".join(headers) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(cell(value) for value in row) + " |" for row in rows),
    ]


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _finding(result: Result) -> Iterator[str]:
    yield f"#### {result.status.value.upper()}: {result.code} {cell(result.title)}"
    yield ""
    yield (f"- **Subject:** {cell(result.subject.label or str(result.subject))} "
           f"({markdown_code(str(result.subject))})")
    yield f"- **Severity:** {result.severity.value}"
    yield f"- **Finding:** {cell(result.message)}"
    if result.waiver is not None:
        yield f"- **Waived:** {cell(waiver_text(result))}"
    for what, value in evidence_rows(result.evidence):
        yield f"- **{what.capitalize()}:** {cell(value)}"
    for reference in result.references:
        yield f"- **Source:** {markdown_link(reference_text(reference), reference.url)}"
    yield ""


def _theory_of_change(audit: StrategyAudit, report: Report) -> Iterator[str]:
    """The Theory of Change as a Mermaid block (its labels quoted and escaped)."""
    from vpp_core.model.toc import build_graph, to_mermaid

    strategy = audited_strategy(audit, report)
    if strategy is None or strategy.theory_of_change is None:
        return
    yield "### Theory of Change"
    yield ""
    yield "```mermaid"
    yield to_mermaid(build_graph(strategy)).rstrip()
    yield "```"
    yield ""


def _audit(audit: StrategyAudit, report: Report) -> Iterator[str]:
    strategy = audit.strategy
    yield f"## {cell(audit_label(audit))}"
    yield ""
    yield f"{cell(strategy.title)} — {markdown_code(strategy.source)}"
    yield ""
    if audit.inputs:  # which files and pack versions these figures came from
        yield "Audited with:"
        yield ""
        yield from (f"- {markdown_code(item.role)} {markdown_code(item.path)} SHA-256 "
                    f"{markdown_code(item.sha256)}" for item in audit.inputs)
        yield ""
    attention = [result for result in audit.results if result.status in ATTENTION]
    if attention:
        yield "### Findings that need attention"
        yield ""
        for result in attention:
            yield from _finding(result)
    yield "### Every result"
    yield ""
    if audit.results:
        yield from _table(["Status", "Code", "Severity", "Subject", "Rule"], [
            [result.status.value, result.code, result.severity.value,
             result.subject.label or str(result.subject), result.title]
            for result in audit.results])
    else:
        yield "No rules ran."
    yield ""
    by_rule = progress_by_rule(audit)
    if by_rule:
        yield "### Progress against targets"
        yield ""
        for code, members in by_rule.items():
            yield f"**{cell(code)}: {cell(members[0][0].title)}**"
            yield ""
            yield from _table(["Subject", "Reached", "Asked for", "Progress", "Result"], [
                [result.subject.label or result.subject.id, _number(measured),
                 _number(threshold), percent_text(share), result.status.value]
                for result, (measured, threshold, share) in members], right=(1, 2, 3))
            yield ""
    if audit.metrics:
        yield "### Metrics"
        yield ""
        yield from _table(["Metric", "Value", "Note"], [
            [name, measurement_text(value), value.note]
            for name, value in audit.metrics.items()], right=(1,))
        yield ""
    yield from _theory_of_change(audit, report)


def render_markdown(report: Report, options: Mapping[str, Any]) -> str:
    """The report as GitHub-flavoured Markdown."""
    lines = ["# Audit report", ""]
    packs = ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs)
    lines += [f"vpp-core {report.provenance.engine_version}; packs: {cell(packs or 'none')}. "
              f"{exit_line(report)}.", ""]
    lines += [f"**{cell(report.audience.capitalize())}.** {cell(report.disclosure)}", ""]
    lines += ["## Summary", ""]
    rows = [[audit_label(audit), str(rule_count(audit)),
             *(str(audit_counts(audit)[status.value]) for status in SUMMARY_COLUMNS)]
            for audit in report.audits]
    rows += [[failed.source, "—", *("—" for _ in SUMMARY_COLUMNS)] for failed in report.failed]
    headers = ["Strategy", "Rules", *(status.value.capitalize() for status in SUMMARY_COLUMNS)]
    lines += _table(headers, rows, right=tuple(range(1, len(SUMMARY_COLUMNS) + 2)))
    lines.append("")
    if report.failed:
        lines += ["## Not audited", ""]
        lines += [f"- {markdown_code(failed.source)} ({cell(failed.reason)}): {cell(problem)}"
                  for failed in report.failed for problem in failed.lines]
        lines.append("")
    for audit in report.audits:
        lines += list(_audit(audit, report))
    if report.waivers:
        lines += ["## Waivers", ""]
        lines += [f"- **{note.state.value}:** {cell(note.message)}" for note in report.waivers]
        lines.append("")
    if report.switched_off:
        lines += ["## Switched off", ""]
        lines += [f"- {cell(switched_off_text(rule, report))}" for rule in report.switched_off]
        lines.append("")
    if report.notes:
        lines += ["## Notes", "", *(f"- {cell(note)}" for note in report.notes), ""]
    return "\n".join(lines).rstrip() + "\n"
