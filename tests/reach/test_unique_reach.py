"""The reach model on small hand-made campaigns: platform and log figures side by side,
bounds over several reporting periods, the cross-channel estimate per period."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.load import load_campaign
from vpp_plugins.reach.model import Bounds, Cover, Method, slice_figures
from vpp_plugins.reach.slices import Slice
from vpp_plugins.reach.table import channel_rows

from tests.reach.conftest import campaign_sources
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import RecordSource

Build = Callable[..., CampaignData]
Row = Callable[..., dict[str, Any]]


def channel(data: CampaignData, where: Slice, name: str) -> Any:
    return next(c for c in slice_figures(data, where).channels if c.channel == name)


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
    # weeks by their Monday: 3 June, 10 June, 1 July
    assert data.values("week", Slice(channel="social")) == (
        "2024-06-03", "2024-06-10", "2024-07-01")


def test_a_partial_log_never_replaces_the_platform_figure(build: Build, row: Row) -> None:
    # The platform: 10,000 impressions reaching 4,000 people in the week of 3 June.
    # The log holds 6 of those impressions, by 5 devices. Before, frequency was
    # 10,000 / 5 = 2,000 and the channel's unique reach 5; now the platform's 4,000
    # stands (frequency 10,000 / 4,000 = 2.5), and the log's own 6 / 5 = 1.2 beside it.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 10_000, 4_000)],
        exposures=[(f"d{n}", "social", "2024-06-04") for n in range(5)]
        + [("d0", "social", "2024-06-05")],
    )
    social = channel(data, Slice(), "social")
    assert social.cover is Cover.PARTIAL
    assert social.reach == Bounds.exactly(4000)
    assert social.frequency == Bounds.exactly(Decimal("2.5"))
    assert (social.log_impressions, social.log_reach, social.log_frequency) == (
        6, 5, Decimal("1.2"))
    unique = slice_figures(data, Slice()).unique
    assert (unique.value, unique.method) == (Bounds.exactly(4000), Method.REPORTED)


def test_a_months_estimate_uses_platform_reach_not_a_partial_logs_count(
        build: Build, row: Row) -> None:
    # One week in June, Reading (10,000 people): social reaches 2,000 (0.2), video 5,000
    # (0.5); the log holds 3 devices on social. Estimate 10,000 × (1 − 0.8 × 0.5) = 6,000,
    # not the log's 3.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 5_000, 2_000),
                  row("video", "reading", "2024-06-03", 9_000, 5_000)],
        exposures=[("d1", "social", "2024-06-03"), ("d2", "social", "2024-06-04"),
                   ("d3", "social", "2024-06-05")],
        population=[("reading", "all", 10_000)],
    )
    june = slice_figures(data, Slice(month="2024-06")).unique
    assert (june.value, june.method) == (Bounds.exactly(6000), Method.ESTIMATED)
    assert "independently" in june.note


def test_platform_reach_over_several_weeks_is_bounds(build: Build, row: Row) -> None:
    # Two weekly rows of 300 and 200: the channel reached at least 300 (the larger week)
    # and at most 500 (both, if nobody saw it twice). Never "unique reach" of 500.
    data = build(delivery=[row("social", "reading", "2024-06-03", 900, 300),
                           row("social", "reading", "2024-06-10", 700, 200)])
    reach = slice_figures(data, Slice(channel="social")).unique
    assert (reach.value, reach.method) == (Bounds(Decimal(300), Decimal(500)), Method.BOUNDS)
    assert "at least the largest single period, at most their sum" in reach.note
    # one week alone is a reported figure
    week = slice_figures(data, Slice(channel="social", week="2024-06-10")).unique
    assert (week.value, week.method) == (Bounds.exactly(200), Method.REPORTED)
    # frequency (900 + 700) ÷ 500 = 3.2 to 1,600 ÷ 300 = 5.33…
    assert channel(data, Slice(), "social").frequency == Bounds(
        Decimal("3.2"), Decimal(1600) / Decimal(300))


def test_areas_in_one_reporting_period_add_up(build: Build, row: Row) -> None:
    # Reading and Slough are different people: one week's reach is 300 + 100 = 400, and
    # the next week's 50 + 20 = 70. Bounds: 400 to 470.
    data = build(delivery=[row("social", "reading", "2024-06-03", 900, 300),
                           row("social", "slough", "2024-06-03", 300, 100),
                           row("social", "reading", "2024-06-10", 90, 50),
                           row("social", "slough", "2024-06-10", 60, 20)])
    assert channel(data, Slice(), "social").reach == Bounds(Decimal(400), Decimal(470))
    assert channel(data, Slice(area="slough"), "social").reach == Bounds(Decimal(100),
                                                                        Decimal(120))


def test_the_estimate_is_per_period_and_bounds_over_periods(build: Build, row: Row) -> None:
    # Reading, 1,000 people. Week of 3 June: social 300 (0.3), radio 500 (0.5):
    # 1000 × (1 − 0.7 × 0.5) = 650. Week of 10 June: social 100, radio 200:
    # 1000 × (1 − 0.9 × 0.8) = 280. Over both weeks each channel is a range (social 300 to
    # 400, radio 500 to 700): at least 650, at most 1000 × (1 − 0.6 × 0.3) = 820.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 900, 300),
                  row("radio", "reading", "2024-06-03", 1500, 500),
                  row("social", "reading", "2024-06-10", 200, 100),
                  row("radio", "reading", "2024-06-10", 400, 200)],
        population=[("reading", "10-17", 600), ("reading", "18-24", 400)],
    )
    weeks = [slice_figures(data, Slice(week=week)).unique.value
             for week in ("2024-06-03", "2024-06-10")]
    assert weeks == [Bounds.exactly(650), Bounds.exactly(280)]
    overall = slice_figures(data, Slice()).unique
    assert (overall.value, overall.method) == (Bounds(Decimal(650), Decimal(820)),
                                               Method.ESTIMATED)


def test_three_channel_estimate_by_area(build: Build, row: Row) -> None:
    # Reading (1,000 people): 0.3, 0.5, 0.2 → 1000 × (1 − 0.7 × 0.5 × 0.8) = 720.
    # Slough rows do not enter Reading's estimate.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 900, 300),
                  row("radio", "reading", "2024-06-01", 1500, 500),
                  row("outdoor", "reading", "2024-06-01", 400, 200),
                  row("social", "slough", "2024-06-01", 900, 450)],
        population=[("reading", "all", 1000), ("slough", "all", 900)],
    )
    estimate = slice_figures(data, Slice(area="reading")).unique
    assert (estimate.value, estimate.method) == (Bounds.exactly(720), Method.ESTIMATED)


def test_a_complete_log_counts_its_channels_exactly_and_enters_the_estimate_as_one(
        build: Build, row: Row) -> None:
    # The log holds every social and video impression (2 and 1): distinct ids v1, v2 =
    # 2 of 10 people (0.2). Radio reports 5 of 10 (0.5). Estimate 10 × (1 − 0.8 × 0.5) = 6.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 2, 2),
                  row("video", "reading", "2024-06-03", 1, 1),
                  row("radio", "reading", "2024-06-03", 9, 5)],
        exposures=[("v1", "social", "2024-06-03"), ("v2", "social", "2024-06-03"),
                   ("v1", "video", "2024-06-03")],
        population=[("reading", "all", 10)],
    )
    assert channel(data, Slice(), "social").cover is Cover.COMPLETE
    estimate = slice_figures(data, Slice()).unique
    assert (estimate.value, estimate.method) == (Bounds.exactly(6), Method.ESTIMATED)
    assert [part.value for part in estimate.parts] == [Decimal(2), Decimal(5), Decimal(10)]
    assert estimate.exact == ("social", "video")


def test_exact_unique_reach_deduplicates_people_across_channels(build: Build, row: Row) -> None:
    # The log holds all 3 social and 2 video impressions: v1 sees social twice and video
    # once, v2 social once, v3 video once: 3 distinct ids. v4's April exposure is outside.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 3, 2),
                  row("video", "reading", "2024-06-03", 2, 2)],
        exposures=[("v1", "social", "2024-06-03"), ("v1", "social", "2024-06-04"),
                   ("v1", "video", "2024-06-03"), ("v2", "social", "2024-06-05"),
                   ("v3", "video", "2024-06-09"), ("v4", "video", "2024-04-09")],
    )
    total = slice_figures(data, Slice())
    assert (total.unique.value, total.unique.method) == (Bounds.exactly(3), Method.EXACT)
    assert (total.log_impressions, total.log_reach) == (5, 3)
    social = slice_figures(data, Slice(channel="social")).unique
    assert social.value == Bounds.exactly(2)  # v1, v2


def test_log_and_platform_are_checked_against_each_other(build: Build, row: Row) -> None:
    # web: the log holds 5 impressions against the platform's 4 — impossible. app: the log
    # holds 3 of the platform's 9 impressions, by 3 ids, but the platform says 2 people.
    data = build(
        delivery=[row("web", "reading", "2024-06-03", 4, 3),
                  row("app", "reading", "2024-06-03", 9, 2)],
        exposures=[(f"w{n}", "web", "2024-06-03") for n in range(5)]
        + [(f"a{n}", "app", "2024-06-03") for n in range(3)],
    )
    web, app = channel(data, Slice(), "web"), channel(data, Slice(), "app")
    assert (web.cover, web.problems) == (Cover.ABOVE, (
        "log impressions above platform impressions", "log reach above platform reach"))
    assert (app.cover, app.problems) == (Cover.PARTIAL, ("log reach above platform reach",))


def test_a_row_failing_a_sanity_check_is_left_out_of_every_figure(
        build: Build, row: Row) -> None:
    # The second row reports reach 3,303 above its 1,358 impressions (REACH001), the third
    # reach 40,000 above Slough's 31,500 people (REACH002): only the first row counts.
    data = build(
        delivery=[row("social", "reading", "2024-06-03", 5_000, 2_000, spend="50.00"),
                  row("social", "reading", "2024-06-10", 1_358, 3_303, spend="20.00"),
                  row("social", "slough", "2024-06-03", 90_000, 40_000, spend="80.00")],
        population=[("reading", "all", 34_500), ("slough", "all", 31_500)],
    )
    social = channel(data, Slice(), "social")
    assert (social.delivery.impressions, social.delivery.spend) == (5_000, Decimal("50.00"))
    assert (social.reach, social.periods) == (Bounds.exactly(2000), 1)
    assert data.left_out() == [
        ("social", "reach above impressions (REACH001)", 1),
        ("social", "reach above the population of its area (REACH002)", 1)]


def test_impressions_reported_as_reach_are_left_out(build: Build, row: Row) -> None:
    # 560 "people reached" by 560 impressions (REACH003, rows of 100+ impressions): left
    # out; 99 reached by 99 impressions may be true of a small row and is kept.
    data = build(delivery=[row("video", "reading", "2024-06-03", 560, 560),
                           row("video", "reading", "2024-06-10", 99, 99),
                           row("video", "reading", "2024-06-17", 400, 250)])
    video = channel(data, Slice(), "video")
    assert (video.delivery.impressions, video.reach) == (499, Bounds(Decimal(250),
                                                                     Decimal(349)))
    assert data.left_out() == [("video", "reach equal to 100+ impressions (REACH003)", 1)]


def test_a_logged_channel_the_delivery_lacks_is_counted_from_the_log(
        build: Build, row: Row) -> None:
    # The delivery names web only; the log also holds app. v1 web+app, v2 app: app is
    # "log only", web's log is complete: all channels exact, 2 ids.
    data = build(delivery=[row("web", "reading", "2024-06-03", 1, 1)],
                 exposures=[("v1", "web", "2024-06-03"), ("v1", "app", "2024-06-03"),
                            ("v2", "app", "2024-06-04")])
    assert channel(data, Slice(), "app").cover is Cover.ONLY
    assert channel(data, Slice(), "web").cover is Cover.COMPLETE
    assert slice_figures(data, Slice()).unique.value == Bounds.exactly(2)


def test_log_periods_follow_the_platforms_reporting_periods(build: Build, row: Row) -> None:
    # The platform reports weeks starting on Wednesdays: the week of 26 June covers 26 June
    # to 2 July. Its 2 logged impressions (28 June, 1 July) are June's with it, though 1 July
    # is in July; so June's log is complete (2 of 2) and July's matches its own row.
    data = build(delivery=[row("web", "reading", "2024-06-26", 2, 2),
                           row("web", "reading", "2024-07-03", 1, 1)],
                 exposures=[("v1", "web", "2024-06-28"), ("v2", "web", "2024-07-01"),
                            ("v3", "web", "2024-07-04")])
    june, july = (channel(data, Slice(month=m), "web") for m in ("2024-06", "2024-07"))
    assert (june.log_impressions, june.cover) == (2, Cover.COMPLETE)
    assert (july.log_impressions, july.cover) == (1, Cover.COMPLETE)


def test_channels_cannot_be_combined_without_a_population(build: Build, row: Row) -> None:
    data = build(delivery=[row("social", "reading", "2024-06-01", 900, 300),
                           row("radio", "reading", "2024-06-01", 1500, 500)])
    estimate = slice_figures(data, Slice()).unique
    assert estimate.value is None
    assert "population" in estimate.note


def test_area_slices_need_areas_in_the_log(build: Build, row: Row) -> None:
    # Without an area column the log cannot count Reading alone: the platform's figure.
    data = build(
        delivery=[row("social", "reading", "2024-06-01", 1, 1),
                  row("social", "slough", "2024-06-01", 1, 1)],
        exposures=[("v1", "social", "2024-06-01"), ("v2", "social", "2024-06-01")],
    )
    assert slice_figures(data, Slice(area="reading")).unique.method is Method.REPORTED
    with_areas = build(
        delivery=[row("social", "reading", "2024-06-01", 2, 2)],
        exposures=[("v1", "social", "2024-06-01", "reading"),
                   ("v1", "social", "2024-06-02", "reading")],
    )
    reading = slice_figures(with_areas, Slice(area="reading")).unique
    assert (reading.value, reading.method) == (Bounds.exactly(1), Method.EXACT)


def test_an_exposure_log_with_nothing_in_the_window(build: Build, row: Row) -> None:
    data = build(delivery=[row("social", "reading", "2024-06-01", 900, 300)],
                 exposures=[("v1", "web", "2024-04-01")])
    reach = slice_figures(data, Slice()).unique
    assert (reach.value, reach.method) == (Bounds.exactly(300), Method.REPORTED)


def test_a_parquet_exposure_log_counts_as_the_same_log_in_csv(
        tmp_path: Path, strategy: Strategy, row: Row) -> None:
    # " v1 " is v1 once trimmed; the row without an id is left out (row 4 of the Parquet
    # file, line 5 of the CSV); v2 on video in April is outside the window.
    exposures = [(" v1 ", "social", "2024-06-01", "reading"), ("v1", "video", "2024-06-02", ""),
                 ("v2", "social", "2024-06-03", "slough"), ("", "video", "2024-06-04", ""),
                 ("v2", "video", "2024-04-01", "")]
    [delivery, csv] = campaign_sources(tmp_path, exposures=exposures, delivery=[
        row("social", "reading", "2024-06-01", 2, 2), row("video", "reading", "2024-06-01", 1)])
    in_place = tmp_path / "exposures.parquet"
    duckdb.connect().execute(f"COPY (FROM read_csv('{csv.path}', all_varchar = true)) "
                             f"TO '{in_place}' (FORMAT parquet)")
    read = {path.suffix: load_campaign(strategy, [delivery, RecordSource("exposures", path)])
            for path in (csv.path, in_place)}
    assert channel_rows(read[".parquet"]) == channel_rows(read[".csv"])
    assert [(r["channel"], r["log_reach"]) for r in channel_rows(read[".csv"])] == [
        ("social", Decimal(2)), ("video", Decimal(1)), ("all channels", Decimal(2))]
    left_out = {suffix: [(r.row, r.reason) for r in loaded.tables["exposures"].rejected]
                for suffix, loaded in read.items()}
    assert left_out == {".csv": [(5, 'missing "viewer_id"')],
                        ".parquet": [(4, 'missing "viewer_id"')]}
