"""A force's extract as it arrives: the same crime reference on two rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main


@pytest.mark.xfail(strict=True, reason="a crime reference given on two rows is counted twice, "
                                       "without a word")
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
    assert any("duplicate" in line for line in data["rows"]["left_out"])


@pytest.mark.xfail(strict=True, reason="--explain finds a CSV row by its position, not its line: "
                                       "after a blank line it explains the next record")
def test_explain_finds_each_row_by_its_line_past_a_blank_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id,offence_date,offence_code,area,knife\n"
                    "A1,2024-07-01,8N,Northby,Y\n"
                    "\n"  # line 3: blank, as exports leave them
                    "A2,2024-07-02,1,Northby,N\n"  # line 4: a homicide
                    "A3,2024-07-03,5D,Northby,Y\n", encoding="utf-8")  # line 5: knife
    assert main(["violence", "--records", f"police-incidents={path}", "--explain", "4,5"]) == 0
    out = capsys.readouterr().out
    line_4, line_5 = out.split("row 5:")
    assert "counted in homicide: clause 1 takes it in" in line_4
    assert "counted in knife-enabled-serious-violence: clause 1 takes it in" in line_5
