"""Partner files as they arrive from Excel: CRLF with a bare LF inside a quoted value, blank
lines, Windows-1252 bytes. Every row left out is numbered by the line it starts on."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.test_record_tables import load
from vpp_core.loading.errors import RecordsError
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.record_kinds import Column, ColumnType, RecordSchema
from vpp_core.records.tables import LoadedTable, csv_record_ordinals, load_table, scan_view, tally


def rejected(path: Path) -> list[tuple[int, str]]:
    loaded, _ = load(path, {"person_id": "Client Ref"})
    assert isinstance(loaded, LoadedTable)
    return [(row.row, row.reason) for row in loaded.rejected]


def test_a_crlf_file_with_a_bare_lf_inside_a_quoted_value_is_read(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"Client Ref;intervention;event_date;age_at_event\r\n"  # 1
        b'"A\n1";hospital-navigators;2024-05-01;20\r\n'  # 2-3: LF inside quotes
        b"\r\n"  # 4 blank
        b"A2;hospital-navigators;N/A;20\r\n"  # 5 bad date
        b"A3;boxing;01/06/2024;20\r\n"  # 6 unknown intervention
    )
    assert rejected(path) == [(5, 'bad date in "event_date"'), (6, 'unknown "intervention"')]


def test_windows_1252_lines_and_a_value_over_two_lines_keep_the_numbering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"Client Ref;intervention;event_date;age_at_event\r\n"  # 1
        + "Ren\u00e9e;hospital-navigators;2024-05-01;20\r\n".encode("cp1252")  # 2 not UTF-8
        + b"\r\n"  # 3 blank
        + b'"A\n2";hospital-navigators;2024-05-02;20\r\n'  # 4-5
        + b"A3;hospital-navigators;unknown;20\r\n"  # 6 bad date
    )
    assert rejected(path) == [(6, 'bad date in "event_date"')]  # line 2 read as Windows-1252


def test_a_malformed_line_after_a_blank_crlf_line_is_named_by_its_own_line(
    tmp_path: Path,
) -> None:
    # DuckDB places the record after a blank CRLF line at that blank line
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"Client Ref;intervention;event_date;age_at_event\r\n"  # 1
        b"A1;hospital-navigators;2024-05-01;20\r\n"  # 2
        b"\r\n\r\n"  # 3-4 blank
        b"A2;hospital-navigators;2024-05-02;20;extra\r\n"  # 5 too many values
        b"A3;hospital-navigators;unknown;20\r\n"  # 6 bad date
    )
    assert rejected(path) == [(5, "malformed line (too many columns)"),
                              (6, 'bad date in "event_date"')]


# Known defects in the reading of records (vpp_core/records/tables.py, being rewritten for
# speed): each a failing test, to pass when the reader handles what partners send.

MESSY = RecordSchema(
    kind="participants",
    columns=(
        Column("person_id", ColumnType.ID),
        Column("intervention", ColumnType.ID, allowed=frozenset({"farm-skills"}),
               aliases=(("Farm Skills Café", "farm-skills"),)),
        Column("event_date", ColumnType.DATE),
        Column("age_at_event", ColumnType.INTEGER, required=False),
        Column("cost", ColumnType.DECIMAL, required=False),
    ),
)


def read_messy(path: Path) -> tuple[list[tuple[int, str]], list[tuple[object, ...]]]:
    connection = duckdb.connect()
    loaded = load_table(connection, "people", [RecordSource("participants", path, {})], MESSY)
    rows = connection.execute(
        "SELECT person_id, age_at_event, cost FROM people WHERE _reject IS NULL ORDER BY rowid"
    ).fetchall()
    return [(row.row, row.reason) for row in loaded.rejected], rows


def known_defect(reason: str, text: str, rejected: list[tuple[int, str]],
                 rows: list[tuple[object, ...]]) -> object:
    return pytest.param(text, rejected, rows, id=reason.split(":")[0],
                        marks=pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize(("text", "rejected", "rows"), [
    pytest.param(
        "person_id,intervention,event_date,cost\n"
        'A1,farm-skills,2024-05-01,"£1,500.50"\n'
        'A2,farm-skills,2024-05-01,"12,000"\n'
        'A3,farm-skills,2024-05-01,"1.500,50"\n'  # ambiguous: left out
        'A4,farm-skills,2024-05-01,"-£250"\n'
        'A5,farm-skills,2024-05-01,"1,50"\n'  # not thousands: left out
        'A6,farm-skills,2024-05-01,"12,0000"\n',
        [(4, 'bad number in "cost"'), (6, 'bad number in "cost"'), (7, 'bad number in "cost"')],
        [("A1", None, Decimal("1500.50")), ("A2", None, Decimal("12000")),
         ("A4", None, Decimal("-250"))], id="money"),
    pytest.param(
        "Person ID,Intervention,Event Date,Age at event\nA1,farm-skills,2024-05-01,15\n",
        [], [("A1", 15, None)], id="headers"),
    pytest.param(
        "person_id,intervention,event_date\n"
        "A1,Farm Skills Café,2024-05-01\nA2,farm skills cafe,2024-05-01\n"
        "A3,Farm Skills Cafè!,2024-05-01\nA4,farm skills caff,2024-05-01\n",
        [(5, 'unknown "intervention"')],
        [("A1", None, None), ("A2", None, None), ("A3", None, None)], id="accents"),
    pytest.param(
        "person_id,intervention,event_date,age_at_event,cost\n"
        "A1,farm-skills,2024-05-01,N/A,-\n"
        "A2,farm-skills,2024-05-01, Unknown ,\n"
        "A3,farm-skills,N/A,15,\n"  # a required date not known: left out
        "n/a,farm-skills,2024-05-01,15,\n",  # a required id not known: left out
        [(4, 'bad date in "event_date"'), (5, 'missing "person_id"')],
        [("A1", None, None), ("A2", None, None)], id="not-known"),
    pytest.param(
        "person_id,intervention,event_date\nA1,farm-skills,03/05/2024 00:00\n"
        "A2,farm-skills,2024-05-03 00:00:00\nA3,farm-skills,03/05/2024 14:30:05\n"
        "A4,farm-skills,03/05/2024 25:00\n",  # not a time: a bad date
        [(5, 'bad date in "event_date"')],
        [("A1", None, None), ("A2", None, None), ("A3", None, None)], id="date-time"),
    pytest.param(
        "person_id,intervention,event_date,age_at_event\n"
        "A1,farm-skills,03-05-2024,12.0\nA2,farm-skills,3 May 2024,13\n"
        "A3,farm-skills,3 Sep 2024, 14.00 \n"
        "A4,farm-skills,03-05-24,15\n"  # a two-digit year: the year 24, a bad date
        "A5,farm-skills,2024-05-03,15.5\n",  # not a whole number
        [(5, 'bad date in "event_date"'), (6, 'bad number in "age_at_event"')],
        [("A1", 12, None), ("A2", 13, None), ("A3", 14, None)], id="written-dates"),
    pytest.param(  # whole numbers with thousands, as a platform's export writes a count
        "person_id,intervention,event_date,age_at_event\n"
        'A1,farm-skills,2024-05-01,"12,000"\nA2,farm-skills,2024-05-01," 1,234,567 "\n'
        'A3,farm-skills,2024-05-01,"12,00"\n'  # not thousands: left out
        'A4,farm-skills,2024-05-01,"1,200.5"\n',  # not whole: left out
        [(4, 'bad number in "age_at_event"'), (5, 'bad number in "age_at_event"')],
        [("A1", 12000, None), ("A2", 1234567, None)], id="thousands"),
    pytest.param(
        "person_id;intervention;event_date;cost\r\nA1;farm-skills;2024-05-01;\r\n;;;\r\n;;;\r\n",
        [], [("A1", None, None)], id="empty-rows"),
])
def test_what_partners_send_is_read(tmp_path: Path, text: str,
                                    rejected: list[tuple[int, str]],
                                    rows: list[tuple[object, ...]]) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(text.encode("utf-8"))
    assert read_messy(path) == (rejected, rows)


def test_a_date_with_a_time_of_day_is_read_as_its_date(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("person_id,intervention,event_date\nA1,farm-skills,03/05/2024 00:00\n"
                    "A2,farm-skills,2024-05-03 00:00:00\nA3,farm-skills,03/05/2024 23:59:59\n",
                    encoding="utf-8")
    connection = duckdb.connect()
    load_table(connection, "people", [RecordSource("participants", path, {})], MESSY)
    dates = connection.execute("SELECT DISTINCT CAST(event_date AS VARCHAR) FROM people")
    assert dates.fetchall() == [("2024-05-03",)]


def test_whole_numbers_in_a_parquet_float_column_are_read(tmp_path: Path) -> None:
    # pandas writes a column of ages with a gap as floats: 12.0, NaN, 13.0
    path = tmp_path / "p.parquet"
    duckdb.sql("SELECT * FROM (VALUES ('A1', 'farm-skills', DATE '2024-05-01', 12.0::DOUBLE), "
               "('A2', 'farm-skills', DATE '2024-05-01', NULL), "
               "('A3', 'farm-skills', DATE '2024-05-01', 12.5::DOUBLE)) "
               "t(person_id, intervention, event_date, age_at_event)").write_parquet(str(path))
    assert read_messy(path) == ([(3, 'bad number in "age_at_event"')],
                                [("A1", 12, None), ("A2", None, None)])


def test_two_headers_matching_one_column_is_an_error_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("person_id,Person ID,intervention,event_date\n"
                    "A1,A1,farm-skills,2024-05-01\n", encoding="utf-8")
    with pytest.raises(RecordsError) as raised:
        load_table(duckdb.connect(), "people", [RecordSource("participants", path, {})], MESSY)
    assert str(raised.value) == (
        f"{path}: columns 'person_id' and 'Person ID' both match person_id "
        "(map one in the manifest, or rename the other)")


def test_a_mapped_column_is_matched_as_mapped_not_loosely(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Ref,Person ID,intervention,event_date\nA1,B1,farm-skills,2024-05-01\n",
                    encoding="utf-8")
    connection = duckdb.connect()
    load_table(connection, "people", [RecordSource("participants", path, {"person_id": "Ref"})],
               MESSY)
    assert connection.execute("SELECT person_id FROM people").fetchall() == [("A1",)]


def test_rows_of_empty_cells_are_counted_as_skipped_and_keep_the_numbering(
        tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("person_id;intervention;event_date;cost\n"
                    ";;;\n"  # 2: skipped
                    "A1;farm-skills;2024-05-01;\n"
                    ";;;\n"  # 4: skipped
                    "A2;farm-skills;bad;\n"  # 5
                    ";;;\n", encoding="utf-8")
    loaded = load_table(duckdb.connect(), "people", [RecordSource("participants", path, {})],
                        MESSY)
    assert (loaded.rows_read, loaded.rows_used, loaded.empty_rows) == (2, 1, 3)
    assert [(row.row, row.reason) for row in loaded.rejected] == [(5, 'bad date in "event_date"')]
    assert [reason[1:] for reason in loaded.reasons] == [('bad date in "event_date"', 1)]
    connection = duckdb.connect()
    scan = scan_view(connection, "people", [RecordSource("participants", path, {})], MESSY)
    found, tallied = tally(connection, scan, "SELECT _file, _reject, count(*) FROM people "
                                             "GROUP BY ALL ORDER BY ALL")
    assert found == [(1,)]
    assert (tallied.rows_read, tallied.rows_used, tallied.empty_rows) == (2, 1, 3)
    assert [(row.row, row.reason) for row in tallied.rejected] == [
        (5, 'bad date in "event_date"')]


def test_a_line_is_found_as_the_record_that_starts_on_it(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b'id,note\r\n"A1","two\nlines"\r\n\r\nA2,x\r\nA3,"y"\r\n')  # 1-2-3-4-5-6
    connection = duckdb.connect()
    assert csv_record_ordinals(connection, path, [2, 3, 4, 5, 6, 9], [], 3) == {
        2: 1, 5: 2, 6: 3}  # 3 is inside a value, 4 blank, 9 past the end
    plain = tmp_path / "q.csv"
    plain.write_bytes(b"id,note\nA1,x\nbad,\"\nA2,y\n")  # line 3 malformed
    assert csv_record_ordinals(connection, plain, [2, 3, 4], [3], 2) == {2: 1, 4: 2}
