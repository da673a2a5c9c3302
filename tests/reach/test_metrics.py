"""The campaign's metrics as packs see them, worked by hand on small record sets."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from vpp_core.loading.errors import UsageError
from vpp_core.plugin_api.context import CheckContext
from vpp_core.plugin_api.results import Unit

Context = Callable[..., CheckContext]
Row = Callable[..., dict[str, Any]]


def test_per_channel_figures(context: Context, row: Row) -> None:
    ctx = context(delivery=[
        # two weeks of paid social in Reading
        row("social", "reading", "2024-06-03", 40_000, 16_000, engagements=1_200, clicks=300,
            video_views=8_000, spend="180.00"),
        row("social", "reading", "2024-06-10", 20_000, 8_000, engagements=600, clicks=100,
            video_views=4_000, spend="90.00"),
        # a radio week that reports neither reach nor clicks
        row("radio", "reading", "2024-06-03", 50_000, None, spend="500.00"),
    ])
    social = "channel=social"
    # 40,000 + 20,000 impressions
    assert ctx.metric(f"campaign-impressions:{social}").value == Decimal(60_000)
    # reach 16,000 + 8,000 summed over the two weeks: an upper bound, labelled as such
    summed = ctx.metric(f"campaign-reach:{social}")
    assert summed.value == Decimal(24_000)
    assert "never a unique reach" in summed.note
    # over both weeks the people reached are a range (16,000 to 24,000): no single
    # frequency; the week of 3 June alone is one reporting period: 40,000 / 16,000 = 2.5
    assert ctx.metric(f"campaign-frequency:{social}").value is None
    week = f"{social},week=2024-06-03"
    assert ctx.metric(f"campaign-frequency:{week}").value == Decimal("2.5")
    assert ctx.metric(f"campaign-unique-reach-at-least:{social}").value == Decimal(16_000)
    # engagements (1200 + 600) / 60000 = 0.03; clicks (300 + 100) / 60000 = 1/150
    assert ctx.metric(f"campaign-engagement-rate:{social}").value == Decimal("0.03")
    ctr = ctx.metric(f"campaign-click-through-rate:{social}")
    assert ctr.value == Decimal(400) / Decimal(60_000)
    # CPM: £270.00 / 60,000 impressions * 1000 = £4.50
    assert ctx.metric(f"campaign-cpm:{social}").value == Decimal("4.5")
    # cost per person reached in the week of 3 June: £180.00 / 16,000 people = £0.01125
    assert ctx.metric(f"campaign-cost-per-person-reached:{week}").value == Decimal("0.01125")
    # video views 12,000 / 60,000 = 0.2
    assert ctx.metric(f"campaign-video-view-rate:{social}").value == Decimal("0.2")
    # Radio: CPM £500 / 50,000 * 1000 = £10; no reach, no clicks: no CTR, not zero.
    assert ctx.metric("campaign-cpm:channel=radio").value == Decimal(10)
    assert ctx.metric("campaign-reach:channel=radio").value is None
    assert ctx.metric("campaign-click-through-rate:channel=radio").value is None


def test_engagement_rate_states_its_denominator(context: Context, row: Row) -> None:
    ctx = context(delivery=[
        row("social", "reading", "2024-06-03", 1_000, 500, engagements=50),
        row("outdoor", "reading", "2024-06-03", 9_000),  # reports no engagements
    ])
    # 50 / 1,000 (the outdoor impressions are not in the denominator): 0.05
    measured = ctx.metric("campaign-engagement-rate:total")
    assert measured.value == Decimal("0.05")
    assert measured.unit is Unit.SHARE
    assert "Engagements ÷ impressions" in measured.note
    assert "1,000 impressions on rows that report engagements" in measured.note


def test_slices_by_area_and_month(context: Context, row: Row) -> None:
    ctx = context(delivery=[
        row("social", "reading", "2024-06-03", 1_000, 400),
        row("social", "reading", "2024-07-01", 2_000, 900),
        row("social", "slough", "2024-06-03", 4_000, 1_000),
    ])
    assert ctx.metric("campaign-impressions:area=reading").value == Decimal(3_000)
    assert ctx.metric("campaign-impressions:month=2024-06").value == Decimal(5_000)
    assert ctx.metric(
        "campaign-impressions:channel=social,area=reading,month=2024-07").value == Decimal(2_000)


def test_unique_reach_and_frequency_across_channels_from_a_log(context: Context, row: Row) -> None:
    # 6 exposures by 3 devices across two channels: unique reach 3 (exact), frequency 6 / 3 = 2
    ctx = context(
        delivery=[row("website", "reading", "2024-06-03", 4, 2),
                  row("email", "reading", "2024-06-03", 2, 2)],
        exposures=[("d1", "website", "2024-06-03"), ("d1", "website", "2024-06-04"),
                   ("d2", "website", "2024-06-05"), ("d2", "website", "2024-06-06"),
                   ("d1", "email", "2024-06-03"), ("d3", "email", "2024-06-03")],
    )
    unique = ctx.metric("campaign-unique-reach:total")
    assert (unique.value, unique.source) == (Decimal(3), "exact")
    assert ctx.metric("campaign-frequency:total").value == Decimal(2)
    # Platform reach summed: 2 + 2 = 4 (d1 counted on both channels)
    assert ctx.metric("campaign-reach:total").value == Decimal(4)


def test_estimate_is_labelled_and_coverage_is_against_the_population(
        context: Context, row: Row) -> None:
    # Reading, 2,000 people: coverage 0.3 and 0.5 → 1 - 0.7 * 0.5 = 0.65 → 1,300 people.
    ctx = context(
        delivery=[row("social", "reading", "2024-06-03", 1_800, 600, spend="60.00"),
                  row("radio", "reading", "2024-06-03", 3_000, 1_000, spend="70.00")],
        population=[("reading", "10-17", 1_200), ("reading", "18-24", 800)],
    )
    unique = ctx.metric("campaign-unique-reach:area=reading")
    assert (unique.value, unique.source) == (Decimal(1_300), "estimated")
    assert "Estimated" in unique.note
    assert ctx.metric("campaign-population:reading").value == Decimal(2_000)
    assert ctx.metric("campaign-coverage:reading").value == Decimal("0.65")
    # frequency (1800 + 3000) / 1300; cost per person (£60 + £70) / 1300 = £0.10
    assert ctx.metric("campaign-frequency:total").value == Decimal(4_800) / Decimal(1_300)
    assert ctx.metric("campaign-cost-per-person-reached:total").value == Decimal("0.1")


def test_training_attendance_is_counted_but_never_against_the_target(context: Context) -> None:
    ctx = context(training=[
        ("a1", "young-person", "2024-05-01"), ("a1", "young-person", "2024-06-01"),  # once
        ("a2", "young-person", "2024-04-01"),  # first day of the window
        ("a3", "parent", "2024-03-31"),  # first came the year before: continuing
        ("a3", "parent", "2024-05-01"),
        ("a4", "practitioner", "2025-03-31"), ("a5", "professional", "2024-09-09"),
    ])
    assert ctx.metric("campaign-training-attendees:young-person").value == Decimal(2)
    assert ctx.metric("campaign-training-attendees:parent").value == Decimal(0)
    assert ctx.metric("campaign-training-attendees:practitioner").value == Decimal(1)
    assert ctx.metric("campaign-training-attendees:all").value == Decimal(4)
    assert "1 attendees who first came before it" in ctx.metric(
        "campaign-training-attendees:parent").note
    # The targets row is counted by the target-counting rules alone: no second share of it.
    assert "campaign-training-share" not in ctx.metrics
    assert "campaign-training-reached" not in ctx.metrics


def test_without_records_metrics_have_no_value_and_say_why(context: Context) -> None:
    ctx = context()
    measured = ctx.metric("campaign-impressions:total")
    assert measured.value is None
    assert measured.note == "no campaign-delivery records given"


@pytest.mark.parametrize("argument", ["channel", "colour=red", "month=2024-13",
                                      "channel=a,channel=b"])
def test_a_bad_slice_is_a_usage_error(context: Context, argument: str) -> None:
    with pytest.raises(UsageError, match="campaign slice"):
        context(delivery=[]).metric(f"campaign-impressions:{argument}")


def test_cost_per_person_is_unknown_where_a_counted_channel_reports_no_spend(
        context: Context, row: Row) -> None:
    ctx = context(delivery=[
        row("social", "reading", "2024-06-03", 1_000, 400, spend="40.00"),
        row("social", "reading", "2024-06-10", 1_000, 400),  # this week's spend not reported
        row("radio", "reading", "2024-06-03", 1_000, 100, spend="10.00"),
    ])
    # £40.00 is not what 400 to 800 people cost: a week's spend is missing. No value, said.
    found = ctx.metric("campaign-cost-per-person-reached:channel=social,week=2024-06-10")
    assert found.value is None
    assert "report no spend" in found.note
    # Radio alone reports its spend on every row: £10.00 ÷ 100 people = £0.10.
    assert ctx.metric("campaign-cost-per-person-reached:channel=radio").value == Decimal("0.1")
    # and spend not reported is no spend figure either (not £0.00)
    assert ctx.metric("campaign-spend:channel=social,week=2024-06-10").value is None
