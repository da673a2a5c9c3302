"""A workbook for auditors (``xlsx``, written with openpyxl through ``workbook``): Summary,
Findings, Targets, Reach, Rules and Provenance sheets.

Cells are typed: money as currency (``£#,##0.00``), shares as percentages, counts as whole
numbers, dates as dates; each table has a frozen header row and a filter. A text cell is
always stored as text, so a strategy's ``=HYPERLINK(…)`` is shown, never run. The Summary
says whether the report is internal or published.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from vpp_core.plugin_api.results import Unit
from vpp_core.reports.formats.common import (
    REACH_PREFIX,
    SUMMARY_COLUMNS,
    audit_counts,
    audit_label,
    progress_by_rule,
    read_by,
    reference_text,
    rule_count,
)
from vpp_core.reports.formats.csv_report import COLUMNS, Cell, typed_rows
from vpp_core.reports.formats.headline import headline
from vpp_core.reports.formats.workbook import (
    DECIMAL,
    MONEY,
    SHARE,
    WHOLE,
    workbook_bytes,
    xlsx_sheet,
)
from vpp_core.reports.report import Report

_FORMATS = {Unit.GBP.value: MONEY, Unit.SHARE.value: SHARE, Unit.PEOPLE.value: WHOLE,
            Unit.COUNT.value: WHOLE, Unit.DAYS.value: WHOLE, Unit.RATE.value: DECIMAL}
# A figure's column → the column holding its unit.
_UNIT_OF = {"measured_value": "measured_unit", "threshold_value": "threshold_unit",
            "shortfall_value": "shortfall_unit"}


def _number_format(value: Decimal, unit: str) -> str:
    found = _FORMATS.get(unit, DECIMAL)
    if found == WHOLE and value != value.to_integral_value():
        return DECIMAL
    return found


def _summary(book: Any, report: Report) -> None:
    sheet = xlsx_sheet(book, "Summary", None)
    sheet.append(["Audit report"], bold=True)
    sheet.append(["Headline", headline(report.audits, failed=len(report.failed))])
    sheet.append(["Report", report.audience])
    sheet.append(["Disclosure", report.disclosure])
    sheet.append(["Exit code", report.exit_code()])
    sheet.append(["Fails on", report.options.fail_on.value])
    if report.options.as_of is not None:
        sheet.append(["As of", report.options.as_of])
    if report.baseline is not None:
        states = list(report.baseline.states.values())
        sheet.append(["Baseline", report.baseline.source])
        sheet.append(["New findings", states.count("new")])
        sheet.append(["Unchanged findings", states.count("unchanged")])
        sheet.append(["Fixed findings", len(report.baseline.fixed)])
        for fixed in report.baseline.fixed:
            sheet.append(["Fixed", f"{fixed.code} {fixed.title}", fixed.subject,
                          fixed.severity, fixed.strategy])
    sheet.append([])
    header = ["Strategy", "Financial year", "Source", "Headline", "Rules",
              *(status.value for status in SUMMARY_COLUMNS)]
    sheet.append(header, bold=True)
    for audit in report.audits:
        counts = audit_counts(audit)
        sheet.append([audit_label(audit), audit.strategy.financial_year, audit.strategy.source,
                      headline([audit]), rule_count(audit),
                      *(counts[status.value] for status in SUMMARY_COLUMNS)])
    for failed in report.failed:
        sheet.append([failed.source, None, failed.source, f"not audited ({failed.reason}): "
                      f"{failed.message}"])
    for column in "ABCD":
        sheet.sheet.column_dimensions[column].width = 30


def _findings(book: Any, report: Report) -> None:
    sheet = xlsx_sheet(book, "Findings", COLUMNS)
    for row in typed_rows(report):
        formats: list[str | None] = []
        for column in COLUMNS:
            value = row[column]
            unit_column = _UNIT_OF.get(column)
            if unit_column is not None and isinstance(value, Decimal):
                formats.append(_number_format(value, str(row[unit_column] or "")))
            else:
                formats.append(None)
        sheet.append([row[column] for column in COLUMNS], formats)
    sheet.finish()


def _targets(book: Any, report: Report) -> None:
    sheet = xlsx_sheet(book, "Targets", ["Strategy", "Rule", "Subject", "Reached", "Asked for",
                                     "Unit", "Progress", "Status"])
    for audit in report.audits:
        for code, members in progress_by_rule(audit).items():
            for result, (measured, threshold, share) in members:
                unit = result.evidence.measured.unit.value if result.evidence.measured else ""
                sheet.append([audit_label(audit), code,
                              result.subject.label or result.subject.id, measured, threshold,
                              unit, share, result.status.value],
                             [None, None, None, _number_format(measured, unit),
                              _number_format(threshold, unit), None, SHARE, None])
    sheet.finish()


def _reach(book: Any, report: Report) -> None:
    sheet = xlsx_sheet(book, "Reach", ["Strategy", "Metric", "Of", "Value", "Unit", "Note",
                                   "Source"])
    for audit in report.audits:
        for reference, measurement in audit.metrics.items():
            if not reference.startswith(REACH_PREFIX):
                continue
            name, _, argument = reference.partition(":")
            value = measurement.value
            sheet.append([audit_label(audit), name, argument, value, measurement.unit.value,
                          measurement.note, measurement.source],
                         [None, None, None, _number_format(value, measurement.unit.value)
                          if value is not None else None])
    sheet.finish()


def _rules(book: Any, report: Report) -> None:
    sheet = xlsx_sheet(book, "Rules", ["Code", "Name", "Title", "Severity", "Check", "State",
                                   "Description", "References"])
    seen: dict[str, list[Cell]] = {}
    for audit in report.audits:
        for result in audit.results:
            if result.code in seen:
                continue
            doc = report.rule_doc(result.code)
            seen[result.code] = [
                result.code, result.name, result.title, result.severity.value, result.check,
                "ran", doc.description if doc else "",
                "; ".join(reference_text(reference) + (f" <{reference.url}>"
                                                       if reference.url else "")
                          for reference in result.references)]
    for rule in report.switched_off:
        seen.setdefault(rule.code, [rule.code, rule.name, rule.title, None, None,
                                    f"switched off by pack {rule.pack}"])
    for code in sorted(seen):
        sheet.append(seen[code])
    sheet.finish()


def _provenance(book: Any, report: Report) -> None:
    provenance = report.provenance
    sheet = xlsx_sheet(book, "Provenance", ["What", "Name", "Version or role", "Where", "SHA-256",
                                            "Strategies (of a batch, if not all)"])
    sheet.append(["engine", "vpp-core", provenance.engine_version])
    for pack in provenance.packs:
        sheet.append(["pack", pack.name, pack.version, pack.source, pack.sha256,
                      read_by(report, pack.source, pack.sha256)])
    for plugin in provenance.plugins:
        sheet.append(["plugin", plugin.name, plugin.version, plugin.origin])
    for item in provenance.inputs:
        sheet.append(["input", item.path, item.role, item.path, item.sha256,
                      read_by(report, item.path, item.sha256)])
    for note in report.waivers:
        sheet.append(["waiver", note.message, note.state.value, ", ".join(note.subjects)])
    sheet.finish()


def render_xlsx(report: Report, options: Mapping[str, Any]) -> bytes:
    """The report as an xlsx workbook (bytes)."""

    def write(book: Any) -> None:
        for sheet in (_summary, _findings, _targets, _reach, _rules, _provenance):
            sheet(book, report)

    return workbook_bytes(write)
