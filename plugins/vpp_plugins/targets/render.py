"""The targets table as text, JSON or CSV; every format states whether it is internal.
Text from the inputs is made safe for each: no escape sequences on a terminal, no formula
in a spreadsheet cell."""

from __future__ import annotations

import io
from typing import Any

import attrs

from vpp_core import csv_writer, json_document, render_table, terminal_text
from vpp_plugins.targets.report import TargetsReport

FORMATS = ("text", "json", "csv")
_HEADINGS = ("Intervention", "Cohort", "Target", "Reached", "%", "Expected", "RAG", "Status",
             "Q1", "Q2", "Q3", "Q4", "Referred only")


def render(report: TargetsReport, form: str) -> str:
    if form == "json":
        return as_json(report)
    if form == "csv":
        return as_csv(report)
    return as_text(report)


_NUMERIC_COLUMNS = (2, 3, 4, 5, 8, 9, 10, 11, 12)


def _days(report: TargetsReport) -> str:
    """The records' last day and the last day counted, each named for what it is."""
    if not report.records_end:
        return "The records hold no usable row."
    counted = (f"the last engagement counted ({', '.join(report.engagement_events)}) was on "
               f"{report.last_counted}" if report.last_counted
               else f"they hold no engagement that counts by {report.as_of}")
    return f"The records cover to {report.records_end}; {counted}."


def as_text(report: TargetsReport) -> str:
    out = [terminal_text(report.title),
           f"As of {report.as_of} ({report.as_of_note}). {_days(report)}",
           report.statement, ""]
    rows: list[tuple[str, ...]] = []
    for line in report.lines:
        rows.append((line.label, line.cohort, str(line.target), line.reached, line.percent,
                     line.expected, line.rag, line.status, *line.quarters, line.referred_only))
    for total in report.totals:
        rows.append(("Totals (as the table adds them)", total.cohort, str(total.target),
                     total.reached, "", "", "", "", "", "", "", "", total.referred_only))
    out.append(render_table(_HEADINGS, rows, right=_NUMERIC_COLUMNS))
    for total in report.totals:
        if total.stated_target is not None and total.stated_target != total.target:
            out.append(f"Note: the strategy's totals row states {total.stated_target} for "
                       f"{total.cohort}; its rows add to {total.target}.")
    own = sorted({(line.label, line.window) for line in report.lines
                  if line.window != report.window})
    out.append("")
    out.append(f"Window: {report.window}" + "".join(
        f"; {label}: {window}" for label, window in own) + ".")
    if report.quarters_note:
        out.append(terminal_text(report.quarters_note))
    if report.unique_by_cohort:
        split = ", ".join(f"{cohort} {count}" for cohort, count in report.unique_by_cohort)
        outside = (f"; {report.unique_outside_bands} in no age band"
                   if report.unique_outside_bands else "")
        out.append(f"Unique people across all interventions: {report.unique_people} "
                   f"({split}{outside}).")
    out.append("Referred only: people whose only events in the window are not engagements "
               f"(counting: {', '.join(report.engagement_events) or 'none'}); shown beside each "
               "target, never counted in it.")
    out.append("")
    skipped = dict(report.empty_rows)
    for kind, read, used in report.rows_read:
        empty = (f" ({_rows(skipped[kind])} of empty cells skipped, as blank lines)"
                 if kind in skipped else "")
        out.append(f"{kind.capitalize()} records: {_rows(read)} read{empty}, {used} used, "
                   f"{read - used} left out.")
        out.extend(f"  {file.read_as}" for file in report.files
                   if file.kind == kind and file.read_as)
        for item in (item for item in report.left_out if item.kind == kind):
            listed = ", ".join(str(row) for row in item.rows)
            more = ", …" if item.count > len(item.rows) else ""
            noun = "row" if len(item.rows) == 1 and not more else "rows"
            where = f" ({noun} {listed}{more})" if item.rows else ""
            out.append(f"  {item.file}: {item.reason}: {item.count}{where}")
    for file in report.unusable_files:
        out.append(f"ERROR: {file.kind} records {file.file}: {file.problem} ({file.used} of "
                   f"{file.read} rows usable); its counts cannot be trusted (TGT004).")
    out.extend(["", f"Counting rule: {report.counting_rule}",
                f"Rows left out: {report.left_out_rule}"])
    return terminal_text("\n".join(out) + "\n", newlines=True)


_COUNT_FIELDS = frozenset({"reached", "referred_only", "unique_people", "q1", "q2", "q3",
                           "q4"})


def _number(value: str) -> Any:
    """A shown count or share as a JSON number; a suppressed or hidden cell stays text."""
    text = value.rstrip("%")
    if text.isdigit():
        return int(text)
    try:
        return float(text) if text and text[0].isdigit() else value
    except ValueError:
        return value


def _numbers(data: Any, field: str = "") -> Any:
    if isinstance(data, dict):
        return {key: _numbers(value, key) for key, value in data.items()}
    if isinstance(data, list | tuple):
        if field == "quarters":
            return [_number(item) if isinstance(item, str) else item for item in data]
        if field == "unique_by_cohort":
            return [[item[0], _number(item[1])] for item in data]
        return [_numbers(item, field) for item in data]
    if isinstance(data, str) and (field in _COUNT_FIELDS or field in ("percent", "expected",
                                                                      "unique_outside_bands")):
        return _number(data) if data not in ("", "–") else None
    return data


def as_json(report: TargetsReport) -> str:
    """The report as JSON: counts, percentages and expectations are numbers; a suppressed
    count is its shown text (``"<5"``, or ``"*"`` where hidden), a missing one null."""
    data = _numbers(attrs.asdict(report))  # tuples become lists
    return json_document(data)


def as_csv(report: TargetsReport) -> str:
    """One row per line and total; the statement and as-of day as leading comment-free rows."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(["intervention", "label", "cohort", "window", "target", "reached",
                     "percent", "expected", "rag", "status", "q1", "q2", "q3", "q4",
                     "as_of", "audience", "referred_only"])
    for line in report.lines:
        writer.writerow([line.intervention, line.label, line.cohort, line.window, line.target,
                         line.reached, line.percent, line.expected, line.rag, line.status,
                         *line.quarters, report.as_of, report.audience, line.referred_only])
    for total in report.totals:
        writer.writerow(["total", "Totals (as the table adds them)", total.cohort, "",
                         total.target, total.reached, "", "", "", "", "", "", "", "",
                         report.as_of, report.audience, total.referred_only])
    if report.unique_by_cohort:
        writer.writerow(["unique", "Unique people across all interventions", "all", "", "",
                         report.unique_people, "", "", "", "", "", "", "", "",
                         report.as_of, report.audience])
        for cohort, count in report.unique_by_cohort:
            writer.writerow(["unique", "Unique people across all interventions", cohort, "",
                             "", count, "", "", "", "", "", "", "", "",
                             report.as_of, report.audience])
    return buffer.getvalue()


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"
