"""Match funding by evidenced source, and evaluation milestones due by a day.

A source's contribution to a financial year: an amount, pro rata to the days of its period
that fall in the year; a secondment given as FTE × annual cost, that cost for the days of
its period in the year (days in the year / days in the year counts once).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from vpp_core import FinancialYear
from vpp_plugins.spend.figures import pennies
from vpp_plugins.spend.ledger import MatchSource, Milestone

MATCH_RULE = (
    "A source counts for the days of its period in the year: an amount pro rata to them; "
    "FTE × annual cost × those days / the year's days."
)


def overlap_days(start: date, end: date, year: FinancialYear) -> int:
    first, last = max(start, year.start), min(end, year.end)
    return max(0, (last - first).days + 1)


@attrs.frozen
class Contribution:
    source: MatchSource
    value: Decimal
    basis: str

    @property
    def label(self) -> str:
        return f"{self.source.partner} ({self.source.type})"


def contribution(source: MatchSource, year: FinancialYear) -> Contribution:
    days = overlap_days(source.start, source.end, year)
    if source.amount is not None:
        span = (source.end - source.start).days + 1
        value = source.amount * days / span
        basis = f"£{source.amount:,.2f} × {days}/{span} days in {year}"
    else:
        assert source.fte is not None and source.annual_cost is not None  # a row rule
        value = source.fte * source.annual_cost * days / year.period.days
        basis = (f"{source.fte.normalize():f} FTE × £{source.annual_cost:,.2f} × "
                 f"{days}/{year.period.days} days")
    return Contribution(source, pennies(value), basis + f"; evidence: {source.evidence}")


def contributions(sources: tuple[MatchSource, ...], grant: str,
                  year: FinancialYear) -> list[Contribution]:
    """What each source matching ``grant`` gives in ``year`` (sources outside it left out)."""
    return [contribution(s, year) for s in sources
            if s.grant == grant and overlap_days(s.start, s.end, year)]


def overdue(milestones: tuple[Milestone, ...], as_of: date) -> list[Milestone]:
    """Milestones due before ``as_of`` and not complete."""
    return [m for m in milestones if m.due < as_of and m.status != "complete"]
