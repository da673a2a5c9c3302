"""A source's ``values`` table maps a partner's spellings of coded values to ours, in the
shared reader, so every kind benefits: CSV and Parquet, copied or read in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from vpp_core import (
    Column,
    ColumnType,
    LoadedTable,
    RecordSchema,
    RecordsError,
    RecordSource,
    load_table,
    load_view,
)

SCHEMA = RecordSchema("visits", (
    Column("visit_id", ColumnType.ID),
    Column("service", ColumnType.ID, allowed=frozenset({"hospital-navigators", "send"})),
    Column("kind", ColumnType.STRING),
    Column("day", ColumnType.DATE),
))
VALUES = {"service": {"HN": "hospital-navigators", " Hosp Nav ": "hospital-navigators"},
          "kind": {"F2F": "in person"}}


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "visits.csv"
    path.write_text("visit_id,service,kind,day\n"
                    "V1,HN,F2F,2024-05-01\n"
                    "V2,hosp nav,phone,2024-05-02\n"
                    "V3,send,f2f,2024-05-03\n"
                    "V4,Navigators,phone,2024-05-04\n", encoding="utf-8")
    return path


def _parquet(tmp_path: Path) -> Path:
    path = tmp_path / "visits.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{_csv(tmp_path)}', all_varchar = true)) "
        f"TO '{path}' (FORMAT parquet)")
    return path


@pytest.mark.parametrize("loader", [load_table, load_view])
@pytest.mark.parametrize("make", [_csv, _parquet])
def test_coded_values_are_mapped_ignoring_case_and_spaces(
    tmp_path: Path, loader: Callable[..., LoadedTable], make: Callable[[Path], Path]
) -> None:
    connection = duckdb.connect()
    loaded = loader(connection, "visits",
                    [RecordSource("visits", make(tmp_path), values=VALUES)], SCHEMA)
    rows = connection.execute(
        "SELECT visit_id, CAST(service AS VARCHAR), kind FROM visits ORDER BY visit_id"
    ).fetchall()
    assert rows == [("V1", "hospital-navigators", "in person"),
                    ("V2", "hospital-navigators", "phone"),
                    ("V3", "send", "in person")]
    assert (loaded.rows_read, loaded.rows_used) == (4, 3)
    assert [(r.row, r.reason) for r in loaded.rejected] == [
        (5 if make is _csv else 4, 'unknown "service"')]


def test_without_the_values_table_the_partner_spellings_are_left_out(tmp_path: Path) -> None:
    connection = duckdb.connect()
    loaded = load_table(connection, "visits", [RecordSource("visits", _csv(tmp_path))], SCHEMA)
    assert (loaded.rows_read, loaded.rows_used) == (4, 1)


def test_a_values_table_for_a_column_the_kind_lacks_is_refused(tmp_path: Path) -> None:
    source = RecordSource("visits", _csv(tmp_path), values={"day": {"today": "2024-05-01"}})
    with pytest.raises(RecordsError, match="values table names 'day', which is not a coded"):
        load_table(duckdb.connect(), "visits", [source], SCHEMA)
