"""Load records files (CSV or Parquet) into DuckDB tables, reporting every row left out.

A plugin that counts from records describes the columns it needs as a
:class:`RecordSchema`; :func:`load_table` reads the files of one kind into a table of a
DuckDB connection, typed and under our column names, and returns a :class:`LoadedTable`
saying how many rows were read, how many kept, and which were left out and why.
:func:`load_view` gives the same rows and the same account as a view that reads Parquet
files where they are, for a large file counted in few queries: checked in one scan that
copies nothing, then typed as each count reads it. :func:`scan_view` and :func:`tally` go
further for records counted in one query: the query that counts also checks, so each file
is read once (twice when some row is left out, to list it by row).

The rule for leaving a row out (stated on every report through :data:`LEFT_OUT_RULE`):
a row is left out of every count when a required value is missing, when a value present
in any mapped column cannot be read as its type (a bad date, a bad number), when a value is
not one of those allowed (an unknown intervention), when it fails one of the schema's row
rules, or when the CSV line itself is malformed. Each such row is reported by file and row
number with the reason; its values never are (they may identify a person).

Row numbers: for CSV, the line in the file a record starts on, with the header as line 1,
blank lines counted, whether lines end in LF or CRLF and however many lines a quoted value
spans; for Parquet, the row's ordinal, from 1. Values are read as text and cast in SQL
(``TRY_CAST``), so validation is one scan however large the file (a CSV file Excel saved as
Windows-1252 is read from a UTF-8 copy with the same lines: :mod:`vpp_core.records.encoding`,
said in :attr:`LoadedTable.encodings`); Parquet columns already
typed as dates or numbers are used as they are. Columns whose values are listed
(``Column.allowed``) are stored as ENUMs.
"""

from __future__ import annotations

import re
import stat
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import RecordsError
from vpp_core.plugin_api.collector import collector_paused
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.record_kinds import (
    IDENTIFIER,
    Column,
    ColumnType,
    RecordSchema,
)
from vpp_core.records.encoding import WINDOWS_1252, Utf8Copy, read_as_note, utf8_copy
from vpp_core.records.plain_csv import plain_dialect, small_file_bytes

if TYPE_CHECKING:
    import duckdb

LEFT_OUT_RULE = (
    "A row is left out of every count when a required value is missing, a value cannot be "
    "read as its type (bad date or number), a value is not one of those allowed, or the "
    "line is malformed; each is reported by file and row, never by its values."
)

#: The most rejected rows listed one by one per file; all are counted by reason.
MAX_LISTED = 1000

#: The ``_reject`` of a CSV row of empty cells (Excel's trailing ``;;;``): skipped as a blank
#: line is, counted in :attr:`LoadedTable.empty_rows`, never a row read or left out.
EMPTY_ROW = "(row of empty cells)"

#: Excel's day/month/year forms read as dates (beside ISO, with or without a time): a
#: time of day is dropped, the date kept.
#: Dates as UK partners write them, beside ISO: day/month/year (Excel's, with or without a
#: time of day), day-month-year, and the month by name ("3 May 2024", "3 Sep 2024"). A
#: two-digit year reads as the year 24, outside the range below: a bad date, never a guess.
DAY_MONTH_YEAR = ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y", "%d %B %Y",
                  "%d %b %Y")

#: What partners write for a value not known (compared trimmed, ignoring case): in an
#: optional cell it reads as blank; in a required one the row is left out as unreadable.
NOT_KNOWN = ("n/a", "na", "nan", "-", "unknown")  # NA: R's gap; NaN: pandas'

# Dates outside this range are taken as typing errors ("24-05-01" would be the year 24).
_EARLIEST, _LATEST = "1900-01-01", "2099-12-31"
_CSV_SUFFIXES = frozenset({".csv", ".tsv", ".txt"})
_PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
#: The suffixes of the files records are read from (a manifest is none of them).
DATA_SUFFIXES = _CSV_SUFFIXES | _PARQUET_SUFFIXES
#: The column ``read_parquet(..., file_row_number = true)`` adds: a file with its own
#: column of that name is copied into a table rather than read in place.
_ROW_NUMBER = "file_row_number"
#: The longest CSV line read (DuckDB's default, 2 MB, refuses a whole file for one long
#: free-text field); a longer line is an error naming the limit.
MAX_LINE_BYTES = 1 << 28
#: A larger file is read with lines up to :data:`LARGE_FILE_LINE_BYTES` (a longer line is a
#: malformed row, reported): DuckDB holds a buffer some times the longest line allowed, so
#: a 256 MB limit meant reading a large file whole in one thread and running out of memory
#: past 400 MB; within the smaller limit it is read in parallel, in bounded memory. DuckDB
#: drops a line longer than its buffer (twice that limit) without a word, so a file with
#: one is read as a small one is.
LARGE_FILE_BYTES = 32 << 20
LARGE_FILE_LINE_BYTES = 16 << 20

_SQL_TYPE = {
    ColumnType.ID: "VARCHAR",
    ColumnType.STRING: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DECIMAL: "DECIMAL(18,4)",
}
_TEXT_TYPES = (ColumnType.ID, ColumnType.STRING)
#: Parquet integer types whose every value fits BIGINT (UBIGINT and HUGEINT may not: their
#: values are read as text and checked like a CSV's, so one too large is a row left out).
_FIT_BIGINT = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                         "UINTEGER"})
#: A Parquet DECIMAL of at most four decimal places: cast to DECIMAL(18,4) as it is, exact
#: (a value too large for it is unreadable, as the same number written as text would be).
_EXACT_DECIMAL = re.compile(r"DECIMAL\(\d+,[0-4]\)")
_EXPECTED = {
    ColumnType.DATE: "a date",
    ColumnType.INTEGER: "a whole number",
    ColumnType.DECIMAL: "a number",
}


@attrs.frozen(order=True)
class RejectedRow:
    """A row left out: which file, which row (CSV line or Parquet ordinal), and why."""

    file: str
    row: int
    reason: str


@attrs.frozen
class LoadedTable:
    """What :func:`load_table` or :func:`load_view` made: the table's (or view's) name and the
    account of its rows.

    ``rejected`` lists up to :data:`MAX_LISTED` rows per file; ``reasons`` counts them all
    as ``(file, reason, count)``; ``file_rows`` gives each file's ``(file, read, used)``;
    ``empty_rows`` counts the CSV rows of empty cells skipped, as blank lines are (not read);
    ``encodings`` gives ``(file, encoding)`` for each CSV file not read as UTF-8 (Excel's
    Windows-1252, read from a UTF-8 copy: see :mod:`vpp_core.records.encoding`), which every
    account of the files says (:attr:`encoding_notes`).
    """

    name: str
    files: tuple[str, ...]
    rows_read: int
    rows_used: int
    rejected: tuple[RejectedRow, ...] = ()
    reasons: tuple[tuple[str, str, int], ...] = ()
    file_rows: tuple[tuple[str, int, int], ...] = ()
    empty_rows: int = 0
    encodings: tuple[tuple[str, str], ...] = ()

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_used

    @property
    def encoding_notes(self) -> tuple[str, ...]:
        """One line per file not read as UTF-8: ``"p.csv: read as Windows-1252 (not UTF-8)"``."""
        return tuple(read_as_note(file, encoding) for file, encoding in self.encodings)

    def read_as(self, file: str) -> str:
        """The line of :attr:`encoding_notes` for ``file`` (``""`` where read as UTF-8)."""
        return next((read_as_note(shown, encoding) for shown, encoding in self.encodings
                     if shown == file), "")


def loose_key(text: str) -> str:
    """``text`` lower-case with accents and everything but letters and digits removed, as
    an alias or a column's header is matched: ``"Hospital Navigators"`` and
    ``"hospital-navigators"`` → ``hospitalnavigators``; ``"Café"`` → ``cafe``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _LOOSE.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


_LOOSE = re.compile(r"[^a-z0-9]+")


def _alias_cases(column: Column) -> str:
    """SQL ``WHEN key THEN value`` for each unambiguous alias of ``column``, and for each
    allowed value spelt with other spaces or punctuation ("In Kind" for ``in-kind``)."""
    found: dict[str, set[str]] = {}
    for spelling, value in (*column.aliases, *((value, value) for value in column.allowed or ())):
        found.setdefault(loose_key(spelling), set()).add(value.lower())
    return " ".join(
        f"WHEN {sql_literal(key)} THEN {sql_literal(next(iter(values)))}"
        for key, values in sorted(found.items()) if key and len(values) == 1
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_type(column: Column) -> str:
    """The column's DuckDB type: an ENUM of the allowed values where there are some."""
    if column.allowed is not None:
        return "ENUM(" + ", ".join(sql_literal(v.lower()) for v in sorted(column.allowed)) + ")"
    return _SQL_TYPE[column.type]


def sql_literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _file_format(source: RecordSource) -> str:
    suffix = source.path.suffix.lower()
    if suffix in _CSV_SUFFIXES:
        return "csv"
    if suffix in _PARQUET_SUFFIXES:
        return "parquet"
    raise RecordsError(
        f"{source.path}: not a CSV or Parquet file (expected .csv or .parquet)"
    )


def _csv_options(path: Path) -> str:
    """How a CSV file is read: its own header, each value as text, long lines allowed,
    malformed lines set aside (in the rejects table named with it) rather than failing."""
    return f"header = true, all_varchar = true, {_line_limit(path)}, store_rejects = true"


#: What ``sniff_csv`` says for a dialect character a file has none of.
_NO_CHARACTER = "(empty)"


