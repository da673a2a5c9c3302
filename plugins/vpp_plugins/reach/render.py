"""The campaign table as text for people, JSON for machines, CSV (long form) for spreadsheets.
Text from the inputs is made safe for each: no escape sequences on a terminal, no formula
in a spreadsheet cell."""

from __future__ import annotations

import io
import json
from decimal import Decimal, InvalidOperation

from vpp_core import DisclosurePolicy, csv_writer, render_table, terminal_text
from vpp_plugins.reach.table import CampaignTable, Kind, cells

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


def render_text(table: CampaignTable, policy: DisclosurePolicy) -> str:
    title = terminal_text(table.title)
    lines = [title, "=" * len(title)]
    for section in table.sections:
        lines += ["", section.title]
        if not section.rows:
            lines.append("  (no records for this section)")
            continue
        body = [[_readable(value, column.kind) for value, column in zip(row, section.columns,
                                                                         strict=True)]
                for row in cells(section, policy)]
        numeric = [index for index, column in enumerate(section.columns)
                   if column.kind is not Kind.TEXT]
        lines.append(render_table([column.heading for column in section.columns], body,
                                  right=numeric))
    lines += ["", "Notes"]
    lines += [f"- {note}" for note in table.notes]
    return terminal_text("\n".join(lines) + "\n", newlines=True)


def render_json(table: CampaignTable, policy: DisclosurePolicy) -> str:
    data = {
        "title": table.title,
        "disclosure": policy.statement,
        "sections": {
            section.key: [
                {column.key: value or None for column, value in zip(section.columns, row,
                                                                     strict=True)}
                for row in cells(section, policy)
            ]
            for section in table.sections
        },
        "notes": list(table.notes),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_csv(table: CampaignTable, policy: DisclosurePolicy) -> str:
    """Long form: one line per figure (section, subject, measure, value, unit)."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    writer.writerow(["section", "subject", "measure", "value", "unit"])
    for section in table.sections:
        value_columns = section.columns[1:]
        for row in cells(section, policy):
            subject, *values = row
            for column, value in zip(value_columns, values, strict=True):
                writer.writerow([section.key, subject, column.key, value, column.kind.value])
    return out.getvalue()


RENDERERS = {"text": render_text, "json": render_json, "csv": render_csv}
