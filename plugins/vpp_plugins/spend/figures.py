"""Spend against profile as of a day, the two year-end forecasts, and spend that needs a
reason (outside its grant's years, or on a line the grant does not fund).

Stated rules, shown on every report:

- **Spend to date**: spend dated from 1 April of the strategy's year to the as-of day.
- **Profile to date**: every profiled period that has ended by the as-of day in full, and
  the period running on it pro rata by days (its days elapsed / its days).
- **Variance**: spend to date − profile to date; as a share of the profile to date.
- **Profile-based forecast**: spend to date + the profile still to come this year.
- **Run-rate forecast**: spend to date × days in the year / days elapsed.
- **Allocation**: a grant's amount when it is for this year alone; for a grant over several
  years, its profile for this year (labelled).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

import attrs

from vpp_core import FinancialYear, Strategy, format_money
from vpp_plugins._common import budget_lines
from vpp_plugins.spend.ledger import Planned, SpendRecords, Spent

PENNY = Decimal("0.01")
FORECAST_RULE = (
    "Profile-based forecast: spend to date + the profile still to come. Run-rate forecast: "
    "spend to date × days in the year / days elapsed. Profile to date: ended periods in full, "
    "the current one pro rata by days."
)


def signed_money(value: Decimal) -> str:
    """``£40,500`` or ``-£40,500`` (an overspend or a variance below profile)."""
    return ("-" if value < 0 else "") + format_money(abs(value))


def pennies(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@attrs.frozen
class Position:
    """Spend against profile for one line, grant or intervention, as of a day."""

    kind: str  # "line", "grant" or "intervention"
    key: str
    label: str
    year: FinancialYear
    as_of: date
    actual: Decimal
    planned_to_date: Decimal
    planned_year: Decimal
    allocation: Decimal | None = None
    allocation_basis: str = ""
    #: The part of ``actual`` that is not cash, by type (in-kind, secondment).
    not_cash: tuple[tuple[str, Decimal], ...] = ()

    @property
    def spent_text(self) -> str:
        """``£54,500 spent`` or ``£54,500 spent (of it £5,000 in-kind, £12,000 secondment)``."""
        return f"{format_money(self.actual)} spent{of_it(self.not_cash)}"

    @property
    def variance(self) -> Decimal:
        return self.actual - self.planned_to_date

    @property
    def variance_share(self) -> Decimal | None:
        return self.variance / self.planned_to_date if self.planned_to_date else None

    def rag(self, green: Decimal, amber: Decimal) -> Rag:
        """Green within ±``green`` of the profile to date, amber within ±``amber``, else red;
        spend with no profile to date is red."""
        share = self.variance_share
        if share is None:
            return Rag.GREEN if self.actual == 0 else Rag.RED
        if abs(share) <= green:
            return Rag.GREEN
        return Rag.AMBER if abs(share) <= amber else Rag.RED

    @property
    def elapsed_days(self) -> int:
        return self.year.period.elapsed_share(self.as_of)[0]

    @property
    def forecast_profile(self) -> Decimal:
        return pennies(self.actual + self.planned_year - self.planned_to_date)

    @property
    def forecast_run_rate(self) -> Decimal:
        elapsed, days = self.year.period.elapsed_share(self.as_of)
        return pennies(self.actual * days / elapsed) if elapsed else Decimal(0)

    @property
    def forecast_range(self) -> tuple[Decimal, Decimal]:
        low, high = sorted((self.forecast_profile, self.forecast_run_rate))
        return low, high

    def underspend(self, forecast: Decimal) -> Decimal | None:
        """Allocation − forecast: positive an underspend, negative an overspend."""
        return None if self.allocation is None else self.allocation - forecast


def not_cash(rows: Iterable[Spent]) -> tuple[tuple[str, Decimal], ...]:
    """The in-kind and secondment spend within ``rows``, each where there is some."""
    found = list(rows)
    return tuple((kind, total) for kind, total in (
        ("in-kind", sum((row.in_kind for row in found if row.in_kind), Decimal(0))),
        ("secondment", sum((row.secondment for row in found if row.secondment), Decimal(0))))
        if total)


def of_it(parts: Iterable[tuple[str, Decimal]]) -> str:
    """`` (of it £5,000 in-kind, £12,000 secondment)``, or "" for none."""
    shown = [f"{format_money(amount)} {kind}" for kind, amount in parts]
    return f" (of it {', '.join(shown)})" if shown else ""


def planned_to(planned: Iterable[Planned], as_of: date) -> Decimal:
    """Profile to ``as_of``: ended periods in full, the running one pro rata by days."""
    total = Decimal(0)
    for row in planned:
        if row.end <= as_of:
            total += row.amount
        elif row.start <= as_of:
            days = (row.end - row.start).days + 1
            total += row.amount * ((as_of - row.start).days + 1) / days
    return pennies(total)


def canonical_lines(strategy: Strategy) -> dict[str, str]:
    """An intervention id → the budget line or part paying for it (others: themselves)."""
    found = {line.intervention: line.id for _, line in budget_lines(strategy)
             if line.intervention}
    return {intervention.id: found.get(intervention.id, intervention.id)
            for intervention in strategy.interventions}


def line_interventions(strategy: Strategy) -> dict[str, str]:
    """A budget line or part → the intervention it pays for."""
    found = {line.id: line.intervention for _, line in budget_lines(strategy)
             if line.intervention}
    found.update({intervention.id: intervention.id for intervention in strategy.interventions})
    return found


def labels(strategy: Strategy) -> dict[str, str]:
    named = {line.id: line.label for _, line in budget_lines(strategy)}
    named.update({i.id: i.name for i in strategy.interventions})
    named.update({g.id: g.name for g in strategy.grants})
    return named


@attrs.frozen
class YearSpend:
    """The year's spend and profile, lines named canonically, to the as-of day."""

    strategy: Strategy
    as_of: date
    spent: tuple[Spent, ...]  # in the year, to the as-of day
    planned: tuple[Planned, ...]  # periods starting in the year
    #: Spend in the records dated before 1 April of the year, and after the as-of day.
    before: Decimal = Decimal(0)
    after: Decimal = Decimal(0)
    #: Planned spend for periods of other years, by period: not this year's profile.
    elsewhere: tuple[tuple[str, Decimal], ...] = ()

    @property
    def not_planned(self) -> str:
        """A note of the profile's periods in other years ("" if none)."""
        shown = ", ".join(f"{format_money(amount)} planned for {period}"
                          for period, amount in self.elsewhere)
        return f"Not in the {self.strategy.financial_year} profile: {shown}." if shown else ""

    @property
    def outside(self) -> str:
        """The spend in the records outside the days counted ("" if none): ``£2,000 dated
        before 2024-04-01 and £3,000 dated after 2024-06-30``."""
        return " and ".join(f"{format_money(amount)} dated {when}" for amount, when in (
            (self.before, f"before {self.strategy.financial_year.start}"),
            (self.after, f"after {self.as_of}")) if amount)

    @property
    def not_counted(self) -> str:
        """A note of the spend in the records outside the days counted ("" if none)."""
        return f"Not counted in spend to date: {self.outside}." if self.outside else ""

    @classmethod
    def of(cls, strategy: Strategy, records: SpendRecords, as_of: date) -> YearSpend:
        year = strategy.financial_year
        line = canonical_lines(strategy)
        renamed = {key: value for key, value in line.items() if key != value}
        start = year.start
        spent = tuple(row._replace(line=renamed[row.line]) if row.line in renamed else row
                      for row in records.spent if start <= row.day <= as_of)
        planned = tuple(attrs.evolve(row, line=line.get(row.line, row.line))
                        for row in records.planned if row.start in year)
        before = sum((row.amount for row in records.spent if row.day < start), Decimal(0))
        after = sum((row.amount for row in records.spent if row.day > as_of), Decimal(0))
        elsewhere: dict[str, Decimal] = defaultdict(Decimal)
        for row in records.planned:
            if row.start not in year:
                elsewhere[row.period] += row.amount
        return cls(strategy, as_of, spent, planned, before, after,
                   tuple(sorted(elsewhere.items())))

    def _position(self, kind: str, key: str, label: str, spent: Iterable[Spent],
                  planned: Iterable[Planned]) -> Position:
        plans = list(planned)
        rows = list(spent)
        return Position(kind, key, label, self.strategy.financial_year, self.as_of,
                        sum((row.amount for row in rows), Decimal(0)),
                        planned_to(plans, self.as_of),
                        sum((row.amount for row in plans), Decimal(0)),
                        not_cash=not_cash(rows))

    def _grouped(self, kind: str, key_of: Mapping[str, str] | None = None,
                 by_grant: bool = False) -> list[Position]:
        def key(row: Spent | Planned) -> str | None:
            if by_grant:
                return row.grant
            if key_of is None:
                return f"{row.grant}/{row.line}"
            return key_of.get(row.line)

        spent: dict[str, list[Spent]] = defaultdict(list)
        planned: dict[str, list[Planned]] = defaultdict(list)
        for row in self.spent:
            if (k := key(row)) is not None:
                spent[k].append(row)
        for plan in self.planned:
            if (k := key(plan)) is not None:
                planned[k].append(plan)
        named = labels(self.strategy)

        def label(k: str) -> str:
            return " / ".join(named.get(part, part) for part in k.split("/"))

        return [self._position(kind, k, label(k), spent[k], planned[k])
                for k in sorted(set(spent) | set(planned))]

    def lines(self) -> list[Position]:
        """Per grant and line (``GRANT/LINE``)."""
        return self._grouped("line")

    def interventions(self) -> list[Position]:
        """Per intervention, across grants."""
        return self._grouped("intervention", line_interventions(self.strategy))

    def grants(self) -> list[Position]:
        """Per grant, with the allocation its under- or overspend is measured against."""
        year = self.strategy.financial_year
        found = []
        grants = {grant.id: grant for grant in self.strategy.grants}
        for position in self._grouped("grant", by_grant=True):
            grant = grants[position.key]
            if grant.years == (year,):
                allocation, basis = grant.amount.amount, f"the grant ({grant.amount.as_printed})"
            elif year in grant.years:
                allocation, basis = position.planned_year, (
                    f"its profile for {year} (a grant over {len(grant.years)} years)")
            else:
                allocation, basis = None, f"not a {year} grant"
            found.append(attrs.evolve(position, allocation=allocation, allocation_basis=basis))
        return found


