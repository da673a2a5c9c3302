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
    code, out, err = run(capsys, "reach", "--example")
    assert code == 0
    assert out.startswith("Stay True to You: reach, Thames Valley VPP 2024-25")
    for heading in ("By channel", "Coverage of the population by area",
                    "Attendance at the campaign's training", "all channels", "estimated",
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
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    total = data["sections"]["channels"][-1]
    assert total == {
        "channel": "all channels", "impressions": 4, "reach_low": None, "reach_high": None,
        "reach_periods": None, "frequency_low": None, "frequency_high": None,
        "log_impressions": 4, "log_reach": 2, "log_frequency": 2.0, "log_cover": None,
        "check": None, "unique_low": 2, "unique_high": 2, "method": "exact", "leaves_out": None,
        "engagement_rate": None, "click_through_rate": None, "cpm": "2500.00",
        "spend": "10.00",
    }
    web = data["sections"]["channels"][1]
    assert (web["channel"], web["log_cover"], web["check"]) == ("web", "complete",
                                                                 "consistent")
    assert data["disclosure"] == "Internal report: exact counts, not for publication."


def test_published_suppresses_small_counts_and_what_derives_from_them(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    folder = manifest(tmp_path, campaign_sources(
        tmp_path,
        delivery=[row("web", "reading", "2024-06-03", 3, 2, spend="10.00")],
        exposures=[("d1", "web", "2024-06-03"), ("d2", "web", "2024-06-03"),
                   ("d1", "web", "2024-06-04")]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "csv",
                       "--published")
    assert code == 0
    figures = {(r["subject"], r["measure"]): r["value"]
               for r in csv.DictReader(io.StringIO(out)) if r["section"] == "channels"}
    assert ("all channels", "cost_per_person") not in figures
    assert figures[("web", "log_reach")] == "<5"  # 2 devices
    assert figures[("web", "reach_low")] == "<5"
    assert figures[("web", "frequency_low")] == "[c]"  # 3 / 2 would give the 2 away
    assert figures[("web", "log_frequency")] == "[c]"
    assert figures[("all channels", "unique_low")] == "<5"
    assert figures[("web", "impressions")] == "3"  # not a count of people
    code, text, _ = run(capsys, "reach", "--example", "--records", str(folder), "--published")
    assert "Published report: counts from 1 to 4 are shown as <5" in text


def test_an_unreadable_file_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    broken = tmp_path / "exposures.parquet"
    broken.write_text("this is not parquet", encoding="utf-8")
    code, out, err = run(capsys, "reach", "--example", "--records", f"exposures={broken}")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"error: {broken}: cannot be read")


def test_a_missing_file_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    code, _, err = run(capsys, "reach", "--example", "--records", f"campaign-delivery={missing}")
    assert (code, err) == (2, f"error: {missing}: no such records file\n")


def test_a_missing_column_is_one_line_and_exit_2(capsys: Capture, tmp_path: Path) -> None:
    file = tmp_path / "delivery.csv"
    file.write_text("channel,area,date\nweb,reading,2024-06-03\n", encoding="utf-8")
    code, _, err = run(capsys, "reach", "--example", "--records", f"campaign-delivery={file}")
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"error: {file}: no column 'impressions' (its columns: channel, area, "
                          "date; map ours to the file's: ")


def test_a_strategy_without_records_is_a_usage_error(capsys: Capture) -> None:
    from vpp_core.loading.bundled import bundled_strategy
    code, _, err = run(capsys, "reach", str(bundled_strategy()))
    assert code == 2
    assert "--records" in err


def test_population_alone_is_not_a_campaign(capsys: Capture, tmp_path: Path) -> None:
    [source] = campaign_sources(tmp_path, population=[("reading", "all", 100)])
    code, _, err = run(capsys, "reach", "--example", "--records", f"population={source.path}")
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
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json",
                       "--published", "--round-to", "5")
    assert code == 0
    web = json.loads(out)["sections"]["channels"][0]
    assert (web["log_reach"], web["reach_low"], web["impressions"]) == (10, 10, 13)


def test_the_all_channels_row_never_adds_people_up_across_channels(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    # Radio reaches 3 and social 40 in the same week: 43 would count anyone who heard and
    # saw it twice (and give the suppressed 3 away). Without a population there is no
    # estimate either: the row's people are left empty.
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("radio", "reading", "2024-06-03", 10, 3), row("social", "reading", "2024-06-03",
                                                          90, 40)]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json",
                       "--published")
    assert code == 0
    channels = {r["channel"]: r for r in json.loads(out)["sections"]["channels"]}
    assert channels["radio"]["reach_low"] == "<5"
    assert channels["social"]["reach_low"] == 40
    total = channels["all channels"]
    assert (total["reach_low"], total["unique_low"], total["impressions"]) == (None, None, 100)


