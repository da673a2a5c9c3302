"""A force's extract as it arrives: the same crime reference on two rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main


def test_a_crime_given_twice_is_counted_once_and_the_repeat_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id,offence_date,offence_code,area,knife\n"
                    "NR4,2024-07-01,8N,Northby,Y\n"
                    "NR4,2024-07-01,8N,Northby,Y\n"  # the same crime again
                    "NR5,2024-07-02,8N,Northby,Y\n", encoding="utf-8")
    assert main(["violence", "--records", f"police-incidents={path}", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (area,) = data["areas"]
    assert area["counts"]["knife-enabled-serious-violence"] == 2
    assert data["rows"]["used"] == 2
    assert data["rows"]["left_out"] == [
        {"file": str(path), "reason": "duplicate incident id", "count": 1, "rows": [3]}]
    assert "NR4" not in json.dumps(data)


def test_a_crime_in_two_files_is_counted_once_and_a_bad_first_row_is_no_original(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("incident_id,offence_date,offence_code,area,knife\n"
                     "NR4,2024-07-01,8N,Northby,Y\n"
                     "NR6,not a date,8N,Northby,Y\n", encoding="utf-8")
    second.write_text("incident_id,offence_date,offence_code,area,knife\n"
                      "NR6,2024-07-03,8N,Northby,Y\n"  # the bad row's crime: counted here
                      "\n"
                      "NR4,2024-07-01,8N,Northby,Y\n", encoding="utf-8")  # line 4: a repeat
    assert main(["violence", "--records", f"police-incidents={first}",
                 "--records", f"police-incidents={second}", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Rows: 4 read, 2 used, 2 left out." in out
    assert f"{second}: duplicate incident id: 1 (row 4)" in out
    assert f'{first}: bad date in "offence_date": 1 (row 3)' in out


def test_rows_of_empty_cells_are_skipped_and_said_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id;offence_date;offence_code;area;knife\r\n"
                    "NR4;2024-07-01;8N;Northby;Y\r\n;;;;\r\n", encoding="utf-8")
    assert main(["violence", "--records", f"police-incidents={path}"]) == 0
    assert ("Rows: 1 read, 1 used, 0 left out; 1 rows of empty cells skipped, as blank lines."
            in capsys.readouterr().out)