def _reader(path: Path, file_format: str, rejects: str, *, numbered: bool = False) -> str:
    """The table function reading one file, every CSV column as text; ``numbered`` adds a
    Parquet row's ordinal from 0 (as ``file_row_number``)."""
    if file_format == "parquet":
        numbering = f", {_ROW_NUMBER} = true" if numbered else ""
        return f"read_parquet({sql_literal(str(path))}{numbering})"
    return (
        f"read_csv({sql_literal(str(path))}, {_csv_options(path)}, "
        f"rejects_table = {sql_literal(rejects)}, rejects_scan = {sql_literal(rejects + '_scan')})"
    )


def _line_limit(path: Path) -> str:
    """``read_csv``'s options for the longest line of ``path`` (see :data:`LARGE_FILE_BYTES`)."""
    try:
        large = path.stat().st_size > LARGE_FILE_BYTES and _lines_shorter_than(
            path, 2 * LARGE_FILE_LINE_BYTES)
    except OSError:  # said by check_readable, which runs first
        large = False
    if large:
        return (f"max_line_size = {LARGE_FILE_LINE_BYTES}, "
                f"buffer_size = {2 * LARGE_FILE_LINE_BYTES}")
    return f"max_line_size = {MAX_LINE_BYTES}"


def _lines_shorter_than(path: Path, limit: int) -> bool:
    """Whether every line of ``path`` is shorter than ``limit`` bytes: a longer one holds a
    whole aligned stretch of ``limit // 2`` bytes without a newline. Reads a page or so
    of each stretch (up to its first newline)."""
    import mmap

    half = limit // 2
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return all(view.find(b"\n", start, start + half) >= 0
                   for start in range(0, len(view) - half + 1, half))


def _sniffed(
    connection: duckdb.DuckDBPyConnection, source: RecordSource, rejects: str,
    read: Path, data: bytes | None,
) -> tuple[str, dict[str, str]]:
    """A CSV file's reader and columns (the file at ``read``: the source's, or its UTF-8
    copy; ``data`` its content where already read), sniffed once: the dialect and columns
    DuckDB's sniffer finds, given to the reader so that reading the file does not sniff it
    again (sniffing costs more than reading a file of thousands of rows). A plainly written
    file is not sniffed at all: :func:`plain_dialect` says what the sniffer would."""
    path = sql_literal(str(read))
    options = _csv_options(read)
    plain = plain_dialect(read, data)
    if plain is not None:
        characters: tuple[str, ...] = (",", plain.quote, plain.escape, plain.new_line, "")
        skip = 0
        columns = dict.fromkeys(plain.columns, "VARCHAR")
    else:
        characters, skip, columns = _sniff(connection, source, f"{path}, {options}")
    dialect = "".join(
        f"{option} = {sql_literal(value)}, "
        for option, value in zip(("delim", "quote", "escape", "new_line", "comment"),
                                 characters, strict=True))
    listed = ", ".join(f"{sql_literal(name)}: {sql_literal(kind)}"
                       for name, kind in columns.items())
    reader = (
        f"read_csv({path}, auto_detect = false, {dialect}skip = {skip}, "
        f"columns = {{{listed}}}, {options}, rejects_table = {sql_literal(rejects)}, "
        f"rejects_scan = {sql_literal(rejects + '_scan')})"
    )
    return reader, columns


def _sniff(
    connection: duckdb.DuckDBPyConnection, source: RecordSource, arguments: str
) -> tuple[tuple[str, ...], int, dict[str, str]]:
    """What ``sniff_csv`` finds: delimiter, quote, escape, newline and comment (``""``
    for none), the lines to skip, and the columns with their types."""
    found = _fetch(connection, source, (
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, Columns "
        f"FROM sniff_csv({arguments})"))
    *characters, skip, sniffed = found[0]
    columns = {str(column["name"]): str(column["type"]).upper() for column in sniffed}
    return (tuple("" if value == _NO_CHARACTER else str(value) for value in characters),
            int(skip), columns)


def _describe(
    connection: duckdb.DuckDBPyConnection, source: RecordSource, reader: str
) -> dict[str, str]:
    """The file's columns and their types; a file DuckDB cannot open is a RecordsError."""
    check_readable(source.path)
    described = _fetch(connection, source, f"DESCRIBE SELECT * FROM {reader}")
    return {str(row[0]): str(row[1]).upper() for row in described}


def not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read (missing, a folder, a pipe or device, a
    symlink loop), or ``None``; never opens it."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return "no such records file"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISDIR(status.st_mode):
        return "is a folder, not a records file"
    if not stat.S_ISREG(status.st_mode):  # a pipe or a device could block for ever
        return "is not a regular file"
    return None


def check_readable(path: Path) -> None:
    """A RecordsError saying what is wrong if ``path`` is not a file DuckDB can read."""
    if (problem := not_a_file(path)) is not None:
        raise RecordsError(f"{path}: {problem}")
    status = path.stat()
    if status.st_size == 0:
        raise RecordsError(f"{path}: is empty (a records file starts with its column names)")
    with path.open("rb") as handle:
        start = handle.read(2)
    if start in (b"\xff\xfe", b"\xfe\xff"):
        raise RecordsError(f"{path}: is UTF-16 text (save it as UTF-8)")


def _fetch(
    connection: duckdb.DuckDBPyConnection, source: RecordSource, sql: str,
    matched: Mapping[str, str] | None = None,
) -> list[tuple[Any, ...]]:
    """Run a query reading ``source``; DuckDB failing to read it (at all, or part-way
    through) is a RecordsError naming the file (and the column, of those ``matched``)."""
    import duckdb

    try:
        return connection.execute(sql).fetchall()
    except duckdb.Error as error:
        reason = duckdb_reason(error, _file_format(source), matched)
        raise RecordsError(f"{source.path}: cannot be read: {reason}") from None


# DuckDB's messages quote the values they fail on (a person id cast to an age, a CSV line
# in full), so none is passed on: each kind of failure gets our own words, with the line
# DuckDB names (a number) and never a value.
_DUCKDB_REASONS = {
    "ConversionException": "a value cannot be converted to its column's type",
    "OutOfRangeException": "a value is out of range for its column's type",
    "TypeMismatchException": "a column holds values of the wrong type",
    "InvalidInputException": "not a valid {format} file",
    "IOException": "the file cannot be opened or read",
    "PermissionException": "permission denied",
    "OutOfMemoryException": "out of memory while reading it",
}
_DUCKDB_LINE = re.compile(r"\bon line:?\s*(\d+)", re.IGNORECASE)
_DUCKDB_COLUMN = re.compile(r'\bcolumn "?text:([a-z_][a-z0-9_]*)')  # our alias of a column


def duckdb_reason(error: Exception, file_format: str = "",
                  matched: Mapping[str, str] | None = None) -> str:
    """Why DuckDB failed, in our words: the kind of failure, the file's column (of those
    ``matched``, ours → the file's) and the line where DuckDB names them, never a value
    from the file (values may identify a person)."""
    shown = {"csv": "CSV", "parquet": "Parquet"}.get(file_format, "records")
    reason = _DUCKDB_REASONS.get(type(error).__name__,
                                 "DuckDB could not read it ({kind})").format(
        format=shown, kind=type(error).__name__)
    column = _DUCKDB_COLUMN.search(str(error))
    if column and matched and column.group(1) in matched:
        reason += f" in column {matched[column.group(1)]!r} ({column.group(1)})"
    line = _DUCKDB_LINE.search(str(error))
    return reason + (f" (line {line.group(1)})" if line else "") + "; values are not shown"


def _match_columns(
    source: RecordSource, schema: RecordSchema, file_columns: Mapping[str, str],
    read: Path | None = None,
) -> dict[str, str]:
    """Our column name → the file's, by the source's mapping (absent optional ones left out);
    ``read`` is the file read where not the source's (its UTF-8 copy)."""
    ours = set(schema.column_names)
    unknown = sorted(set(source.columns) - ours)
    if unknown:
        raise RecordsError(
            f"{source.path}: column mapping names {unknown[0]!r}, which {schema.kind} "
            f"records do not have (they have {', '.join(c.name for c in schema.columns)})"
        )
    uncoded = sorted(name for name in source.values
                     if name not in ours or schema.column(name).type not in _TEXT_TYPES)
    if uncoded:
        raise RecordsError(
            f"{source.path}: values table names {uncoded[0]!r}, which is not a coded text "
            f"column of {schema.kind} records"
        )
    folded = {name.strip().casefold(): name for name in file_columns}
    loosely: dict[str, list[str]] = {}
    for name in file_columns:
        loosely.setdefault(loose_key(name), []).append(name)
    matched: dict[str, str] = {}
    for column in schema.columns:
        wanted = source.columns.get(column.name, column.name)
        found = wanted if wanted in file_columns else folded.get(wanted.strip().casefold())
        if column.name not in source.columns:  # "Person ID" is person_id, unless mapped
            alike = loosely.get(loose_key(column.name), [])
            if len(alike) > 1:
                raise RecordsError(
                    f"{source.path}: columns {alike[0]!r} and {alike[1]!r} both match "
                    f"{column.name} (map one in the manifest, or rename the other)")
            found = alike[0] if alike else None
        if found is not None:
            _check_named_once(source, file_columns, column.name, found, read or source.path)
            matched[column.name] = found
        elif column.required or column.name in source.columns:
            _check_header_found(source, schema, file_columns)
            mapped = f" (mapped from {column.name})" if wanted != column.name else ""
            theirs = ", ".join(file_columns)
            raise RecordsError(
                f"{source.path}: no column {wanted!r}{mapped} (its columns: {theirs}; map ours "
                f"to the file's: KIND=PATH;{column.name}=THEIRS, or columns = "
                f"{{ {column.name} = \"THEIRS\" }} in records.toml)")
    for group in schema.one_of:
        if not any(name in matched for name in group):
            names = " or ".join(repr(source.columns.get(name, name)) for name in group)
            raise RecordsError(f"{source.path}: needs a column {names}")
    return matched


