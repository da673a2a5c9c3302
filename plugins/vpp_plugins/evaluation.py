"""The evaluation life-cycle family (pack ``evaluation``, codes EVAL): every funded
intervention has an evaluation status, the gates are consistent with the design, and a
randomised controlled trial has its dates.

The research life cycle is the strategy's own (``[evaluation_life_cycle]``): its stages in
order, their labels, and the stage a trial under way must have reached; a strategy that
states none has Gate 1 literature review and experimental planning → Gate 2 feasible
research project → Gate 3 RCT in progress → results. Evaluation spend against its
threshold is a grant condition and runs in the funding family (``evaluation-share``), so it
is reported once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from vpp_core import (
    CheckSpec,
    Design,
    Evidence,
    Finding,
    Quantity,
    Status,
    Unit,
    hookimpl,
)
from vpp_plugins._common import (
    NO_FUNDED,
    funded_interventions,
    intervention_subject,
    long_date,
    or_not_applicable,
)

if TYPE_CHECKING:
    from vpp_core import (
        CheckContext,
        Intervention,
        LifeCycleStage,
    )

_RCT = Design.RANDOMISED_CONTROLLED_TRIAL


def _evaluated(ctx: CheckContext) -> Iterator[tuple[int, Intervention]]:
    for index, item in enumerate(ctx.strategy.interventions):
        if item.evaluation is not None:
            yield index, item


@or_not_applicable(NO_FUNDED)
def evaluation_status_recorded(ctx: CheckContext) -> Iterator[Finding]:
    """Every funded intervention has an evaluation with its place on the life cycle."""
    for item, _, _ in funded_interventions(ctx.strategy):
        subject = intervention_subject(item)
        evaluation = item.evaluation
        if evaluation is None:
            yield Finding(subject, Status.FAIL, f"{item.name} records no evaluation")
        elif evaluation.gate is None:
            printed = (f"printed {evaluation.gate_as_printed!r}" if evaluation.gate_as_printed
                       else "the gate column is empty")
            yield Finding(subject, Status.FAIL,
                          f"{item.name} records no place on the research life cycle ({printed})",
                          Evidence(notes=(evaluation.summary,) if evaluation.summary else ()))
        else:
            yield Finding(subject, Status.PASS,
                          f"{item.name}: {ctx.strategy.life_cycle.label(evaluation.gate)}",
                          Evidence(notes=(evaluation.gate_as_printed,)
                                   if evaluation.gate_as_printed else ()))


@or_not_applicable("No intervention records an evaluation gate")
def gate_order_consistent(ctx: CheckContext) -> Iterator[Finding]:
    """An evaluation's gate agrees with its design: a randomised controlled trial under way
    has reached the stage the life cycle marks for it; a stage at or after it belongs to an
    RCT."""
    as_at = ctx.as_of or ctx.strategy.document.covers.start
    life_cycle = ctx.strategy.life_cycle
    marked = life_cycle.trial_stage
    for _, item in _evaluated(ctx):
        evaluation = item.evaluation
        assert evaluation is not None
        subject = intervention_subject(item)
        gate = evaluation.gate
        if gate is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{item.name} records no gate to check")
            continue
        design = evaluation.design.value if evaluation.design else "not recorded"
        message = f"{item.name}: {life_cycle.label(gate)}, design {design}"
        notes = (f"as printed: {evaluation.gate_as_printed!r}",) if evaluation.gate_as_printed \
            else ()
        if marked is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{message}: the strategy's life cycle marks no stage a trial under "
                          "way must have reached", Evidence(notes=notes))
            continue
        problems = _gate_problems(ctx, item, marked, as_at)
        if problems:
            yield Finding(subject, Status.FAIL, f"{message}: {'; '.join(problems)}",
                          Evidence(notes=notes))
        else:
            yield Finding(subject, Status.PASS, f"{message}: consistent", Evidence(notes=notes))


def _gate_problems(ctx: CheckContext, item: Intervention, marked: LifeCycleStage,
                   as_at: date) -> list[str]:
    """How ``item``'s gate disagrees with its design, given the stage ``marked`` for a trial
    under way."""
    life_cycle = ctx.strategy.life_cycle
    evaluation = item.evaluation
    assert evaluation is not None
    assert evaluation.gate is not None
    rank = life_cycle.order(evaluation.gate)
    if rank is None:  # not on the life cycle
        return []
    label = life_cycle.label(evaluation.gate)
    marked_at = life_cycle.stages.index(marked)
    trial = evaluation.trial
    problems = []
    if (evaluation.design is _RCT and rank < marked_at and trial is not None
            and trial.start is not None and trial.start <= as_at):
        problems.append(f"a randomised controlled trial under way since "
                        f"{long_date(trial.start)} is recorded at {label}; "
                        f"a trial in progress has {marked.reached_words}")
    if rank >= marked_at and evaluation.design is not _RCT:
        design = evaluation.design.value if evaluation.design else "not recorded"
        problems.append(f"{label} is recorded for a design of {design}")
    return problems


@or_not_applicable("No evaluation is a randomised controlled trial")
def trial_dates_recorded(ctx: CheckContext) -> Iterator[Finding]:
    """A randomised controlled trial has a start date, and a projected end or the reason
    there is none."""
    for _, item in _evaluated(ctx):
        evaluation = item.evaluation
        assert evaluation is not None
        if evaluation.design is not _RCT:
            continue
        subject = intervention_subject(item)
        trial = evaluation.trial
        missing = []
        if trial is None or trial.start is None:
            missing.append("start date")
        if trial is None or (trial.projected_end is None and not trial.end_not_set_reason):
            missing.append("projected end, nor why there is none")
        if missing:
            yield Finding(subject, Status.FAIL,
                          f"{item.name}: the randomised controlled trial records no "
                          f"{' and no '.join(missing)}",
                          Evidence(notes=evaluation.next_steps))
            continue
        assert trial is not None
        assert trial.start is not None
        end = (f"projected to end {long_date(trial.projected_end)}" if trial.projected_end
               else f"no projected end: {trial.end_not_set_reason}")
        yield Finding(subject, Status.PASS,
                      f"{item.name}: the trial started {long_date(trial.start)}; {end}")


@or_not_applicable("No evaluation records a trial")
def trial_end_after_start(ctx: CheckContext) -> Iterator[Finding]:
    """A trial's projected end lies after its start."""
    for index, item in _evaluated(ctx):
        evaluation = item.evaluation
        assert evaluation is not None
        trial = evaluation.trial
        if trial is None:
            continue
        subject = intervention_subject(item)
        if trial.start is None or trial.projected_end is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{item.name}: the trial does not record both a start and a "
                          "projected end")
            continue
        days = (trial.projected_end - trial.start).days
        evidence = Evidence(
            measured=Quantity("trial length", Decimal(days), Unit.DAYS,
                              f"interventions[{index}].evaluation.trial.projected_end"),
            operator=">", threshold=Quantity("trial length", Decimal(0), Unit.DAYS),
        )
        message = (f"{item.name}: the trial starts {long_date(trial.start)} and is projected to "
                   f"end {long_date(trial.projected_end)}")
        if days > 0:
            yield Finding(subject, Status.PASS, f"{message} ({days} days)", evidence)
        else:
            yield Finding(subject, Status.FAIL, f"{message}: the end is not after the start",
                          evidence)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [
        CheckSpec("evaluation-status-recorded", evaluation_status_recorded,
                  "Every funded intervention has a place on the research life cycle."),
        CheckSpec("gate-order-consistent", gate_order_consistent,
                  "An evaluation's gate agrees with its design and trial."),
        CheckSpec("trial-dates-recorded", trial_dates_recorded,
                  "A randomised controlled trial has a start and a projected end or a reason."),
        CheckSpec("trial-end-after-start", trial_end_after_start,
                  "A trial's projected end lies after its start."),
    ]