@attrs.frozen
class Irregular:
    """Spend needing a reason: on a day outside its grant's years, or on a line the grant
    does not fund; ``covered`` of it by a recorded carry-over, with its references."""

    grant: str
    line: str
    reason: str
    amount: Decimal
    covered: Decimal
    first_day: date
    last_day: date
    cover: tuple[str, ...] = ()

    @property
    def uncovered(self) -> Decimal:
        return self.amount - self.covered

    @property
    def days(self) -> str:
        """The days it was spent: "spent on D" or "spent D to E"."""
        if self.first_day == self.last_day:
            return f"spent on {self.first_day}"
        return f"spent {self.first_day} to {self.last_day}"


def grant_days(years: Iterable[FinancialYear]) -> str:
    """A grant's years as the days they run, consecutive years as one span:
    "2022-04-01 to 2025-03-31"."""
    spans: list[list[date]] = []
    for year in sorted(years, key=lambda y: y.start_year):
        period = year.period
        if spans and (period.start - spans[-1][1]).days == 1:
            spans[-1][1] = period.end
        else:
            spans.append([period.start, period.end])
    return ", ".join(f"{start} to {end}" for start, end in spans)


def funded_lines(strategy: Strategy, records: SpendRecords) -> set[tuple[str, str]]:
    """(grant, line) pairs a grant funds: the budget's lines for the budget's grant, and
    every line a grant has a profile for."""
    line = canonical_lines(strategy)
    funded = {(strategy.budget.grant, budget_line.id)
              for _, budget_line in budget_lines(strategy)}
    funded |= {(row.grant, line.get(row.line, row.line)) for row in records.planned}
    return funded