def _check_named_once(source: RecordSource, file_columns: Mapping[str, str], ours: str,
                      found: str, read: Path) -> None:
    """A RecordsError if a CSV header names ``found`` more than once: DuckDB reads a repeated
    name (any case, spaces around it) as ``NAME_1``, ``NAME_2``…, so which is ours is unknown.
    A ``NAME_1`` written so in the file's first block is a column of its own."""
    if _file_format(source) != "csv":
        return
    repeated = re.compile(re.escape(found.strip().casefold()) + r"_[0-9]+")
    renamed = [name for name in file_columns if repeated.fullmatch(name.casefold())]
    if renamed:
        with read.open("rb") as handle:
            head = handle.read(64 << 10).decode("utf-8", errors="replace")
        if not all(name in head for name in renamed):
            raise RecordsError(
                f"{source.path}: the header names {found!r} more than once; which one is "
                f"{ours} cannot be told (rename the others)")


def _check_header_found(source: RecordSource, schema: RecordSchema,
                        file_columns: Mapping[str, str]) -> None:
    """A RecordsError if most of the first line's names are empty (DuckDB names the
    ``i``-th one ``column{i}``) and none is one of ours: a title line above the header, as
    spreadsheets export."""
    empty = sum(name == f"column{index}" for index, name in enumerate(file_columns))
    ours = {loose_key(name) for name in (*schema.column_names, *source.columns.values())}
    if empty and 2 * empty >= len(file_columns) and not any(
            loose_key(name) in ours for name in file_columns):
        raise RecordsError(
            f"{source.path}: line 1: no header line found: the columns' names must be the "
            "first line (a title line above them? delete it)")


@attrs.frozen
class _File:
    """One file being read: where it is shown as from, how to read it, its columns."""

    index: int  # into LoadedTable.files: the rows' ``_file``
    source: RecordSource
    shown: str
    format: str
    reader: str
    rejects: str  # the table DuckDB puts malformed CSV lines in
    columns: dict[str, str]  # the file's column → its type
    matched: dict[str, str]  # our column → the file's
    copy: Utf8Copy | None = None  # a Windows-1252 CSV's UTF-8 copy, read in its place

    @property
    def path(self) -> Path:
        """The file read: the source's, or its UTF-8 copy (with the same lines)."""
        return self.source.path if self.copy is None else self.copy.path

    @property
    def encodings(self) -> tuple[tuple[str, str], ...]:
        """``(shown, encoding)`` where the file is not read as UTF-8."""
        return () if self.copy is None else ((self.shown, WINDOWS_1252),)


def _open(
    connection: duckdb.DuckDBPyConnection,
    index: int,
    source: RecordSource,
    schema: RecordSchema,
    rejects: str,
) -> _File:
    """A file's format, reader and columns, matched to ours (``rejects``: the table for
    malformed CSV lines)."""
    file_format = _file_format(source)
    if file_format != "csv":
        reader = _reader(source.path, file_format, rejects)
        columns = _describe(connection, source, reader)
        return _File(index, source, display_path(source.path), file_format, reader, rejects,
                     columns, _match_columns(source, schema, columns))
    check_readable(source.path)
    data = small_file_bytes(source.path)
    copy = utf8_copy(source.path, data)
    try:
        read = source.path if copy is None else copy.path
        # the bytes read to check the encoding are those plain_dialect reads (not a copy's)
        reader, columns = _sniffed(connection, source, rejects, read,
                                   data if copy is None else None)
        return _File(index, source, display_path(source.path), file_format, reader, rejects,
                     columns, _match_columns(source, schema, columns, read), copy)
    except BaseException:
        if copy is not None:
            copy.close()
        raise


def _readable_in_place(file: _File) -> bool:
    """Parquet, without a column of the name its row numbers would take."""
    return file.format == "parquet" and _ROW_NUMBER not in {
        column.casefold() for column in file.columns
    }


def _native(column: Column, file_type: str) -> bool:
    """Whether a Parquet column already holds the type we want (no cast can fail)."""
    if column.type is ColumnType.DATE:
        return file_type == "DATE" or file_type.startswith("TIMESTAMP")
    return column.type is ColumnType.INTEGER and file_type in _FIT_BIGINT


#: Where every date of the records is: a time given with its zone is taken on its date here
#: (00:30 BST on 1 April is 1 April, though 31 March in UTC), whatever zone the machine is in.
UK_TIME_ZONE = "Europe/London"


def _native_value(column: Column, file_type: str, value: str) -> str:
    """SQL for the typed value of a :func:`_native` column's ``value``: a time with a zone
    on its UK date, any other as it is given."""
    if file_type == "TIMESTAMP WITH TIME ZONE":
        return f"CAST(timezone({sql_literal(UK_TIME_ZONE)}, {value}) AS DATE)"
    return f"CAST({value} AS {_SQL_TYPE[column.type]})"


def _exact(column: Column, file_type: str) -> bool:
    """Whether a Parquet column is a number our DECIMAL takes without reading it as text:
    an integer or a decimal of at most four places (a cast that fails is out of range)."""
    return column.type is ColumnType.DECIMAL and (
        file_type in _FIT_BIGINT or file_type in ("UBIGINT", "HUGEINT")
        or _EXACT_DECIMAL.fullmatch(file_type.replace(" ", "")) is not None)


def _text_and_value(
    column: Column, raw: str, file_type: str, *, trim: bool = True
) -> tuple[str, str]:
    """SQL for the file's value as text (NULL when empty) and a template of the typed
    value over it (``{t}`` stands for the text).

    Ids and strings are trimmed (see :func:`_trimmed`); dates and numbers are not (their
    casts allow surrounding spaces), which spares a TRIM per value on millions of rows.
    ``trim=False`` takes ids and strings as they are, for a file known to hold none that
    is empty or has spaces around it.
    """
    if _native(column, file_type):
        return raw, _native_value(column, file_type, "{t}")
    if _exact(column, file_type):
        return raw, f"TRY_CAST({{t}} AS {_SQL_TYPE[column.type]})"
    if column.type in _TEXT_TYPES:
        text = f"CAST({raw} AS VARCHAR)"
        if trim:  # a flag's Y or N as it is needs no trimming
            text = _trimmed(text, as_is=[spelling for spelling, _ in _capitals(column)])
        if column.allowed is not None:
            # as written (the values are lower-case), then ignoring case (a flag's capitals
            # compared as they are: _allowed_value), then loosely (a regular expression
            # costs): each only where the one before fails
            tries = [_allowed_value(column)] if _capitals(column) else [
                f"TRY_CAST({{t}} AS {sql_type(column)})", _allowed_value(column)]
            cases = _alias_cases(column)
            if cases:
                key = "regexp_replace(strip_accents(LOWER({t})), '[^a-z0-9]+', '', 'g')"
                tries.append(f"TRY_CAST(CASE {key} {cases} END AS {sql_type(column)})")
            return text, _first_found(tries)
        if not column.required:  # "N/A" in an optional cell is blank
            return text, f"CASE WHEN {_not_known('{t}')} THEN NULL ELSE {{t}} END"
        return text, "{t}"
    text = f"CAST({raw} AS VARCHAR)"
    if column.type is ColumnType.DATE:  # the range is checked with the other checks
        # ISO with or without a time, or Excel's day/month/year with or without one: an
        # event's time of day is normal, its date is taken (its UK date, where the time
        # is given with its zone: "2024-03-31T23:30:00Z" is 1 April)
        return text, _first_found([
            f"CASE WHEN strlen({{t}}) > 19 AND regexp_matches({{t}}, {_ZONED_SQL}) THEN "
            f"CAST(timezone({sql_literal(UK_TIME_ZONE)}, TRY_CAST({{t}} AS TIMESTAMPTZ)) "
            "AS DATE) ELSE TRY_CAST({t} AS DATE) END",
            "CAST(TRY_STRPTIME(TRIM({t}), "
            f"[{', '.join(sql_literal(form) for form in DAY_MONTH_YEAR)}]) AS DATE)"])
    if column.type is ColumnType.INTEGER:  # "12.0" too: a float column's whole numbers, as
        # pandas writes a column of whole numbers with a gap; "12.5" is a bad number; then,
        # where that fails, thousands as a platform's export writes them ("12,000")
        return text, _first_found([
            "CASE WHEN regexp_full_match({t}, '\\s*[+-]?[0-9]+(\\.0*)?\\s*') "
            "THEN TRY_CAST({t} AS BIGINT) END",
            "CASE WHEN regexp_full_match({t}, "
            "'\\s*[+-]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.0*)?\\s*') "
            "THEN TRY_CAST(replace({t}, ',', '') AS BIGINT) END"])
    decimal = _SQL_TYPE[ColumnType.DECIMAL]
    # the UK's written form only where the plain one fails: "£1,500.50" (never "1.500,50"),
    # then an accountant's credit in brackets, "(120.00)" or "(£1,500.50)", negative
    plain = "replace(replace({t}, '£', ''), ',', '')"
    return text, _first_found([
        f"TRY_CAST({{t}} AS {decimal})",
        f"CASE WHEN regexp_full_match({{t}}, {_UK_AMOUNT_SQL}) THEN "
        f"TRY_CAST({plain} AS {decimal}) END",
        f"CASE WHEN regexp_full_match({{t}}, {_CREDIT_SQL}) THEN "
        f"-TRY_CAST(trim({plain}, ' ()') AS {decimal}) END"])


def _first_found(tries: Sequence[str]) -> str:
    """SQL for the first of ``tries`` that is not NULL, each tried only on the rows where
    those before it are NULL: a CASE, as DuckDB's COALESCE works out every argument for
    every row (a regular expression on each of a million values)."""
    found = tries[-1]
    for earlier in reversed(tries[:-1]):
        found = f"CASE WHEN {earlier} IS NULL THEN {found} ELSE {earlier} END"
    return found


