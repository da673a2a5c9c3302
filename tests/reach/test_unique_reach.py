"""Delivery sums and unique reach on small hand-made campaigns."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.load import load_campaign
from vpp_plugins.reach.slices import Slice
from vpp_plugins.reach.table import channel_rows
from vpp_plugins.reach.unique import Method, unique_reach

from tests.reach.conftest import campaign_sources
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import RecordSource

Build = Callable[..., CampaignData]
Row = Callable[..., dict[str, Any]]


def test_delivery_sums_by_channel_area_and_month(build: Build, row: Row) -> None:
    data = build(delivery=[
        row("social", "reading", "2024-06-03", 1000, 400, spend="10.00"),
        row("social", "reading", "2024-06-10", 3000, 800, spend="20.50"),
        row("social", "slough", "2024-07-01", 500, 100),
        row("radio", "reading", "2024-06-03", 2000),
        row("radio", "reading", "2024-04-20", 9999),  # before the window: left out
    ])
    social_june = data.delivery(Slice("social", "reading", "2024-06"))
    # 1000 + 3000 impressions, 400 + 800 reach, £10.00 + £20.50
    assert (social_june.impressions, social_june.reach, social_june.spend) == (
        4000, 1200, Decimal("30.50"))
    everything = data.delivery(Slice())
    # 1000 + 3000 + 500 + 2000; reach only on the three social rows (impressions 4500)
    assert (everything.impressions, everything.reach, everything.reach_impressions) == (
        6500, 1300, 4500)
    assert everything.spend_impressions == 4000
    assert data.values("channel") == ("radio", "social")
    assert data.values("month", Slice(channel="social")) == ("2024-06", "2024-07")
    assert data.values("area", Slice(month="2024-07")) == ("slough",)


def test_exact_unique_reach_deduplicates_people_across_channels(build: Build, row: Row) -> None:
    # v1 sees social twice and video once, v2 social once, v3 video once:
    # 5 exposures by 3 distinct ids. The April exposure by v4 is outside the window.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 3, 2),
                  row("video", "reading", "2024-06-01", 2, 2)],
        exposures=[("v1", "social", "2024-06-01"), ("v1", "social", "2024-06-02"),
                   ("v1", "video", "2024-06-01"), ("v2", "social", "2024-06-05"),
                   ("v3", "video", "2024-06-09"), ("v4", "video", "2024-04-09")],
    )
    total = unique_reach(data, Slice())
    assert (total.value, total.method) == (Decimal(3), Method.EXACT)
    social = unique_reach(data, Slice(channel="social"))
    assert (social.value, social.method) == (Decimal(2), Method.EXACT)  # v1, v2


def test_two_channel_estimate_without_a_log(build: Build, row: Row) -> None:
    # Coverage 300/1000 = 0.3 and 500/1000 = 0.5: 1000 * (1 - 0.7 * 0.5) = 650 people.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 900, 300),
                  row("radio", "reading", "2024-06-01", 1500, 500)],
        population=[("reading", "10-17", 600), ("reading", "18-24", 400)],
    )
    estimate = unique_reach(data, Slice())
    assert (estimate.value, estimate.method) == (Decimal(650), Method.ESTIMATED)
    assert "independently" in estimate.note


def test_three_channel_estimate_by_area(build: Build, row: Row) -> None:
    # Reading (1,000 people): 0.3, 0.5, 0.2 → 1000 * (1 - 0.7 * 0.5 * 0.8) = 720.
    # Slough rows do not enter Reading's estimate.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 900, 300),
                  row("radio", "reading", "2024-06-01", 1500, 500),
                  row("outdoor", "reading", "2024-07-01", 400, 200),
                  row("social", "slough", "2024-06-01", 900, 450)],
        population=[("reading", "all", 1000), ("slough", "all", 900)],
    )
    estimate = unique_reach(data, Slice(area="reading"))
    assert (estimate.value, estimate.method) == (Decimal(720), Method.ESTIMATED)


def test_log_covering_some_channels_enters_the_estimate_as_one(build: Build, row: Row) -> None:
    # The log holds social and video: distinct ids v1, v2 = 2 of 10 people (0.2).
    # Radio reports 5 of 10 (0.5). Estimate 10 * (1 - 0.8 * 0.5) = 6.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 2, 2),
                  row("video", "reading", "2024-06-01", 1, 1),
                  row("radio", "reading", "2024-06-01", 9, 5)],
        exposures=[("v1", "social", "2024-06-01"), ("v2", "social", "2024-06-01"),
                   ("v1", "video", "2024-06-01")],
        population=[("reading", "all", 10)],
    )
    estimate = unique_reach(data, Slice())
    assert (estimate.value, estimate.method) == (Decimal(6), Method.ESTIMATED)
    assert [part.value for part in estimate.parts] == [Decimal(2), Decimal(5), Decimal(10)]


def test_channels_cannot_be_combined_without_a_population(build: Build, row: Row) -> None:
    data = build(delivery=[row("social", "reading", "2024-06-01", 900, 300),
                           row("radio", "reading", "2024-06-01", 1500, 500)])
    estimate = unique_reach(data, Slice())
    assert estimate.value is None
    assert "population" in estimate.note


def test_one_channel_without_a_log_has_its_reported_reach(build: Build, row: Row) -> None:
    # Two weekly rows of 300 and 200: 500 reported, not de-duplicated across weeks.
    data = build(delivery=[row("social", "reading", "2024-06-01", 900, 300),
                           row("social", "reading", "2024-06-08", 700, 200)])
    reach = unique_reach(data, Slice(channel="social"))
    assert (reach.value, reach.method) == (Decimal(500), Method.REPORTED)
    assert "counted in each" in reach.note


def test_area_slices_need_areas_in_the_log(build: Build, row: Row) -> None:
    # Without an area column the log cannot count Reading alone: reported reach is used.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 4, 3),
                  row("social", "slough", "2024-06-01", 4, 3)],
        exposures=[("v1", "social", "2024-06-01"), ("v2", "social", "2024-06-01")],
    )
    assert unique_reach(data, Slice(area="reading")).method is Method.REPORTED
    with_areas = build(
        delivery=[row("social", "reading", "2024-06-01", 2, 2)],
        exposures=[("v1", "social", "2024-06-01", "reading"),
                   ("v2", "social", "2024-06-01", "slough"),
                   ("v1", "social", "2024-06-02", "reading")],
    )
    reading = unique_reach(with_areas, Slice(area="reading"))
    assert (reading.value, reading.method) == (Decimal(1), Method.EXACT)


def test_prefetch_gives_the_same_counts(build: Build, row: Row) -> None:
    exposures = [("v1", "social", "2024-06-01", "reading"), ("v2", "video", "2024-07-01", "slough"),
                 ("v1", "video", "2024-07-02", "reading"), ("v3", "video", "2024-07-02", "reading")]
    one_by_one = build(exposures=exposures)
    bulk = build(exposures=exposures)
    bulk.prefetch_exact([("channel",), ("area",), ("channel", "area"), ("month",), ()])
    for where in (Slice(), Slice(channel="video"), Slice(area="reading"),
                  Slice(channel="video", area="reading"), Slice(month="2024-07")):
        assert bulk.exact_reach(where) == one_by_one.exact_reach(where)
    # video: v2, v1, v3 → 3; Reading: v1, v3 → 2; video in Reading: v1, v3 → 2
    assert [bulk.exact_reach(w) for w in (Slice(channel="video"), Slice(area="reading"),
                                          Slice(channel="video", area="reading"))] == [3, 2, 2]


def test_more_channels_than_bits_still_count_exactly(build: Build) -> None:
    # 70 channels (more than one 64-bit mask): v1 on all of them, v2 on channel c0 only.
    exposures = [("v1", f"c{n}", "2024-06-01", "reading") for n in range(70)]
    exposures.append(("v2", "c0", "2024-06-01", "slough"))
    data = build(exposures=exposures)
    data.prefetch_exact([("channel",), ("area",), ()])
    assert data.exact_reach(Slice()) == 2
    assert data.exact_reach(Slice(channel="c0")) == 2
    assert data.exact_reach(Slice(channel="c69")) == 1
    assert data.exact_reach(Slice(area="slough")) == 1


def test_an_exposure_log_with_nothing_in_the_window(build: Build, row: Row) -> None:
    data = build(delivery=[row("social", "reading", "2024-06-01", 900, 300)],
                 exposures=[("v1", "web", "2024-04-01")])
    data.prefetch_exact([("channel",), ()])
    assert data.exact_reach(Slice()) == 0
    reach = unique_reach(data, Slice())
    assert (reach.value, reach.method) == (Decimal(300), Method.REPORTED)


def test_a_logged_channel_the_delivery_lacks_is_still_counted(build: Build, row: Row) -> None:
    # The delivery names web only; the log also holds app. v1 web+app, v2 app: total 2,
    # web 1, app 2, and both are logged channels.
    data = build(delivery=[row("web", "reading", "2024-06-01", 1, 1)],
                 exposures=[("v1", "web", "2024-06-01"), ("v1", "app", "2024-06-01"),
                            ("v2", "app", "2024-06-02")])
    data.prefetch_exact([("channel",), ()])
    assert data.logged_channels() == {"web", "app"}
    assert [data.exact_reach(Slice(channel=c)) for c in ("web", "app")] == [1, 2]
    assert data.exact_reach(Slice()) == 2


def test_a_parquet_exposure_log_counts_as_the_same_log_in_csv(
        tmp_path: Path, strategy: Strategy, row: Row) -> None:
    # " v1 " is v1 once trimmed; the row without an id is left out (row 4 of the Parquet
    # file, line 5 of the CSV); v2 on video in April is outside the window.
    exposures = [(" v1 ", "social", "2024-06-01", "reading"), ("v1", "video", "2024-06-02", ""),
                 ("v2", "social", "2024-06-03", "slough"), ("", "video", "2024-06-04", ""),
                 ("v2", "video", "2024-04-01", "")]
    [delivery, csv] = campaign_sources(tmp_path, exposures=exposures, delivery=[
        row("social", "reading", "2024-06-01", 30, 20), row("video", "reading", "2024-06-01", 9)])
    in_place = tmp_path / "exposures.parquet"
    duckdb.connect().execute(f"COPY (FROM read_csv('{csv.path}', all_varchar = true)) "
                             f"TO '{in_place}' (FORMAT parquet)")
    read = {path.suffix: load_campaign(strategy, [delivery, RecordSource("exposures", path)])
            for path in (csv.path, in_place)}
    assert channel_rows(read[".parquet"]) == channel_rows(read[".csv"])
    assert [(r["channel"], r["unique_reach"]) for r in channel_rows(read[".csv"])] == [
        ("social", Decimal(2)), ("video", Decimal(1)), ("all channels", Decimal(2))]
    left_out = {suffix: [(r.row, r.reason) for r in loaded.tables["exposures"].rejected]
                for suffix, loaded in read.items()}
    assert left_out == {".csv": [(5, 'missing "viewer_id"')],
                        ".parquet": [(4, 'missing "viewer_id"')]}
