"""Target metrics: what packs compare, named ``metric:INTERVENTION/COHORT``.

``INTERVENTION`` is a targets-table row's intervention id (or strand id for a strand's
own row) and ``COHORT`` the id of one of the strategy's cohorts (``[[targets.cohorts]]``,
such as ``24-and-under`` or ``professionals-trained``). Metrics count the default
engagement events (start, session, exit); the TGT rules count those of their pack's
``engagement_events``. Without the records a metric needs, its value is ``None`` with a
note saying so.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from vpp_core import Measurement, MetricSpec, Quantity, Unit, UsageError
from vpp_plugins.targets.counting import counts_for
from vpp_plugins.targets.lines import cohorts, find_line, target_lines
from vpp_plugins.targets.progress import Progress, cents
from vpp_plugins.targets.schemas import PARTICIPANTS, TRAINING

if TYPE_CHECKING:
    from vpp_core import Cohort, MetricContext
    from vpp_plugins.targets.counting import TargetCounts
    from vpp_plugins.targets.lines import TargetLine


def _records_kind(cohort: Cohort) -> str:
    return TRAINING if cohort.professionals else PARTICIPANTS


def _missing(cohort: Cohort, unit: Unit) -> Measurement:
    return Measurement(
        None, unit, note=f"no {_records_kind(cohort)} records were supplied", source="records"
    )


def line_parts(progress: Progress, counts: TargetCounts) -> tuple[Quantity, ...]:
    """The numbers behind a line's progress, for evidence."""
    line = progress.line
    source = f"records:{_records_kind(line.cohort)}"
    quarters = counts.quarters(line.key, line.cohort.id)
    referred = (
        (Quantity("referred only (not counted)",
                  Decimal(counts.referred_only(line.key, line.cohort.id)), Unit.PEOPLE, source),)
        if line.is_people else ()
    )
    return (
        Quantity("reached", Decimal(progress.reached), Unit.PEOPLE, source),
        Quantity("target", Decimal(line.target), Unit.PEOPLE, line.path),
        Quantity(f"expected by {progress.as_of}", cents(progress.expected), Unit.PEOPLE,
                 f"{line.window}, {progress.elapsed_days} of {progress.window_days} days"),
        *(
            Quantity(f"Q{number}", Decimal(count), Unit.PEOPLE, source)
            for number, count in enumerate(quarters, start=1)
        ),
        *referred,
    )


def progress_of(line: TargetLine, counts: TargetCounts) -> Progress:
    """A line's progress on the as-of day, with its referred-only people."""
    return Progress.of(line, counts.count(line.key, line.cohort.id), counts.as_of,
                       counts.referred_only(line.key, line.cohort.id))


def _line_metric(
    compute: Callable[[Progress], Decimal | None], unit: Unit
) -> Callable[[MetricContext, str | None], Measurement]:
    def metric(context: MetricContext, argument: str | None) -> Measurement:
        line = find_line(context.strategy, argument or "")
        if not context.records_of(_records_kind(line.cohort)):
            return _missing(line.cohort, unit)
        counts = counts_for(context)
        progress = progress_of(line, counts)
        return Measurement(
            compute(progress), unit, parts=line_parts(progress, counts),
            source=f"records:{_records_kind(line.cohort)}",
            note=f"as of {counts.as_of}. {counts.rule}",
        )

    return metric


def _quarter(context: MetricContext, argument: str | None) -> Measurement:
    reference, _, quarter = (argument or "").rpartition("/")
    if quarter not in ("Q1", "Q2", "Q3", "Q4"):
        raise UsageError(f"target-reached-in-quarter takes INTERVENTION/COHORT/Q1 to Q4, "
                         f"not {argument!r}")
    line = find_line(context.strategy, reference)
    if not context.records_of(_records_kind(line.cohort)):
        return _missing(line.cohort, Unit.PEOPLE)
    counts = counts_for(context)
    value = counts.quarters(line.key, line.cohort.id)[int(quarter[1]) - 1]
    return Measurement(Decimal(value), Unit.PEOPLE, source=f"records:{_records_kind(line.cohort)}",
                       note=f"first engaged in {quarter} of {context.strategy.financial_year}, "
                            f"as of {counts.as_of}")