def _capitals(column: Column) -> list[tuple[str, str]]:
    """``(spelling, value)`` for each one-letter allowed value of ``column`` written in
    capitals (the ``Y`` and ``N`` of most flags): taken as they are, with no LOWER or trim."""
    return [(value.upper(), value.lower()) for value in sorted(column.allowed or ())
            if len(value) == 1 and value.isascii() and value.isalpha()]


def _allowed_value(column: Column) -> str:
    """A template of SQL for an allowed value as the ENUM holds it, ignoring case (NULL for
    any other text); a one-letter value written in capitals (:func:`_capitals`) is compared
    as it is, sparing a LOWER and a cast on most values of such a column."""
    enum = sql_type(column)
    capitals = " ".join(f"WHEN {sql_literal(spelling)} THEN CAST({sql_literal(value)} AS {enum})"
                        for spelling, value in _capitals(column))
    exact = f"TRY_CAST(LOWER({{t}}) AS {enum})"
    return f"CASE {{t}} {capitals} ELSE {exact} END" if capitals else exact


#: A number as written in the UK: an optional sign and £, then digits in threes after commas.
_UK_AMOUNT = r"\s*[+-]?£?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*"
_UK_AMOUNT_SQL = sql_literal(_UK_AMOUNT).replace("{", "{{").replace("}", "}}")  # a template
#: A credit as accounts write it: an unsigned amount in brackets.
_CREDIT = r"\s*\(\s*£?\s*([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?\s*\)\s*"
_CREDIT_SQL = sql_literal(_CREDIT).replace("{", "{{").replace("}", "}}")
#: A time of day with its zone at the end of a date: ``T23:30:00Z``, `` 00:30+01:00``.
_ZONED = r"[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$"
_ZONED_SQL = sql_literal(_ZONED).replace("{", "{{").replace("}", "}}")  # a template


def _spelled_ours(text: str, spellings: Mapping[str, str]) -> str:
    """SQL for ``text`` with the file's spellings of coded values replaced by ours (a
    source's ``values`` table: compared ignoring case; ``text`` is trimmed already)."""
    if not spellings:
        return text
    cases = " ".join(f"WHEN {sql_literal(theirs.strip().lower())} THEN {sql_literal(ours.strip())}"
                     for theirs, ours in sorted(spellings.items()))
    return f"CASE LOWER({text}) {cases} ELSE {text} END"


def _padded(text: str) -> str:
    """SQL true where ``text`` may change by trimming or be empty: it is empty, starts
    with a space or a control character, ends with a space, or holds a character beyond
    ASCII (TRIM also removes Unicode spaces). Cheaper than TRIM on most values."""
    return f"({text} < '!' OR ends_with({text}, ' ') OR strlen({text}) <> length({text}))"


def _trimmed(text: str, as_is: Sequence[str] = ()) -> str:
    """SQL for ``text`` trimmed, NULL when empty; TRIM only where it may change it, and no
    test at all where ``text`` is one of ``as_is`` (values known to need none)."""
    known = (f"WHEN {text} IN ({', '.join(sql_literal(value) for value in as_is)}) "
             f"THEN {text} " if as_is else "")
    return f"CASE {known}WHEN {_padded(text)} THEN NULLIF(TRIM({text}), '') ELSE {text} END"


#: A column's state (its ``state:`` column, one small number per value, worked out once):
#: a value of its type, no text (or only spaces), text saying it is not known
#: (:data:`NOT_KNOWN`), or text that is not a value (a bad date, an unknown code).
_READ, _BLANK, _NOT_KNOWN, _UNREADABLE = 0, 1, 2, 3


def _state(column: Column, name: str, text_name: str, *, native: bool,
           exact: bool = False) -> str:
    """SQL for the column's state (:data:`_READ` … :data:`_UNREADABLE`) from its typed
    value ``name`` and its text ``text_name``: each check on the row then compares it,
    rather than trimming and comparing the text again. The tests stop at the first that
    holds, so a value read costs one test."""
    if native:
        return f"CASE WHEN {name} IS NULL THEN {_BLANK} ELSE {_READ} END"
    if exact:  # the text is the file's number: none, or out of range
        return (f"CASE WHEN {name} IS NOT NULL THEN {_READ} WHEN {text_name} IS NULL "
                f"THEN {_BLANK} ELSE {_UNREADABLE} END")
    if column.type in _TEXT_TYPES:  # trimmed already, NULL when empty
        if column.allowed is None:  # an id is its text: "N/A" is said whatever it reads as
            return (f"CASE WHEN {text_name} IS NULL THEN {_BLANK} "
                    f"WHEN {_not_known(text_name)} THEN {_NOT_KNOWN} ELSE {_READ} END")
        return (f"CASE WHEN {name} IS NOT NULL THEN {_READ} WHEN {text_name} IS NULL THEN "
                f"{_BLANK} WHEN {_not_known(text_name)} THEN {_NOT_KNOWN} ELSE {_UNREADABLE} END")
    trimmed = f"TRIM({text_name})"  # dates and numbers are read untrimmed
    return (f"CASE WHEN {name} IS NOT NULL THEN {_READ} WHEN {text_name} IS NULL "
            f"OR {trimmed} = '' THEN {_BLANK} WHEN {_not_known(trimmed)} THEN {_NOT_KNOWN} "
            f"ELSE {_UNREADABLE} END")


def _absent(state: str, *, optional: bool = False) -> str:
    """SQL true where a column's ``state`` says it has no value and no text but spaces (not
    a bad value); for an ``optional`` column, text saying it is not known is none too."""
    return f"{state} BETWEEN {_BLANK} AND {_NOT_KNOWN}" if optional else f"{state} = {_BLANK}"


def _not_known(text: str) -> str:
    """SQL true where ``text`` (trimmed) says the value is not known (:data:`NOT_KNOWN`);
    the length is compared first, which spares a LOWER on most values."""
    tokens = ", ".join(sql_literal(token) for token in NOT_KNOWN)
    longest = max(len(token) for token in NOT_KNOWN)
    return f"(strlen({text}) <= {longest} AND LOWER({text}) IN ({tokens}))"


def _select_typed(
    schema: RecordSchema,
    file: _File,
    *,
    untrimmed: AbstractSet[str] = frozenset(),
    checked: bool = True,
    passed: Sequence[tuple[str, str]] = (),
    failing: Collection[str] | None = None,
) -> str:
    """One SELECT giving typed columns, ``_file`` and ``_reject`` (every reason, joined by
    ``; ``).

    Three layers: the file's values as trimmed text, then typed, then the checks; every
    check a row fails is named. Coded values are first cast as given, under the text
    (:func:`_cast_first`). Ids and strings in ``untrimmed`` are taken as they
    are; ``checked=False`` skips the checks (``_reject`` NULL: the file is known to have
    no row to leave out); ``passed`` adds ``(SQL over the file's columns, name)`` to the
    result as they are. ``failing``, the reasons some row was left out for, keeps only the
    checks named in them: a check no row fails adds nothing to any row's reasons.
    """
    matched, file_columns = file.matched, file.columns
    texts: list[str] = []
    values: list[str] = []
    states: list[str] = []
    casts: list[str] = []  # coded values cast as they are, before the text is read
    checks: list[tuple[str, str]] = []  # (condition for leaving the row out, reason)
    for column in schema.columns:
        name = _quote(column.name)
        if column.name not in matched:
            values.append(f"CAST(NULL AS {sql_type(column)}) AS {name}")
            continue
        text_name = _quote(f"text:{column.name}")
        state = _quote(f"state:{column.name}")
        their_name = matched[column.name]
        native = _native(column, file_columns[their_name])
        text, value = _text_and_value(column, _quote(their_name), file_columns[their_name],
                                      trim=column.name not in untrimmed)
        text = _spelled_ours(text, file.source.values.get(column.name, {}))
        value = value.format(t=text_name)
        if _cast_first(column, file):  # most values: one cast, no trimming
            raw = f"CAST({_quote(their_name)} AS VARCHAR)"
            cast = _quote(f"cast:{column.name}")
            casts.append(f"TRY_CAST({raw} AS {sql_type(column)}) AS {cast}")
            if text != raw:
                text = f"CASE WHEN {cast} IS NULL THEN {text} ELSE {raw} END"
            texts.append(cast)
            value = f"CASE WHEN {cast} IS NULL THEN {value} ELSE {cast} END"
        texts.append(f"{text} AS {text_name}")
        values.append(f"{value} AS {name}")
        exact = _exact(column, file_columns[their_name])
        states.append(f"{_state(column, name, text_name, native=native, exact=exact)} "
                      f"AS {state}")
        label = f'"{their_name}"'
        # text that is not a value; "N/A" in an optional cell is blank, in a required one bad
        bad = f"{state} = {_UNREADABLE}" if not column.required else f"{state} >= {_NOT_KNOWN}"
        if column.type in _EXPECTED and not native:
            # present (not only spaces) but unreadable; a date out of range is a typing error
            unreadable = bad
            if column.type is ColumnType.DATE:
                unreadable = (f"{unreadable} OR {name} NOT "
                              f"BETWEEN DATE '{_EARLIEST}' AND DATE '{_LATEST}'")
            checks.append((unreadable, f"bad {_EXPECTED[column.type].split()[-1]} in {label}"))
        if column.allowed is not None:  # text given, but not one of the ENUM's values
            checks.append((bad, f"unknown {label}"))
        if column.required:  # no text at all (a value that is there but bad is said so)
            missing = _absent(state)
            if column.type in _TEXT_TYPES and column.allowed is None:  # an id of "N/A"
                missing = f"{state} >= {_BLANK}"
            checks.append((missing, f"missing {label}"))
    for group in schema.one_of:
        present = [name for name in group if name in matched]
        condition = " AND ".join(
            _absent(_quote(f"state:{name}"), optional=not schema.column(name).required)
            for name in present)
        labels = " or ".join(f'"{matched[name]}"' for name in present)
        checks.append((condition, f"missing {labels}"))
    checks.extend((f"({rule.condition})", rule.reason) for rule in schema.rules)
    if failing is not None:
        checks = [(cond, reason) for cond, reason in checks
                  if any(reason in found for found in failing)]
    # the reasons are put together only for a row that fails some check
    reasons = ", ".join(f"CASE WHEN {cond} THEN {sql_literal(reason)} END"
                        for cond, reason in checks)
    failed = " OR ".join(f"({cond})" for cond, _ in checks)
    reject = (f"CASE WHEN {failed} THEN concat_ws('; ', {reasons}) END" if checks and checked
              else "CAST(NULL AS VARCHAR)")
    if file.format == "csv" and file_columns:  # a row of empty cells is a blank line
        every = ", ".join(_quote(column) for column in file_columns)
        texts.append(f"coalesce({every}) IS NULL AS _empty")
        reject = f"CASE WHEN _empty THEN {sql_literal(EMPTY_ROW)} ELSE {reject} END"
    names = ", ".join(_quote(column.name) for column in schema.columns)
    texts.extend(f"{sql} AS {_quote(alias)}" for sql, alias in passed)
    text_list = ", ".join(texts) or "NULL AS _nothing"
    extra = "".join(f", {_quote(alias)}" for _, alias in passed)
    state_list = "".join(f", {state}" for state in states)
    reader = (f"(SELECT *, {', '.join(casts)} FROM {file.reader})" if casts
              else file.reader)
    return (
        f"SELECT {names}, {file.index} AS _file, {reject} AS _reject{extra} FROM ("
        f"SELECT *{state_list} FROM ("
        f"SELECT *, {', '.join(values)} FROM ("
        f"SELECT {text_list} FROM {reader})))"
    )


