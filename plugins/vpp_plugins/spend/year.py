"""The run's as-of day and its year of spend, shared by checks, metrics and the return."""

from __future__ import annotations

from datetime import date

from vpp_core import MetricContext
from vpp_plugins.spend.figures import YearSpend
from vpp_plugins.spend.ledger import spend_records


def as_of_day(context: MetricContext) -> date | None:
    """``--as-of``, else the last day the spend records cover (``None``: neither), no later
    than the end of the strategy's year: spend after 31 March is not the year's spend to
    date (SPEND003 lists it on a grant of that year)."""
    day = context.as_of or spend_records(context).last_day
    return None if day is None else min(day, context.strategy.financial_year.end)


def before_the_year(context: MetricContext) -> str | None:
    """Why there is no spend to date when the as-of day is before the strategy's year
    begins (``None``: it is not)."""
    day, year = as_of_day(context), context.strategy.financial_year
    if day is None or day >= year.start:
        return None
    return f"as of {day}, before {year} begins on {year.start}: no spend to date to measure"


def year_spend(context: MetricContext) -> YearSpend | None:
    day = as_of_day(context)
    if day is None:
        return None
    return context.memo(("year-spend", day), lambda: YearSpend.of(
        context.strategy, spend_records(context), day))
