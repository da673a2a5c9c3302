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
