"""The Serious Violence Duty family (pack ``serious-violence-duty``, codes SVD): duty holders,
consultation of the relevant authorities, the Strategic Needs Assessment and Local Plan by
the statutory deadline and refreshed each year, the assessment resting on data no older than
the pack allows, and a local definition of serious violence.

Police, Crime, Sentencing and Courts Act 2022, Part 2 Chapter 1: section 8 (collaborate,
identify the kinds and causes of serious violence, prepare a strategy, consult educational,
prison and youth custody authorities), section 11 and Schedule 1 (specified authorities).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from vpp_core import (
    CheckSpec,
    DutyHolderKind,
    Evidence,
    Finding,
    ParameterSpec,
    Quantity,
    RelevantAuthorityKind,
    Status,
    Subject,
    Unit,
    format_value,
    hookimpl,
    whole_strategy,
)
from vpp_plugins._common import long_date

if TYPE_CHECKING:
    from vpp_core import (
        CheckContext,
        LocalPartnership,
        Publication,
    )

DOCUMENTS = {
    "needs-assessment": ("needs_assessment", "Strategic Needs Assessment"),
    "local-plan": ("local_plan", "Local Plan"),
}


def _subject(partnership: LocalPartnership) -> Subject:
    return Subject("local-partnership", partnership.id, partnership.name)


def _partnerships(ctx: CheckContext) -> Iterator[tuple[int, LocalPartnership]]:
    if not ctx.strategy.local_partnerships:
        raise ValueError("the strategy records no local partnerships")
    yield from enumerate(ctx.strategy.local_partnerships)


def duty_holders_present(ctx: CheckContext) -> Iterator[Finding]:
    """Each local partnership records a duty holder of every kind the pack names."""
    kinds = [DutyHolderKind(kind) for kind in ctx.params["kinds"]]
    for index, partnership in _partnerships(ctx):
        present = {holder.kind for holder in partnership.duty_holders}
        missing = [kind.value for kind in kinds if kind not in present]
        parts = tuple(
            Quantity(holder.name, Decimal(1), Unit.COUNT,
                     f"local_partnerships[{index}].duty_holders[{j}]")
            for j, holder in enumerate(partnership.duty_holders)
        )
        if missing:
            yield Finding(_subject(partnership), Status.FAIL,
                          f"{partnership.name} records no duty holder of kind "
                          f"{', '.join(missing)}",
                          Evidence(parts=parts, notes=tuple(f"missing: {m}" for m in missing)))
        else:
            yield Finding(_subject(partnership), Status.PASS,
                          f"{partnership.name} records all {len(kinds)} kinds of duty holder",
                          Evidence(parts=parts))


def relevant_authorities_consulted(ctx: CheckContext) -> Iterator[Finding]:
    """Each local partnership records consulting an authority of every relevant kind
    (educational, prison and youth custody: section 8(4))."""
    kinds = [RelevantAuthorityKind(kind) for kind in ctx.params["kinds"]]
    for _, partnership in _partnerships(ctx):
        consulted = {a.kind for a in partnership.relevant_authorities if a.consulted}
        declined = {a.kind for a in partnership.relevant_authorities if a.consulted is False}
        missing = [kind for kind in kinds if kind not in consulted]
        if not missing:
            yield Finding(_subject(partnership), Status.PASS,
                          f"{partnership.name} records consulting "
                          f"{', '.join(kind.value for kind in kinds)} authorities")
            continue
        notes = tuple(
            f"{kind.value}: " + ("recorded as not consulted" if kind in declined
                                 else "no consultation recorded")
            for kind in missing
        )
        yield Finding(_subject(partnership), Status.FAIL,
                      f"{partnership.name}: consultation of "
                      f"{', '.join(kind.value for kind in missing)} authorities is not recorded",
                      Evidence(notes=notes))


def _publication(partnership: LocalPartnership, document: str) -> Publication | None:
    field, _ = DOCUMENTS[document]
    value: Publication | None = getattr(partnership, field)
    return value


def publication_by_deadline(ctx: CheckContext) -> Iterator[Finding]:
    """Each local partnership's Strategic Needs Assessment (or Local Plan) is recorded and
    dated on or before the deadline (the strategy's first statutory deadline by default)."""
    document: str = ctx.params["document"]
    if document not in DOCUMENTS:
        raise ValueError(f"document {document!r} is not one of {', '.join(DOCUMENTS)}")
    field, name = DOCUMENTS[document]
    deadline: date = ctx.params["deadline"] or ctx.strategy.duty.first_deadline
    for index, partnership in _partnerships(ctx):
        subject = _subject(partnership)
        publication = _publication(partnership, document)
        path = f"local_partnerships[{index}].{field}"
        if publication is None:
            yield Finding(subject, Status.FAIL, f"{partnership.name}: no {name} is recorded")
            continue
        said = (f"the strategy says: {publication.as_stated!r}",) if publication.as_stated else ()
        if publication.published_by is None:
            yield Finding(subject, Status.FAIL,
                          f"{partnership.name}: the {name} is recorded but undated, so it is "
                          f"not shown to be in place by {long_date(deadline)}",
                          Evidence(notes=said))
            continue
        late = (publication.published_by - deadline).days
        message = (f"{partnership.name}: the {name} was published by "
                   f"{long_date(publication.published_by)}; due by {long_date(deadline)}")
        evidence = Evidence(
            measured=Quantity("days after the deadline", Decimal(late), Unit.DAYS,
                              f"{path}.published_by"),
            operator="<=",
            threshold=Quantity(f"deadline {deadline.isoformat()}", Decimal(0), Unit.DAYS),
            shortfall=Quantity("days late", Decimal(late), Unit.DAYS) if late > 0 else None,
            notes=said,
        )
        if late > 0:
            yield Finding(subject, Status.FAIL,
                          f"{message}: {format_value(Decimal(late), Unit.DAYS)} late", evidence)
        else:
            yield Finding(subject, Status.PASS, message, evidence)


def publication_refreshed(ctx: CheckContext) -> Iterator[Finding]:
    """Each local partnership's documents are refreshed within the strategy's financial
    year: a refresh (or first publication) dated within it is recorded."""
    documents = tuple(ctx.params["documents"])
    for document in documents:
        if document not in DOCUMENTS:
            raise ValueError(f"document {document!r} is not one of {', '.join(DOCUMENTS)}")
    year = ctx.strategy.financial_year
    for _, partnership in _partnerships(ctx):
        stale: list[str] = []
        fresh: list[str] = []
        for document in documents:
            name = DOCUMENTS[document][1]
            publication = _publication(partnership, document)
            dates = [] if publication is None else [
                day for day in (publication.refreshed_by, publication.published_by)
                if day is not None and day in year
            ]
            if dates:
                fresh.append(f"{name} ({long_date(max(dates))})")
            else:
                stale.append(name)
        if stale:
            yield Finding(_subject(partnership), Status.FAIL,
                          f"{partnership.name}: no refresh of the {' or the '.join(stale)} is "
                          f"recorded within {year} (due by {long_date(year.end)})",
                          Evidence(notes=tuple(f"refreshed: {item}" for item in fresh)))
        else:
            yield Finding(_subject(partnership), Status.PASS,
                          f"{partnership.name}: refreshed within {year}: {', '.join(fresh)}")


def months_later(day: date, months: int) -> date:
    """The same day ``months`` calendar months on (the month's last day where it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def needs_assessment_data_age(ctx: CheckContext) -> Iterator[Finding]:
    """Each local partnership's Strategic Needs Assessment rests on data no older than the
    pack's age, as of the audit date (``--as-of``, else the first day the strategy covers)."""
    limit: int = ctx.params["max_data_age_months"]
    as_of = ctx.as_of or ctx.strategy.document.covers.start
    for index, partnership in _partnerships(ctx):
        subject = _subject(partnership)
        assessment = partnership.needs_assessment
        path = f"local_partnerships[{index}].needs_assessment"
        if assessment is None:
            yield Finding(subject, Status.FAIL, f"{partnership.name}: no Strategic Needs "
                          f"Assessment is recorded, so nothing shows how recent its data are")
            continue
        said = tuple(note for note in (
            f"the strategy says: {assessment.as_stated!r}" if assessment.as_stated else "",
            f"reference: {assessment.reference}" if assessment.reference else "") if note)
        if assessment.data_to is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{partnership.name}: the strategy does not say when the data of its "
                          f"Strategic Needs Assessment run to", Evidence(notes=said))
            continue
        oldest = months_later(assessment.data_to, limit)
        allowed, days = (oldest - assessment.data_to).days, (as_of - assessment.data_to).days
        late = days - allowed
        message = (f"{partnership.name}: the Strategic Needs Assessment's data run to "
                   f"{long_date(assessment.data_to)}; {limit} months on is "
                   f"{long_date(oldest)}, and the audit date is {long_date(as_of)}")
        evidence = Evidence(
            measured=Quantity("days from the data's end to the audit date", Decimal(days),
                              Unit.DAYS, f"{path}.data_to"),
            operator="<=",
            threshold=Quantity(f"max_data_age_months {limit}", Decimal(allowed), Unit.DAYS),
            shortfall=Quantity("days past the allowed age", Decimal(late), Unit.DAYS)
            if late > 0 else None,
            notes=said)
        if late > 0:
            yield Finding(subject, Status.FAIL,
                          f"{message}: {format_value(Decimal(late), Unit.DAYS)} too old", evidence)
        else:
            yield Finding(subject, Status.PASS, message, evidence)


