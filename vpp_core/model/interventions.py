"""Interventions, their evaluation on the research life cycle, and their targets."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, no_extensions
from vpp_core.model.funding import Funding, Money
from vpp_core.model.periods import Period


class Gate(StrEnum):
    """Where an evaluation stands on the research life cycle, in order."""

    NOT_ON_LIFE_CYCLE = "not-on-life-cycle"
    GATE_1 = "gate-1"
    PASSED_GATE_1 = "passed-gate-1"
    PASSED_GATE_2 = "passed-gate-2"
    PASSED_GATE_3 = "passed-gate-3"
    RESULTS = "results"


class Design(StrEnum):
    RANDOMISED_CONTROLLED_TRIAL = "randomised-controlled-trial"
    PROCESS_EVALUATION = "process-evaluation"
    POST_IMPLEMENTATION_REVIEW = "post-implementation-review"
    NATIONAL_EVALUATION = "national-evaluation"
    DATA_ANALYSIS = "data-analysis"
    REACH_EVALUATION = "reach-evaluation"
    SCOPING = "scoping"
    TO_BE_DESIGNED = "to-be-designed"


class Cohort(StrEnum):
    """The target table's columns."""

    UNDER_25 = "24-and-under"
    OVER_25 = "25-and-over"
    PROFESSIONALS = "professionals-trained"


@attrs.frozen
class Trial:
    start: date | None = None
    projected_end: date | None = None
    end_not_set_reason: str = ""
    results_expected: str = ""


@attrs.frozen
class Evaluation:
    """The evaluation table's row: gate, design, dates, next steps, as published."""

    gate: Gate | None = None
    gate_as_printed: str = ""
    design: Design | None = None
    summary: str = ""
    next_steps: tuple[str, ...] = ()
    evaluator: str = ""
    trial: Trial | None = None


@attrs.frozen
class InterventionFunding:
    """An intervention's grant funding, as the interventions table prints it."""

    source: Funding
    amount: Money | None = None
    as_printed: str = ""


@attrs.frozen
class Activity:
    """A named activity within an intervention (the Sports and Violence Impact Manager)."""

    name: str
    summary: str
    location: str = ""
    funding_as_printed: str = ""


@attrs.frozen
class Intervention:
    id: str
    name: str
    summary: str
    location: str
    local_partnerships: tuple[str, ...]
    strand: str
    funding: InterventionFunding
    delivery_partners: tuple[str, ...] = ()
    yef_approach: str | None = None
    evaluation: Evaluation | None = None
    activities: tuple[Activity, ...] = ()
    new_this_year: bool = False
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class Target:
    """New people to reach (or professionals to train) in one cohort."""

    cohort: Cohort
    count: int = attrs.field(validator=attrs.validators.ge(0))


@attrs.frozen
class TargetRow:
    """A row of the targets table; ``window`` overrides the table's where it differs."""

    label: str
    targets: tuple[Target, ...]
    intervention: str | None = None
    strand: str | None = None
    window: Period | None = None
    note: str = ""

    def target(self, cohort: Cohort) -> int | None:
        for target in self.targets:
            if target.cohort == cohort:
                return target.count
        return None


@attrs.frozen
class TargetsTable:
    """The targets table with its monitoring window and its totals row, as printed."""

    window: Period
    rows: tuple[TargetRow, ...]
    stated_totals: tuple[Target, ...] = ()
    counts_new_people_only: bool = True
    note: str = ""
