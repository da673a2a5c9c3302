"""Value for money: spend per new person reached per intervention, and per professional
trained, from the targets plugin's public metrics (``target-reached:KEY/COHORT``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from vpp_core import MetricContext, Quantity, Strategy, Unit
from vpp_plugins.spend.figures import YearSpend, canonical_lines, line_interventions, pennies

PEOPLE = "people"
PROFESSIONALS = "professionals"


@attrs.frozen
class Reach:
    """Who a key (intervention or strand) is measured by: people or professionals."""

    key: str
    label: str
    who: str
    cohorts: tuple[str, ...]  # the cohorts' ids

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(f"target-reached:{self.key}/{cohort}" for cohort in self.cohorts)


def reach_lines(strategy: Strategy) -> Iterator[Reach]:
    """Each targets-table row's people (new people, every age cohort together) and its
    professionals trained, as the table sets them."""
    table = strategy.targets
    if table is None:
        return
    professional = {cohort.id for cohort in table.cohorts if cohort.professionals}
    for row in table.rows:
        key = row.intervention or row.strand
        if key is None:
            continue
        cohorts = [target.cohort for target in row.targets]
        label = row.label.rstrip("*").strip()
        people = tuple(c for c in cohorts if c not in professional)
        if people:
            yield Reach(key, f"{label}, new people", PEOPLE, people)
        trained = tuple(c for c in cohorts if c in professional)
        if trained:
            yield Reach(key, f"{label}, professionals trained", PROFESSIONALS, trained)


def spend_on(spend: YearSpend, key: str) -> Decimal:
    """Spend to date on an intervention (any line paying for it) or a budget line."""
    line = canonical_lines(spend.strategy)
    interventions = line_interventions(spend.strategy)
    target = line.get(key, key)
    return sum((row.amount for row in spend.spent
                if row.line == target or interventions.get(row.line) == key), Decimal(0))


@attrs.frozen
class ValueForMoney:
    reach: Reach
    spent: Decimal
    reached: int | None
    source: str
    note: str = ""

    @property
    def per_head(self) -> Decimal | None:
        return pennies(self.spent / self.reached) if self.reached else None

    @property
    def parts(self) -> tuple[Quantity, ...]:
        found = [Quantity("spend to date", self.spent, Unit.GBP, "records:spend")]
        if self.reached is not None:
            found.append(Quantity("reached", Decimal(self.reached), Unit.PEOPLE, self.source))
        return tuple(found)


def value_for_money(context: MetricContext, spend: YearSpend, reach: Reach) -> ValueForMoney:
    measured = [context.metric(reference) for reference in reach.references]
    spent = spend_on(spend, reach.key)
    if any(m.value is None for m in measured):
        note = next(m.note for m in measured if m.value is None) or "no count of people"
        return ValueForMoney(reach, spent, None, "", note)
    reached = int(sum((m.value for m in measured if m.value is not None), Decimal(0)))
    return ValueForMoney(reach, spent, reached, measured[0].source)
