"""A CSV file Excel saved as Windows-1252 ("CSV (Comma delimited)") is read as what it is:
counted exactly as its UTF-8 twin, numbered by its own lines, the input never modified, the
UTF-8 copy removed once read, and the encoding said in the account of the files."""

from __future__ import annotations

import hashlib
import tempfile
from decimal import Decimal
from pathlib import Path

import attrs
import duckdb
import pytest

from tests.records.test_messy_csv import MESSY
from vpp_core import LoadedTable, RecordSource, load_table, load_view, scan_view, tally
from vpp_core.plugin_api.record_kinds import Column, ColumnType
from vpp_core.records import encoding, plain_csv

#: The participants of tests.records.test_messy_csv (an intervention named "Farm Skills
#: Café"), with an area in place of the age.
SCHEMA = attrs.evolve(MESSY, columns=(*MESSY.columns[:3], Column("area", ColumnType.STRING),
                                      MESSY.columns[4]))
HEADER = "person_id,intervention,event_date,area,cost\r\n"
ROWS = (
    "P1,Farm Skills Café,2024-05-01,King’s Lynn,\"£1,500.50\"\r\n"  # 2: the name, £ and ’
    "P2,farm-skills,2024-05-02,Bury St Edmunds,12\r\n"  # 3
    "P3,Farm Skills Café,2024-13-01,King’s Lynn,\r\n"  # 4: bad date, after é and ’
    "P4,Farm Skills Café,2024-05-04,Great Yarmouth – East,£20\r\n"  # 5: an en dash
)
COUNT = ("SELECT _file, _reject, intervention, area, sum(cost), count(*) FROM people "
         "GROUP BY ALL ORDER BY ALL")