def irregular_spend(strategy: Strategy, records: SpendRecords, as_of: date) -> list[Irregular]:
    """Spend to ``as_of`` on a line its grant does not fund, and spend on any day outside
    its grant's years (dated after ``as_of`` too: after the year's end, the year-end return
    must show it), in date order, set against the carry-overs that cover it (each up to
    its amount)."""
    years = {grant.id: [year.period for year in grant.years] for grant in strategy.grants}
    spans = {grant.id: grant_days(grant.years) for grant in strategy.grants}
    line = canonical_lines(strategy)
    funded = funded_lines(strategy, records)
    left = {index: row.amount for index, row in enumerate(records.carry_overs)}
    groups: dict[tuple[str, str, str], list[tuple[Spent, Decimal, set[str]]]] = defaultdict(list)
    for row in sorted(records.spent, key=lambda r: (r.day, r.grant, r.line)):
        canonical = line.get(row.line, row.line)
        if not any(period.start <= row.day <= period.end for period in years[row.grant]):
            reason = f"dated outside the grant's years, {spans[row.grant]}"
        elif row.day > as_of:
            continue
        elif (row.grant, canonical) not in funded:
            reason = "on a line the grant does not fund"
        else:
            continue
        covered, cover = Decimal(0), set()
        for index, carry in enumerate(records.carry_overs):
            if (carry.grant != row.grant or row.day > carry.spend_until
                    or (carry.line is not None and line.get(carry.line, carry.line)
                        != canonical)):
                continue
            take = min(left[index], row.amount - covered)
            if take > 0:
                left[index] -= take
                covered += take
                cover.add(f"{carry.reference} (approved by {carry.approved_by})")
        groups[(row.grant, canonical, reason)].append((row, covered, cover))
    found = []
    for (grant, canonical, reason), rows in sorted(groups.items()):
        found.append(Irregular(
            grant, canonical, reason,
            sum((row.amount for row, _, _ in rows), Decimal(0)),
            sum((covered for _, covered, _ in rows), Decimal(0)),
            min(row.day for row, _, _ in rows), max(row.day for row, _, _ in rows),
            tuple(sorted(set().union(*(cover for _, _, cover in rows))))))
    return found