def _cast_first(column: Column, file: _File) -> bool:
    """Whether ``column``'s values are first cast to its ENUM as the file gives them (in a
    layer under the text, as ``cast:{name}``): a value written exactly as allowed, as most
    are, is then read with one cast and no trimming, and only the others go through
    :func:`_text_and_value`'s tries. Not for a flag's capitals, nor a column the source
    respells (its ``values`` table), whose text is not the value as given."""
    return (column.allowed is not None and not _capitals(column)
            and not file.source.values.get(column.name)
            and all(value and value == value.strip() for value in column.allowed))


def _structural_rejects(
    connection: duckdb.DuckDBPyConnection, rejects: str, path: Path
) -> list[tuple[int, str]]:
    """Malformed CSV lines DuckDB set aside: (line, reason). DuckDB's own line number
    counts a record over several lines as one, so the line is found from the byte the
    line starts at."""
    found = connection.execute(
        f"SELECT line_byte_position, error_type FROM {_quote(rejects)} "
        "ORDER BY line_byte_position"
    ).fetchall()
    connection.execute(f"DROP TABLE IF EXISTS {_quote(rejects)}")
    connection.execute(f"DROP TABLE IF EXISTS {_quote(rejects + '_scan')}")
    lines = _lines_at(path, _past_line_ends(path, [int(position) for position, _ in found]))
    seen: dict[int, str] = {}
    for line, (_, error_type) in zip(lines, found, strict=True):
        kind = str(error_type).lower()
        seen.setdefault(line, f"malformed line ({MALFORMED_HINTS.get(kind, kind)})")
    return sorted(seen.items())


#: What to do about a malformed line, by DuckDB's kind of error.
MALFORMED_HINTS = {
    "invalid encoding": "not UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel)",
    "unquoted value": "a quote inside a value that is not quoted",
}


def _malformed(connection: duckdb.DuckDBPyConnection, file: _File) -> list[tuple[int, str]]:
    """The malformed lines of a CSV file read (none for Parquet), forgotten once taken."""
    if file.format != "csv":
        return []
    return _structural_rejects(connection, file.rejects, file.path)


def _past_line_ends(path: Path, positions: Sequence[int]) -> list[int]:
    """Each byte position of ``path`` moved past the line ends at it: DuckDB gives a record
    after a blank CRLF line the position of that blank line, and no record starts with one."""
    moved: list[int] = []
    with path.open("rb") as file:
        for position in positions:
            file.seek(position)
            while file.read(1) in (b"\r", b"\n"):
                position += 1
            moved.append(position)
    return moved


def _lines_at(path: Path, positions: Sequence[int]) -> list[int]:
    """The line (from 1) holding each byte position of ``path``, in ascending order."""
    lines: list[int] = []
    if not positions:
        return lines
    line, start = 1, 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 22):
            end = start + len(chunk)
            while len(lines) < len(positions) and positions[len(lines)] < end:
                lines.append(line + chunk.count(b"\n", 0, positions[len(lines)] - start))
            if len(lines) == len(positions):
                return lines
            line += chunk.count(b"\n")
            start = end
    return lines + [line] * (len(positions) - len(lines))


def _csv_lines(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    ordinals: Sequence[int],
    malformed_lines: Sequence[int],
    records: int,
) -> dict[int, int]:
    """The line of each record ordinal in ``ordinals`` (see :func:`_csv_places`)."""
    if not ordinals:
        return {}
    places = _csv_places(connection, path, malformed_lines, records, ordinals=ordinals)
    return dict(places) if places is not None else {
        ordinal: _past_malformed(ordinal + 1, malformed_lines) for ordinal in ordinals}


def csv_record_ordinals(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    lines: Sequence[int],
    malformed_lines: Sequence[int],
    records: int,
) -> dict[int, int]:
    """The ordinal (from 1, as the reader numbers the records it reads) of the record that
    starts on each of ``lines`` of a CSV file; a line no record starts on is left out."""
    if not lines:
        return {}
    places = _csv_places(connection, path, malformed_lines, records, lines=lines)
    if places is None:  # one line per record
        skipped = set(malformed_lines)
        places = [(_ordinal_at(line, malformed_lines), line) for line in lines
                  if line not in skipped and 1 <= _ordinal_at(line, malformed_lines) <= records]
    return {line: ordinal for ordinal, line in places}


def _ordinal_at(line: int, malformed_lines: Sequence[int]) -> int:
    return line - 1 - sum(1 for malformed in malformed_lines if malformed < line)


def _csv_places(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    malformed_lines: Sequence[int],
    records: int,
    *,
    ordinals: Sequence[int] = (),
    lines: Sequence[int] = (),
) -> list[tuple[int, int]] | None:
    """(ordinal, line) of the records whose ordinal is in ``ordinals`` or whose first line
    is in ``lines``, reading the file's physical lines; ``None`` when the file holds one
    line per record after the header (record k on line k + 1, past the malformed lines).

    Record k is the k-th line after the header that is neither blank nor malformed. When
    a quoted value spans lines the lines outnumber the records; then the file is read
    again as CSV in its dialect to find the line each record starts on.
    """
    if _physical_lines(path) == 1 + records + len(malformed_lines):
        return None
    raw = (
        f"read_csv({sql_literal(str(path))}, header = false, columns = {{'raw': 'VARCHAR'}}, "
        f"delim = '\x1f', quote = '', escape = '', auto_detect = false, "
        f"{_line_limit(path)})"
    )
    import duckdb

    try:
        found = connection.execute(
            "SELECT count(*), list([k, line]) FILTER (WHERE list_contains($ordinals, k) "
            "OR list_contains($lines, line)) FROM ("
            "SELECT line, row_number() OVER () AS k FROM ("
            f"SELECT row_number() OVER () AS line, raw FROM {raw}) "
            "WHERE line > 1 AND raw IS NOT NULL AND NOT list_contains($malformed, line))",
            {"ordinals": list(ordinals), "lines": list(lines),
             "malformed": list(malformed_lines)},
        ).fetchall()[0]
    except duckdb.Error:  # lines ending both ways (CRLF, and LF inside a quoted value)
        found = (-1, None)
    if int(found[0]) == records:  # blank lines, but a line per record
        return [(int(k), int(line)) for k, line in found[1] or []]
    # a quoted value spans lines: read the records as CSV to see where each starts
    return _record_lines(connection, path, set(ordinals), set(lines), malformed_lines,
                         records)


def _record_lines(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    ordinals: AbstractSet[int],
    lines: AbstractSet[int],
    malformed_lines: Sequence[int],
    records: int,
) -> list[tuple[int, int]] | None:
    """(ordinal, line) of each wanted record, read with the file's own dialect (a quoted
    value may span lines); ``None`` if the records found are not those DuckDB read."""
    import csv

    import duckdb

    try:
        dialect = connection.execute(
            f"SELECT Delimiter, Quote FROM sniff_csv({sql_literal(str(path))}, "
            f"header = true, all_varchar = true, ignore_errors = true, "
            f"{_line_limit(path)})"
        ).fetchall()
    except duckdb.Error:
        return None
    delimiter, quote = (str(dialect[0][0]), str(dialect[0][1])) if dialect else (",", '"')
    quote = "" if quote == "(empty)" else quote  # how sniff_csv says there is none
    quoting = {"quotechar": quote[:1]} if quote[:1] not in ("", "\0") else {
        "quoting": csv.QUOTE_NONE}
    malformed = set(malformed_lines)
    found: list[tuple[int, int]] = []
    ordinal, start = 0, 1
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_LINE_BYTES)
    try:
        with path.open(encoding="utf-8", errors="replace", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter[:1] or ",", **quoting)
            for row in reader:
                if start > 1 and row and start not in malformed:
                    ordinal += 1
                    if ordinal in ordinals or start in lines:
                        found.append((ordinal, start))
                start = reader.line_num + 1
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(limit)
    return found if ordinal == records else None


def _past_malformed(line: int, malformed_lines: Sequence[int]) -> int:
    """``line`` counted as if the malformed lines were not there, moved past them."""
    for malformed in malformed_lines:
        if malformed > line:
            break
        line += 1
    return line


