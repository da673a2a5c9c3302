"""What the first-party rule families share: walking the budget, funded interventions,
subjects and evidence quantities with their field paths."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from vpp_core import (
    CheckContext,
    Finding,
    GrantKind,
    Quantity,
    Status,
    Subject,
    Unit,
    bundled_strategy,
    whole_strategy,
)

if TYPE_CHECKING:
    from vpp_core import (
        BudgetLine,
        Grant,
        Intervention,
        Strategy,
    )

Check = Callable[[CheckContext], Iterator[Finding]]

#: The strategy a generator follows when ``--strategy`` is not given and there is one here.
LOCAL_STRATEGY = Path("strategy.toml")
NO_FUNDED = "No intervention is funded by a budget line"


def budget_lines(strategy: Strategy) -> Iterator[tuple[str, BudgetLine]]:
    """Every budget line and part, depth first, with its path (``budget.lines[3].parts[0]``)."""

    def walk(lines: tuple[BudgetLine, ...], path: str) -> Iterator[tuple[str, BudgetLine]]:
        for index, line in enumerate(lines):
            here = f"{path}[{index}]"
            yield here, line
            yield from walk(line.parts, f"{here}.parts")

    yield from walk(strategy.budget.lines, "budget.lines")


def top_level_lines(strategy: Strategy) -> Iterator[tuple[str, BudgetLine]]:
    """The budget's own lines (not their parts), with their field paths."""
    for index, line in enumerate(strategy.budget.lines):
        yield f"budget.lines[{index}]", line


def find_line(strategy: Strategy, line_id: str) -> tuple[str, BudgetLine] | None:
    """A budget line or part by id, with its path; ``None`` if there is none."""
    for path, line in budget_lines(strategy):
        if line.id == line_id:
            return path, line
    return None


def stated_parts(line: BudgetLine, path: str) -> list[Quantity]:
    """The parts of ``line`` that state an amount, as evidence quantities."""
    return [
        money(part.label, part.amount.amount, f"{path}.parts[{index}].amount")
        for index, part in enumerate(line.parts)
        if part.amount is not None
    ]


def line_value(line: BudgetLine, path: str) -> tuple[Decimal | None, str]:
    """A line's amount and where it comes from: its own amount, else the sum of its parts'."""
    if line.amount is not None:
        return line.amount.amount, f"{path}.amount"
    parts = stated_parts(line, path)
    if parts:
        return sum((part.value for part in parts), Decimal(0)), f"{path}.parts"
    return None, path


def funds_interventions(line: BudgetLine) -> bool:
    """Whether a line pays for interventions: it names one, or one of its parts does."""
    return line.intervention is not None or any(funds_interventions(p) for p in line.parts)


def funded_interventions(strategy: Strategy) -> list[tuple[Intervention, str, BudgetLine]]:
    """Interventions some budget line pays for (carry-over included), in the strategy's order,
    each with the first line naming it and that line's path."""
    lines: dict[str, tuple[str, BudgetLine]] = {}
    for path, line in budget_lines(strategy):
        if line.intervention is not None:
            lines.setdefault(line.intervention, (path, line))
    return [
        (item, *lines[item.id])
        for item in strategy.interventions
        if item.id in lines
    ]


def year_core_grant(strategy: Strategy) -> tuple[str, Grant] | None:
    """The core grant the budget is for, else the core grant covering the strategy's year."""
    indexed = list(enumerate(strategy.grants))
    for index, grant in indexed:
        if grant.id == strategy.budget.grant and grant.kind is GrantKind.CORE:
            return f"grants[{index}]", grant
    for index, grant in indexed:
        if grant.kind is GrantKind.CORE and strategy.financial_year in grant.years:
            return f"grants[{index}]", grant
    return None


def year_amount(grant: Grant) -> Decimal:
    """One year's even share of ``grant`` (all of it when it covers one year)."""
    return grant.amount.amount / len(grant.years)


def money(label: str, amount: Decimal, source: str = "") -> Quantity:
    return Quantity(label, amount, Unit.GBP, source)


def count(label: str, number: int | Decimal, source: str = "") -> Quantity:
    return Quantity(label, Decimal(number), Unit.COUNT, source)


def intervention_spellings(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each intervention's id and name, as spellings of its id: a records column naming
    interventions takes either (``RecordKind.strategy_aliases``)."""
    return tuple((spelling, item.id) for item in strategy.interventions
                 for spelling in (item.id, item.name))


def intervention_subject(intervention: Intervention) -> Subject:
    return Subject("intervention", intervention.id, intervention.name)


def long_date(day: date) -> str:
    """``31 January 2024``."""
    return f"{day.day} {day:%B %Y}"


def or_not_applicable(message: str) -> Callable[[Check], Check]:
    """Make a check that finds nothing to judge say so: one not-applicable finding about
    the strategy as a whole, with ``message``."""

    def decorate(check: Check) -> Check:
        @functools.wraps(check)
        def run(ctx: CheckContext) -> Iterator[Finding]:
            found = False
            for finding in check(ctx):
                found = True
                yield finding
            if not found:
                yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE, message)

        return run

    return decorate


def strategy_to_follow(given: Path | None) -> tuple[Path, str]:
    """The strategy a generator follows — ``--strategy``, else ./strategy.toml, else the
    bundled Thames Valley example — and how to name it in the generator's output."""
    if given is not None:
        return given, str(given)
    if LOCAL_STRATEGY.is_file():
        return LOCAL_STRATEGY, str(LOCAL_STRATEGY)
    return bundled_strategy(), "the bundled Thames Valley 2024-25 example"
