"""``vpp reach`` and ``vpp generate-campaign`` as a user runs them: output, exit codes, errors."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vpp_core.cli.main import main
from vpp_core.plugin_api.context import RecordSource

from .conftest import campaign_sources

Capture = pytest.CaptureFixture[str]
Row = Callable[..., dict[str, Any]]


def run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def manifest(folder: Path, sources: list[RecordSource]) -> Path:
    lines = []
    for source in sources:
        lines += ["[[sources]]", f'kind = "{source.kind}"', f'path = "{source.path.name}"', ""]
    (folder / "records.toml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_reach_on_the_bundled_fixture(capsys: Capture) -> None:
    code, out, err = run(capsys, "reach")
    assert code == 0
    assert out.startswith("Stay True to You: reach, Thames Valley VPP 2024-25")
    for heading in ("By channel", "Coverage of the population by area",
                    "Training against the campaign's targets", "all channels", "estimated",
                    "Internal report: exact counts"):
        assert heading in out
    assert "bundled synthetic campaign records" in err


def test_json_gives_the_total_row_and_labels_the_method(capsys: Capture, tmp_path: Path,
                                                        row: Row) -> None:
    # Exposure log over both channels: exact. 4 impressions by 2 devices → frequency 2.00;
    # £10.00 / 4 impressions * 1000 = CPM £2,500.00; £10.00 / 2 people = £5.00 each.
    folder = manifest(tmp_path, campaign_sources(
        tmp_path,
        delivery=[row("web", "reading", "2024-06-03", 3, 2, spend="10.00"),
                  row("email", "reading", "2024-06-03", 1, 1, spend="0.00")],
        exposures=[("d1", "web", "2024-06-03"), ("d2", "web", "2024-06-03"),
                   ("d1", "web", "2024-06-04"), ("d2", "email", "2024-06-03")]))
    code, out, _ = run(capsys, "reach", "--records", str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    total = data["sections"]["channels"][-1]
    assert total == {
        "channel": "all channels", "impressions": "4", "reach": "3", "unique_reach": "2",
        "method": "exact", "frequency": "2.00", "engagement_rate": None,
        "click_through_rate": None, "cpm": "2500.00", "cost_per_person": "5.00",
        "spend": "10.00",
    }
    assert data["disclosure"] == "Internal report: exact counts, not for publication."


def test_published_suppresses_small_counts_and_what_derives_from_them(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    folder = manifest(tmp_path, campaign_sources(
        tmp_path,
        delivery=[row("web", "reading", "2024-06-03", 3, 2, spend="10.00")],
        exposures=[("d1", "web", "2024-06-03"), ("d2", "web", "2024-06-03"),
                   ("d1", "web", "2024-06-04")]))
    code, out, _ = run(capsys, "reach", "--records", str(folder), "--format", "csv",
                       "--published")
    assert code == 0
    figures = {(r["subject"], r["measure"]): r["value"]
               for r in csv.DictReader(io.StringIO(out)) if r["section"] == "channels"}
    assert figures[("web", "unique_reach")] == "<5"  # 2 devices
    assert figures[("web", "reach")] == "<5"
    assert figures[("web", "frequency")] == "[c]"  # 3 / 2 would give the 2 away
    assert figures[("web", "cost_per_person")] == "[c]"
    assert figures[("web", "impressions")] == "3"  # not a count of people
    code, text, _ = run(capsys, "reach", "--records", str(folder), "--published")
    assert "Published report: counts from 1 to 4 are shown as <5" in text


def test_an_unreadable_file_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    broken = tmp_path / "exposures.parquet"
    broken.write_text("this is not parquet", encoding="utf-8")
    code, out, err = run(capsys, "reach", "--records", f"exposures={broken}")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"error: {broken}: cannot be read")


def test_a_missing_file_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    code, _, err = run(capsys, "reach", "--records", f"campaign-delivery={missing}")
    assert (code, err) == (2, f"error: {missing}: no such records file\n")


def test_a_missing_column_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    file = tmp_path / "delivery.csv"
    file.write_text("channel,area,date\nweb,reading,2024-06-03\n", encoding="utf-8")
    code, _, err = run(capsys, "reach", "--records", f"campaign-delivery={file}")
    assert (code, err) == (2, f"error: {file}: no column 'impressions'\n")


def test_a_strategy_without_records_is_a_usage_error(capsys: Capture) -> None:
    from vpp_core.loading.bundled import bundled_strategy
    code, _, err = run(capsys, "reach", str(bundled_strategy()))
    assert code == 2
    assert "--records" in err


def test_population_alone_is_not_a_campaign(capsys: Capture, tmp_path: Path) -> None:
    [source] = campaign_sources(tmp_path, population=[("reading", "all", 100)])
    code, _, err = run(capsys, "reach", "--records", f"population={source.path}")
    assert code == 2
    assert "no campaign records" in err


def test_generate_campaign_command(capsys: Capture, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "generate-campaign", str(tmp_path / "out"), "--exposures", "300",
                       "--format", "parquet", "--clean")
    assert code == 0
    assert "exposures: 300 rows" in out
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "delivery.parquet", "exposures.parquet", "population.parquet", "records.toml",
        "training.parquet"]
    code, _, err = run(capsys, "generate-campaign", str(tmp_path / "big"),
                       "--exposures", "10000001")
    assert code == 2
    assert err == "error: --exposures: must be between 0 and 10,000,000\n"


def test_published_rounds_other_counts_of_people(capsys: Capture, tmp_path: Path,
                                                 row: Row) -> None:
    # 12 devices: shown as 10 to the nearest 5; impressions (not people) stay exact.
    folder = manifest(tmp_path, campaign_sources(
        tmp_path, delivery=[row("web", "reading", "2024-06-03", 13, 12)],
        exposures=[(f"d{n}", "web", "2024-06-03") for n in range(12)] +
                  [("d0", "web", "2024-06-04")]))
    code, out, _ = run(capsys, "reach", "--records", str(folder), "--format", "json",
                       "--published", "--round-to", "5")
    assert code == 0
    web = json.loads(out)["sections"]["channels"][0]
    assert (web["unique_reach"], web["reach"], web["impressions"]) == ("10", "10", "13")


def test_a_total_that_would_give_a_suppressed_count_away_is_suppressed(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    # Reported reach 3 (suppressed) + 40 = 43: showing 43 would give the 3 away.
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("radio", "reading", "2024-06-03", 10, 3), row("social", "reading", "2024-06-03",
                                                          90, 40)]))
    code, out, _ = run(capsys, "reach", "--records", str(folder), "--format", "json",
                       "--published")
    assert code == 0
    channels = {r["channel"]: r for r in json.loads(out)["sections"]["channels"]}
    assert channels["radio"]["reach"] == "<5"
    assert channels["social"]["reach"] == "40"
    assert channels["all channels"]["reach"] == "[c]"
    assert channels["all channels"]["impressions"] == "100"