def _physical_lines(path: Path) -> int:
    """How many lines the file holds (a last line without a newline counts)."""
    count, last = 0, b"\n"
    with path.open("rb") as file:
        while chunk := file.read(1 << 22):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


#: DuckDB's memory for one connection reading records: past it, DuckDB spills to a temporary
#: folder, so ten million rows are read and counted in well under 600 MB.
MEMORY_LIMIT = "400MB"


@contextmanager
def records_connection(prefix: str = "vpp-records-") -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection capped at :data:`MEMORY_LIMIT`, spilling to a temporary folder
    (named from ``prefix``) that is removed with it, drawing no progress bar (DuckDB draws
    one on the standard output past two seconds, inside a report written there)."""
    with collector_paused():  # DuckDB's modules: many objects that live on, no garbage
        import duckdb

    with tempfile.TemporaryDirectory(prefix=prefix) as spill:
        connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT,
                                            "temp_directory": spill})
        try:
            connection.execute("SET enable_progress_bar_print = false")
            yield connection
        finally:
            connection.close()


def load_table(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    sources: Iterable[RecordSource],
    schema: RecordSchema,
    *,
    max_listed: int = MAX_LISTED,
    kept: Sequence[tuple[str, str]] = (),
) -> LoadedTable:
    """Read ``sources`` into table ``name`` (replacing it), keeping only usable rows.

    The table has our columns, typed (an ENUM where the values allowed are listed), plus
    ``_file`` (index into ``LoadedTable.files``) and ``_reject`` (NULL: the rows left out
    are deleted). A file that cannot be read at all — missing, not CSV or
    Parquet, without a column the schema needs — raises :class:`RecordsError` naming it.

    ``kept``, ``(name, SQL over our typed columns)``, are the only columns the table keeps
    (before ``_file`` and ``_reject``), typed as DuckDB types their SQL: a count that needs
    few values, or one worked out from several, stores only those. Every row is checked
    all the same.
    """
    return _load(connection, name, sources, schema, max_listed, in_place=False, kept=kept)


def load_view(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    sources: Iterable[RecordSource],
    schema: RecordSchema,
    *,
    max_listed: int = MAX_LISTED,
) -> LoadedTable:
    """As :func:`load_table`, but ``name`` is a view (replacing one) and Parquet files are
    read where they are rather than copied.

    Each Parquet file is checked in one scan that reads no more than the checks need and
    copies nothing; the rows it leaves out are counted and listed exactly as by
    :func:`load_table`. The view then types the file's values as it is read, leaving out
    the same rows (the checks are repeated only for a file that has some), so a query
    over it reads, types and counts in one pass. Ids and strings are trimmed only in a
    file where some value needs it. CSV files (and a Parquet file with its own
    ``file_row_number`` column) are copied once into table ``{name}_copied``, which the
    view includes. Suits records counted in few queries, such as a large exposure log;
    records queried many times over are better copied by :func:`load_table`.
    """
    return _load(connection, name, sources, schema, max_listed, in_place=True)


def _load(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    sources: Iterable[RecordSource],
    schema: RecordSchema,
    max_listed: int,
    *,
    in_place: bool,
    kept: Sequence[tuple[str, str]] = (),
) -> LoadedTable:
    if not IDENTIFIER.match(name):
        raise ValueError(f"table name {name!r} must be lower_snake_case")
    table = f"{name}_copied" if in_place else name  # where copied rows go
    copied = False  # whether ``table`` has been made
    views: list[str] = []  # a SELECT of the usable rows of each file read in place
    files: list[str] = []
    file_rows: list[tuple[str, int, int]] = []
    rejected: list[RejectedRow] = []
    reasons: Counter[tuple[str, str]] = Counter()
    rows_read = rows_in_place = inserted = deleted = empty_rows = 0
    encodings: list[tuple[str, str]] = []
    for index, source in enumerate(sources):
        file = _open(connection, index, source, schema, f"{table}_rejects_{index}")
        files.append(file.shown)
        encodings.extend(file.encodings)
        if in_place and _readable_in_place(file):
            view, read, rows, counted = _scan_in_place(connection, file, schema, max_listed)
            views.append(view)
            rows_in_place += read - counted.total()
        else:
            if not copied:
                _create_table(connection, table, schema, kept)
                copied = True
            try:
                read, parsed, rows, counted, empty = _load_file(
                    connection, _quote(table), inserted, file, schema, max_listed, kept
                )
            finally:  # a CSV file is read whole here: a UTF-8 copy of it is done with
                if file.copy is not None:
                    file.copy.close()
            inserted += parsed
            empty_rows += empty
            # malformed lines were never inserted; rows of empty cells were, to be deleted
            deleted += counted.total() - (read - parsed)
        rows_read += read
        file_rows.append((file.shown, read, read - counted.total()))
        rejected.extend(rows)
        reasons.update({(file.shown, reason): count for reason, count in counted.items()})
    if not copied and not views:  # no files: an empty table
        _create_table(connection, table, schema, kept)
        copied = True
    if deleted:
        _run(connection, f"DELETE FROM {_quote(table)} WHERE _reject IS NOT NULL")
    if in_place:
        parts = ([f"SELECT * FROM {_quote(table)}"] if copied else []) + views
        _run(connection, f"CREATE OR REPLACE VIEW {_quote(name)} AS {' UNION ALL '.join(parts)}")
    return LoadedTable(
        name=name,
        files=tuple(files),
        rows_read=rows_read,
        rows_used=inserted - deleted + rows_in_place,
        rejected=tuple(rejected),
        reasons=tuple(
            (file, reason, count) for (file, reason), count in sorted(reasons.items())
        ),
        file_rows=tuple(file_rows),
        empty_rows=empty_rows,
        encodings=tuple(encodings),
    )


def _create_table(
    connection: duckdb.DuckDBPyConnection, table: str, schema: RecordSchema,
    kept: Sequence[tuple[str, str]] = (),
) -> None:
    """Table ``table`` (replaced) with our columns, typed, or those ``kept`` (typed as
    DuckDB types their SQL over ours), then ``_file`` and ``_reject``."""
    if kept:
        typed = "".join(f"CAST(NULL AS {sql_type(column)}) AS {_quote(column.name)}, "
                        for column in schema.columns) + "CAST(NULL AS VARCHAR) AS _reject"
        _run(connection, f"CREATE OR REPLACE TABLE {_quote(table)} AS SELECT "
             f"{_kept_list(kept)}, CAST(NULL AS INTEGER) AS _file, "
             f"CAST(NULL AS VARCHAR) AS _reject FROM (SELECT {typed}) WHERE false")
        return
    typed = "".join(f"{_quote(column.name)} {sql_type(column)}, " for column in schema.columns)
    _run(connection,
         f"CREATE OR REPLACE TABLE {_quote(table)} ({typed}_file INTEGER, _reject VARCHAR)")


def _kept_list(kept: Sequence[tuple[str, str]]) -> str:
    """The ``kept`` columns of a SELECT over :func:`_select_typed`, worked out for a usable
    row alone (NULL in a row left out, which is deleted once counted): a value that fails
    a check, such as an age past any plausible number, cannot make their SQL fail."""
    return ", ".join(f"CASE WHEN _reject IS NULL THEN {sql} END AS {_quote(name)}"
                     for name, sql in kept)


def _scan_in_place(
    connection: duckdb.DuckDBPyConnection, file: _File, schema: RecordSchema, max_listed: int
) -> tuple[str, int, list[RejectedRow], Counter[str]]:
    """Check a Parquet file without copying it: a SELECT of its usable rows, typed, for the
    view; rows read; rows left out (listed); counts by reason.

    One scan counts the rows by reason and finds the ids and strings that need trimming;
    only a file with rows to leave out is read again, to list them by ordinal. Where every
    column's value can be seen to pass from the file's own value (:func:`_surely_usable`),
    only the rows not seen to pass are checked in full.
    """
    # a coded value cast as it is (:func:`_cast_first`) is trimmed only where that fails
    padding = [(test, name) for test, name in _text_padding(schema, file)
               if not _cast_first(schema.column(name), file)]
    texts = [name for _, name in padding]
    flags = [(test, f"padded:{name}") for test, name in padding]
    typed = None if flags else _as_given(schema, file)
    usable = None if typed is None else _surely_usable(typed)
    plain = False  # whether every row casts as given: the view is then the casts alone
    if usable is None:
        found = _fetch(connection, file.source, (
            "SELECT _reject, count(*)"
            + "".join(f", bool_or({_quote(alias)})" for _, alias in flags)
            + f" FROM ({_select_typed(schema, file, passed=flags)}) GROUP BY _reject"
        ), file.matched)
        read = sum(int(row[1]) for row in found)
    else:  # the rows read (the file's own count), then the others by reason (NULL: kept)
        doubtful = attrs.evolve(file, reader=_doubtful(file.reader, usable))
        both = _fetch(connection, file.source, (
            f"SELECT true, NULL, count(*) FROM {file.reader} UNION ALL "
            f"SELECT false, _reject, count(*) FROM ({_select_typed(schema, doubtful)}) "
            "GROUP BY _reject"
        ), file.matched)
        read = sum(int(count) for whole, _, count in both if whole)
        found = [(reason, count) for whole, reason, count in both if not whole]
        plain = not any(count for _, count in found)
    counted = Counter({str(row[0]): int(row[1]) for row in found if row[0] is not None})
    untrimmed = frozenset(
        name for place, name in enumerate(texts) if not any(row[2 + place] for row in found)
    )
    listed: list[RejectedRow] = []
    if counted:
        reader = _reader(file.source.path, file.format, "", numbered=True)
        numbered = attrs.evolve(
            file, reader=reader if usable is None else _doubtful(reader, usable))
        select = _select_typed(schema, numbered, untrimmed=untrimmed,
                               passed=[(f"{_ROW_NUMBER} + 1", "_row")])
        listed = [
            RejectedRow(file.shown, int(row), str(reason))
            for row, reason in _fetch(connection, file.source, (
                f"SELECT _row, _reject FROM ({select}) WHERE _reject IS NOT NULL "
                f"ORDER BY _row LIMIT {int(max_listed)}"
            ), file.matched)
        ]
    view = (_plain_select(schema, file, typed) if plain and typed is not None else
            _select_typed(schema, file, untrimmed=untrimmed, checked=bool(counted)))
    if counted:
        view = f"SELECT * FROM ({view}) WHERE _reject IS NULL"
    return view, read, listed, counted


def _as_given(schema: RecordSchema, file: _File) -> dict[str, str] | None:
    """SQL for each matched column's value cast to its type as the file gives it: a row
    where none is NULL passes every check of ``schema`` (a row where one is may pass too,
    once trimmed or lower-cased). ``None`` where some column cannot be read so (an id or
    free text, which may need trimming), or the schema has row rules or alternatives."""
    if schema.rules or schema.one_of:
        return None
    typed: dict[str, str] = {}
    for column in schema.columns:
        if column.name not in file.matched:
            continue
        raw = _quote(file.matched[column.name])
        file_type = file.columns[file.matched[column.name]]
        if _native(column, file_type):
            typed[column.name] = _native_value(column, file_type, raw)
        elif _exact(column, file_type):
            typed[column.name] = f"TRY_CAST({raw} AS {_SQL_TYPE[column.type]})"
        elif _cast_first(column, file):
            typed[column.name] = f"TRY_CAST(CAST({raw} AS VARCHAR) AS {sql_type(column)})"
        else:
            return None
    return typed or None


def _surely_usable(typed: Mapping[str, str]) -> str:
    """SQL true where a row's every value casts as given (see :func:`_as_given`)."""
    return " AND ".join(f"{value} IS NOT NULL" for value in typed.values())


