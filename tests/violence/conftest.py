from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core import RecordSource

# Eleven recorded crimes; row numbers are CSV lines (header = 1). Row 11 has a bad date.
INCIDENTS = """\
incident_id,offence_date,offence_code,area,knife,firearm,domestic_abuse,county_lines,victim_age,suspect_age
A1,2024-04-03,1,Reading,N,N,N,N,34,29
A2,2024-04-15,4/1,Reading,N,N,N,N,,
A3,2024-05-20,5D,Reading,Y,N,N,N,19,22
A4,2024-05-21,8N,Slough,Y,N,N,N,17,18
A5,2024-07-01,8N,Slough,N,N,Y,N,40,41
A6,2024-07-09,10D,Slough,N,N,N,N,,16
A7,2024-08-30,92A,Reading,N,N,N,Y,,17
A8,2024-10-02,34B,Slough,yes,N,N,N,15,16
A9,2024-11-11,5d,Reading,N,N,N,N,50,51
A10,2025-02-30,5D,Reading,N,N,N,N,20,20
A11,2024-12-12,2,Reading,true,N,N,N,23,24
"""


@pytest.fixture
def incidents(tmp_path: Path) -> RecordSource:
    path = tmp_path / "incidents.csv"
    path.write_text(INCIDENTS, encoding="utf-8")
    return RecordSource("police-incidents", path)


@pytest.fixture
def samples() -> Path:
    return Path(__file__).parents[2] / "fixtures" / "police-data-samples"
