"""The partnership, its local partnerships, and the Serious Violence Duty within them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, no_extensions


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


@attrs.frozen
class DutyHolder:
    kind: DutyHolderKind
    name: str


@attrs.frozen
class RelevantAuthority:
    kind: RelevantAuthorityKind
    name: str
    consulted: bool | None = None


@attrs.frozen
class Publication:
    """A Strategic Needs Assessment or a Local Plan, as the strategy records it.

    ``published_by`` is the latest date it can have been published by what the source
    says ("January 2024" gives 31 January 2024); ``as_stated`` keeps the source's words.
    """

    published_by: date | None = None
    refreshed_by: date | None = None
    as_stated: str = ""


@attrs.frozen
class LocalPartnership:
    """A local (upper-tier local authority) violence reduction partnership."""

    id: str
    name: str
    upper_tier_authority: str
    community_safety_partnerships: tuple[str, ...]
    integrated_care_boards: tuple[str, ...] = ()
    duty_holders: tuple[DutyHolder, ...] = ()
    relevant_authorities: tuple[RelevantAuthority, ...] = ()
    needs_assessment: Publication | None = None
    local_plan: Publication | None = None
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class Partnership:
    """The VRU itself: who it is, who hosts it, who answers for the grant."""

    name: str
    short_name: str
    region: str
    host: str
    senior_responsible_officer: str
    contact: str = ""


@attrs.frozen
class SeriousViolenceDuty:
    """The Duty's dates as they apply to this strategy's partnerships."""

    in_force: date
    first_deadline: date
    oversight: str
    as_stated: str = ""


@attrs.frozen
class SeriousViolenceDefinition:
    """The local definition of serious violence, as agreed."""

    agreed: str
    text: str
    includes: tuple[str, ...]
    agreed_on: date | None = None
