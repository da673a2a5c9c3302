"""Interventions, their evaluation on the research life cycle, and their targets."""

from __future__ import annotations

from datetime import date

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, doc, no_extensions
from vpp_core.model.funding import Money
from vpp_core.model.kinds import Design, Funding
from vpp_core.model.life_cycle import as_gate
from vpp_core.model.periods import Period


@attrs.frozen
class Cohort:
    """A column of the targets table, declared by the strategy: who its targets count.

    People are placed by their age on the day of their first counting engagement with an
    intervention in the window: from ``min_age`` to ``max_age``, both included, either
    end open when absent. ``professionals`` marks a column of professionals trained,
    counted from training records (it has no ages).
    """

    id: str = attrs.field(metadata=doc("an id unique among the cohorts, as targets name it",
                                       examples=["10-to-17"]))
    label: str = attrs.field(metadata=doc("the column as printed"))
    min_age: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(0)), metadata=doc("the youngest age counted (open if absent)"))
    max_age: int | None = attrs.field(default=None, validator=attrs.validators.optional(
        attrs.validators.ge(0)), metadata=doc("the oldest age counted (open if absent)"))
    professionals: bool = attrs.field(default=False, metadata=doc(
        "true for a column of professionals trained, counted from training records"))

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
    start: date | None = attrs.field(default=None, metadata=doc("when the trial started"))
    projected_end: date | None = attrs.field(
        default=None, metadata=doc("when it is projected to end"))
    end_not_set_reason: str = attrs.field(
        default="", metadata=doc("why no end is projected, if none is"))
    results_expected: str = attrs.field(
        default="", metadata=doc("when results are expected, in the document's words"))


@attrs.frozen
class Evaluation:
    """The evaluation table's row: gate, design, dates, next steps, as published."""

    gate: str | None = attrs.field(default=None, converter=as_gate, metadata=doc(
        "where it stands on the research life cycle: the id of one of the strategy's stages "
        "(`[evaluation_life_cycle]`), or `not-on-life-cycle`", examples=["gate-1"]))
    gate_as_printed: str = attrs.field(default="", metadata=doc("the gate in the document's words"))
    design: Design | None = attrs.field(default=None, metadata=doc("the evaluation's design"))
    summary: str = attrs.field(default="", metadata=doc("what is evaluated, and how"))
    next_steps: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("the next steps the document lists"))
    evaluator: str = attrs.field(default="", metadata=doc("who evaluates it"))
    trial: Trial | None = attrs.field(default=None, metadata=doc("the trial's dates, for a trial"))


@attrs.frozen
class InterventionFunding:
    """An intervention's grant funding, as the interventions table prints it."""

    source: Funding = attrs.field(metadata=doc("how it is paid for"))
    amount: Money | None = attrs.field(default=None, metadata=doc("how much grant it gets"))
    as_printed: str = attrs.field(default="", metadata=doc("the funding in the document's words"))


@attrs.frozen
class Activity:
    """A named activity within an intervention (the Sports and Violence Impact Manager)."""

    name: str = attrs.field(metadata=doc("the activity's name"))
    summary: str = attrs.field(metadata=doc("what it does"))
    location: str = attrs.field(default="", metadata=doc("where it runs"))
    funding_as_printed: str = attrs.field(
        default="", metadata=doc("its funding, in the document's words"))


@attrs.frozen
class Intervention:
    id: str = attrs.field(metadata=doc("an id unique among the interventions"))
    name: str = attrs.field(metadata=doc("the intervention's name"))
    summary: str = attrs.field(metadata=doc("what it does"))
    location: str = attrs.field(metadata=doc("where it runs"))
    local_partnerships: tuple[str, ...] = attrs.field(
        metadata=doc("ids of the local partnerships where it runs"))
    strand: str = attrs.field(metadata=doc("the id of its strand"))
    funding: InterventionFunding = attrs.field(metadata=doc("its grant funding"))
    delivery_partners: tuple[str, ...] = attrs.field(default=(), metadata=doc("who delivers it"))
    yef_approach: str | None = attrs.field(
        default=None, metadata=doc("the YEF Toolkit approach it follows"))
    evaluation: Evaluation | None = attrs.field(default=None, metadata=doc("its evaluation"))
    activities: tuple[Activity, ...] = attrs.field(
        default=(), metadata=doc("named activities within it"))
    new_this_year: bool = attrs.field(default=False, metadata=doc("true if it starts this year"))
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class Target:
    """New people to reach (or professionals to train) in one cohort (its id)."""

    cohort: str = attrs.field(metadata=doc("the id of one of the table's cohorts"))
    count: int = attrs.field(validator=attrs.validators.ge(0), metadata=doc(
        "how many new people (or professionals)", minimum=0))


@attrs.frozen
class TargetRow:
    """A row of the targets table; ``window`` overrides the table's where it differs."""

    label: str = attrs.field(metadata=doc("the row as printed"))
    targets: tuple[Target, ...] = attrs.field(metadata=doc("its target in each cohort"))
    intervention: str | None = attrs.field(default=None, metadata=doc(
        "the id of the intervention it counts"))
    strand: str | None = attrs.field(default=None, metadata=doc("the id of its strand"))
    window: Period | None = attrs.field(default=None, metadata=doc(
        "the days it counts over, where they differ from the table's"))
    note: str = attrs.field(default="", metadata=doc("a note printed with the row"))

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

    window: Period = attrs.field(metadata=doc("the days its targets count over"))
    rows: tuple[TargetRow, ...] = attrs.field(metadata=doc("its rows"))
    cohorts: tuple[Cohort, ...] = attrs.field(default=(), metadata=doc(
        "its columns, in order: the age bands and professionals its targets count"))
    stated_totals: tuple[Target, ...] = attrs.field(default=(), metadata=doc(
        "the totals row as printed, to check the rows against"))
    counts_new_people_only: bool = attrs.field(default=True, metadata=doc(
        "true if a person counts once, when first engaged"))
    note: str = attrs.field(default="", metadata=doc("a note printed with the table"))

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
