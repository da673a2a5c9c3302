"""The arithmetic of campaign reach, exact in Decimal; rounding happens only for display.

Every ratio returns ``None`` when its denominator is zero: a rate over nothing is not zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal(1)
THOUSAND = Decimal(1000)


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """``numerator ÷ denominator`` as a Decimal, or ``None`` over zero."""
    if denominator == 0:
        return None
    return Decimal(numerator) / Decimal(denominator)


def frequency(impressions: int, reach: int | Decimal) -> Decimal | None:
    """Average times each person reached saw the campaign: impressions ÷ reach."""
    return ratio(impressions, reach)


def cpm(spend: Decimal, impressions: int) -> Decimal | None:
    """Cost per thousand impressions: spend ÷ impressions × 1000."""
    return ratio(spend * THOUSAND, impressions)


def coverage(reach: int | Decimal, population: int) -> Decimal | None:
    """The share of a population reached, capped at 1 (a reach above it cannot be a share)."""
    share = ratio(reach, population)
    return None if share is None else min(share, ONE)


def combined_coverage(coverages: Iterable[Decimal]) -> Decimal:
    """Share of a population reached by at least one channel, assuming channels reach
    people independently: 1 − Π(1 − rᵢ). Each rᵢ is capped at 1."""
    missed = ONE
    for share in coverages:
        missed *= ONE - min(max(share, Decimal(0)), ONE)
    return ONE - missed


def estimate_unique_reach(reaches: Iterable[int | Decimal], population: int) -> Decimal | None:
    """People reached by any channel, estimated from each channel's reach of ``population``
    as population × (1 − Π(1 − reachᵢ ÷ population)); ``None`` without a population."""
    if population <= 0:
        return None
    shares = [Decimal(reach) / Decimal(population) for reach in reaches]
    return Decimal(population) * combined_coverage(shares)


def rounded(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimal places (for display only)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
