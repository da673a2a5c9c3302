"""Reconciliation: every total the strategy states against the sum of its parts, and every
headline figure it states about itself against the figure computed from its parts.

The budget's stated total against its lines runs on the engine's ``total-equals-parts``
(the ``budget-stated-total`` metric carries the lines as its parts); what needs more than
one total per strategy is here.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from vpp_core import (
    CheckSpec,
    Evidence,
    FigureKind,
    Finding,
    ParameterSpec,
    Qualifier,
    Quantity,
    Status,
    StrategyError,
    Subject,
    Unit,
    VppError,
    format_share,
    format_value,
    whole_strategy,
)
from vpp_plugins._common import budget_lines, money, or_not_applicable, stated_parts

if TYPE_CHECKING:
    from vpp_core import (
        CheckContext,
        Measurement,
        StatedFigure,
    )


@or_not_applicable("No budget line states both an amount and its parts")
def line_parts_reconcile(ctx: CheckContext) -> Iterator[Finding]:
    """Each budget line stating both an amount and parts equals the sum of the parts that
    state an amount; parts funded otherwise (carry-over) are listed, not counted."""
    for path, line in budget_lines(ctx.strategy):
        if not line.parts or line.amount is None:
            continue
        parts = stated_parts(line, path)
        added = sum((part.value for part in parts), Decimal(0))
        stated = line.amount.amount
        notes = tuple(
            f"{part.label} ({path}.parts[{index}]) states no amount and is not counted"
            + (f": {part.note!r}" if part.note else "")
            for index, part in enumerate(line.parts) if part.amount is None
        )
        difference = stated - added
        message = (f"{line.label} states {format_value(stated, Unit.GBP)}; its {len(parts)} "
                   f"costed parts add up to {format_value(added, Unit.GBP)}")
        if difference:
            direction = "more" if difference > 0 else "less"
            message += (f": the line is {format_value(abs(difference), Unit.GBP)} {direction} "
                        "than its parts")
        yield Finding(
            Subject("budget-line", line.id, line.label),
            Status.FAIL if difference else Status.PASS,
            message,
            Evidence(measured=money("sum of parts", added), operator="==",
                     threshold=money(line.label, stated, f"{path}.amount"), parts=tuple(parts),
                     shortfall=money("difference", abs(difference)) if difference else None,
                     notes=notes),
        )


def targets_totals_reconcile(ctx: CheckContext) -> Iterator[Finding]:
    """Each column of the targets table adds up to the totals row the strategy prints."""
    table = ctx.strategy.targets
    if table is None or not table.stated_totals:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE,
                      "The strategy states no targets table with a totals row")
        return
    for column, total in enumerate(table.stated_totals):
        cohort = table.cohort(total.cohort)
        label = (total.cohort if cohort is None else cohort.label if cohort.professionals
                 else f"people {cohort.label}")
        parts = [
            Quantity(row.label, Decimal(target.count), Unit.PEOPLE,
                     f"targets.rows[{index}].targets[{position}].count")
            for index, row in enumerate(table.rows)
            for position, target in enumerate(row.targets) if target.cohort == total.cohort
        ]
        added = sum((part.value for part in parts), Decimal(0))
        difference = Decimal(total.count) - added
        message = (f"The totals row states {format_value(Decimal(total.count), Unit.PEOPLE)} "
                   f"({label}); the {len(parts)} rows add up to "
                   f"{format_value(added, Unit.PEOPLE)}")
        if difference:
            direction = "more" if difference > 0 else "less"
            message += f": the printed total is {abs(difference):,} {direction} than its rows"
        yield Finding(
            Subject("targets-column", total.cohort, label),
            Status.FAIL if difference else Status.PASS,
            message,
            Evidence(measured=Quantity("sum of rows", added, Unit.PEOPLE), operator="==",
                     threshold=Quantity("totals row", Decimal(total.count), Unit.PEOPLE,
                                        f"targets.stated_totals[{column}].count"),
                     parts=tuple(parts),
                     shortfall=(Quantity("difference", abs(difference), Unit.PEOPLE)
                                if difference else None)),
        )


def _computed(ctx: CheckContext, figure: StatedFigure) -> tuple[Decimal | None, Evidence, str]:
    """The figure computed from its metrics, the evidence for it, and a note if it has none."""
    top = ctx.metric(figure.metric)
    if figure.kind is not FigureKind.SHARE:
        measured = (Quantity(figure.metric, top.value, top.unit, top.source)
                    if top.value is not None else None)
        return top.value, Evidence(measured=measured, parts=top.parts), top.note
    if figure.denominator is None:
        raise StrategyError("a share needs a denominator metric")
    bottom: Measurement = ctx.metric(figure.denominator)
    if top.value is None or bottom.value is None or bottom.value == 0:
        return None, Evidence(), top.note or bottom.note or f"{figure.denominator} is zero"
    share = top.value / bottom.value
    return share, Evidence(
        measured=Quantity("share", share.quantize(Decimal("0.000001")), Unit.SHARE),
        numerator=Quantity(figure.metric, top.value, top.unit, top.source),
        denominator=Quantity(figure.denominator, bottom.value, bottom.unit, bottom.source),
        parts=top.parts + bottom.parts,
    ), ""


def _band(figure: StatedFigure, nearly: Decimal, about: Decimal) -> tuple[Decimal, Decimal | None]:
    """The lowest and highest computed value that bears the stated figure out."""
    stated = figure.value
    if figure.qualifier is Qualifier.NEARLY:
        return stated * (1 - nearly), stated
    if figure.qualifier is Qualifier.ABOUT:
        return stated * (1 - about), stated * (1 + about)
    if figure.qualifier is Qualifier.AT_LEAST:
        return stated, None
    if figure.kind is FigureKind.SHARE:  # "60%" holds for anything that rounds to 60%
        exponent = stated.as_tuple().exponent
        places = max(-exponent, 2) if isinstance(exponent, int) else 2
        half = Decimal(1).scaleb(-places) / 2
        return stated - half, stated + half
    return stated, stated


def _show(value: Decimal, figure: StatedFigure, unit: Unit) -> str:
    return format_share(value) if figure.kind is FigureKind.SHARE else format_value(value, unit)


def stated_figures_match(ctx: CheckContext) -> Iterator[Finding]:
    """Each headline figure the strategy states about itself ("Nearly 60% of total grant")
    is borne out by the figure computed from its parts, within the qualifier's tolerance."""
    nearly: Decimal = ctx.params["nearly_tolerance"]
    about: Decimal = ctx.params["about_tolerance"]
    figures = ctx.strategy.stated_figures
    if not figures:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE,
                      "The strategy states no headline figures about itself")
        return
    units = {FigureKind.AMOUNT: Unit.GBP, FigureKind.COUNT: Unit.COUNT,
             FigureKind.SHARE: Unit.SHARE}
    for index, figure in enumerate(figures):
        subject = Subject("stated-figure", figure.id, figure.as_printed)
        unit = units[figure.kind]
        where = figure.section or f"stated_figures[{index}]"
        try:
            value, evidence, note = _computed(ctx, figure)
        except VppError as exc:  # a figure naming what is not there: bad input, not a finding
            raise StrategyError(f"stated_figures[{index}] ({figure.id}): {exc}") from None
        if value is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{figure.as_printed!r} cannot be computed: {note}",
                          Evidence(notes=(note,)))
            continue
        low, high = _band(figure, nearly, about)
        ok = value >= low and (high is None or value <= high)
        stated = _show(figure.value, figure, unit)
        words = {Qualifier.NEARLY: f"nearly {stated}", Qualifier.ABOUT: f"about {stated}",
                 Qualifier.AT_LEAST: f"at least {stated}"}.get(figure.qualifier, stated)
        message = (f"{where}: {figure.as_printed!r} states {words}; its parts give "
                   f"{_show(value, figure, unit)}")
        if figure.qualifier in (Qualifier.NEARLY, Qualifier.ABOUT):
            upper = "" if high is None else f" to {_show(high, figure, unit)}"
            message += f" ({words} allows {_show(low, figure, unit)}{upper})"
        difference = abs(figure.value - value)
        yield Finding(
            subject,
            Status.PASS if ok else Status.FAIL,
            message,
            Evidence(
                measured=evidence.measured or Quantity("computed", value, unit),
                operator=figure.qualifier.value,
                threshold=Quantity("stated", figure.value, unit, f"stated_figures[{index}].value"),
                numerator=evidence.numerator, denominator=evidence.denominator,
                parts=evidence.parts,
                shortfall=None if ok else Quantity("difference from the stated figure",
                                                   difference, unit),
                notes=(note,) if note else (),
            ),
        )


CHECKS = (
    CheckSpec("line-parts-reconcile", line_parts_reconcile,
              "Each budget line with parts equals the sum of its costed parts."),
    CheckSpec("targets-totals-reconcile", targets_totals_reconcile,
              "Each column of the targets table adds up to its printed totals row."),
    CheckSpec(
        "stated-figures-match", stated_figures_match,
        "Each headline figure the strategy states about itself matches its parts.",
        (
            ParameterSpec("nearly_tolerance", "decimal",
                          '"Nearly X" holds from X × (1 − tolerance) up to X.',
                          required=False, default=Decimal("0.05")),
            ParameterSpec("about_tolerance", "decimal",
                          '"About X" holds within X × tolerance either side.',
                          required=False, default=Decimal("0.05")),
        ),
    ),
)
