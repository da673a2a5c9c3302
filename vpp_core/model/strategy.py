"""The Response Strategy as a whole: the root of the domain model."""

from __future__ import annotations

from decimal import Decimal

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, doc, no_extensions
from vpp_core.model.funding import Budget, Grant, PlannedSpend
from vpp_core.model.interventions import Intervention, TargetsTable
from vpp_core.model.kinds import FigureKind, GrantKind, InputKind, Qualifier
from vpp_core.model.life_cycle import DEFAULT_LIFE_CYCLE, EvaluationLifeCycle
from vpp_core.model.partnership import (
    LocalPartnership,
    Partnership,
    SeriousViolenceDefinition,
    SeriousViolenceDuty,
)
from vpp_core.model.periods import FinancialYear, Period


@attrs.frozen
class DocumentSection:
    """A section of the strategy's own document, for rules that point into it."""

    id: str = attrs.field(metadata=doc("an id unique among the sections, as packs name it",
                                       examples=["resourcing"]))
    title: str = attrs.field(metadata=doc("the section's title"))
    page: int | None = attrs.field(default=None, metadata=doc("the page it starts on"))


@attrs.frozen
class SourceDocument:
    title: str = attrs.field(metadata=doc("the document's title"))
    publisher: str = attrs.field(metadata=doc("who published it"))
    published: str = attrs.field(metadata=doc("when, in its words"))
    covers: Period = attrs.field(metadata=doc("the days it covers"))
    url: str = attrs.field(default="", metadata=doc("where it is published"))
    sections: tuple[DocumentSection, ...] = attrs.field(default=(), metadata=doc(
        "its sections that rules point into, with their pages"))

    def section(self, section_id: str) -> DocumentSection | None:
        """The section with ``section_id``, if the document lists it."""
        return next((item for item in self.sections if item.id == section_id), None)


@attrs.frozen
class Strand:
    """One of the programme's strands (leadership and coordination, testing, …)."""

    id: str = attrs.field(metadata=doc("an id unique among the strands"))
    name: str = attrs.field(metadata=doc("the strand's name"))
    summary: str = attrs.field(default="", metadata=doc("what it covers"))


@attrs.frozen
class MeasuredBy:
    """A success measure stated as a count a metric computes: its baseline and the change
    aimed for (``-0.10``: at least a tenth fewer; ``0.05``: at least a twentieth more)."""

    metric: str = attrs.field(metadata=doc(
        "the metric, as name:argument", examples=["serious-violence:thames-valley/knife"]))
    baseline: int = attrs.field(
        validator=attrs.validators.ge(0), metadata=doc("the count in the baseline year"))
    baseline_year: FinancialYear = attrs.field(
        metadata=doc("the financial year of the baseline, before the strategy's"))
    target_change: Decimal = attrs.field(metadata=doc(
        "the change aimed for, as a share of the baseline (\"-0.10\" for a 10% fall)"))
    source: str = attrs.field(default="", metadata=doc("where the baseline comes from"))


@attrs.frozen
class SuccessMeasure:
    id: str = attrs.field(metadata=doc("an id unique among the success measures"))
    strand: str = attrs.field(metadata=doc("the id of its strand"))
    text: str = attrs.field(metadata=doc("the measure, in the document's words"))
    measured_by: MeasuredBy | None = attrs.field(
        default=None, metadata=doc("the metric that measures it, with baseline and target"))


@attrs.frozen
class ChangeInput:
    """An input to the Theory of Change and the strands it feeds."""

    id: str = attrs.field(metadata=doc("an id unique among the inputs"))
    name: str = attrs.field(metadata=doc("the input's name"))
    kind: InputKind = attrs.field(metadata=doc("what sort of input it is"))
    feeds: tuple[str, ...] = attrs.field(metadata=doc("ids of the strands it feeds"))


@attrs.frozen
class Outcome:
    """An outcome of the Theory of Change, what leads to it and how it is measured."""

    id: str = attrs.field(metadata=doc("an id unique among the outcomes"))
    name: str = attrs.field(metadata=doc("the outcome"))
    strands: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("ids of the strands leading to it"))
    interventions: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("ids of the interventions leading to it"))
    measures: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("ids of the success measures it is measured by"))


@attrs.frozen
class TheoryOfChange:
    inputs: tuple[ChangeInput, ...] = attrs.field(
        metadata=doc("the inputs and the strands they feed"))
    outcomes: tuple[Outcome, ...] = attrs.field(metadata=doc("the outcomes and what leads to them"))
    impact: str = attrs.field(metadata=doc("the impact all outcomes lead to"))


@attrs.frozen
class TrainingAudience:
    """An audience the campaign's training records count, by id and by label."""

    id: str = attrs.field(metadata=doc("an id unique among the audiences, as records name it",
                                       examples=["youth-workers"]))
    label: str = attrs.field(metadata=doc("its name in reports", examples=["Youth workers"]))


