"""The model's enumerations, apart from its classes: a plugin that compares a value with
one (``Gate.GATE_1``) at import builds none of the model's attrs classes."""

from __future__ import annotations

from enum import StrEnum


class GrantKind(StrEnum):
    CORE = "core"
    DUTY_BURDEN = "duty-burden"
    UPLIFT = "uplift"
    OTHER = "other"


class Funding(StrEnum):
    """How a budget line or an intervention is paid for this year."""

    GRANT = "grant"
    CARRY_OVER = "carry-over"
    PART_CARRY_OVER = "part-carry-over"
    WITHIN_ANOTHER_LINE = "within-another-line"
    NOT_STATED = "not-stated"


class Gate(StrEnum):
    """The stages, in order, of a strategy that states no ``[evaluation_life_cycle]``
    (:data:`vpp_core.model.life_cycle.DEFAULT_LIFE_CYCLE`); kept so that plugins comparing a
    gate with ``Gate.PASSED_GATE_3`` keep working. A strategy's own stages are plain ids."""

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


class DutyHolderKind(StrEnum):
    """The specified authorities of the Serious Violence Duty (PCSC Act 2022, s.11)."""

    LOCAL_AUTHORITY = "local-authority"
    POLICE = "police"
    FIRE_AND_RESCUE = "fire-and-rescue"
    HEALTH = "health"
    YOUTH_OFFENDING_TEAM = "youth-offending-team"
    PROBATION = "probation"


class RelevantAuthorityKind(StrEnum):
    """Authorities the duty holders must consult (education, prison, youth custody)."""

    EDUCATION = "education"
    PRISON = "prison"
    YOUTH_CUSTODY = "youth-custody"


class InputKind(StrEnum):
    GRANT = "grant"
    PARTNER = "partner"
    DATA = "data"


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
