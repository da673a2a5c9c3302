"""Writing xlsx workbooks with openpyxl: typed cells, a bold frozen header, a filter.

Shared by the audit workbook, the comparison workbook and plugins' own (``vpp return``).
A text cell is always stored as text, so a strategy's ``=HYPERLINK(…)`` is shown, never
run; money, shares, whole numbers and dates take the number formats below. openpyxl is
imported only when a workbook is written.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

from vpp_core.model.escaping import terminal_text

MONEY = '"£"#,##0.00'
SHARE = "0.00%"
WHOLE = "#,##0"
DECIMAL = "#,##0.00"
DATE = "yyyy-mm-dd"
# The workbook's stated creation time: fixed, so that two runs give the same cells.
_EPOCH = datetime(2000, 1, 1)

#: A value a cell holds.
CellValue = str | int | float | Decimal | date | None


class CellFormat:
    """The number formats workbooks use, for :meth:`XlsxSheet.append`'s ``formats``."""

    MONEY: Final = MONEY
    SHARE: Final = SHARE
    WHOLE: Final = WHOLE
    DECIMAL: Final = DECIMAL
    DATE: Final = DATE


class XlsxSheet:
    """A worksheet written row by row: typed cells, a bold frozen header, a filter."""

    def __init__(self, book: Any, title: str, header: Sequence[str] | None) -> None:
        from openpyxl.styles import Font

        self.sheet = book.create_sheet(title)
        self.bold = Font(bold=True)
        self.width = len(header) if header else 0
        self.rows = 0
        if header:
            self.append(header, bold=True)
            self.sheet.freeze_panes = "A2"

    def append(self, values: Iterable[CellValue], formats: Sequence[str | None] = (),
               *, bold: bool = False) -> None:
        """One row; ``formats[i]`` (if given) is column ``i``'s number format."""
        self.rows += 1
        for column, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = self.sheet.cell(row=self.rows, column=column)
            if isinstance(value, str):
                cell.value = terminal_text(value, newlines=True)
                cell.data_type = "s"  # text stays text: never a formula
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = DATE
            if column <= len(formats) and formats[column - 1]:
                cell.number_format = formats[column - 1]
            if bold:
                cell.font = self.bold

    def finish(self) -> None:
        """Put a filter on the header, and give every column a readable width."""
        from openpyxl.utils import get_column_letter

        if self.width and self.rows > 1:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows}"
        for column in range(1, self.width + 1):
            self.sheet.column_dimensions[get_column_letter(column)].width = 18


def xlsx_sheet(book: Any, title: str, header: Sequence[str] | None) -> XlsxSheet:
    """A new sheet of ``book``; with a ``header``, a frozen header row (filtered on
    :meth:`XlsxSheet.finish`)."""
    return XlsxSheet(book, title, header)


def workbook_bytes(write: Callable[[Any], None]) -> bytes:
    """A workbook that ``write`` fills with sheets (:func:`xlsx_sheet`), as xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    for sheet in list(book.worksheets):
        book.remove(sheet)
    write(book)
    book.properties.created = book.properties.modified = _EPOCH
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
