"""Headers as partners' spreadsheets write them: a title line above the header, a name
written twice. Each is one line naming the file and what to change (exit 2), never a
column silently taken from the wrong place."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vpp_core.cli.main import main


def targets(path: Path, capsys: pytest.CaptureFixture[str], mapping: str = "") -> tuple[int, str]:
    code = main(["targets", "--example", "--records", f"participants={path}{mapping}"])
    return code, capsys.readouterr().err.strip()


def test_a_title_line_above_the_header_is_named_as_such(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Participants export, April to June;;;;\r\n"
                     b"Person ID;Intervention;Event Date;Age at Event;Event Type\r\n"
                     b"A1;hospital-navigators;03/05/2024;20;Start\r\n")
    assert targets(path, capsys) == (2, (
        f"error: {path}: line 1: no header line found: the columns' names must be the "
        "first line (a title line above them? delete it)"))


@pytest.mark.parametrize(("header", "mapping", "named"), [
    ("Person ID;Intervention;Event Date;Age at Event;Event Type;Intervention", "",
     "Intervention"),
    ("Person ID;Intervention;Event Date;Age at Event;Event Type;intervention ", "",
     "Intervention"),
    ("Person ID;Intervention;Event Date;Age at Event;Event Type;INTERVENTION", "",
     "Intervention"),
    ("Ref;Programme;Event Date;Age at Event;Event Type;Programme",
     ";person_id=Ref,intervention=Programme", "Programme"),  # mapped
])
def test_a_header_written_twice_is_an_error_naming_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, mapping: str,
        named: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"{header}\nA1;hospital-navigators;03/05/2024;20;Start;boxing\n",
                    encoding="utf-8")
    assert targets(path, capsys, mapping) == (2, (
        f"error: {path}: the header names {named!r} more than once; which one is "
        "intervention cannot be told (rename the others)"))


def test_a_column_with_a_numbered_name_is_read_as_any_other(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Person ID;Intervention;Event Date;Age at Event;Event Type;Area_1\n"
                    "A1;hospital-navigators;03/05/2024;20;Start;north\n", encoding="utf-8")
    assert targets(path, capsys)[0] == 0


def test_a_header_with_empty_names_but_ours_is_not_taken_for_a_title(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Intervention,Event Date,Age at Event,Event Type,,,,,\n"
                    "hospital-navigators,03/05/2024,20,Start,,,,,\n", encoding="utf-8")
    code, err = targets(path, capsys)
    assert code == 2
    assert err.startswith(f"error: {path}: no column 'person_id' (its columns: Intervention, "
                          "Event Date, Age at Event, Event Type, ")


def test_a_parquet_column_with_a_numbered_name_is_its_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "export.parquet"
    duckdb.sql("SELECT 'A1' AS person_id, 'hospital-navigators' AS intervention, "
               "DATE '2024-05-03' AS event_date, 20 AS age_at_event, 'start' AS event_type, "
               "'x' AS intervention_1").write_parquet(str(path))
    assert targets(path, capsys)[0] == 0


def test_a_csv_column_named_as_a_repeat_would_be_is_its_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the file's own "Intervention_1" (say, a second programme) is not a repeated header
    path = tmp_path / "export.csv"
    path.write_text("Person ID;Intervention;Event Date;Age at Event;Event Type;Intervention_1\n"
                    "A1;hospital-navigators;03/05/2024;20;Start;boxing\n", encoding="utf-8")
    assert targets(path, capsys)[0] == 0
