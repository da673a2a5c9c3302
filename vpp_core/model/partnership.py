"""The partnership, its local partnerships, and the Serious Violence Duty within them."""

from __future__ import annotations

from datetime import date

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, doc, no_extensions
from vpp_core.model.kinds import DutyHolderKind, RelevantAuthorityKind


@attrs.frozen
class DutyHolder:
    kind: DutyHolderKind = attrs.field(metadata=doc("which specified authority it is"))
    name: str = attrs.field(metadata=doc("the organisation"))


@attrs.frozen
class RelevantAuthority:
    kind: RelevantAuthorityKind = attrs.field(metadata=doc("which relevant authority it is"))
    name: str = attrs.field(metadata=doc("the organisation"))
    consulted: bool | None = attrs.field(
        default=None, metadata=doc("whether the document records it was consulted"))


@attrs.frozen
class Publication:
    """A Local Plan as the strategy records it (a Strategic Needs Assessment records this
    and how recent its data are).

    ``published_by`` is the latest date it can have been published by what the source
    says ("January 2024" gives 31 January 2024); ``as_stated`` keeps the source's words.
    """

    published_by: date | None = attrs.field(
        default=None, metadata=doc("the latest date it was published by, as the document says"))
    refreshed_by: date | None = attrs.field(
        default=None, metadata=doc("when it was last refreshed"))
    as_stated: str = attrs.field(default="", metadata=doc("what the document says, in its words"))


@attrs.frozen
class NeedsAssessment(Publication):
    """A Strategic Needs Assessment: a publication that also says how recent its data are.

    The area it assesses is the local partnership that records it."""

    data_to: date | None = attrs.field(
        default=None, metadata=doc("the last day of the data it rests on (a month or year "
                                   "stated gives its last day)"))
    reference: str = attrs.field(
        default="", metadata=doc("where it is published: a title, a link or a file"))


@attrs.frozen
class LocalPartnership:
    """A local (upper-tier local authority) violence reduction partnership."""

    id: str = attrs.field(metadata=doc("an id unique among the local partnerships"))
    name: str = attrs.field(metadata=doc("the partnership's name"))
    upper_tier_authority: str = attrs.field(metadata=doc("its upper-tier local authority"))
    community_safety_partnerships: tuple[str, ...] = attrs.field(
        metadata=doc("the Community Safety Partnerships within it"))
    integrated_care_boards: tuple[str, ...] = attrs.field(
        default=(), metadata=doc("the Integrated Care Boards it works with"))
    duty_holders: tuple[DutyHolder, ...] = attrs.field(
        default=(), metadata=doc("the Serious Violence Duty holders in it"))
    relevant_authorities: tuple[RelevantAuthority, ...] = attrs.field(
        default=(), metadata=doc("the authorities the duty holders must consult"))
    needs_assessment: NeedsAssessment | None = attrs.field(
        default=None, metadata=doc("its Strategic Needs Assessment"))
    local_plan: Publication | None = attrs.field(
        default=None, metadata=doc("its Local Plan (strategy)"))
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class Partnership:
    """The VRU itself: who it is, who hosts it, who answers for the grant."""

    name: str = attrs.field(metadata=doc("the VRU's name"))
    short_name: str = attrs.field(metadata=doc("a short name for reports"))
    region: str = attrs.field(metadata=doc("the area it covers"))
    host: str = attrs.field(metadata=doc("the organisation that hosts it"))
    senior_responsible_officer: str = attrs.field(metadata=doc("who answers for the grant"))
    contact: str = attrs.field(default="", metadata=doc("how to contact it"))


@attrs.frozen
class SeriousViolenceDuty:
    """The Duty's dates as they apply to this strategy's partnerships."""

    in_force: date = attrs.field(metadata=doc("when the Duty came into force"))
    first_deadline: date = attrs.field(
        metadata=doc("the deadline for the first Strategic Needs Assessments and Local Plans"))
    oversight: str = attrs.field(metadata=doc("who oversees the Duty locally"))
    as_stated: str = attrs.field(default="", metadata=doc("the Duty in the document's words"))


@attrs.frozen
class SeriousViolenceDefinition:
    """The local definition of serious violence, as agreed."""

    agreed: str = attrs.field(metadata=doc("when or how it was agreed, in the document's words"))
    text: str = attrs.field(metadata=doc("the definition"))
    includes: tuple[str, ...] = attrs.field(metadata=doc("what it includes"))
    agreed_on: date | None = attrs.field(default=None, metadata=doc("the date it was agreed"))
