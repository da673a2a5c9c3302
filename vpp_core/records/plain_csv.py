"""Recognise a plainly written CSV file without DuckDB's sniffer.

Sniffing a file (``sniff_csv``) costs more than reading one of thousands of rows. Most
records files are written plainly: UTF-8, commas, one newline style, a header of distinct
names and, where any value is quoted, standard double quotes. :func:`plain_dialect` checks
that on the file's first block and gives the dialect and columns the sniffer would find;
anything else (``None``) is left to the sniffer. Rows past the first block are read by
DuckDB with that dialect, so a malformed one there is set aside exactly as after sniffing.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import NamedTuple

#: The first block checked: its lines, up to the last whole one.
BLOCK_BYTES = 64 << 10
#: A larger file is always sniffed (the sniffer's cost is small beside reading it); a
#: smaller one is read whole to see whether a quote appears past the first block.
MAX_BYTES = 8 << 20
#: What the sniffer may take for a delimiter or comment instead of a comma: a header with
#: one, or a line starting with ``#``, is left to it.
_OTHER_DELIMITERS = re.compile(r"[;\t|]")


class PlainDialect(NamedTuple):
    """``read_csv``'s options for a plain file, as the sniffer would give them."""

    quote: str  # '"' where any value is quoted, else none
    escape: str  # '"' where a quoted value holds a doubled one, else none
    new_line: str  # as DuckDB spells it: the two characters ``\n`` or four of ``\r\n``
    columns: tuple[str, ...]


def plain_dialect(path: Path, data: bytes | None = None) -> PlainDialect | None:
    """The dialect and column names of ``path`` if its first block is plainly written
    CSV (see the module's text), else ``None``. ``data``, where given, is the file's whole
    content (read once by a caller that checks it too: see :func:`small_file_bytes`)."""
    if data is None:
        data = small_file_bytes(path)
    if data is None:
        return None
    if b"\x00" in data:
        return None
    block = data[:BLOCK_BYTES]
    if len(data) > BLOCK_BYTES:  # whole lines only
        block = block[:block.rfind(b"\n") + 1]
    elif not block.endswith(b"\n"):
        block += b"\r\n" if b"\r\n" in block else b"\n"
    quoted = b'"' in block
    if not quoted and b'"' in data:  # quotes start later: the sniffer decides
        return None
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.startswith("\ufeff"):
        return None
    if "\r" not in text:
        new_line, spelled = "\n", "\\n"
    elif text.count("\r") == text.count("\r\n") == text.count("\n"):
        new_line, spelled = "\r\n", "\\r\\n"
    else:
        return None
    if text.count(new_line) < 2:  # a header alone
        return None
    header = text[:text.find(new_line)]
    columns = _header(header, quoted)
    if columns is None or not _records_alike(text, new_line, len(columns), quoted):
        return None
    # the sniffer's escape: a doubled quote where a value holds one (the file is read whole)
    escape = '"' if quoted and _doubled_inside(data) else ""
    return PlainDialect('"' if quoted else "", escape, spelled, columns)


def small_file_bytes(path: Path) -> bytes | None:
    """The whole content of ``path`` if at most :data:`MAX_BYTES`, else ``None``."""
    return None if path.stat().st_size > MAX_BYTES else path.read_bytes()


def _header(line: str, quoted: bool) -> tuple[str, ...] | None:
    """The names of a header line, if two or more, distinct ignoring case, none empty or
    with spaces around it (the sniffer would rename or trim those)."""
    if _OTHER_DELIMITERS.search(line):
        return None
    names = next(csv.reader([line])) if quoted else line.split(",")
    if len(names) < 2 or any(not name or name != name.strip() for name in names):
        return None
    if len({name.casefold() for name in names}) < len(names):
        return None
    return tuple(names)


_UNQUOTED = r'[^",\r\n]*'
_QUOTED = r'"[^"]*(?:""[^"]*)*"'


def _records_alike(text: str, new_line: str, fields: int, quoted: bool) -> bool:
    """Whether every line of ``text`` (each ending in ``new_line``) is a record of
    ``fields`` values, none blank or starting with ``#``; where ``quoted``, each value
    either unquoted without a quote or wholly in double quotes (``""`` for one inside)."""
    if text.startswith("#") or f"{new_line}#" in text or f"{new_line}{new_line}" in text:
        return False
    if not quoted:
        return all(line.count(",") == fields - 1 for line in text.split(new_line)[:-1])
    value = f"(?:{_QUOTED}|{_UNQUOTED})"
    record = re.compile(f"{value}(?:,{value}){{{fields - 1}}}{re.escape(new_line)}")
    at = 0
    while at < len(text):
        found = record.match(text, at)
        if found is None:
            return False
        at = found.end()
    return True


def _doubled_inside(data: bytes) -> bool:
    """Whether ``data`` holds a doubled quote inside a value: ``""`` with something other
    than a comma, a line's end or the file's on one side (alone, it is an empty value)."""
    at = data.find(b'""')
    while at >= 0:
        if any(side and side not in b",\r\n" for side in (data[at - 1:at], data[at + 2:at + 3])):
            return True
        at = data.find(b'""', at + 2)
    return False