@attrs.frozen
class Campaign:
    """A counter-narrative campaign and the window its reach is evaluated over."""

    name: str = attrs.field(metadata=doc("the campaign's name"))
    intervention: str = attrs.field(metadata=doc("the id of the intervention that delivers it"))
    evaluation_window: Period = attrs.field(metadata=doc("the days its reach is evaluated over"))
    summary: str = attrs.field(default="", metadata=doc("what it is"))
    training_provider: str = attrs.field(
        default="", metadata=doc("who trains professionals to use it"))
    training_audiences: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("who is trained, as the document says"))
    audiences: tuple[TrainingAudience, ...] = attrs.field(default=(), metadata=doc(
        "the audiences its training records count (young-person, parent, practitioner and "
        "professional when none is stated)"))
    budget_line: str | None = attrs.field(
        default=None, metadata=doc("the id of the budget line that pays for it"))


@attrs.frozen
class StatedFigure:
    """A headline figure the strategy states about itself, to check against its parts.

    ``metric`` (and ``denominator`` for a share) name the metrics that compute it, as
    ``name`` or ``name:argument`` (``budget-line:pilot-interventions``).
    """

    id: str = attrs.field(metadata=doc("an id unique among the stated figures"))
    section: str = attrs.field(metadata=doc("the section that states it"))
    as_printed: str = attrs.field(metadata=doc("the figure as printed (\"nearly 60%\")"))
    kind: FigureKind = attrs.field(metadata=doc("what sort of figure it is"))
    value: Decimal = attrs.field(metadata=doc("its value (a share as \"0.60\")"))
    metric: str = attrs.field(metadata=doc("the metric that computes it, as name or name:argument"))
    denominator: str | None = attrs.field(
        default=None, metadata=doc("for a share, the metric it is a share of"))
    qualifier: Qualifier = attrs.field(
        default=Qualifier.EXACTLY, metadata=doc("how the document qualifies it"))


@attrs.frozen
class Strategy:
    """A VRU's Response Strategy for one financial year, as published."""

    financial_year: FinancialYear = attrs.field(
        metadata=doc("the financial year the strategy is for"))
    document: SourceDocument = attrs.field(metadata=doc("the published document it encodes"))
    partnership: Partnership = attrs.field(metadata=doc("the VRU"))
    local_partnerships: tuple[LocalPartnership, ...] = attrs.field(
        metadata=doc("its local partnerships"))
    duty: SeriousViolenceDuty = attrs.field(metadata=doc("the Serious Violence Duty as it applies"))
    grants: tuple[Grant, ...] = attrs.field(
        metadata=doc("the grants it holds, this year's and earlier"))
    budget: Budget = attrs.field(metadata=doc("this year's budget"))
    strands: tuple[Strand, ...] = attrs.field(metadata=doc("the programme's strands"))
    interventions: tuple[Intervention, ...] = attrs.field(
        metadata=doc("the interventions it funds"))
    definition: SeriousViolenceDefinition | None = attrs.field(
        default=None, metadata=doc("the local definition of serious violence"))
    targets: TargetsTable | None = attrs.field(default=None, metadata=doc("the targets table"))
    success_measures: tuple[SuccessMeasure, ...] = attrs.field(
        default=(), metadata=doc("the measures of success per strand"))
    theory_of_change: TheoryOfChange | None = attrs.field(
        default=None, metadata=doc("the Theory of Change"))
    campaign: Campaign | None = attrs.field(
        default=None, metadata=doc("a counter-narrative campaign"))
    stated_figures: tuple[StatedFigure, ...] = attrs.field(default=(), metadata=doc(
        "headline figures the document states, "
        "to check against their parts"))
    spend_profile: tuple[PlannedSpend, ...] = attrs.field(default=(), metadata=doc(
        "planned spend per grant and line by month or quarter, which spend to date is "
        "measured against; a line a grant has a profile for is a line that grant funds"))
    evaluation_life_cycle: EvaluationLifeCycle | None = attrs.field(default=None, metadata=doc(
        "the stages of the research life cycle its evaluations stand at, in order (absent: "
        "gate-1, passed-gate-1, passed-gate-2, passed-gate-3 marked for a trial under way, "
        "results)"))
    schema_version: int = attrs.field(default=1, metadata=doc("the version of this format"))
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)

    @property
    def life_cycle(self) -> EvaluationLifeCycle:
        """The life cycle it states, or the default stages if it states none."""
        return self.evaluation_life_cycle or DEFAULT_LIFE_CYCLE

    def intervention(self, intervention_id: str) -> Intervention:
        """The intervention with this id; ``KeyError`` if there is none."""
        for intervention in self.interventions:
            if intervention.id == intervention_id:
                return intervention
        raise KeyError(intervention_id)

    def grants_of_kind(self, kind: GrantKind) -> tuple[Grant, ...]:
        return tuple(grant for grant in self.grants if grant.kind == kind)

    def grant(self, grant_id: str) -> Grant:
        """The grant with this id; ``KeyError`` if there is none."""
        for grant in self.grants:
            if grant.id == grant_id:
                return grant
        raise KeyError(grant_id)
