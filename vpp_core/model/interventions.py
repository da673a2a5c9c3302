"""Interventions, their evaluation on the research life cycle, and their targets."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

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


@attrs.frozen
class Cohort:
    """A column of the targets table, declared by the strategy: who its targets count.

    People are placed by their age on the day of their first counting engagement with an
    intervention in the window: from ``min_age`` to ``max_age``, both included, either
    end open when absent. ``professionals`` marks a column of professionals trained,
    counted from training records (it has no ages).
    """

    id: str
    label: str
    min_age: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(0)))
    max_age: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(0)))
    professionals: bool = False

    def __attrs_post_init__(self) -> None:
        if self.professionals and (self.min_age is not None or self.max_age is not None):
            raise ValueError("a professionals cohort has no age range")
        if (self.min_age is not None and self.max_age is not None
                and self.min_age > self.max_age):
            raise ValueError(f"min_age {self.min_age} is above max_age {self.max_age}")

    def holds(self, age: int) -> bool:
        """Whether a person of ``age`` belongs here (never, for professionals)."""
        if self.professionals:
            return False
        return ((self.min_age is None or age >= self.min_age)
                and (self.max_age is None or age <= self.max_age))

    @property
    def ages(self) -> str:
        """The age range in words: ``10 to 17``, ``25 and over``, ``24 and under``."""
        if self.professionals:
            return "professionals"
        if self.min_age is None and self.max_age is None:
            return "any age"
        if self.min_age is None:
            return f"{self.max_age} and under"
        if self.max_age is None:
            return f"{self.min_age} and over"
        return f"{self.min_age} to {self.max_age}"


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


@attrs.frozen
class Target:
    """New people to reach (or professionals to train) in one cohort (its id)."""

    cohort: str
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

    def target(self, cohort: str) -> int | None:
        for target in self.targets:
            if target.cohort == cohort:
                return target.count
        return None


@attrs.frozen
class TargetsTable:
    """The targets table with its monitoring window and its totals row, as printed.

    ``cohorts`` are its columns, in order; every target names one of them by id.
    """

    window: Period
    rows: tuple[TargetRow, ...]
    cohorts: tuple[Cohort, ...] = ()
    stated_totals: tuple[Target, ...] = ()
    counts_new_people_only: bool = True
    note: str = ""

    def cohort(self, cohort_id: str) -> Cohort | None:
        """The column with this id, if the table declares one."""
        for cohort in self.cohorts:
            if cohort.id == cohort_id:
                return cohort
        return None

    @property
    def people_cohorts(self) -> tuple[Cohort, ...]:
        """The age-band columns, counted from participant records."""
        return tuple(cohort for cohort in self.cohorts if not cohort.professionals)
