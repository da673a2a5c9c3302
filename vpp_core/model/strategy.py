"""The Response Strategy as a whole: the root of the domain model."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_core.model.funding import Budget, Grant, GrantKind
from vpp_core.model.interventions import Intervention, TargetsTable
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

    id: str
    title: str
    page: int | None = None


@attrs.frozen
class SourceDocument:
    title: str
    publisher: str
    published: str
    covers: Period
    url: str = ""
    sections: tuple[DocumentSection, ...] = ()

    def section(self, section_id: str) -> DocumentSection | None:
        """The section with ``section_id``, if the document lists it."""
        return next((item for item in self.sections if item.id == section_id), None)


@attrs.frozen
class Strand:
    """One of the programme's strands (leadership and coordination, testing, …)."""

    id: str
    name: str
    summary: str = ""


@attrs.frozen
class SuccessMeasure:
    id: str
    strand: str
    text: str


class InputKind(StrEnum):
    GRANT = "grant"
    PARTNER = "partner"
    DATA = "data"


@attrs.frozen
class ChangeInput:
    """An input to the Theory of Change and the strands it feeds."""

    id: str
    name: str
    kind: InputKind
    feeds: tuple[str, ...]


@attrs.frozen
class Outcome:
    """An outcome of the Theory of Change, what leads to it and how it is measured."""

    id: str
    name: str
    strands: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()


@attrs.frozen
class TheoryOfChange:
    inputs: tuple[ChangeInput, ...]
    outcomes: tuple[Outcome, ...]
    impact: str


@attrs.frozen
class Campaign:
    """A counter-narrative campaign and the window its reach is evaluated over."""

    name: str
    intervention: str
    evaluation_window: Period
    summary: str = ""
    training_provider: str = ""
    training_audiences: tuple[str, ...] = ()
    budget_line: str | None = None


class FigureKind(StrEnum):
    AMOUNT = "amount"
    SHARE = "share"
    COUNT = "count"


class Qualifier(StrEnum):
    """How the source qualifies a figure it states ("nearly 60%")."""

    EXACTLY = "exactly"
    NEARLY = "nearly"
    AT_LEAST = "at-least"
    ABOUT = "about"


@attrs.frozen
class StatedFigure:
    """A headline figure the strategy states about itself, to check against its parts.

    ``metric`` (and ``denominator`` for a share) name the metrics that compute it, as
    ``name`` or ``name:argument`` (``budget-line:pilot-interventions``).
    """

    id: str
    section: str
    as_printed: str
    kind: FigureKind
    value: Decimal
    metric: str
    denominator: str | None = None
    qualifier: Qualifier = Qualifier.EXACTLY


@attrs.frozen
class Strategy:
    """A VRU's Response Strategy for one financial year, as published."""

    financial_year: FinancialYear
    document: SourceDocument
    partnership: Partnership
    local_partnerships: tuple[LocalPartnership, ...]
    duty: SeriousViolenceDuty
    grants: tuple[Grant, ...]
    budget: Budget
    strands: tuple[Strand, ...]
    interventions: tuple[Intervention, ...]
    definition: SeriousViolenceDefinition | None = None
    targets: TargetsTable | None = None
    success_measures: tuple[SuccessMeasure, ...] = ()
    theory_of_change: TheoryOfChange | None = None
    campaign: Campaign | None = None
    stated_figures: tuple[StatedFigure, ...] = ()
    schema_version: int = 1

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