def test_reach_by_week_month_and_area(capsys: Capture, tmp_path: Path, row: Row) -> None:
    # Two weeks of social in Reading (300, then 200 people) and one in Slough (100).
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("social", "reading", "2024-06-03", 900, 300),
        row("social", "reading", "2024-06-10", 700, 200),
        row("social", "slough", "2024-07-01", 400, 100)]))

    def table(by: str) -> list[tuple[str, str, int, int]]:
        code, out, _ = run(capsys, "reach", "--example", "--records", str(folder),
                           "--format", "json", "--by", by)
        assert code == 0
        return [(r[by], r["channel"], r["reach_low"], r["reach_high"])
                for r in json.loads(out)["sections"]["channels"] if r["channel"] == "social"]

    # each week one reporting period: a reported figure
    assert table("week") == [("2024-06-03", "social", 300, 300),
                             ("2024-06-10", "social", 200, 200),
                             ("2024-07-01", "social", 100, 100),
                             ("all", "social", 300, 600)]
    # June's two weeks: at least 300, at most 500
    assert table("month") == [("2024-06", "social", 300, 500),
                              ("2024-07", "social", 100, 100),
                              ("all", "social", 300, 600)]
    assert table("area") == [("reading", "social", 300, 500),
                             ("slough", "social", 100, 100),
                             ("all", "social", 300, 600)]
    code, text, _ = run(capsys, "reach", "--example", "--records", str(folder), "--by", "month")
    assert "By channel, each month on its own" in text
    assert "300–500" in text  # a range, never one "unique" figure
    code, _, err = run(capsys, "reach", "--example", "--records", str(folder), "--by", "year")
    assert code == 2 and "invalid choice: 'year'" in err


def test_reach_shows_the_rows_a_sanity_check_leaves_out(capsys: Capture, tmp_path: Path,
                                                         row: Row) -> None:
    # The second row reports 3,303 people reached by 1,358 impressions (REACH001): left out
    # of every figure (impressions 5,000, not 6,358) and listed.
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("social", "reading", "2024-06-03", 5_000, 2_000),
        row("social", "reading", "2024-06-10", 1_358, 3_303)]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["sections"]["left_out"] == [
        {"channel": "social", "reason": "reach above impressions (REACH001)", "rows": 1}]
    social = data["sections"]["channels"][0]
    assert (social["impressions"], social["reach_low"], social["frequency_low"]) == (
        5000, 2000, 2.5)


