"""Platform exports that report some figures on some rows only: a week with no reach, a file
with no spend column. What is not reported is never shown as a figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main

Capture = pytest.CaptureFixture[str]


def _channels(capsys: Capture, tmp_path: Path, delivery: str) -> dict[str, dict[str, object]]:
    path = tmp_path / "delivery.csv"
    path.write_text(delivery, encoding="utf-8")
    assert main(["reach", "--example", "--records", f"campaign-delivery={path}",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    return {row["channel"]: row for row in data["sections"]["channels"]}


def test_a_week_without_reach_widens_the_channels_reach_by_its_impressions(
        capsys: Capture, tmp_path: Path) -> None:
    # Week 1 reached 40 people with 100 impressions; week 2 showed 120 impressions and
    # reported no reach, so it reached 0 to 120 more: reach 40 to 160, not 40, and
    # frequency 220 ÷ 160 = 1.38 to 220 ÷ 40 = 5.50, not 5.50 alone.
    rows = _channels(capsys, tmp_path, "channel,area,date,impressions,reach\n"
                     "instagram,reading,2024-06-03,100,40\n"
                     "instagram,reading,2024-06-10,120,\n")
    found = rows["instagram"]
    assert (found["reach_low"], found["reach_high"]) == (40, 160)
    assert (found["frequency_low"], found["frequency_high"]) == (1.38, 5.5)
    total = rows["all channels"]
    assert (total["unique_low"], total["unique_high"], total["method"]) == (
        40, 160, "reported bounds")


def test_spend_not_reported_is_blank_not_zero(capsys: Capture, tmp_path: Path) -> None:
    rows = _channels(capsys, tmp_path, "channel,area,date,impressions,reach,spend\n"
                     "instagram,reading,2024-06-03,100,40,\n"
                     "radio,reading,2024-06-03,50,20,12.50\n")
    assert rows["instagram"]["spend"] is None
    assert rows["radio"]["spend"] == "12.50"
    assert rows["all channels"]["spend"] == "12.50"
    without = _channels(capsys, tmp_path, "channel,area,date,impressions,reach\n"
                        "instagram,reading,2024-06-03,100,40\n")
    assert without["instagram"]["spend"] is None
    assert without["all channels"]["spend"] is None


def test_a_population_band_given_twice_is_an_input_error(capsys: Capture, tmp_path: Path
                                                         ) -> None:
    # Two exports pasted together: Reading's 10-24 twice would double its population and
    # halve its coverage, silently.
    delivery = tmp_path / "delivery.csv"
    delivery.write_text("channel,area,date,impressions,reach\n"
                        "instagram,reading,2024-06-03,100,40\n", encoding="utf-8")
    population = tmp_path / "population.csv"
    population.write_text("area,age_band,population\nreading,10-24,1000\nslough,10-24,500\n"
                          "Reading, 10-24 ,1000\n", encoding="utf-8")
    code = main(["reach", "--example", "--records", f"campaign-delivery={delivery}",
                 "--records", f"population={population}"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == (f"error: {population}: population of area 'reading', age band '10-24' "
                   "is given 2 times: give each area's age band once\n")
