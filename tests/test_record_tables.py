"""Loading records files into DuckDB: typed columns, every row left out reported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import duckdb
import pytest

from vpp_core.loading.errors import RecordsError
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.record_kinds import Column, ColumnType, RecordSchema, RowRule
from vpp_core.records.tables import RejectedRow, load_table, load_view

SCHEMA = RecordSchema(
    kind="participants",
    columns=(
        Column("person_id", ColumnType.ID),
        Column("intervention", ColumnType.ID, allowed=frozenset({"hospital-navigators"})),
        Column("event_date", ColumnType.DATE),
        Column("date_of_birth", ColumnType.DATE, required=False),
        Column("age_at_event", ColumnType.INTEGER, required=False),
        Column("cost", ColumnType.DECIMAL, required=False),
    ),
    one_of=(("date_of_birth", "age_at_event"),),
    rules=(RowRule("date_of_birth > event_date", "date of birth after the event"),),
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path, columns: dict[str, str] | None = None) -> tuple[object, list[tuple]]:
    connection = duckdb.connect()
    loaded = load_table(
        connection, "people", [RecordSource("participants", path, columns or {})], SCHEMA
    )
    rows = connection.execute(
        "SELECT person_id, intervention, event_date, age_at_event, rowid + 1 FROM people "
        "ORDER BY rowid"
    ).fetchall()
    return loaded, rows


def test_csv_rows_left_out_are_reported_by_line_and_reason(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event,cost\n"  # line 1
        "A1,hospital-navigators,2024-05-01,20,1.50\n"  # 2 kept
        "A2, Hospital-Navigators ,01/06/2024,30,\n"  # 3 kept: trimmed, lower-cased, UK date
        "\n"  # 4 blank
        "A3,school-run,2024-05-01,30,\n"  # 5 unknown intervention
        "A4,hospital-navigators,2024-13-01,30,\n"  # 6 bad date
        ",hospital-navigators,2024-05-01,30,\n"  # 7 missing id
        "A6,hospital-navigators,2024-05-01,3.5,\n"  # 8 bad whole number
        "A7,x\n"  # 9 too few fields
        "A8,hospital-navigators,2024-05-01,40,,extra\n"  # 10 too many fields
        "A9,hospital-navigators,24-05-01,40,\n"  # 11 the year 24: a typing error
        "A10,hospital-navigators,2024-05-01,,\n"  # 12 neither age nor date of birth
        "A11,hospital-navigators,2024-05-01,40,abc\n",  # 13 bad number
    )
    loaded, rows = load(csv)
    assert rows == [
        ("A1", "hospital-navigators", date(2024, 5, 1), 20, 1),
        ("A2", "hospital-navigators", date(2024, 6, 1), 30, 2),
    ]
    assert loaded.rows_read == 11  # lines 2-13 less the blank one
    assert loaded.rows_used == 2
    file = str(csv)
    assert loaded.rejected == (
        RejectedRow(file, 5, 'unknown "intervention"'),
        RejectedRow(file, 6, 'bad date in "event_date"'),
        RejectedRow(file, 7, 'missing "person_id"'),
        RejectedRow(file, 8, 'bad number in "age_at_event"'),
        RejectedRow(file, 9, "malformed line (missing columns)"),
        RejectedRow(file, 10, "malformed line (too many columns)"),
        RejectedRow(file, 11, 'bad date in "event_date"'),
        RejectedRow(file, 12, 'missing "age_at_event"'),
        RejectedRow(file, 13, 'bad number in "cost"'),
    )
    assert {reason: count for _, reason, count in loaded.reasons} == {
        'bad date in "event_date"': 2,
        'bad number in "age_at_event"': 1,
        'bad number in "cost"': 1,
        "malformed line (missing columns)": 1,
        "malformed line (too many columns)": 1,
        'missing "age_at_event"': 1,
        'missing "person_id"': 1,
        'unknown "intervention"': 1,
    }


def test_a_table_keeping_a_few_columns_checks_and_reports_every_row(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event,cost\n"
        "A1,hospital-navigators,2024-05-01,20,1.50\n"
        "A2,hospital-navigators,01/06/2024,30,abc\n"  # bad number in a column not kept
        "A3,hospital-navigators,2024-05-02,31,\n",
    )
    connection = duckdb.connect()
    loaded = load_table(connection, "people", [RecordSource("participants", csv)], SCHEMA,
                        kept=[("who", "person_id"), ("next_year", "age_at_event + 1")])
    columns = connection.execute("SELECT column_name, column_type FROM "
                                 "(DESCRIBE people)").fetchall()
    assert columns == [("who", "VARCHAR"), ("next_year", "BIGINT"), ("_file", "INTEGER"),
                       ("_reject", "VARCHAR")]
    assert connection.execute("SELECT who, next_year FROM people ORDER BY who").fetchall() == [
        ("A1", 21), ("A3", 32)]
    assert (loaded.rows_read, loaded.rows_used) == (3, 2)
    assert loaded.rejected == (RejectedRow(str(csv), 3, 'bad number in "cost"'),)


def test_no_rejected_row_carries_a_value(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event\n"
        "SECRET-7,nowhere,2024-05-01,20\nSECRET-8,hospital-navigators,never,20\n",
    )
    loaded, _ = load(csv)
    assert len(loaded.rejected) == 2
    assert "SECRET" not in repr(loaded)


def test_a_row_rule_leaves_out_an_impossible_row(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,date_of_birth\n"
        "A1,hospital-navigators,2024-05-01,2025-01-01\n"
        "A2,hospital-navigators,2024-05-01,2005-01-01\n",
    )
    loaded, rows = load(csv)
    assert [row[0] for row in rows] == ["A2"]
    assert loaded.rejected == (RejectedRow(str(csv), 2, "date of birth after the event"),)


def test_columns_are_mapped_and_matched_regardless_of_case(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "Client Ref,INTERVENTION,Date,Age\nA1,hospital-navigators,2024-05-01,20\n",
    )
    _, rows = load(
        csv, {"person_id": "Client Ref", "event_date": "date", "age_at_event": "Age"}
    )
    assert rows == [("A1", "hospital-navigators", date(2024, 5, 1), 20, 1)]


def test_a_quoted_value_over_two_lines_keeps_records_numbered(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event\n"
        '"A\n1",hospital-navigators,2024-05-01,20\n'
        "A2,hospital-navigators,bad,20\n",
    )
    loaded, _ = load(csv)
    # The first record spans lines 2 and 3: the bad one starts on line 4, as an editor shows.
    assert [(row.row, row.reason) for row in loaded.rejected] == [(4, 'bad date in "event_date"')]


def test_parquet_rows_are_numbered_by_ordinal_and_native_types_kept(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES "
        f"('A1', 'hospital-navigators', DATE '2024-05-01', 20), "
        f"(NULL, 'hospital-navigators', DATE '2024-05-02', 21), "
        f"('A3', 'hospital-navigators', DATE '2024-05-03', 22)) "
        f"t(person_id, intervention, event_date, age_at_event)) TO '{path}' (FORMAT parquet)"
    )
    loaded, rows = load(path)
    assert [row[0] for row in rows] == ["A1", "A3"]
    assert loaded.rejected == (RejectedRow(str(path), 2, 'missing "person_id"'),)


def test_several_files_load_into_one_table(tmp_path: Path) -> None:
    header = "person_id,intervention,event_date,age_at_event\n"
    one = write(tmp_path / "one.csv", header + "A1,hospital-navigators,2024-05-01,20\n")
    two = write(tmp_path / "two.csv", header + "A2,hospital-navigators,oops,20\n")
    connection = duckdb.connect()
    loaded = load_table(
        connection,
        "people",
        [RecordSource("participants", one), RecordSource("participants", two)],
        SCHEMA,
    )
    assert loaded.files == (str(one), str(two))
    assert (loaded.rows_read, loaded.rows_used) == (2, 1)
    assert loaded.rejected == (RejectedRow(str(two), 2, 'bad date in "event_date"'),)


@pytest.mark.parametrize(
    ("name", "text", "columns", "message"),
    [
        ("p.csv", "person_id,intervention,age_at_event\n", {}, "no column 'event_date'"),
        (
            "p.csv",
            "id,intervention,event_date,age_at_event\n",
            {"person_id": "Client Ref"},
            "no column 'Client Ref' (mapped from person_id)",
        ),
        (
            "p.csv",
            "person_id,intervention,event_date\n",
            {},
            "needs a column 'date_of_birth' or 'age_at_event'",
        ),
        (
            "p.csv",
            "person_id,intervention,event_date,age_at_event\n",
            {"nickname": "Name"},
            "column mapping names 'nickname'",
        ),
        ("p.xlsx", "whatever", {}, "not a CSV or Parquet file"),
        ("p.parquet", "not parquet at all", {}, "cannot be read"),
    ],
)
def test_an_unreadable_file_is_a_records_error_naming_it(
    tmp_path: Path, name: str, text: str, columns: dict[str, str], message: str
) -> None:
    path = write(tmp_path / name, text)
    with pytest.raises(RecordsError) as raised:
        load(path, columns)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert raised.value.exit_code == 2


def test_a_missing_file_is_a_records_error(tmp_path: Path) -> None:
    with pytest.raises(RecordsError, match="no such records file"):
        load(tmp_path / "absent.csv")


def test_spaces_around_values_are_ignored_and_spaces_alone_are_missing(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event\n"
        " A1 ,hospital-navigators, 2024-05-01 , 20 \n"  # line 2: kept, trimmed
        "A2,hospital-navigators,   ,20\n"  # line 3: a date of spaces is a missing date
        "A3,hospital-navigators,2024-05-01,  \n",  # line 4: no age, no date of birth
    )
    loaded, rows = load(csv)
    assert rows == [("A1", "hospital-navigators", date(2024, 5, 1), 20, 1)]
    assert [(row.row, row.reason) for row in loaded.rejected] == [
        (3, 'missing "event_date"'),
        (4, 'missing "age_at_event"'),
    ]


def test_line_numbers_skip_malformed_lines_without_a_second_read(tmp_path: Path) -> None:
    csv = write(
        tmp_path / "p.csv",
        "person_id,intervention,event_date,age_at_event\n"
        "A1,hospital-navigators,2024-05-01\n"  # line 2: too few fields
        "A2,hospital-navigators,2024-05-01,20\n"  # line 3: kept
        "A3,hospital-navigators,2024-05-01,20,9\n"  # line 4: too many fields
        "A4,hospital-navigators,2024-05-32,20\n",  # line 5: bad date
    )
    loaded, _ = load(csv)
    assert [(row.row, row.reason) for row in loaded.rejected] == [
        (2, "malformed line (missing columns)"),
        (4, "malformed line (too many columns)"),
        (5, 'bad date in "event_date"'),
    ]


# -- load_view: Parquet read in place ---------------------------------------------------------

ROWS = "SELECT person_id, intervention, event_date, age_at_event, _file FROM people ORDER BY ALL"


def parquet(path: Path, rows: str, columns: str = "person_id, intervention, event_date, "
            "age_at_event") -> Path:
    """A Parquet file of the VALUES ``rows`` in ``columns``."""
    duckdb.connect().execute(
        f"COPY (SELECT * FROM (VALUES {rows}) t({columns})) TO '{path}' (FORMAT parquet)"
    )
    return path


def both(paths: list[Path]) -> tuple[tuple[object, list[tuple]], tuple[object, list[tuple]]]:
    """What ``load_table`` and ``load_view`` make of the same files: account and rows."""
    sources = [RecordSource("participants", path) for path in paths]
    made = []
    for loader in (load_table, load_view):
        connection = duckdb.connect()
        loaded = loader(connection, "people", sources, SCHEMA)
        made.append((loaded, connection.execute(ROWS).fetchall()))
    return made[0], made[1]


def test_a_view_of_parquet_keeps_the_rows_and_values_a_table_keeps(tmp_path: Path) -> None:
    navigators = "'hospital-navigators'"
    messy = parquet(tmp_path / "messy.parquet", ", ".join([
        "(' A1 ', ' Hospital-Navigators ', DATE '2024-05-01', 20)",  # 1 kept, trimmed
        f"('A2\u00a0', {navigators}, DATE '2024-05-01', 21)",  # 2 kept: no-break space trimmed
        f"('café', {navigators}, DATE '2024-05-01', 22)",  # 3 kept as it is
        f"('   ', {navigators}, DATE '2024-05-01', 23)",  # 4 spaces alone: missing id
        f"('', {navigators}, DATE '2024-05-01', 24)",  # 5 empty: missing id
        f"(NULL, {navigators}, DATE '2024-05-01', 25)",  # 6 missing id
        "('A7', 'school-run', DATE '2024-05-01', 26)",  # 7 unknown intervention
        f"('A8', {navigators}, NULL, 27)",  # 8 missing date
        f"('A9', {navigators}, DATE '2024-05-01', NULL)",  # 9 no age
    ]))
    clean = parquet(tmp_path / "clean.parquet", ", ".join([
        f"('B1', {navigators}, DATE '2024-06-01', 30)",
        f"('B2', {navigators}, NULL, 31)",  # 2 missing date
    ]))
    (table, table_rows), (view, view_rows) = both([messy, clean])
    assert view_rows == table_rows == [
        ("A1", "hospital-navigators", date(2024, 5, 1), 20, 0),
        ("A2", "hospital-navigators", date(2024, 5, 1), 21, 0),
        ("B1", "hospital-navigators", date(2024, 6, 1), 30, 1),
        ("café", "hospital-navigators", date(2024, 5, 1), 22, 0),
    ]
    assert view == table
    assert [(row.file, row.row, row.reason) for row in view.rejected] == [
        (str(messy), 4, 'missing "person_id"'),
        (str(messy), 5, 'missing "person_id"'),
        (str(messy), 6, 'missing "person_id"'),
        (str(messy), 7, 'unknown "intervention"'),
        (str(messy), 8, 'missing "event_date"'),
        (str(messy), 9, 'missing "age_at_event"'),
        (str(clean), 2, 'missing "event_date"'),
    ]
    assert (view.rows_read, view.rows_used) == (11, 4)


def test_a_parquet_decimal_is_read_exactly_and_one_too_large_is_left_out(
    tmp_path: Path,
) -> None:
    navigators = "'hospital-navigators'"
    path = parquet(tmp_path / "money.parquet", ", ".join([
        f"('C1', {navigators}, DATE '2024-05-01', 20, CAST('1500.25' AS DECIMAL(38,2)))",
        f"('C2', {navigators}, DATE '2024-05-01', 21, "
        "CAST('12345678901234567.25' AS DECIMAL(38,2)))",  # 2: past DECIMAL(18,4)
        f"('C3', {navigators}, DATE '2024-05-01', 22, NULL)",  # 3 kept: cost is optional
    ]), columns="person_id, intervention, event_date, age_at_event, cost")
    for loader in (load_table, load_view):
        connection = duckdb.connect()
        loaded = loader(connection, "people", [RecordSource("participants", path)], SCHEMA)
        assert connection.execute(
            "SELECT person_id, cost FROM people ORDER BY ALL").fetchall() == [
            ("C1", Decimal("1500.2500")), ("C3", None)]
        assert [(row.row, row.reason) for row in loaded.rejected] == [
            (2, 'bad number in "cost"')]


CODED = RecordSchema(
    kind="spend",
    columns=(
        Column("intervention", ColumnType.ID, allowed=frozenset({"hospital-navigators"})),
        Column("event_date", ColumnType.DATE),
        Column("cost", ColumnType.DECIMAL),
    ),
)


def test_a_view_of_coded_and_typed_values_checks_in_full_the_rows_not_plainly_usable(
    tmp_path: Path,
) -> None:
    # every value typed or coded: rows whose values cast as given pass at once, the others
    # are checked in full, and the view keeps and leaves out what a table does
    path = parquet(tmp_path / "coded.parquet", ", ".join([
        "('hospital-navigators', DATE '2024-05-01', 1.50)",  # 1 kept
        "(' Hospital-Navigators ', DATE '2024-05-02', 2.25)",  # 2 kept: trimmed, lower-cased
        "('school-run', DATE '2024-05-03', 3.00)",  # 3 unknown intervention
        "('hospital-navigators', NULL, 4.00)",  # 4 missing date
        "('N/A', DATE '2024-05-05', NULL)",  # 5 unknown intervention and missing cost
    ]), columns="intervention, event_date, cost")
    made = []
    for loader in (load_table, load_view):
        connection = duckdb.connect()
        loaded = loader(connection, "spend", [RecordSource("spend", path)], CODED)
        made.append((loaded, connection.execute(
            "SELECT intervention, event_date, cost FROM spend ORDER BY ALL").fetchall()))
    (table, table_rows), (view, view_rows) = made
    assert view_rows == table_rows == [
        ("hospital-navigators", date(2024, 5, 1), Decimal("1.5000")),
        ("hospital-navigators", date(2024, 5, 2), Decimal("2.2500")),
    ]
    assert view == table
    assert [(row.row, row.reason) for row in view.rejected] == [
        (3, 'unknown "intervention"'),
        (4, 'missing "event_date"'),
        (5, 'unknown "intervention"; missing "cost"'),
    ]
    assert (view.rows_read, view.rows_used) == (5, 2)


def test_a_view_of_coded_and_typed_values_all_given_as_allowed_keeps_every_row(
    tmp_path: Path,
) -> None:
    path = parquet(tmp_path / "clean.parquet", ", ".join([
        "('hospital-navigators', TIMESTAMP '2024-05-01 10:30:00', CAST(1.5 AS DECIMAL(18,2)))",
        "('hospital-navigators', TIMESTAMP '2024-05-02 00:00:00', CAST(2 AS DECIMAL(18,2)))",
    ]), columns="intervention, event_date, cost")
    connection = duckdb.connect()
    view = load_view(connection, "spend", [RecordSource("spend", path)], CODED)
    assert connection.execute(
        "SELECT intervention, event_date, cost, _file, _reject FROM spend ORDER BY ALL"
    ).fetchall() == [
        ("hospital-navigators", date(2024, 5, 1), Decimal("1.5000"), 0, None),
        ("hospital-navigators", date(2024, 5, 2), Decimal("2.0000"), 0, None),
    ]
    assert (view.rows_read, view.rows_used, view.rejected) == (2, 2, ())


def test_a_view_includes_csv_files_copied_once(tmp_path: Path) -> None:
    csv = write(tmp_path / "p.csv", "person_id,intervention,event_date,age_at_event\n"
                "C1,hospital-navigators,2024-07-01,40\nC2,hospital-navigators,oops,41\n")
    one = parquet(tmp_path / "one.parquet", "('P1', 'hospital-navigators', DATE '2024-05-01', 20)")
    (table, table_rows), (view, view_rows) = both([one, csv])
    assert view_rows == table_rows == [
        ("C1", "hospital-navigators", date(2024, 7, 1), 40, 1),
        ("P1", "hospital-navigators", date(2024, 5, 1), 20, 0),
    ]
    assert view == table
    assert view.rejected == (RejectedRow(str(csv), 3, 'bad date in "event_date"'),)


def test_a_view_of_no_files_has_the_columns_and_no_rows() -> None:
    connection = duckdb.connect()
    loaded = load_view(connection, "people", [], SCHEMA)
    assert (loaded.rows_read, loaded.rows_used, loaded.files) == (0, 0, ())
    assert connection.execute(ROWS).fetchall() == []


def test_parquet_with_its_own_row_number_column_is_copied_and_numbered(tmp_path: Path) -> None:
    path = parquet(tmp_path / "p.parquet", "('A1', DATE '2024-05-01', 20, 7), ('A2', NULL, 21, 8)",
                   "person_id, event_date, age_at_event, file_row_number")
    connection = duckdb.connect()
    loaded = load_view(connection, "people", [RecordSource(
        "participants", path, {"intervention": "person_id"})], attrs.evolve(
        SCHEMA, columns=tuple(attrs.evolve(c, allowed=None) for c in SCHEMA.columns)))
    assert loaded.rejected == (RejectedRow(str(path), 2, 'missing "event_date"'),)
    assert connection.execute("SELECT person_id FROM people").fetchall() == [("A1",)]


def test_every_row_left_out_of_a_view_is_counted_the_first_listed(tmp_path: Path) -> None:
    every_third_without_id = ", ".join(
        f"({'NULL' if n % 3 == 0 else repr(f'P{n}')}, 'hospital-navigators', "
        "DATE '2024-05-01', 20)" for n in range(1, 3001))
    path = parquet(tmp_path / "p.parquet", every_third_without_id)
    connection = duckdb.connect()
    loaded = load_view(connection, "people", [RecordSource("participants", path)], SCHEMA,
                       max_listed=5)
    assert (loaded.rows_read, loaded.rows_used, loaded.rows_rejected) == (3000, 2000, 1000)
    assert loaded.reasons == ((str(path), 'missing "person_id"', 1000),)
    assert [row.row for row in loaded.rejected] == [3, 6, 9, 12, 15]
    assert connection.execute("SELECT count(*) FROM people").fetchall() == [(2000,)]


def test_an_unreadable_parquet_file_is_a_records_error_for_a_view(tmp_path: Path) -> None:
    path = write(tmp_path / "p.parquet", "not parquet at all")
    with pytest.raises(RecordsError, match=f"^{path}: cannot be read"):
        load_view(duckdb.connect(), "people", [RecordSource("participants", path)], SCHEMA)


@pytest.mark.parametrize(("name", "text"), [
    ("semicolons.csv", 'person_id;intervention;event_date;age_at_event\r\n'
                       'A1;"hospital-navigators";2024-05-01;20\r\n'
                       '"A;2";hospital-navigators;01/06/2024;30\r\n'
                       'A3;hospital-navigators;2024-05-01\r\n'),
    ("tabs.tsv", "person_id\tintervention\tevent_date\tage_at_event\n"
                 "A1\thospital-navigators\t2024-05-01\t20\n"
                 "A;2\thospital-navigators\t01/06/2024\t30\n"
                 "A3\thospital-navigators\t2024-05-01\n"),
])
def test_a_partner_file_in_another_dialect_is_read_as_sniffed(
        tmp_path: Path, name: str, text: str) -> None:
    loaded, rows = load(write(tmp_path / name, text))
    assert rows == [
        ("A1", "hospital-navigators", date(2024, 5, 1), 20, 1),
        ("A;2", "hospital-navigators", date(2024, 6, 1), 30, 2),
    ]
    assert loaded.rejected == (
        RejectedRow(str(tmp_path / name), 4, "malformed line (missing columns)"),)


def test_a_column_name_with_a_quote_is_matched(tmp_path: Path) -> None:
    csv = write(tmp_path / "p.csv", "Client's Ref,intervention,event_date,age_at_event\n"
                                    "A1,hospital-navigators,2024-05-01,20\n")
    _, rows = load(csv, {"person_id": "Client's Ref"})
    assert rows == [("A1", "hospital-navigators", date(2024, 5, 1), 20, 1)]


def test_a_time_with_its_zone_is_taken_on_its_uk_date(tmp_path: Path) -> None:
    # 00:30 on 1 April 2024 in London (BST) is 23:30 on 31 March in UTC: the UK date, and
    # so the financial year, is 2024-25's, whatever zone the machine or DuckDB is in
    zoned = parquet(tmp_path / "zoned.parquet", ", ".join([
        "('Z1', 'hospital-navigators', TIMESTAMPTZ '2024-03-31 23:30:00+00', 20)",
        "('Z2', 'hospital-navigators', TIMESTAMPTZ '2024-10-27 00:30:00+00', 20)",  # GMT again
        "('Z3', 'hospital-navigators', TIMESTAMP '2024-04-01 00:30:00', 20)",  # as written
    ]))
    written = write(tmp_path / "zoned.csv", "person_id,intervention,event_date,age_at_event\n"
                    "C1,hospital-navigators,2024-03-31T23:30:00Z,20\n"
                    "C2,hospital-navigators,2024-04-01T00:30:00+01:00,20\n"
                    "C3,hospital-navigators,2024-03-31 23:30:00,20\n")  # no zone: as written
    (table, table_rows), (view, view_rows) = both([zoned, written])
    assert (view, view_rows) == (table, table_rows) and table.rows_used == 6
    assert {(person, day) for person, _, day, _, _ in table_rows} == {
        ("Z1", date(2024, 4, 1)), ("Z2", date(2024, 10, 27)), ("Z3", date(2024, 4, 1)),
        ("C1", date(2024, 4, 1)), ("C2", date(2024, 4, 1)), ("C3", date(2024, 3, 31))}
