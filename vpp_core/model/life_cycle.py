"""The evaluation life cycle: the stages, in order, an evaluation passes through, as a
strategy states them, and the stages that apply when it states none."""

from __future__ import annotations

import attrs

from vpp_core.model.fields import doc
from vpp_core.model.kinds import Gate

NOT_ON_LIFE_CYCLE = Gate.NOT_ON_LIFE_CYCLE.value
"""The stage id of an evaluation outside the life cycle, whatever stages a strategy states."""


@attrs.frozen
class LifeCycleStage:
    """One stage of the life cycle, as the evaluation tables name it."""

    id: str = attrs.field(metadata=doc("an id unique among the stages, as `evaluation.gate` "
                                       "names it", examples=["fieldwork"]))
    label: str = attrs.field(metadata=doc("the stage as reports name it",
                                          examples=["fieldwork under way"]))
    trial_under_way: bool = attrs.field(default=False, metadata=doc(
        "true for the stage a randomised controlled trial under way must have reached (at "
        "most one stage); it and every later stage belong to a trial"))
    reached: str = attrs.field(default="", metadata=doc(
        "how a finding says an evaluation has reached this stage (default: \"reached\" and "
        "the label)", examples=["passed Gates 1 to 3"]))

    @property
    def reached_words(self) -> str:
        """``reached`` as stated, or "reached" and the label."""
        return self.reached or f"reached {self.label}"


@attrs.frozen
class EvaluationLifeCycle:
    """The stages of the research life cycle, in order; ``not-on-life-cycle`` is always a
    choice besides them."""

    stages: tuple[LifeCycleStage, ...] = attrs.field(metadata=doc(
        "the stages, first to last"))
    not_on_life_cycle: str = attrs.field(default="not on the life cycle", metadata=doc(
        "how reports name the `not-on-life-cycle` choice"))

    def stage(self, stage_id: str) -> LifeCycleStage | None:
        """The stage with this id, if the life cycle has one."""
        return next((stage for stage in self.stages if stage.id == stage_id), None)

    def order(self, stage_id: str) -> int | None:
        """The stage's place, 0 for the first; ``None`` off the life cycle or unknown."""
        return next((i for i, stage in enumerate(self.stages) if stage.id == stage_id), None)

    def label(self, stage_id: str) -> str:
        """How reports name the stage; ``KeyError`` for an unknown one."""
        if stage_id == NOT_ON_LIFE_CYCLE:
            return self.not_on_life_cycle
        stage = self.stage(stage_id)
        if stage is None:
            raise KeyError(stage_id)
        return stage.label

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id ``evaluation.gate`` may name: ``not-on-life-cycle``, then the stages."""
        return (NOT_ON_LIFE_CYCLE, *(stage.id for stage in self.stages))

    @property
    def trial_stage(self) -> LifeCycleStage | None:
        """The stage a trial under way must have reached, if one is marked."""
        return next((stage for stage in self.stages if stage.trial_under_way), None)


DEFAULT_LIFE_CYCLE = EvaluationLifeCycle(stages=(
    LifeCycleStage(Gate.GATE_1.value, "Gate 1 (literature review and experimental planning)"),
    LifeCycleStage(Gate.PASSED_GATE_1.value, "passed Gate 1"),
    LifeCycleStage(Gate.PASSED_GATE_2.value, "passed Gate 2 (feasible research project)"),
    LifeCycleStage(Gate.PASSED_GATE_3.value, "passed Gate 3 (RCT in progress)",
                   trial_under_way=True, reached="passed Gates 1 to 3"),
    LifeCycleStage(Gate.RESULTS.value, "results"),
))
"""The stages of a strategy that states none: those of :class:`Gate`, kept so that a
strategy written before stages were stated loads and reads as it did."""


def as_gate(value: str | None) -> str | None:
    """A stage id, as the :class:`Gate` member of the same value where there is one, so that
    a plugin comparing with ``Gate.GATE_1`` (by ``is`` or ``==``) keeps working."""
    if value is None:
        return None
    try:
        return Gate(value)
    except ValueError:
        return value
