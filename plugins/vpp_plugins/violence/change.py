"""Change against the previous year, with a confidence interval suitable for counts.

Counts of crimes are treated as Poisson. The ratio of this year's count ``a`` to last
year's ``b`` over the same months has the approximate 95% interval
``exp(ln(a/b) ± 1.96·√(1/a + 1/b))`` (the log method for a ratio of Poisson counts); where
either count is zero, half is added to both first (and the result says so). A change is
flagged as unlikely to be noise when the interval excludes 1 (no change).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import attrs

from vpp_core import FinancialYear
from vpp_plugins.violence.counting import Counts, Granularity

Z_95 = 1.959964


@attrs.frozen
class Change:
    category: str
    area: str
    this_year: int
    last_year: int
    ratio: Decimal | None
    low: Decimal | None
    high: Decimal | None
    corrected: bool  # half added to both counts (one was zero)

    @property
    def unlikely_noise(self) -> bool:
        return self.low is not None and self.high is not None and (
            self.low > 1 or self.high < 1)


@attrs.frozen
class YearOnYear:
    this_year: str
    last_year: str
    periods: tuple[str, ...]  # the months or quarters compared (this year's)
    changes: tuple[Change, ...]
    granularity: Granularity  # of the periods compared


def _round(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.001"))


def rate_ratio(this_year: int, last_year: int) -> tuple[Decimal | None, Decimal | None,
                                                        Decimal | None, bool]:
    """Ratio, low, high and whether the zero correction was applied."""
    if this_year == 0 and last_year == 0:
        return None, None, None, False
    corrected = this_year == 0 or last_year == 0
    a = this_year + (0.5 if corrected else 0)
    b = last_year + (0.5 if corrected else 0)
    centre = math.log(a / b)
    spread = Z_95 * math.sqrt(1 / a + 1 / b)
    return (_round(a / b), _round(math.exp(centre - spread)), _round(math.exp(centre + spread)),
            corrected)


def _year_of(period: str, granularity: Granularity) -> str:
    """The financial year a period label falls in."""
    if granularity is Granularity.MONTH:
        return str(FinancialYear.containing(date.fromisoformat(f"{period}-01")))
    return period[:7]


def _last_year(period: str, granularity: Granularity) -> str:
    if granularity is Granularity.MONTH:
        return f"{int(period[:4]) - 1}{period[4:]}"
    start = int(period[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}{period[7:]}"


def year_on_year(counts: Counts, this_year: str | None = None) -> YearOnYear | None:
    """This year (the latest in the data, unless given) against the year before, over the
    same months (quarters for a quarterly source), whatever the report's periods; None when
    the data hold no earlier year."""
    counts = counts.finest()
    granularity = counts.granularity
    years = sorted({_year_of(period, granularity) for period in counts.periods()})
    if not years:
        return None
    current = this_year or years[-1]
    start = int(current[:4]) - 1
    previous = f"{start}-{(start + 1) % 100:02d}"
    if previous not in years:
        return None
    periods = tuple(p for p in counts.periods() if _year_of(p, granularity) == current)
    earlier = {_last_year(p, granularity) for p in periods}
    changes = []
    for category in counts.categories():
        for area in counts.areas():
            now = sum(counts.count(category, area, p) for p in periods)
            then = sum(counts.count(category, area, p) for p in earlier)
            changes.append(Change(category, area, now, then, *rate_ratio(now, then)))
    return YearOnYear(current, previous, periods, tuple(changes), granularity)
