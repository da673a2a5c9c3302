"""The campaign table as text for people, JSON for machines, CSV (long form) for spreadsheets.
Text from the inputs is made safe for each: no escape sequences on a terminal, no formula
in a spreadsheet cell."""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation

from vpp_core import DisclosurePolicy, csv_writer, json_document, render_table, terminal_text
from vpp_plugins.reach.table import BY, CampaignTable, Column, Kind, cells

FORMATS = ("text", "json", "csv")


def _readable(text: str, kind: Kind) -> str:
    """A plain value dressed for reading: 12,345, 3.12%, £7.50."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text  # empty, suppressed, or words
    if kind in (Kind.COUNT, Kind.PEOPLE):
        return f"{int(number):,}"
    if kind is Kind.SHARE:
        return f"{number * 100:.2f}%"
    if kind is Kind.MONEY:
        return f"£{number:,.2f}"
    return text


def _merged(columns: tuple[Column, ...], row: list[str]) -> tuple[list[str], list[Column]]:
    """A ``…_low`` column and the ``…_high`` after it as one: "12,000" when they agree,
    "9,000–12,000" when they are a range."""
    values: list[str] = []
    kept: list[Column] = []
    for index, (column, value) in enumerate(zip(columns, row, strict=True)):
        if column.key.endswith("_high"):
            continue
        text = _readable(value, column.kind)
        if column.key.endswith("_low") and index + 1 < len(columns):
            high = _readable(row[index + 1], columns[index + 1].kind)
            text = text if high in (text, "") else f"{text}–{high}"
        values.append(text)
        kept.append(column)
    return values, kept


def render_text(table: CampaignTable, policy: DisclosurePolicy) -> str:
    title = terminal_text(table.title)
    lines = [title, "=" * len(title)]
    for section in table.sections:
        lines += ["", section.title]
        if not section.rows:
            lines.append("  (no records for this section)")
            continue
        merged = [_merged(section.columns, row) for row in cells(section, policy)]
        columns = merged[0][1]
        numeric = [index for index, column in enumerate(columns) if column.kind is not Kind.TEXT]
        lines.append(render_table([column.heading for column in columns],
                                  [values for values, _ in merged], right=numeric))
    lines += ["", "Notes"]
    lines += [f"- {note}" for note in table.notes]
    return terminal_text("\n".join(lines) + "\n", newlines=True)


def _json_value(text: str, kind: Kind) -> object:
    """A shown value as JSON: counts of impressions and people whole numbers, rates and
    shares numbers (as shown, rounded), money the exact decimal as a string, as in the audit
    report's JSON; a suppressed value (``<5``, ``[c]``) its text, an empty one null."""
    if not text:
        return None
    if kind in (Kind.COUNT, Kind.PEOPLE):
        return int(text) if text.isdigit() else text
    if kind in (Kind.RATE, Kind.SHARE):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        # At most 4 decimal places: the float's shortest form is this decimal exactly.
        return float(number) if number.is_finite() else text
    return text


def render_json(table: CampaignTable, policy: DisclosurePolicy) -> str:
    data = {
        "title": table.title,
        "disclosure": policy.statement,
        "sections": {
            section.key: [
                {column.key: _json_value(value, column.kind)
                 for column, value in zip(section.columns, row, strict=True)}
                for row in cells(section, policy)
            ]
            for section in table.sections
        },
        "notes": list(table.notes),
    }
    return json_document(data)


def render_csv(table: CampaignTable, policy: DisclosurePolicy) -> str:
    """Long form: one line per figure (section, subject, measure, value, unit); split
    ``--by``, the subject is the part and the channel (``2024-06 / tiktok``)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["section", "subject", "measure", "value", "unit"])
    for section in table.sections:
        lead = 2 if section.columns[0].key in BY else 1
        value_columns = section.columns[lead:]
        for row in cells(section, policy):
            subject, values = " / ".join(row[:lead]), row[lead:]
            for column, value in zip(value_columns, values, strict=True):
                writer.writerow([section.key, subject, column.key, value, column.kind.value])
    return out.getvalue()


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv}