def test_coverage_by_area_is_never_above_all_areas(capsys: Capture, tmp_path: Path,
                                                   row: Row) -> None:
    # Only Reading has records. The log (no areas) holds 2 of the website's 2 impressions by
    # 1 device; the platform says 2 people. Before, Reading's coverage came from the platform
    # (2 of 100) and all areas' from the log (1 of 300): an area above all areas.
    folder = manifest(tmp_path, campaign_sources(
        tmp_path, delivery=[row("web", "reading", "2024-06-03", 2, 2)],
        exposures=[("d1", "web", "2024-06-03"), ("d1", "web", "2024-06-04")],
        population=[("reading", "all", 100), ("slough", "all", 200)]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    areas = {r["area"]: r["unique_high"] for r in data["sections"]["areas"]}
    assert areas == {"reading": 2, "slough": 0, "all areas": 2}
    assert any("The exposure log holds no areas" in note for note in data["notes"])


def test_people_seen_in_several_areas_are_said_to_be(capsys: Capture, tmp_path: Path,
                                                    row: Row) -> None:
    # d1 is logged in Reading and in Slough: each area counts d1, all areas once (2 ids).
    folder = manifest(tmp_path, campaign_sources(
        tmp_path, delivery=[row("web", "reading", "2024-06-03", 2, 2),
                            row("web", "slough", "2024-06-03", 1, 1)],
        exposures=[("d1", "web", "2024-06-03", "reading"), ("d2", "web", "2024-06-03", "reading"),
                   ("d1", "web", "2024-06-04", "slough")],
        population=[("reading", "all", 100), ("slough", "all", 200)]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json")
    assert code == 0
    data = json.loads(out)
    areas = {r["area"]: (r["unique_low"], r["method"]) for r in data["sections"]["areas"]}
    assert areas == {"reading": (2, "exact"), "slough": (1, "exact"),
                     "all areas": (2, "exact")}
    assert any(note.startswith("The exposure log saw 1 id in more than one area")
               for note in data["notes"])


def test_the_campaigns_targets_row_has_one_count(capsys: Capture) -> None:
    # vpp targets counts Stay True to You's row (38 / 37 / 209 over the bundled participants
    # and training records); vpp reach used to count it again from the campaign's own
    # training attendance (44 / 61 / 282). Now reach shows that attendance under its own
    # name, with no target beside it, and says why it differs.
    code, out, _ = run(capsys, "reach", "--example", "--format", "json")
    assert code == 0
    data = json.loads(out)
    # Attendance by audience, as the records name them: no cohort of any targets table.
    attendees = {r["audience"]: r["attendees"] for r in data["sections"]["training"]}
    assert set(attendees) == {"young-person", "parent", "practitioner", "professional"}
    assert int(attendees["young-person"]) == 44 and int(attendees["parent"]) == 61
    assert int(attendees["practitioner"]) + int(attendees["professional"]) == 282
    assert any("counted once, by `vpp targets`" in note for note in data["notes"])


def test_json_figures_are_numbers_money_exact_text_and_suppressed_cells_their_text(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    # Radio reaches 3 people (suppressed when published, with the frequency derived from
    # it); social 40. Counts and rates are JSON numbers, money the exact decimal as text.
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("radio", "reading", "2024-06-03", 10, 3, spend="1.50"),
        row("social", "reading", "2024-06-03", 90, 40, spend="12.00")]))
    code, out, _ = run(capsys, "reach", "--example", "--records", str(folder), "--format", "json",
                       "--published")
    assert code == 0
    channels = {r["channel"]: r for r in json.loads(out)["sections"]["channels"]}
    social, radio = channels["social"], channels["radio"]
    assert (social["impressions"], social["reach_low"], social["frequency_low"]) == (90, 40, 2.25)
    assert (social["spend"], social["cpm"]) == ("12.00", "133.33")
    assert (radio["impressions"], radio["reach_low"], radio["frequency_low"]) == (10, "<5", "[c]")


def test_a_file_with_no_usable_row_is_an_error_not_a_table_of_nothing(
        capsys: Capture, tmp_path: Path, row: Row) -> None:
    # both rows have a date that cannot be read: the file gives nothing to count (REACH009)
    folder = manifest(tmp_path, campaign_sources(tmp_path, delivery=[
        row("web", "reading", "third of June", 3, 2), row("web", "slough", "3/6/24", 5, 4)]))
    delivery = folder / "delivery.csv"
    code, _, err = run(capsys, "reach", "--example", "--records", str(folder))
    assert code == 1
    assert err.splitlines() == [
        f"error: campaign-delivery file {delivery}: 2 of 2 rows left out: no row can be "
        "counted; its figures cannot be trusted (REACH009)"]


def test_more_than_the_packs_share_left_out_is_an_error(capsys: Capture, tmp_path: Path,
                                                        row: Row) -> None:
    # 1 of 20 rows left out is 5%, exactly the reach pack's maximum: usable; 2 of 20 is not
    good = [row("web", "reading", f"2024-06-{day:02}", 10, 5) for day in range(1, 19)]
    for bad, expected in ((["x"], 0), (["x", "y"], 1)):
        folder = tmp_path / str(len(bad))
        folder.mkdir()
        rows = good + [row("web", "reading", "2024-06-30", 10, 5)] * (2 - len(bad)) + [
            row("web", "reading", text, 10, 5) for text in bad]
        manifest(folder, campaign_sources(folder, delivery=rows))
        code, _, err = run(capsys, "reach", "--example", "--records", str(folder))
        assert code == expected, err
        assert ("more than 5% of its rows are left out" in err) == bool(expected)


def test_a_strategy_without_a_campaign_is_one_line_and_exit_2(capsys: Capture,
                                                               tmp_path: Path) -> None:
    import attrs

    from vpp_core.loading.bundled import bundled_strategy
    from vpp_core.loading.strategy_io import dump_strategy, load_strategy

    plain = tmp_path / "strategy.toml"
    plain.write_text(dump_strategy(attrs.evolve(load_strategy(bundled_strategy()),
                                                campaign=None)), encoding="utf-8")
    from vpp_plugins.reach.commands import bundled_campaign

    code, out, err = run(capsys, "reach", str(plain), "--records", str(bundled_campaign()))
    assert (code, out) == (2, "")
    assert err == (f"error: vpp reach: {plain} states no campaign (no [campaign] section): "
                   "there is no campaign to report the reach of\n")