def _total(context: MetricContext, argument: str | None) -> Measurement:
    found = {cohort.id: cohort for cohort in cohorts(context.strategy)}
    cohort = found.get(argument or "")
    if cohort is None:
        raise UsageError(f"targets-total-reached takes a cohort of the strategy "
                         f"({', '.join(found) or 'none declared'}), not {argument!r}")
    if not context.records_of(_records_kind(cohort)):
        return _missing(cohort, Unit.PEOPLE)
    counts = counts_for(context)
    lines: list[TargetLine] = [
        line for line in target_lines(context.strategy) if line.cohort == cohort
    ]
    parts = tuple(
        Quantity(line.label, Decimal(counts.count(line.key, cohort.id)), Unit.PEOPLE,
                 f"records:{_records_kind(cohort)}")
        for line in lines
    )
    return Measurement(
        sum((part.value for part in parts), Decimal(0)), Unit.PEOPLE, parts=parts,
        source=f"records:{_records_kind(cohort)}",
        note="added across the table's rows as its totals row adds them: a person in two "
             f"interventions counts in each; as of {counts.as_of}",
    )


def _unique(context: MetricContext, argument: str | None) -> Measurement:
    if not context.records_of(PARTICIPANTS):
        return Measurement(None, Unit.PEOPLE, note="no participants records were supplied",
                           source="records")
    counts = counts_for(context)
    outside = ((Quantity("in no age band", Decimal(counts.unique_outside_bands), Unit.PEOPLE,
                         "records:participants"),) if counts.unique_outside_bands else ())
    return Measurement(
        Decimal(counts.unique_people), Unit.PEOPLE,
        parts=tuple(Quantity(cohort, Decimal(count), Unit.PEOPLE, "records:participants")
                    for cohort, count in counts.unique_by_cohort) + outside,
        source="records:participants",
        note=f"each person once across all interventions; as of {counts.as_of}",
    )


def _left_out(context: MetricContext, argument: str | None) -> Measurement:
    if argument not in (PARTICIPANTS, TRAINING):
        raise UsageError(f"records-rows-left-out takes {PARTICIPANTS} or {TRAINING}, "
                         f"not {argument!r}")
    if not context.records_of(argument):
        return Measurement(None, Unit.COUNT, note=f"no {argument} records were supplied")
    counts = counts_for(context)
    table = counts.participants if argument == PARTICIPANTS else counts.training
    assert table is not None  # records of this kind were given, so they were loaded
    return Measurement(
        Decimal(table.rows_rejected), Unit.COUNT,
        parts=(Quantity("rows read", Decimal(table.rows_read), Unit.COUNT, f"records:{argument}"),
               Quantity("rows used", Decimal(table.rows_used), Unit.COUNT, f"records:{argument}")),
        source=f"records:{argument}",
    )


def metric_specs() -> list[MetricSpec]:
    line = "INTERVENTION/COHORT, e.g. hospital-navigators/24-and-under"
    return [
        MetricSpec("target-reached", _line_metric(lambda p: Decimal(p.reached), Unit.PEOPLE),
                   Unit.PEOPLE, f"New people reached to the as-of day ({line}).",
                   takes_argument=True),
        MetricSpec("target-expected", _line_metric(lambda p: cents(p.expected), Unit.PEOPLE),
                   Unit.PEOPLE, f"People expected by the as-of day, pro rata ({line}).",
                   takes_argument=True),
        MetricSpec("target-progress", _line_metric(lambda p: p.share_of_target, Unit.SHARE),
                   Unit.SHARE, f"Share of the target reached ({line}).", takes_argument=True),
        MetricSpec("target-trajectory",
                   _line_metric(lambda p: p.share_of_trajectory, Unit.SHARE), Unit.SHARE,
                   f"Reached as a share of the pro-rata expectation ({line}).",
                   takes_argument=True),
        MetricSpec("target-referred-only",
                   _line_metric(lambda p: Decimal(p.referred_only), Unit.PEOPLE),
                   Unit.PEOPLE, f"People only referred (no counting event) in the window, "
                   f"shown beside a target and never in it ({line}).", takes_argument=True),
        MetricSpec("target-reached-in-quarter", _quarter, Unit.PEOPLE,
                   f"New people first engaged in one quarter ({line}/Q1 to Q4).",
                   takes_argument=True),
        MetricSpec("targets-total-reached", _total, Unit.PEOPLE,
                   "Reached across the table's rows as its totals row adds them (COHORT).",
                   takes_argument=True),
        MetricSpec("unique-people-reached", _unique, Unit.PEOPLE,
                   "People reached across all interventions, each counted once."),
        MetricSpec("records-rows-left-out", _left_out, Unit.COUNT,
                   "Rows of participants or training records left out of the counts (KIND).",
                   takes_argument=True),
    ]
