"""The quarterly return as HTML (one self-contained, printable page), Markdown, JSON or an
xlsx workbook (one sheet per section).

Every value from a strategy or records file is escaped for the format it is written in; in
the workbook, text is stored as text (never a formula) and money, shares and dates are
typed cells.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from vpp_core import CellFormat, html_text, json_document, markdown_text, workbook_bytes, xlsx_sheet
from vpp_plugins.spend.figures import PENNY
from vpp_plugins.spend.returns import Pounds, Share

FORMATS = ("html", "markdown", "json", "xlsx")


class Table(NamedTuple):
    """A section of the return: its title, rows, columns as (heading, field), and the
    workbook sheet it goes on (sections sharing a sheet are told apart by a first column)."""

    title: str
    rows: Sequence[Mapping[str, Any]]
    columns: Sequence[tuple[str, str]]
    sheet: str
    #: What the section says with no rows: none found, or no records of its kind given.
    empty: str = "None."


def _not_given(kind: str) -> str:
    return f"No {kind} records given."

_POSITION = (("", "label"), ("spend to date", "spend_to_date"),
             ("profile to date", "profile_to_date"), ("variance", "variance"),
             ("variance %", "variance_share"), ("RAG", "rag"),
             ("profile for the year", "profile_for_year"),
             ("of the spend, in-kind or secondment", "not_cash"))
_RESULT = (("code", "code"), ("status", "status"), ("subject", "subject"),
           ("finding", "message"))


def _match_title(match: Mapping[str, Any]) -> str:
    required = (f"{match.get('required', '')} required ({match.get('required_share', '')} of "
                "the core grant)")
    if not match.get("given", True):
        return f"Match funding: no match-funding records given; {required}"
    return f"Match funding: {match.get('evidenced', '')} evidenced against {required}"


def tables(data: Mapping[str, Any]) -> list[Table]:
    spend = data["spend_against_profile"]
    match = data["match_funding"]
    read = {row["kind"] for row in data["records"]}
    off = data.get("switched_off", {})

    def empty(kind: str) -> str:
        return "None." if kind in read else _not_given(kind)

    def ruled(code: str) -> str:
        return f"{code} is switched off (by {off[code]})." if code in off else "None."
    return [
        Table("Spend against profile: grants", spend["grants"], _POSITION,
              "Spend against profile"),
        Table("Spend against profile: grant lines", spend["lines"], _POSITION,
              "Spend against profile"),
        Table("Spend against profile: interventions", spend["interventions"], _POSITION,
              "Spend against profile"),
        Table("Year-end forecasts and risk", data["forecasts"], (
            ("grant", "label"), ("spend to date", "spend_to_date"),
            ("forecast, profile-based", "forecast_profile_based"),
            ("forecast, run-rate", "forecast_run_rate"), ("range", "range"),
            ("allocation", "allocation"), ("allocation is", "allocation_basis"),
            ("underspend (profile-based)", "underspend_profile_based"),
            ("underspend (run-rate)", "underspend_run_rate")), "Forecasts and risk"),
        Table("Grant conditions on the budget and on actual spend", data["conditions"],
              _RESULT, "Grant conditions"),
        Table("Spend needing a reason", data["needs_a_reason"], (
            ("grant", "grant"), ("line", "line"), ("why", "reason"), ("amount", "amount"),
            ("covered", "covered"), ("not covered", "uncovered"), ("days", "days"),
            ("carry-over", "carry_over")), "Spend needing a reason"),
        Table(_match_title(match), match["sources"], (
            ("partner", "partner"), ("type", "type"), ("contribution", "contribution"),
            ("basis", "basis"), ("evidence", "evidence")), "Match funding",
            empty("match-funding")),
        Table("Targets to date", data["targets"], _RESULT, "Targets to date",
              ruled("TGT002")),
        Table("Value for money", data["value_for_money"], (
            ("", "subject"), ("spend to date", "spend_to_date"), ("reached", "reached"),
            ("per head", "per_head"), ("against the benchmark", "status")),
            "Value for money", ruled("SPEND008")),
        Table("Evaluation milestones", data["milestones"], (
            ("intervention", "intervention"), ("milestone", "milestone"), ("due", "due"),
            ("status", "status"), ("overdue", "overdue")), "Milestones",
            empty("evaluation-milestones")),
        Table("Failures that need action", data["actions"], (
            ("code", "code"), ("severity", "severity"), ("subject", "subject"),
            ("finding", "message")), "Actions"),
        Table("Records read", [{**row, "left_out": "; ".join(row["left_out"]) or "none",
                                "notes": "; ".join(row["notes"])}
                               for row in data["records"]], (
            ("kind", "kind"), ("rows read", "rows_read"), ("rows used", "rows_used"),
            ("left out", "left_out"), ("notes", "notes")), "Records read"),
    ]


def _preamble(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [("Strategy", f"{data['strategy']} ({data['strategy_file']})"),
            ("As of", data["as_of"]), ("Layout", data["layout"]),
            ("Audience", data["audience"]), ("Spend profile", data["profile"]),
            ("Spend figures", data["rules"]["spend"]),
            ("Match funding", data["rules"]["match_funding"]),
            *([("Not counted in spend to date", data["not_counted"])]
              if data.get("not_counted") else []),
            ("Sources", ", ".join(data["sources"])),
            ("Packs", ", ".join(data["packs"]))]


def markdown(data: Mapping[str, Any]) -> str:
    def cell(value: object) -> str:
        return markdown_text(str(value))  # pipes escaped, one line

    lines = [f"# {markdown_text(data['document'])}: {markdown_text(data['partnership'])}", ""]
    lines += [f"- **{name}**: {cell(value)}" for name, value in _preamble(data)]
    for title, rows, columns, _, empty in tables(data):
        lines += ["", f"## {markdown_text(title)}", ""]
        if not rows:
            lines.append(empty)
            continue
        lines.append("| " + " | ".join(heading or "—" for heading, _ in columns) + " |")
        lines.append("|" + "---|" * len(columns))
        lines += ["| " + " | ".join(cell(row.get(field, "")) for _, field in columns) + " |"
                  for row in rows]
    return "\n".join(lines) + "\n"


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:80em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #bbb;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#eee}.red{background:#f6c9c4}.amber{background:#fbe3b0}
.green{background:#cfe8cf}.fail{color:#a00;font-weight:bold}dt{font-weight:bold}
@media print{body{margin:0}}"""


