"""A VRU's own plugin, loaded from its file: metrics over the budget and a new check."""

from __future__ import annotations

from collections.abc import Iterator

from vpp_core import (
    CheckSpec,
    Evidence,
    Finding,
    Measurement,
    MetricSpec,
    ParameterSpec,
    Quantity,
    Status,
    Subject,
    Unit,
    hookimpl,
)
from vpp_core.model import BudgetLine, Funding
from vpp_core.plugin_api.context import CheckContext, MetricContext

__version__ = "1.2"


def _lines(lines: tuple[BudgetLine, ...]) -> Iterator[BudgetLine]:
    for line in lines:
        yield line
        yield from _lines(line.parts)


def budget_line(ctx: MetricContext, argument: str | None) -> Measurement:
    for line in _lines(ctx.strategy.budget.lines):
        if line.id == argument:
            parts = tuple(
                Quantity(part.id, part.amount.amount, Unit.GBP, f"budget line {part.id}")
                for part in line.parts if part.amount is not None
            )
            value = line.amount.amount if line.amount is not None else None
            return Measurement(value, Unit.GBP, parts, f"budget line {line.id}",
                               "" if value is not None else f"{line.funding.value}")
    raise KeyError(f"no budget line {argument!r}")


def grant_amount(ctx: MetricContext, argument: str | None) -> Measurement:
    grant = ctx.strategy.grant(argument or "")
    return Measurement(grant.amount.amount, Unit.GBP, (), f"grant {grant.id}")


def evaluated_count(ctx: MetricContext, argument: str | None) -> Measurement:
    count = sum(1 for item in ctx.strategy.interventions if item.evaluation is not None)
    return Measurement(count, Unit.COUNT, (), "interventions with an evaluation")


def funding_stated(ctx: CheckContext) -> Iterator[Finding]:
    """Every intervention says how it is funded."""
    for item in ctx.strategy.interventions:
        stated = item.funding.source is not Funding.NOT_STATED
        yield Finding(
            Subject("intervention", item.id, item.name),
            Status.PASS if stated else Status.FAIL,
            f"{item.name}: funding {'stated' if stated else 'not stated'}",
            Evidence(notes=(item.funding.as_printed,) if item.funding.as_printed else ()),
        )


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return [
        MetricSpec("demo-budget-line", budget_line, Unit.GBP, "A budget line's amount.",
                   takes_argument=True),
        MetricSpec("demo-evaluated-count", evaluated_count, Unit.COUNT,
                   "Interventions with an evaluation."),
        MetricSpec("demo-grant", grant_amount, Unit.GBP, "A grant's amount.",
                   takes_argument=True),
    ]


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [
        CheckSpec("demo-funding-stated", funding_stated,
                  "Every intervention says how it is funded.",
                  (ParameterSpec("note", "string", "A note.", required=False),)),
    ]