def _plain_select(schema: RecordSchema, file: _File, typed: Mapping[str, str]) -> str:
    """:func:`_select_typed` of a file whose every row casts as given (``typed``, from
    :func:`_as_given`): the casts alone, with no text, trimming or checks."""
    values = ", ".join(f"{typed.get(column.name, f'CAST(NULL AS {sql_type(column)})')} "
                       f"AS {_quote(column.name)}" for column in schema.columns)
    return (f"SELECT {values}, {file.index} AS _file, CAST(NULL AS VARCHAR) AS _reject "
            f"FROM {file.reader}")


def _doubtful(reader: str, usable: str) -> str:
    """The rows of ``reader`` not seen to be usable (see :func:`_surely_usable`)."""
    return f"(SELECT * FROM {reader} WHERE NOT ({usable}))"


def _load_file(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    offset: int,
    file: _File,
    schema: RecordSchema,
    max_listed: int,
    kept: Sequence[tuple[str, str]] = (),
) -> tuple[int, int, list[RejectedRow], Counter[str], int]:
    """Append one file to ``table``, whose first ``offset`` rows came from earlier files.

    Returns rows read, records inserted, rows left out (listed), counts by reason and rows
    of empty cells (inserted, marked :data:`EMPTY_ROW`, neither read nor left out). A
    record's ordinal in its file is its ``rowid`` less ``offset``, plus one: DuckDB keeps
    the file's order as it inserts (``preserve_insertion_order``).
    """
    index = file.index
    select = _select_typed(schema, file)
    if kept:
        select = f"SELECT {_kept_list(kept)}, _file, _reject FROM ({select})"
    inserted = int(_fetch(connection, file.source, f"INSERT INTO {table} {select}",
                          file.matched)[0][0])
    malformed = _malformed(connection, file)
    counted: Counter[str] = Counter(reason for _, reason in malformed)
    for reason, count in connection.execute(
        f"SELECT _reject, count(*) FROM {table} WHERE _file = {index} "
        "AND _reject IS NOT NULL GROUP BY _reject"
    ).fetchall():
        counted[str(reason)] += int(count)
    empty = counted.pop(EMPTY_ROW, 0)
    listed: list[tuple[int, str]] = []
    if counted.total() > len(malformed):  # the checks left rows out: number them
        listed = [
            (int(row), str(reason))
            for row, reason in connection.execute(
                f"SELECT rowid - {offset} + 1, _reject FROM {table} WHERE _file = {index} "
                f"AND _reject IS NOT NULL AND _reject <> {sql_literal(EMPTY_ROW)} "
                f"ORDER BY rowid LIMIT {int(max_listed)}"
            ).fetchall()
        ]
    if file.format == "csv":
        lines = _csv_lines(
            connection, file.path, [row for row, _ in listed],
            [line for line, _ in malformed], inserted,
        )
        rows = [RejectedRow(file.shown, lines[row], reason) for row, reason in listed]
        rows.extend(RejectedRow(file.shown, line, reason) for line, reason in malformed)
    else:
        rows = [RejectedRow(file.shown, row, reason) for row, reason in listed]
    return (inserted + len(malformed) - empty, inserted, sorted(rows)[:max_listed], counted,
            empty)


@attrs.frozen
class RecordScan:
    """What :func:`scan_view` made: view ``name`` of every row of the files, read where they
    are, typed, with ``_file`` and ``_reject`` (NULL for a usable row), not yet read."""

    name: str
    files: tuple[_File, ...]
    schema: RecordSchema
    unique: tuple[str, str] | None = None  # (column, reason a repeat is left out for)


def scan_view(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    sources: Iterable[RecordSource],
    schema: RecordSchema,
    *,
    unique: tuple[str, str] | None = None,
) -> RecordScan:
    """View ``name`` (replacing one) of every row of ``sources``, CSV and Parquet read where
    they are: nothing is copied and no row is read until :func:`tally` runs a query over it.

    For records counted in one query: the query counts the usable rows and, in the same
    scan, the rows left out by file and reason, so each file is read and checked once. A
    file that cannot be opened, or lacks a column the schema needs, raises
    :class:`RecordsError` naming it here; one DuckDB fails to read part-way, in :func:`tally`.

    ``unique`` is ``(column, reason)`` for records known by a column's value (a crime
    reference): a usable row giving the value of an earlier row (by file, then place in
    it), usable or not, is left out for ``reason``. A pass over that column alone first
    finds whether any value may repeat (none can where a single file's values rise row by
    row); only then does the same query read that column again to find the values given
    more than once. A Parquet file's ids and strings are then trimmed only where some value
    needs it (found in a pass over them before the count).
    """
    if not IDENTIFIER.match(name):
        raise ValueError(f"view name {name!r} must be lower_snake_case")
    files = tuple(_open(connection, index, source, schema, f"{name}_rejects_{index}")
                  for index, source in enumerate(sources))
    untrimmed = [frozenset[str]() for _ in files]
    if unique is not None and files:
        untrimmed = [_untrimmed(connection, schema, file) for file in files]
        if _may_repeat(connection, schema, files, unique[0], untrimmed):
            select = _unique_select(schema, files, unique)
            _run(connection, f"CREATE OR REPLACE VIEW {_quote(name)} AS {select}")
            return RecordScan(name, files, schema, unique)
    parts = [_select_typed(schema, file, untrimmed=untrimmed[file.index])
             for file in files] or [
        "SELECT " + "".join(f"CAST(NULL AS {sql_type(column)}) AS {_quote(column.name)}, "
                            for column in schema.columns)
        + "CAST(NULL AS INTEGER) AS _file, CAST(NULL AS VARCHAR) AS _reject WHERE false"
    ]
    _run(connection, f"CREATE OR REPLACE VIEW {_quote(name)} AS {' UNION ALL '.join(parts)}")
    return RecordScan(name, files, schema)


def _numbered_select(schema: RecordSchema, file: _File) -> str:
    """:func:`_select_typed` of ``file`` with ``_ordinal``, each record's place in it from 1:
    Parquet's own row number where it can, else the order read."""
    if _readable_in_place(file):
        numbered = attrs.evolve(
            file, reader=_reader(file.source.path, file.format, "", numbered=True))
        return _select_typed(schema, numbered, passed=[(f"{_ROW_NUMBER} + 1", "_ordinal")])
    return _select_typed(schema, file, passed=[("row_number() OVER ()", "_ordinal")])


def _untrimmed(connection: duckdb.DuckDBPyConnection, schema: RecordSchema,
               file: _File) -> frozenset[str]:
    """The ids and strings of a Parquet ``file`` that no value needs trimmed (none is empty
    or has spaces around it), found in one pass over them: the view then reads them as they
    are, sparing a test per value in the query that counts (it costs more there than here).
    Nothing for a CSV file, whose every column that pass would parse again."""
    import duckdb

    if file.format != "parquet":
        return frozenset()
    padding = _text_padding(schema, file)
    if not padding:
        return frozenset()
    tests = ", ".join(f"bool_or({test})" for test, _ in padding)
    try:
        found = connection.execute(f"SELECT {tests} FROM {_quiet(file).reader}").fetchall()
    except duckdb.Error:  # the query that counts reads the file again and says what is wrong
        return frozenset()
    return frozenset(name for (_, name), flag in zip(padding, found[0], strict=True)
                     if not flag)


def _text_padding(schema: RecordSchema, file: _File) -> list[tuple[str, str]]:
    """``(SQL true where the file's value may need trimming, our column)`` for each id and
    string of ``schema`` that ``file`` holds."""
    return [(_padded(f"CAST({_quote(file.matched[column.name])} AS VARCHAR)"), column.name)
            for column in schema.columns
            if column.name in file.matched and column.type in _TEXT_TYPES]


