"""Records counted in one scan (``scan_view`` and ``tally``): the same account of every row
as a table copied by ``load_table``, with the file read where it is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.test_record_tables import SCHEMA, parquet, write
from vpp_core import LoadedTable, RecordsError, RecordSource, load_table, scan_view, tally
from vpp_core.records.tables import RejectedRow

MESSY = (
    "person_id,intervention,event_date,age_at_event,cost\n"  # line 1
    "A1,hospital-navigators,2024-05-01,20,1.50\n"  # 2 kept
    "A2, Hospital-Navigators ,01/06/2024,30,\n"  # 3 kept: trimmed, lower-cased, UK date
    "\n"  # 4 blank
    "A3,school-run,2024-05-01,30,\n"  # 5 unknown intervention
    '"A\n4",hospital-navigators,2024-13-01,30,\n'  # 6-7 bad date, the id over two lines
    ",hospital-navigators,2024-05-01,30,\n"  # 8 missing id
    "A7,x\n"  # 9 too few fields
    "A8,hospital-navigators,2024-05-01,3.5,\n"  # 10 bad whole number
    "A9,hospital-navigators,2024-07-01,41,\n"  # 11 kept
)
COUNT = ("SELECT _file, _reject, person_id, event_date, age_at_event, count(*) "
         "FROM people GROUP BY ALL ORDER BY ALL")


def counted(paths: list[Path]) -> tuple[list[tuple[object, ...]], LoadedTable]:
    connection = duckdb.connect()
    scan = scan_view(connection, "people", [RecordSource("participants", p) for p in paths],
                     SCHEMA)
    rows, loaded = tally(connection, scan, COUNT)
    return sorted(rows), loaded


def copied(paths: list[Path]) -> tuple[list[tuple[object, ...]], LoadedTable]:
    connection = duckdb.connect()
    loaded = load_table(connection, "people",
                        [RecordSource("participants", p) for p in paths], SCHEMA)
    rows = connection.execute(
        "SELECT person_id, event_date, age_at_event, count(*) FROM people GROUP BY ALL "
        "ORDER BY ALL").fetchall()
    return rows, loaded


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_one_scan_counts_and_accounts_as_a_copied_table(tmp_path: Path, newline: str) -> None:
    csv = tmp_path / "p.csv"
    csv.write_bytes(MESSY.replace("\n", newline).encode())
    more = parquet(tmp_path / "q.parquet",
                   "('B1', 'hospital-navigators', DATE '2024-06-01', 30), "
                   "(NULL, 'hospital-navigators', DATE '2024-06-01', 31)")
    rows, loaded = counted([csv, more])
    assert rows == [
        ("A1", date(2024, 5, 1), 20, 1),
        ("A2", date(2024, 6, 1), 30, 1),
        ("A9", date(2024, 7, 1), 41, 1),
        ("B1", date(2024, 6, 1), 30, 1),
    ]
    assert loaded.rejected == (
        RejectedRow(str(csv), 5, 'unknown "intervention"'),
        RejectedRow(str(csv), 6, 'bad date in "event_date"'),
        RejectedRow(str(csv), 8, 'missing "person_id"'),
        RejectedRow(str(csv), 9, "malformed line (missing columns)"),
        RejectedRow(str(csv), 10, 'bad number in "age_at_event"'),
        RejectedRow(str(more), 2, 'missing "person_id"'),
    )
    assert loaded.file_rows == ((str(csv), 8, 3), (str(more), 2, 1))
    assert (loaded.rows_read, loaded.rows_used) == (10, 4)
    table_rows, table = copied([csv, more])
    assert table_rows == rows
    assert table == loaded


def test_a_clean_file_is_read_once_and_lists_nothing(tmp_path: Path) -> None:
    csv = write(tmp_path / "p.csv", "person_id,intervention,event_date,age_at_event\n"
                "A1,hospital-navigators,2024-05-01,20\nA2,hospital-navigators,2024-05-02,21\n")
    rows, loaded = counted([csv])
    assert [row[0] for row in rows] == ["A1", "A2"]
    assert (loaded.rows_read, loaded.rows_used, loaded.rejected, loaded.reasons) == (
        2, 2, (), ())


def test_no_files_count_nothing() -> None:
    rows, loaded = counted([])
    assert (rows, loaded.rows_read, loaded.files) == ([], 0, ())


def test_a_file_without_a_needed_column_is_a_records_error_naming_it(tmp_path: Path) -> None:
    csv = write(tmp_path / "p.csv", "person_id,event_date,age_at_event\nA1,2024-05-01,20\n")
    with pytest.raises(RecordsError, match=f"^{csv}: no column 'intervention'"):
        counted([csv])


def test_a_record_over_lines_in_a_crlf_file_is_numbered_by_its_first_line(
    tmp_path: Path,
) -> None:
    # lines end CRLF, but a quoted value holds a bare LF: reading lines alone cannot number
    # them (DuckDB refuses the file), so the records are read as CSV
    csv = tmp_path / "p.csv"
    csv.write_bytes(b"person_id,intervention,event_date,age_at_event\r\n"
                    b'"A\n1",hospital-navigators,2024-05-01,20\r\n'
                    b"A2,hospital-navigators,bad,20\r\n")
    for loaded in (counted([csv])[1], copied([csv])[1]):
        assert loaded.rejected == (RejectedRow(str(csv), 4, 'bad date in "event_date"'),)


def test_a_line_too_long_in_a_large_file_is_a_row_left_out_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # scaled down: a "large" file read with lines up to 1 MB holds one of 1.25 MB, from
    # byte 1.5 M (so no whole aligned MB of it lacks a newline: it is within the buffer)
    from vpp_core.records import tables

    monkeypatch.setattr(tables, "LARGE_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(tables, "LARGE_FILE_LINE_BYTES", 1 << 20)
    head = "person_id,intervention,event_date,age_at_event\n" + "".join(
        f"A{n:07d},hospital-navigators,2024-05-01,20\n" for n in range(36_000))
    head += "x" * (3 * (1 << 19) - len(head) - 1) + "\n"  # a line of too few fields
    csv = write(tmp_path / "p.csv", head + "B1,hospital-navigators,2024-05-01,"
                + "9" * (5 << 18) + "\nB2,hospital-navigators,2024-05-01,30\n")
    for loaded in (counted([csv])[1], copied([csv])[1]):
        assert loaded.rejected == (
            RejectedRow(str(csv), 36_002, "malformed line (missing columns)"),
            RejectedRow(str(csv), 36_003, "malformed line (line size over maximum)"),
        )
        assert (loaded.rows_read, loaded.rows_used) == (36_003, 36_001)


def test_a_line_longer_than_the_buffer_is_read_never_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DuckDB drops a line longer than its buffer silently: such a file is read whole
    from vpp_core.records import tables

    monkeypatch.setattr(tables, "LARGE_FILE_BYTES", 1 << 20)
    monkeypatch.setattr(tables, "LARGE_FILE_LINE_BYTES", 1 << 20)
    rows = "".join(f"A{n},hospital-navigators,2024-05-01,20\n" for n in range(25_000))
    csv = write(tmp_path / "p.csv", "person_id,intervention,event_date,age_at_event\n" + rows
                + "B1,hospital-navigators,2024-05-01," + "9" * (3 << 20) + "\n"
                + "B2,hospital-navigators,2024-05-01,30\n")
    for loaded in (counted([csv])[1], copied([csv])[1]):
        assert loaded.rejected == (
            RejectedRow(str(csv), 25_002, 'bad number in "age_at_event"'),)
        assert (loaded.rows_read, loaded.rows_used) == (25_002, 25_001)


def test_a_count_duckdb_cannot_finish_is_a_records_error_naming_the_files(
    tmp_path: Path,
) -> None:
    csv = write(tmp_path / "p.csv", "person_id,intervention,event_date,age_at_event\n"
                "A1,hospital-navigators,2024-05-01,20\n")
    connection = duckdb.connect()
    scan = scan_view(connection, "people", [RecordSource("participants", csv)], SCHEMA)
    with pytest.raises(RecordsError) as raised:
        tally(connection, scan, "SELECT _file, _reject, CAST(person_id AS INTEGER), count(*) "
                                "FROM people GROUP BY ALL")
    assert str(raised.value) == (f"{csv}: cannot be read: a value cannot be converted to its "
                                 "column's type; values are not shown")
    assert raised.value.exit_code == 2


def test_a_missing_column_names_the_files_columns_and_how_to_map_one(tmp_path: Path) -> None:
    # A provider's "Programme" column: the user is told what the file has and how to say
    # which of its columns is ours.
    csv = write(tmp_path / "p.csv", "person_id,Programme,event_date,age_at_event\n"
                                    "A1,Mentors,2024-05-01,20\n")
    with pytest.raises(RecordsError) as raised:
        counted([csv])
    assert str(raised.value) == (
        f"{csv}: no column 'intervention' (its columns: person_id, Programme, event_date, "
        "age_at_event; map ours to the file's: KIND=PATH;intervention=THEIRS, or columns = "
        "{ intervention = \"THEIRS\" } in records.toml)")