def page(data: Mapping[str, Any]) -> str:
    def esc(value: object) -> str:
        return html_text(str(value))

    def td(value: object) -> str:
        text = str(value)
        kind = text if text in ("red", "amber", "green", "fail") else ""
        return f'<td class="{kind}">{esc(text)}</td>' if kind else f"<td>{esc(text)}</td>"

    title = f"{data['document']}: {data['partnership']}"
    out = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
           f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>{esc(title)}</h1>", "<dl>"]
    out += [f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in _preamble(data)]
    out.append("</dl>")
    for heading, rows, columns, _, empty in tables(data):
        out.append(f"<h2>{esc(heading)}</h2>")
        if not rows:
            out.append(f"<p>{esc(empty)}</p>")
            continue
        out.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h, _ in columns)
                   + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(td(row.get(field, "")) for _, field in columns) + "</tr>"
                for row in rows]
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _plain(value: object) -> str | float:
    """Values as JSON, for machines, as the audit report's JSON gives them: money as its
    exact decimal in a string (``"1510000.00"``, ``"-7499.50"``), a share as a number
    (``-0.14999``), a date as ISO text."""
    if isinstance(value, Pounds):
        amount = Decimal(value)
        return f"{amount:.2f}" if amount == amount.quantize(PENNY) else f"{amount.normalize():f}"
    if isinstance(value, Share):
        return float(Decimal(value).quantize(Decimal("0.000001")))
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def as_json(data: Mapping[str, Any]) -> str:
    return json_document(data, default=_plain)


def _cell(value: object) -> tuple[str | int | Decimal | date | None, str | None]:
    """A value as a workbook cell and its number format: money and shares as numbers."""
    if isinstance(value, Pounds):
        return Decimal(value), CellFormat.MONEY
    if isinstance(value, Share):
        return Decimal(value), CellFormat.SHARE
    if isinstance(value, str | int | date) or value is None:
        return value, None
    return str(value), None


def workbook(data: Mapping[str, Any]) -> bytes:
    """The return as an xlsx workbook: a Summary, then one sheet per section, each with a
    frozen header row and a filter."""

    def write(book: Any) -> None:
        summary = xlsx_sheet(book, "Summary", None)
        summary.append([f"{data['document']}: {data['partnership']}"], bold=True)
        for name, text in _preamble(data):
            summary.append([name, date.fromisoformat(text) if name == "As of" else text])
        match = data["match_funding"]
        for name, key in (("Match funding required", "required"),
                          ("Match funding evidenced", "evidenced"),
                          ("Match funding short", "short")):
            if match.get(key, "") != "":
                value, kind = _cell(match[key])
                summary.append([name, value], [None, kind])
        if not match.get("given", True):
            summary.append(["Match funding evidenced", _not_given("match-funding")])
        summary.sheet.column_dimensions["A"].width = 28
        summary.sheet.column_dimensions["B"].width = 100
        sheets: dict[str, list[Table]] = {}
        for table in tables(data):
            sheets.setdefault(table.sheet, []).append(table)
        for name, parts in sheets.items():
            levels = len(parts) > 1  # several sections on one sheet: a first column says which
            header = ["section"] * levels + [heading or "item"
                                             for heading, _ in parts[0].columns]
            sheet = xlsx_sheet(book, name, header)
            for table in parts:
                for row in table.rows:
                    cells = [_cell(row.get(field, "")) for _, field in table.columns]
                    sheet.append([table.title] * levels + [value for value, _ in cells],
                                 [None] * levels + [kind for _, kind in cells])
            sheet.finish()

    return workbook_bytes(write)


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str | bytes]] = {
    "html": page, "markdown": markdown, "json": as_json, "xlsx": workbook}
