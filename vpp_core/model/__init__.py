"""The domain model: frozen attrs classes, exact money, dates as dates.

Each class is imported on first use (PEP 562), so that importing one module of the model
(``vpp_core.model.escaping``) builds none of the others' classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vpp_core.model.exports import import_public

if TYPE_CHECKING:
    from vpp_core.model.funding import (
        Budget,
        BudgetLine,
        Grant,
        MatchFunding,
        Money,
        PlannedSpend,
    )
    from vpp_core.model.interventions import (
        Activity,
        Cohort,
        Evaluation,
        Intervention,
        InterventionFunding,
        Target,
        TargetRow,
        TargetsTable,
        Trial,
    )
    from vpp_core.model.kinds import (
        Design,
        DutyHolderKind,
        FigureKind,
        Funding,
        Gate,
        GrantKind,
        InputKind,
        Qualifier,
        RelevantAuthorityKind,
    )
    from vpp_core.model.life_cycle import EvaluationLifeCycle, LifeCycleStage
    from vpp_core.model.partnership import (
        DutyHolder,
        LocalPartnership,
        NeedsAssessment,
        Partnership,
        Publication,
        RelevantAuthority,
        SeriousViolenceDefinition,
        SeriousViolenceDuty,
    )
    from vpp_core.model.strategy import (
        Campaign,
        ChangeInput,
        DocumentSection,
        MeasuredBy,
        Outcome,
        SourceDocument,
        StatedFigure,
        Strand,
        Strategy,
        SuccessMeasure,
        TheoryOfChange,
        TrainingAudience,
    )

_PUBLIC = {
    "vpp_core.model.kinds": (
        "Design", "DutyHolderKind", "FigureKind", "Funding", "Gate", "GrantKind", "InputKind",
        "Qualifier", "RelevantAuthorityKind",
    ),
    "vpp_core.model.funding": (
        "Budget", "BudgetLine", "Grant", "MatchFunding", "Money", "PlannedSpend",
    ),
    "vpp_core.model.interventions": (
        "Activity", "Cohort", "Evaluation", "Intervention",
        "InterventionFunding", "Target", "TargetRow", "TargetsTable", "Trial",
    ),
    "vpp_core.model.life_cycle": ("EvaluationLifeCycle", "LifeCycleStage"),
    "vpp_core.model.partnership": (
        "DutyHolder", "LocalPartnership", "NeedsAssessment", "Partnership", "Publication",
        "RelevantAuthority", "SeriousViolenceDefinition", "SeriousViolenceDuty",
    ),
    "vpp_core.model.strategy": (
        "Campaign", "ChangeInput", "DocumentSection", "MeasuredBy", "Outcome", "SourceDocument",
        "StatedFigure", "Strand", "Strategy", "SuccessMeasure", "TheoryOfChange",
        "TrainingAudience",
    ),
}


def __getattr__(name: str) -> Any:
    return import_public(globals(), _PUBLIC, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "Activity",
    "Budget",
    "BudgetLine",
    "Campaign",
    "ChangeInput",
    "Cohort",
    "Design",
    "DocumentSection",
    "DutyHolder",
    "DutyHolderKind",
    "Evaluation",
    "EvaluationLifeCycle",
    "FigureKind",
    "Funding",
    "Gate",
    "Grant",
    "GrantKind",
    "InputKind",
    "Intervention",
    "InterventionFunding",
    "LifeCycleStage",
    "LocalPartnership",
    "MatchFunding",
    "MeasuredBy",
    "Money",
    "NeedsAssessment",
    "Outcome",
    "Partnership",
    "PlannedSpend",
    "Publication",
    "Qualifier",
    "RelevantAuthority",
    "RelevantAuthorityKind",
    "SeriousViolenceDefinition",
    "SeriousViolenceDuty",
    "SourceDocument",
    "StatedFigure",
    "Strand",
    "Strategy",
    "SuccessMeasure",
    "Target",
    "TargetRow",
    "TargetsTable",
    "TheoryOfChange",
    "TrainingAudience",
    "Trial",
]