def definition_recorded(ctx: CheckContext) -> Iterator[Finding]:
    """The strategy records the local definition of serious violence: its text and what it
    includes."""
    definition = ctx.strategy.definition
    subject = whole_strategy(ctx.strategy)
    if definition is None or not definition.text.strip():
        yield Finding(subject, Status.FAIL, "No local definition of serious violence is recorded")
    elif not definition.includes:
        yield Finding(subject, Status.FAIL,
                      "The local definition of serious violence records no included types")
    else:
        agreed = f" (agreed {definition.agreed})" if definition.agreed else ""
        yield Finding(subject, Status.PASS,
                      f"A local definition of serious violence is recorded{agreed}, "
                      f"including {len(definition.includes)} types",
                      Evidence(notes=definition.includes))


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    document = ParameterSpec("document", "string", "'needs-assessment' or 'local-plan'.",
                             choices=tuple(DOCUMENTS))
    return [
        CheckSpec("duty-holders-present", duty_holders_present,
                  "Each local partnership has a duty holder of every kind.",
                  (ParameterSpec("kinds", "strings", "The kinds of duty holder required.",
                                 required=False,
                                 default=tuple(kind.value for kind in DutyHolderKind),
                                 choices=tuple(kind.value for kind in DutyHolderKind)),)),
        CheckSpec("relevant-authorities-consulted", relevant_authorities_consulted,
                  "Each local partnership consulted every kind of relevant authority.",
                  (ParameterSpec("kinds", "strings", "The kinds of authority to consult.",
                                 required=False,
                                 default=tuple(k.value for k in RelevantAuthorityKind),
                                 choices=tuple(k.value for k in RelevantAuthorityKind)),)),
        CheckSpec("publication-by-deadline", publication_by_deadline,
                  "Each local partnership's SNA or Local Plan is dated by the deadline.",
                  (document,
                   ParameterSpec("deadline", "date",
                                 "The deadline; the strategy's duty.first_deadline if unset.",
                                 required=False))),
        CheckSpec("publication-refreshed", publication_refreshed,
                  "Each local partnership's SNA and Local Plan are refreshed within the year.",
                  (ParameterSpec("documents", "strings",
                                 "Which documents: 'needs-assessment', 'local-plan'.",
                                 required=False, default=tuple(DOCUMENTS),
                                 choices=tuple(DOCUMENTS)),)),
        CheckSpec("needs-assessment-data-age", needs_assessment_data_age,
                  "Each local partnership's SNA rests on data no older than the pack allows.",
                  (ParameterSpec("max_data_age_months", "integer",
                                 "The oldest the SNA's data may be, in months, as of the "
                                 "audit date."),)),
        CheckSpec("definition-recorded", definition_recorded,
                  "A local definition of serious violence is recorded."),
    ]