def _may_repeat(connection: duckdb.DuckDBPyConnection, schema: RecordSchema,
                files: Sequence[_File], column: str,
                untrimmed: Sequence[AbstractSet[str]]) -> bool:
    """Whether a value of ``column`` may be given twice in ``files``, so clean files skip the
    exact (and costlier) search of :func:`_unique_select`. A single file whose values rise
    row by row repeats none: one streaming pass over that column alone, in the file's order,
    stopped at the first value not above the one before. Otherwise one pass counts distinct
    64-bit hashes of the values (a collision only sends the files to the exact search).
    ``untrimmed`` gives each file's columns read as they are (see :func:`_untrimmed`)."""
    import duckdb

    key = _quote(column)
    given = " UNION ALL ".join(
        f"SELECT {key} FROM ({_select_typed(schema, _quiet(file), untrimmed=untrimmed[place])}) "
        f"WHERE {key} IS NOT NULL"
        for place, file in enumerate(files))
    try:
        if len(files) == 1 and _rising(connection, key, given):
            return False
        found = connection.execute(
            f"SELECT count(DISTINCT hash({key})) < count(*) FROM ({given})").fetchone()
    except duckdb.Error:  # the exact search reads the files again and says what is wrong
        return True
    return bool(found and found[0])


def _rising(connection: duckdb.DuckDBPyConnection, key: str, given: str) -> bool:
    """Whether each value of ``given`` (one file's values of ``key``) is above the one read
    before it, read in the file's order by DuckDB's streaming window and stopped at the
    first that is not. Values that rise so all differ, whatever the order they were read in."""
    found = connection.execute(
        f"SELECT NOT EXISTS (SELECT 1 FROM (SELECT {key}, lag({key}) OVER () AS _before "
        f"FROM ({given})) WHERE {key} <= _before)").fetchone()
    return bool(found and found[0])


def _unique_select(schema: RecordSchema, files: Sequence[_File], unique: tuple[str, str]) -> str:
    """Every row of ``files``, checked, with ``_ordinal`` (the record's place in its file,
    from 1); a usable row whose ``unique[0]`` is that of an earlier row (usable or not) is
    left out for ``unique[1]``.

    The values given more than once, and where each is first given, are found by reading
    the files' values of that column alone (a hash aggregate, in the same query); each row
    is then looked up among them. A window over every row holding all its columns would
    spill past DuckDB's memory on millions of rows.
    """
    column, reason = unique
    key = _quote(column)
    place = "(CAST(_file AS BIGINT) << 40) + _ordinal"
    rows = " UNION ALL ".join(_numbered_select(schema, file) for file in files)
    keys = " UNION ALL ".join(
        f"SELECT {key}, _file, _ordinal FROM ({_numbered_select(schema, _quiet(file))})"
        for file in files)
    firsts = (f"SELECT {key} AS _repeated, min({place}) AS _first FROM ({keys}) "
              f"WHERE {key} IS NOT NULL GROUP BY {key} HAVING count(*) > 1")
    names = ", ".join(_quote(c.name) for c in schema.columns)
    return (f"SELECT {names}, _file, CASE WHEN _reject IS NULL AND {place} > _first "
            f"THEN {sql_literal(reason)} ELSE _reject END AS _reject, _ordinal "
            f"FROM ({rows}) LEFT JOIN ({firsts}) ON {key} = _repeated")


def _quiet(file: _File) -> _File:
    """``file`` read again in the same query: malformed CSV lines skipped as the first
    reading skips them, without setting them aside a second time."""
    if file.format != "csv":
        return file
    rejects = (f", rejects_table = {sql_literal(file.rejects)}, "
               f"rejects_scan = {sql_literal(file.rejects + '_scan')}")
    reader = file.reader.replace(rejects, "").replace("store_rejects = true",
                                                      "ignore_errors = true")
    return attrs.evolve(file, reader=reader)


def tally(
    connection: duckdb.DuckDBPyConnection,
    scan: RecordScan,
    query: str,
    *,
    max_listed: int = MAX_LISTED,
) -> tuple[list[tuple[Any, ...]], LoadedTable]:
    """Run ``query`` over the view of ``scan``: the groups it counts of usable rows, and the
    account of every row, as :func:`load_table` gives it.

    ``query`` groups by ``_file`` and ``_reject`` (first, in that order) among what it
    counts, and its last column is the number of rows in the group; the groups of rows left
    out are taken out of the result and counted by file and reason.
    """
    rows = _run_scan(connection, scan, query)
    loaded = _account(connection, scan, [(row[0], row[1], row[-1]) for row in rows],
                     max_listed=max_listed)
    return [row[2:] for row in rows if row[1] is None], loaded


def _account(
    connection: duckdb.DuckDBPyConnection,
    scan: RecordScan,
    tallies: Iterable[tuple[Any, Any, Any]],
    *,
    max_listed: int = MAX_LISTED,
) -> LoadedTable:
    """The account of every row of ``scan``, once a query has read it: ``tallies`` are
    ``(_file, _reject, rows)`` as that query counted them (several for the same pair are
    added). Only a file with rows left out is read again, to list them by row (CSV line or
    Parquet ordinal)."""
    per_file: dict[int, Counter[str | None]] = {file.index: Counter() for file in scan.files}
    for index, reason, count in tallies:
        per_file[int(index)][None if reason is None else str(reason)] += int(count)
    file_rows: list[tuple[str, int, int]] = []
    rejected: list[RejectedRow] = []
    reasons: Counter[tuple[str, str]] = Counter()
    empty_rows = 0
    malformed_lines = {file.index: _malformed(connection, file) for file in scan.files}
    for file in scan.files:
        counted = per_file[file.index]
        records = counted.total()  # rows of empty cells too: they hold a record's place
        empty = counted.pop(EMPTY_ROW, 0)
        empty_rows += empty
        parsed = counted.total()
        malformed = malformed_lines[file.index]
        left_out = Counter({str(reason): count for reason, count in counted.items()
                            if reason is not None})
        listed = (_list_rejected(connection, scan, file, left_out, max_listed)
                  if left_out else [])
        if file.format == "csv":
            lines = _csv_lines(connection, file.path, [row for row, _ in listed],
                               [line for line, _ in malformed], records)
            found = [RejectedRow(file.shown, lines[row], reason) for row, reason in listed]
            found.extend(RejectedRow(file.shown, line, reason) for line, reason in malformed)
        else:
            found = [RejectedRow(file.shown, row, reason) for row, reason in listed]
        left_out.update(reason for _, reason in malformed)
        rejected.extend(sorted(found)[:max_listed])
        reasons.update({(file.shown, reason): count for reason, count in left_out.items()})
        file_rows.append((file.shown, parsed + len(malformed), counted[None]))
    return LoadedTable(
        name=scan.name,
        files=tuple(file.shown for file in scan.files),
        rows_read=sum(read for _, read, _ in file_rows),
        rows_used=sum(used for _, _, used in file_rows),
        rejected=tuple(rejected),
        reasons=tuple((file, reason, count) for (file, reason), count in sorted(reasons.items())),
        file_rows=tuple(file_rows),
        empty_rows=empty_rows,
        encodings=tuple(pair for file in scan.files for pair in file.encodings),
    )


def _run_scan(
    connection: duckdb.DuckDBPyConnection, scan: RecordScan, query: str
) -> list[tuple[Any, ...]]:
    """``query``'s rows (a query reading the view of ``scan``); DuckDB failing to read a
    file is a RecordsError naming it (found by reading each file alone, only when the query
    fails)."""
    import duckdb

    try:
        return connection.execute(query).fetchall()
    except duckdb.Error as error:
        for file in scan.files:  # which file: the one DuckDB cannot read alone
            _fetch(connection, file.source,
                   f"SELECT count(*) FROM ({_select_typed(scan.schema, file)})", file.matched)
        names = ", ".join(str(file.source.path) for file in scan.files)
        raise RecordsError(f"{names}: cannot be read: {duckdb_reason(error)}") from None


def _list_rejected(
    connection: duckdb.DuckDBPyConnection, scan: RecordScan, file: _File,
    reasons: Collection[str], max_listed: int,
) -> list[tuple[int, str]]:
    """The first ``max_listed`` rows of ``file`` left out: (ordinal from 1, reason); for CSV
    the ordinal counts the records read, not the lines. Only the checks named in
    ``reasons`` (those some row failed) are made, so only the columns they need are read;
    repeats of a ``unique`` value need every row of every file read again."""
    schema = scan.schema
    repeats = scan.unique is not None and scan.unique[1] in reasons
    if scan.unique is not None and repeats:
        select = (f"SELECT _ordinal AS _row, _reject FROM ("
                  f"{_unique_select(schema, scan.files, scan.unique)}) WHERE _file = {file.index}")
    elif _readable_in_place(file):
        numbered = attrs.evolve(
            file, reader=_reader(file.source.path, file.format, "", numbered=True))
        select = _select_typed(schema, numbered, failing=reasons,
                               passed=[(f"{_ROW_NUMBER} + 1", "_row")])
    else:  # numbered in the order read, past the checks (a window holds up what it reads)
        select = (f"SELECT row_number() OVER () AS _row, _reject "
                  f"FROM ({_select_typed(schema, file, failing=reasons)})")
    found = _fetch(connection, file.source, (
        f"SELECT _row, _reject FROM ({select}) WHERE _reject IS NOT NULL "
        f"AND _reject <> {sql_literal(EMPTY_ROW)} ORDER BY _row LIMIT {int(max_listed)}"
    ), file.matched)
    # this reading set the malformed lines aside again (of every file it read, for repeats)
    for read in (scan.files if repeats else (file,)):
        for table in (read.rejects, read.rejects + "_scan"):
            connection.execute(f"DROP TABLE IF EXISTS {_quote(table)}")
    return [(int(row), str(reason)) for row, reason in found]


def _run(connection: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Execute a statement and finish its result (DuckDB keeps it pending otherwise)."""
    connection.execute(sql).fetchall()
