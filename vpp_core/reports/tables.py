"""Plain-text tables for the terminal: columns sized to their widest cell."""

from __future__ import annotations

from collections.abc import Sequence

from vpp_core.model.escaping import terminal_text


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()
) -> str:
    """Rows under headers, two spaces between columns; column indexes in ``right`` align right.
    Every cell is made safe for a terminal (no escape sequences, no line breaks)."""
    headers = [terminal_text(header) for header in headers]
    rows = [[terminal_text(cell) for cell in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(widths[index]) if index in right else cell.ljust(widths[index])
            for index, cell in enumerate(cells)
        ]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])
