"""``vpp compare``: one table of strategies (VRUs, or one VRU's years) × indicators, from
saved JSON reports, for a grant officer.

Each indicator is read from the result of a national rule, found by the rule's name (a
name a local pack keeps when it changes the rule's values): the share of the grant on
interventions, the evaluation share, the match funding recorded; then how many targets
were met by the year's end, the failures by severity and the failures waived. A figure a
report does not hold is empty, never zero; every row names the report it came from and the
packs it ran, and a strategy the report could not audit is a row saying so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from vpp_core.model.escaping import csv_row
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.results import Quantity, Unit
from vpp_core.reports.saved import SavedAudit, SavedReport, SavedReportError
from vpp_core.reports.tables import render_table

#: (column, the rule it is read from, by name) for the indicators measured by one rule.
MEASURED = (
    ("share of grant on interventions", "interventions-share-of-grant"),
    ("evaluation share", "evaluation-share"),
    ("match funding recorded", "match-funding-share"),
)
#: The rule whose passes are the targets met.
TARGETS_RULE = "targets-met-by-year-end"
SEVERITIES = ("error", "warning", "info")
COLUMNS = ("strategy", "financial year", *(column for column, _ in MEASURED),
           "targets met", "targets", *(f"{severity} failures" for severity in SEVERITIES),
           "waived", "report", "audience", "packs")


@attrs.frozen
class Figure:
    """An indicator's value with its unit and the rule's status (``None``: not in the
    report)."""

    value: Decimal | None
    unit: str = ""
    status: str = ""

    def text(self) -> str:
        if self.value is None:
            return f"none ({self.status})" if self.status else ""
        units = {unit.value: unit for unit in Unit}
        shown = (format_quantity(Quantity("", self.value, units[self.unit]))
                 if self.unit in units else str(self.value))
        return f"{shown} ({self.status})" if self.status else shown


@attrs.frozen
class Row:
    strategy: str
    financial_year: str
    measured: tuple[Figure, ...]
    targets_met: int | None
    targets: int | None
    failures: tuple[int | None, ...]
    waived: int | None
    report: str
    audience: str
    packs: str = ""


def _figure(audit: SavedAudit, rule: str, report_path: str) -> Figure:
    results = [result for result in audit.results if result.name == rule]
    if not results:
        return Figure(None)
    first = results[0]
    status = "fail" if any(r.status == "fail" for r in results) else first.status
    measured = first.measured
    if isinstance(measured, dict) and "value" in measured:
        try:
            value = Decimal(str(measured["value"]))
        except InvalidOperation:
            raise SavedReportError(f"{report_path}: {first.code}: measured value "
                                   f"{measured['value']!r} is not a number") from None
        return Figure(value, str(measured.get("unit", "")), status)
    return Figure(None, "", status)


def comparison(reports: Sequence[SavedReport]) -> list[Row]:
    """One row per strategy audited in ``reports``, in the order given."""
    rows = []
    for report in reports:
        for audit in report.audits:
            targets = [r for r in audit.results if r.name == TARGETS_RULE
                       and r.status in ("pass", "fail", "waived")]
            rows.append(Row(
                strategy=audit.short_name or audit.partnership,
                financial_year=audit.financial_year,
                measured=tuple(_figure(audit, rule, report.path) for _, rule in MEASURED),
                targets_met=sum(1 for r in targets if r.status == "pass") if targets else None,
                targets=len(targets) if targets else None,
                failures=tuple(sum(1 for r in audit.results
                                   if r.status == "fail" and r.severity == severity)
                               for severity in SEVERITIES),
                waived=sum(1 for r in audit.results if r.status == "waived"),
                report=report.path,
                audience=report.audience,
                packs=", ".join(audit.packs),
            ))
        rows.extend(Row(  # a strategy not audited is a row of empty cells, never left out
            strategy=f"{source} (not audited: {reason})", financial_year="",
            measured=(Figure(None),) * len(MEASURED), targets_met=None, targets=None,
            failures=(None,) * len(SEVERITIES), waived=None, report=report.path,
            audience=report.audience,
        ) for source, reason in report.failed)
    return rows


def text_cells(row: Row) -> list[str]:
    return [row.strategy, row.financial_year, *(figure.text() for figure in row.measured),
            "" if row.targets_met is None else str(row.targets_met),
            "" if row.targets is None else str(row.targets),
            *("" if count is None else str(count) for count in (*row.failures, row.waived)),
            row.report, row.audience, row.packs]


def typed_cells(row: Row) -> list[Any]:
    return [row.strategy, row.financial_year, *(figure.value for figure in row.measured),
            row.targets_met, row.targets, *row.failures, row.waived, row.report,
            row.audience, row.packs]


def render_compare_text(rows: Sequence[Row]) -> str:
    return render_table(list(COLUMNS), [text_cells(row) for row in rows]) + "\n"


def render_compare_csv(rows: Sequence[Row]) -> str:
    """Exact values (shares as decimals, money in pounds) in typed columns, each figure's
    rule status beside it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    header: list[str] = ["strategy", "financial_year"]
    for column, _ in MEASURED:
        name = column.replace(" ", "_")
        header += [name, f"{name}_unit", f"{name}_status"]
    header += ["targets_met", "targets", *(f"{s}_failures" for s in SEVERITIES), "waived",
               "report", "audience", "packs"]
    writer.writerow(header)
    for row in rows:
        cells: list[object] = [row.strategy, row.financial_year]
        for figure in row.measured:
            cells += ["" if figure.value is None else str(figure.value), figure.unit,
                      figure.status]
        cells += ["" if row.targets_met is None else row.targets_met,
                  "" if row.targets is None else row.targets,
                  *("" if count is None else count for count in (*row.failures, row.waived)),
                  row.report, row.audience, row.packs]
        writer.writerow(csv_row(cells))
    return buffer.getvalue()


def render_compare_html(rows: Sequence[Row], options: Mapping[str, Any]) -> str:
    from vpp_core.reports.formats.html import environment

    env = environment(options.get("template"))
    text: str = env.get_template("compare.html.j2").render(
        columns=COLUMNS, rows=[text_cells(row) for row in rows])
    return text


def render_compare_xlsx(rows: Sequence[Row]) -> bytes:
    from vpp_core.reports.formats.workbook import MONEY, SHARE, workbook_bytes, xlsx_sheet

    def formats(row: Row) -> list[str | None]:
        found: list[str | None] = [None, None]
        for figure in row.measured:
            found.append(SHARE if figure.unit == Unit.SHARE.value else
                         MONEY if figure.unit == Unit.GBP.value else None)
        return found

    def write(book: Any) -> None:
        sheet = xlsx_sheet(book, "Comparison", COLUMNS)
        for row in rows:
            sheet.append(typed_cells(row), formats(row))
        sheet.finish()

    return workbook_bytes(write)
