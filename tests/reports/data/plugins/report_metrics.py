"""Metrics and checks for the report tests: budget figures with field-path sources, a
target-progress share (as a target-counting plugin would give it), and a check that raises."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from vpp_core import CheckSpec, Finding, Measurement, MetricSpec, Quantity, Unit, hookimpl
from vpp_core.plugin_api.context import CheckContext, MetricContext

__version__ = "1.0"

# Share of each intervention's 24-and-under target reached, as a records plugin would count it.
PROGRESS = {"hospital-navigators": Decimal("0.64"), "school-navigators": Decimal("1.05")}


def budget_line(ctx: MetricContext, argument: str | None) -> Measurement:
    for index, line in enumerate(ctx.strategy.budget.lines):
        if line.id == argument and line.amount is not None:
            parts = tuple(
                Quantity(part.label, part.amount.amount, Unit.GBP,
                         f"budget.lines[{index}].parts[{number}].amount")
                for number, part in enumerate(line.parts) if part.amount is not None)
            return Measurement(line.amount.amount, Unit.GBP, parts,
                               f"budget.lines[{index}].amount")
    raise KeyError(f"no budget line {argument!r}")


def budget_total(ctx: MetricContext, argument: str | None) -> Measurement:
    budget = ctx.strategy.budget
    assert budget.stated_total is not None
    parts = tuple(Quantity(line.label, line.amount.amount, Unit.GBP, f"budget.lines[{index}]")
                  for index, line in enumerate(budget.lines) if line.amount is not None)
    return Measurement(budget.stated_total.amount, Unit.GBP, parts, "budget.stated_total")


def grant(ctx: MetricContext, argument: str | None) -> Measurement:
    for index, item in enumerate(ctx.strategy.grants):
        if item.id == argument:
            return Measurement(item.amount.amount, Unit.GBP, (), f"grants[{index}].amount")
    raise KeyError(f"no grant {argument!r}")


def progress(ctx: MetricContext, argument: str | None) -> Measurement:
    if argument not in PROGRESS:
        return Measurement(None, Unit.SHARE, (), "records:participants",
                           "no participants records for this intervention")
    return Measurement(PROGRESS[argument], Unit.SHARE, (), "records:participants",
                       "new people reached as a share of the target")


def monitoring(ctx: CheckContext) -> Iterator[Finding]:
    raise ConnectionError("the monitoring service did not answer")


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return [
        MetricSpec("rpt-budget-line", budget_line, Unit.GBP, "A budget line.", True),
        MetricSpec("rpt-budget-total", budget_total, Unit.GBP, "The stated budget total."),
        MetricSpec("rpt-grant", grant, Unit.GBP, "A grant's amount.", True),
        MetricSpec("rpt-target-progress", progress, Unit.SHARE, "Target progress.", True),
    ]


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("rpt-monitoring", monitoring, "Asks a monitoring service; it fails.")]
