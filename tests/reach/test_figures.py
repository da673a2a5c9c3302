"""The arithmetic, worked by hand."""

from __future__ import annotations

from decimal import Decimal

from vpp_plugins.reach.figures import (
    combined_coverage,
    coverage,
    cpm,
    estimate_unique_reach,
    frequency,
    ratio,
    rounded,
)


def test_frequency_is_impressions_over_reach() -> None:
    # 12,000 impressions seen by 4,800 people: 12000 / 4800 = 2.5 times each.
    assert frequency(12_000, 4_800) == Decimal("2.5")


def test_cpm_is_spend_per_thousand_impressions() -> None:
    # £450.00 for 180,000 impressions: 450 / 180000 * 1000 = £2.50 per thousand.
    assert cpm(Decimal("450.00"), 180_000) == Decimal("2.5")


def test_a_rate_over_nothing_is_none_not_zero() -> None:
    assert ratio(5, 0) is None
    assert cpm(Decimal("10"), 0) is None


def test_coverage_is_capped_at_the_whole_population() -> None:
    # 1,200 "reached" of 1,000 people cannot be 120%: it is capped at 1.
    assert coverage(1_200, 1_000) == Decimal(1)
    assert coverage(250, 1_000) == Decimal("0.25")


def test_two_channel_estimate() -> None:
    # Coverage 0.3 and 0.5 of 1,000 people: missed by both 0.7 * 0.5 = 0.35,
    # so reached by either 1 - 0.35 = 0.65, i.e. 650 people (not 300 + 500 = 800).
    assert combined_coverage([Decimal("0.3"), Decimal("0.5")]) == Decimal("0.65")
    assert estimate_unique_reach([300, 500], 1_000) == Decimal("650")


def test_three_channel_estimate() -> None:
    # Coverage 0.3, 0.5, 0.2: missed by all 0.7 * 0.5 * 0.8 = 0.28, reached 0.72 → 720 of 1,000.
    assert estimate_unique_reach([300, 500, 200], 1_000) == Decimal("720")


def test_an_estimate_needs_a_population() -> None:
    assert estimate_unique_reach([300, 500], 0) is None


def test_display_rounding_is_half_up() -> None:
    assert rounded(Decimal("2.345"), 2) == Decimal("2.35")
    assert rounded(Decimal("0.125"), 2) == Decimal("0.13")
