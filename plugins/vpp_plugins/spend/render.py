"""The quarterly return as HTML (one self-contained, printable page), Markdown or JSON.

Every value from a strategy or records file is escaped for the format it is written in.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from vpp_core import markdown_text

FORMATS = ("html", "markdown", "json")

#: (section title, key in the return, columns as (heading, field)).
Table = tuple[str, Sequence[Mapping[str, Any]], Sequence[tuple[str, str]]]

_POSITION = (("", "label"), ("spend to date", "spend_to_date"),
             ("profile to date", "profile_to_date"), ("variance", "variance"),
             ("variance %", "variance_share"), ("RAG", "rag"),
             ("profile for the year", "profile_for_year"))
_RESULT = (("code", "code"), ("status", "status"), ("subject", "subject"),
           ("finding", "message"))


def tables(data: Mapping[str, Any]) -> list[Table]:
    spend = data["spend_against_profile"]
    match = data["match_funding"]
    return [
        ("Spend against profile: grants", spend["grants"], _POSITION),
        ("Spend against profile: grant lines", spend["lines"], _POSITION),
        ("Spend against profile: interventions", spend["interventions"], _POSITION),
        ("Year-end forecasts and risk", data["forecasts"], (
            ("grant", "label"), ("spend to date", "spend_to_date"),
            ("forecast, profile-based", "forecast_profile_based"),
            ("forecast, run-rate", "forecast_run_rate"), ("range", "range"),
            ("allocation", "allocation"),
            ("underspend (profile-based)", "underspend_profile_based"),
            ("underspend (run-rate)", "underspend_run_rate"))),
        ("Grant conditions on the budget and on actual spend", data["conditions"], _RESULT),
        ("Spend needing a reason", data["needs_a_reason"], (
            ("grant", "grant"), ("line", "line"), ("why", "reason"), ("amount", "amount"),
            ("covered", "covered"), ("not covered", "uncovered"), ("days", "days"),
            ("carry-over", "carry_over"))),
        (f"Match funding: {match.get('evidenced', '')} evidenced against "
         f"{match.get('required', '')} required ({match.get('required_share', '')} of the "
         "core grant)", match["sources"], (
             ("partner", "partner"), ("type", "type"), ("contribution", "contribution"),
             ("basis", "basis"), ("evidence", "evidence"))),
        ("Targets to date", data["targets"], _RESULT),
        ("Value for money", data["value_for_money"], (
            ("", "subject"), ("spend to date", "spend_to_date"), ("reached", "reached"),
            ("per head", "per_head"), ("against the benchmark", "status"))),
        ("Evaluation milestones", data["milestones"], (
            ("intervention", "intervention"), ("milestone", "milestone"), ("due", "due"),
            ("status", "status"), ("overdue", "overdue"))),
        ("Failures that need action", data["actions"], (
            ("code", "code"), ("severity", "severity"), ("subject", "subject"),
            ("finding", "message"))),
        ("Records read", [{**row, "left_out": "; ".join(row["left_out"]) or "none"}
                          for row in data["records"]], (
            ("kind", "kind"), ("rows read", "rows_read"), ("rows used", "rows_used"),
            ("left out", "left_out"))),
    ]


def _preamble(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [("Strategy", f"{data['strategy']} ({data['strategy_file']})"),
            ("As of", data["as_of"]), ("Layout", data["layout"]),
            ("Audience", data["audience"]), ("Spend profile", data["profile"]),
            ("Spend figures", data["rules"]["spend"]),
            ("Match funding", data["rules"]["match_funding"]),
            ("Sources", ", ".join(data["sources"]))]


def markdown(data: Mapping[str, Any]) -> str:
    def cell(value: object) -> str:
        return markdown_text(str(value)).replace("|", "\\|").replace("\n", " ")

    lines = [f"# {markdown_text(data['document'])}: {markdown_text(data['partnership'])}", ""]
    lines += [f"- **{name}**: {cell(value)}" for name, value in _preamble(data)]
    for title, rows, columns in tables(data):
        lines += ["", f"## {markdown_text(title)}", ""]
        if not rows:
            lines.append("None.")
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
        return html.escape(str(value), quote=True)

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
    for heading, rows, columns in tables(data):
        out.append(f"<h2>{esc(heading)}</h2>")
        if not rows:
            out.append("<p>None.</p>")
            continue
        out.append("<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h, _ in columns)
                   + "</tr></thead><tbody>")
        out += ["<tr>" + "".join(td(row.get(field, "")) for _, field in columns) + "</tr>"
                for row in rows]
        out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def as_json(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "html": page, "markdown": markdown, "json": as_json}