WRITTEN = [("farm-skills", "Bury St Edmunds", Decimal("12.0000"), 1),
           ("farm-skills", "Great Yarmouth – East", Decimal("20.0000"), 1),
           ("farm-skills", "King’s Lynn", Decimal("1500.5000"), 1)]


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder temporary copies are made in (empty once none is read)."""
    folder = tmp_path / "temporary"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def twins(tmp_path: Path, text: str = HEADER + ROWS) -> tuple[Path, Path]:
    (tmp_path / "cp1252").mkdir()
    (tmp_path / "utf8").mkdir()
    windows = tmp_path / "cp1252" / "p.csv"
    windows.write_bytes(text.encode("cp1252"))
    utf8 = tmp_path / "utf8" / "p.csv"
    utf8.write_bytes(text.encode("utf-8"))
    return windows, utf8


def copied(path: Path, *, view: bool = False) -> tuple[list[tuple[object, ...]], LoadedTable]:
    connection = duckdb.connect()
    load = load_view if view else load_table
    loaded = load(connection, "people", [RecordSource("participants", path)], SCHEMA)
    rows = connection.execute(
        "SELECT intervention, area, sum(cost), count(*) FROM people GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    return rows, loaded


def account(loaded: LoadedTable) -> tuple[object, ...]:
    """What a report says of the rows, files shown by name alone."""
    return (loaded.rows_read, loaded.rows_used,
            [(Path(row.file).name, row.row, row.reason) for row in loaded.rejected],
            [(Path(file).name, reason, count) for file, reason, count in loaded.reasons])


@pytest.mark.parametrize("view", [False, True], ids=["load_table", "load_view"])
def test_a_windows_1252_file_is_counted_as_its_utf8_twin(
    tmp_path: Path, temporary: Path, view: bool,
) -> None:
    windows, utf8 = twins(tmp_path)
    before = hashlib.sha256(windows.read_bytes()).hexdigest()
    rows, loaded = copied(windows, view=view)
    assert rows == WRITTEN
    assert (rows, account(loaded)) == (lambda r, t: (r, account(t)))(*copied(utf8, view=view))
    assert account(loaded) == (4, 3, [("p.csv", 4, 'bad date in "event_date"')],
                               [("p.csv", 'bad date in "event_date"', 1)])
    assert loaded.encodings == ((str(windows), "Windows-1252"),)
    assert loaded.encoding_notes == (f"{windows}: read as Windows-1252 (not UTF-8)",)
    assert copied(utf8, view=view)[1].encodings == ()
    assert hashlib.sha256(windows.read_bytes()).hexdigest() == before
    assert list(temporary.iterdir()) == []  # the copy is gone once read


def test_one_scan_reads_the_copy_until_it_is_counted(tmp_path: Path, temporary: Path) -> None:
    windows, utf8 = twins(tmp_path)
    before = hashlib.sha256(windows.read_bytes()).hexdigest()
    connection = duckdb.connect()
    scan = scan_view(connection, "people", [RecordSource("participants", windows)], SCHEMA)
    assert len(list(temporary.iterdir())) == 1  # the view reads the copy after scan_view
    rows, loaded = tally(connection, scan, COUNT)
    assert sorted(rows) == WRITTEN
    assert account(loaded) == (4, 3, [("p.csv", 4, 'bad date in "event_date"')],
                               [("p.csv", 'bad date in "event_date"', 1)])
    assert loaded.encodings == ((str(windows), "Windows-1252"),)
    other = duckdb.connect()
    twin = tally(other, scan_view(other, "people", [RecordSource("participants", utf8)],
                                  SCHEMA), COUNT)
    assert twin[1].encodings == () and account(twin[1]) == account(loaded)
    del scan
    assert list(temporary.iterdir()) == []
    assert hashlib.sha256(windows.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_a_bad_row_after_a_multi_byte_character_is_named_by_its_own_line(
    tmp_path: Path, temporary: Path, newline: str,
) -> None:
    text = (HEADER
            + "P1,Farm Skills Café,2024-05-01,King’s Lynn,£5\r\n"  # 2
            + '"P\r\n2",Farm Skills Café,2024-05-02,"King’s\r\nLynn",£5\r\n'  # 3-5
            + "\r\n"  # 6 blank
            + "P3,Farm Skills Café,2024-05-03,King’s Lynn,£5,extra\r\n"  # 7 malformed
            + "P4,Farm Skills Café,not a date,Café Row,£5\r\n")  # 8 bad date
    windows, _ = twins(tmp_path, text.replace("\r\n", newline))
    expected = [("p.csv", 7, "malformed line (too many columns)"),
                ("p.csv", 8, 'bad date in "event_date"')]
    _, loaded = copied(windows)
    assert account(loaded)[2] == expected
    connection = duckdb.connect()
    scanned = tally(connection, scan_view(connection, "people",
                                          [RecordSource("participants", windows)], SCHEMA),
                    COUNT)[1]
    assert account(scanned)[2] == expected
    assert loaded.encodings == scanned.encodings == ((str(windows), "Windows-1252"),)


def test_a_large_file_is_checked_and_copied_a_stretch_at_a_time(
    tmp_path: Path, temporary: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plain_csv, "MAX_BYTES", 64)  # read as a large file is
    monkeypatch.setattr(encoding, "_STRETCH", 7)  # a stretch ends inside a character
    rows = "".join(f"P{n},Farm Skills Café,2024-05-01,King’s Lynn,£1\r\n" for n in range(30))
    windows, utf8 = twins(tmp_path, HEADER + rows + "P9,farm-skills,2024-05-40,Ely,\r\n")
    for path, encodings in ((windows, ((str(windows), "Windows-1252"),)), (utf8, ())):
        found, loaded = copied(path)
        assert found == [("farm-skills", "King’s Lynn", Decimal("30.0000"), 30)]
        assert account(loaded)[2] == [("p.csv", 32, 'bad date in "event_date"')]
        assert loaded.encodings == encodings
    assert list(temporary.iterdir()) == []


NOT_UTF8 = "malformed line (not UTF-8: save the file as UTF-8 (CSV UTF-8 in Excel))"
UNREAD = {
    # 0x81: a byte in no encoding
    "undefined-byte": (HEADER.encode() + "P1,farm-skills,2024-05-01,Café,\r\n".encode("cp1252")
                       + b"P2,farm-skills,2024-05-02,Ely \x81,\r\n"
                       + b"P3,farm-skills,2024-05-03,Ely,\r\n", "Ely", [2, 3]),
    # read as Windows-1252, the UTF-8 line would give "Kingâ€™s Lynn"
    "mixed": (HEADER.encode() + "P1,farm-skills,2024-05-01,King’s Lynn,\r\n".encode()
              + "P2,farm-skills,2024-05-02,King’s Lynn,\r\n".encode("cp1252"),
              "King’s Lynn", [3]),
}


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize("case", sorted(UNREAD))
def test_a_file_not_wholly_windows_1252_is_read_as_utf8_as_before(
    tmp_path: Path, temporary: Path, monkeypatch: pytest.MonkeyPatch, large: bool, case: str,
) -> None:
    """A byte Windows-1252 leaves undefined, or a line of UTF-8 beyond ASCII beside lines
    that are not: each line that is not UTF-8 is a malformed line, as before."""
    if large:
        monkeypatch.setattr(plain_csv, "MAX_BYTES", 64)
    data, area, malformed = UNREAD[case]
    path = tmp_path / "p.csv"
    path.write_bytes(data)
    rows, loaded = copied(path)
    assert rows == [("farm-skills", area, None, 1)]
    assert account(loaded)[2] == [("p.csv", line, NOT_UTF8) for line in malformed]
    assert loaded.encodings == ()
    assert list(temporary.iterdir()) == []


def test_utf8_with_a_byte_order_mark_is_read_as_utf8(tmp_path: Path, temporary: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROWS).encode())
    rows, loaded = copied(path)
    assert rows == WRITTEN
    assert loaded.encodings == ()
    assert list(temporary.iterdir()) == []
