"""Spend as metrics rules can compare: actual spend on the year's core grant, on its
intervention lines and on one line (beside the budget's figure), and spend per head."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from vpp_core import Measurement, MetricContext, Quantity, Unit, UsageError
from vpp_plugins._common import budget_lines, funds_interventions, year_core_grant
from vpp_plugins.spend.figures import canonical_lines, not_cash, of_it
from vpp_plugins.spend.value import reach_lines, value_for_money
from vpp_plugins.spend.year import before_the_year, year_spend

_NO_SPEND = "no spend records were supplied"


def _core_spend(context: MetricContext, lines: frozenset[str] | None, what: str,
                budget: Decimal | None) -> Measurement:
    spend = year_spend(context)
    core = year_core_grant(context.strategy)
    if spend is None or core is None:
        return Measurement(None, Unit.GBP, note=_NO_SPEND if core else "no core grant this year")
    not_begun = before_the_year(context)
    if not_begun is not None:
        return Measurement(None, Unit.GBP, note=not_begun)
    _, grant = core
    rows = [row for row in spend.spent
            if row.grant == grant.id and (lines is None or row.line in lines)]
    total = sum((row.amount for row in rows), Decimal(0))
    by_line: dict[str, Decimal] = {}
    for row in rows:
        by_line[row.line] = by_line.get(row.line, Decimal(0)) + row.amount
    shown = "" if budget is None else f"; the budget's figure: £{budget:,}"
    return Measurement(
        total, Unit.GBP,
        parts=tuple(Quantity(line, value, Unit.GBP, "records:spend")
                    for line, value in sorted(by_line.items())),
        source="records:spend",
        note=f"actual spend on {grant.id}, {what}, 1 April to {spend.as_of}"
             f"{of_it(not_cash(rows))}{shown}",
    )


def _budget(context: MetricContext, reference: str) -> Decimal | None:
    if reference not in context.metrics:
        return None
    return context.metric(reference).value


def core_grant_spend(context: MetricContext, argument: str | None) -> Measurement:
    return _core_spend(context, None, "every line", _budget(context, "core-grant-amount"))


def intervention_spend_actual(context: MetricContext, argument: str | None) -> Measurement:
    strategy = context.strategy
    lines = frozenset([line.id for _, line in budget_lines(strategy) if funds_interventions(line)]
                      + list(canonical_lines(strategy).values()))
    return _core_spend(context, lines, "lines paying for interventions",
                       _budget(context, "intervention-spend"))


def line_spend_actual(context: MetricContext, argument: str | None) -> Measurement:
    wanted = argument or ""
    found = [line for _, line in budget_lines(context.strategy) if line.id == wanted]
    if not found:
        known = ", ".join(line.id for _, line in budget_lines(context.strategy))
        raise UsageError(f"line-spend-actual: no budget line {wanted!r} (lines: {known})")
    ids = frozenset([wanted] + [part.id for _, part in budget_lines(context.strategy)
                                if part in found[0].parts])
    return _core_spend(context, ids, f"line {wanted}", _budget(context, f"budget-line:{wanted}"))


def _per_head(who: str) -> Callable[[MetricContext, str | None], Measurement]:
    def compute(context: MetricContext, argument: str | None) -> Measurement:
        spend = year_spend(context)
        reach = next((r for r in reach_lines(context.strategy)
                      if r.key == argument and r.who == who), None)
        if reach is None:
            raise UsageError(f"spend-per-{who}: the targets table has no {who} row for "
                             f"{argument!r}")
        if spend is None:
            return Measurement(None, Unit.GBP, note=_NO_SPEND)
        value = value_for_money(context, spend, reach)
        return Measurement(value.per_head, Unit.GBP, parts=value.parts, source="records:spend",
                           note=value.note or f"spend to {spend.as_of} / reached")
    return compute


spend_per_person = _per_head("people")
spend_per_professional = _per_head("professionals")
