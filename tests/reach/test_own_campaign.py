"""A communications lead's own platform exports: several delivery files with their own headers,
a channel that reports no reach and has no log, a row the reader cannot use."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main

Capture = pytest.CaptureFixture[str]

MANIFEST = """\
[[sources]]
kind = "campaign-delivery"
path = "tiktok.csv"
[sources.columns]
channel = "Platform"
area = "Region"
date = "Month"
clicks = "Clicks"
spend = "Cost (GBP)"

[[sources]]
kind = "campaign-delivery"
path = "youtube.csv"

[[sources]]
kind = "population"
path = "population.csv"
"""


@pytest.fixture
def records(tmp_path: Path) -> Path:
    (tmp_path / "tiktok.csv").write_text(
        "Platform,Region,Month,Impressions,Reach,Clicks,Cost (GBP)\n"
        "tiktok,reading,2024-06-01,10000,4000,100,120.50\n"
        "tiktok,slough,2024-06-01,3000,1000,10,20.00\n"
        "tiktok,slough,2024-07-01,3000,1500,10,20.00\n"
        "tiktok,colchester,2024-06-01,4000,2000,10,20.00\n", encoding="utf-8")
    (tmp_path / "youtube.csv").write_text(
        "channel,area,date,impressions,reach,video_views,spend\n"
        "youtube,reading,2024-06-01,5000,,2500,30.00\n", encoding="utf-8")
    (tmp_path / "population.csv").write_text(
        "area,age_band,population,source\nreading,10-24,40000,test figures\n"
        "slough,10-24,30000,test figures\n", encoding="utf-8")
    (tmp_path / "records.toml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path / "records.toml"


def _reach(capsys: Capture, records: Path, *options: str) -> str:
    given = f"campaign-delivery={records}" if records.suffix == ".csv" else str(records)
    code = main(["reach", "--example", "--records", given, *options])
    out, err = capsys.readouterr()
    if records.suffix == ".csv":
        assert code == 0
        return out
    # the manifest's table is printed, but tiktok.csv leaves out 1 of its 4 rows, more than
    # the reach pack's 5% (REACH009): exit 1
    assert code == 1
    assert err.endswith("tiktok.csv: 1 of 4 rows left out: more than 5% of its rows are "
                        "left out; its figures cannot be trusted (REACH009)\n")
    return out


def test_a_channel_without_reach_or_log_is_named_as_left_out_of_unique_reach(
        capsys: Capture, records: Path) -> None:
    # YouTube showed 5,000 impressions in Reading and reported no reach; Reading's unique
    # reach was tiktok's 4,000 alone, shown as a plain "reported" figure.
    data = json.loads(_reach(capsys, records, "--format", "json"))
    areas = {row["area"]: row for row in data["sections"]["areas"]}
    assert (areas["reading"]["unique_low"], areas["reading"]["leaves_out"]) == (4000, "youtube")
    assert areas["slough"]["leaves_out"] is None
    total = data["sections"]["channels"][-1]
    assert (total["channel"], total["leaves_out"]) == ("all channels", "youtube")
    assert any(note.startswith("Leaves out: channels with impressions but no reach reported "
                               "and no complete log") for note in data["notes"])
    text = _reach(capsys, records)
    assert "reading        40,000         4,000  reported         youtube          10.00%" in text


def test_rows_left_out_by_the_reader_are_named_by_file_and_row(capsys: Capture,
                                                                records: Path) -> None:
    # It said 'unknown "Region" (1)': not which of the three files, nor which row.
    out = _reach(capsys, records)
    assert "campaign-delivery: 1 of 5 rows left out: " in out
    assert f'{records.parent / "tiktok.csv"}: unknown "Region" (1: row 5).' in out


def test_csv_by_month_says_which_channel_each_figure_is_of(capsys: Capture,
                                                            records: Path) -> None:
    # Every figure of June had the subject "2024-06": tiktok's and youtube's alike.
    rows = list(csv.DictReader(io.StringIO(_reach(capsys, records, "--by", "month",
                                                   "--format", "csv"))))
    impressions = {row["subject"]: row["value"] for row in rows
                   if row["section"] == "channels" and row["measure"] == "impressions"}
    assert impressions["2024-06 / tiktok"] == "13000"
    assert impressions["2024-06 / youtube"] == "5000"
    assert impressions["2024-07 / tiktok"] == "3000"
    assert impressions["all / all channels"] == "21000"


def test_rounded_published_figures_derive_from_the_rounded_reach(capsys: Capture,
                                                                  tmp_path: Path) -> None:
    # Reach 1,234 shown rounded as 1,230 beside a coverage of 3.09% of 40,000 and a
    # frequency of 8.10 (10,000 ÷ 1,234): both gave the exact count back.
    (tmp_path / "youtube.csv").write_text(
        "channel,area,date,impressions,reach\nyoutube,reading,2024-06-01,10000,1234\n",
        encoding="utf-8")
    (tmp_path / "population.csv").write_text(
        "area,age_band,population,source\nreading,10-24,40000,test figures\n",
        encoding="utf-8")
    data = json.loads(_reach(
        capsys, tmp_path / "youtube.csv", "--records", f"population={tmp_path / 'population.csv'}",
        "--published", "--round-to", "10", "--format", "json"))
    reading = data["sections"]["areas"][0]
    assert (reading["unique_low"], reading["coverage_low"]) == (1230, 0.0308)
    youtube = data["sections"]["channels"][0]
    assert (youtube["reach_low"], youtube["frequency_low"]) == (1230, 8.13)
