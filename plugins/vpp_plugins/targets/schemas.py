"""The two kinds of delivery record target counting reads, registered with their columns.

``participants``: one row per engagement event — a pseudonymous person id, the
intervention, the event's date, date of birth or age at the event, the event type and,
optionally, the local partnership. ``training``: one row per professional trained — a
pseudonymous professional id, the intervention or strand the course counts towards, the
date and, optionally, the organisation and course name.

Intervention values are the strategy's ids (``hospital-navigators``) or its names
("Hospital Navigators"), matched ignoring case, spaces and punctuation; training may also
name a strand by id or name (``sustainable-training``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vpp_core import Column, ColumnType, RecordKind, RecordSchema, RowRule
from vpp_plugins._common import intervention_spellings

if TYPE_CHECKING:
    from vpp_core import Strategy

PARTICIPANTS = "participants"
TRAINING = "training"

EVENT_TYPES = frozenset({"referral", "start", "session", "exit"})
#: Events that mean a person was reached unless the pack says otherwise (parameter
#: ``engagement_events``); a referral alone does not.
ENGAGEMENTS = ("start", "session", "exit")
OLDEST_AGE = 120


def _intervention_ids(strategy: Strategy) -> frozenset[str]:
    return frozenset(intervention.id for intervention in strategy.interventions)


def _training_names(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """As :func:`intervention_spellings`, and each strand's id and name."""
    return intervention_spellings(strategy) + tuple(
        (spelling, strand.id) for strand in strategy.strands
        for spelling in (strand.id, strand.name))


def training_keys(strategy: Strategy) -> frozenset[str]:
    """What a training row may count towards: an intervention or a strand."""
    return frozenset(
        [intervention.id for intervention in strategy.interventions]
        + [strand.id for strand in strategy.strands]
    )


PARTICIPANTS_KIND = RecordKind(
    RecordSchema(
        kind=PARTICIPANTS,
        columns=(
            Column("person_id", ColumnType.ID, description="pseudonymous person id"),
            Column("intervention", ColumnType.ID,
                   description="the intervention's id or name in the strategy"),
            Column("event_date", ColumnType.DATE, description="the day of the event"),
            Column("date_of_birth", ColumnType.DATE, required=False,
                   description="date of birth (this or age_at_event)"),
            Column("age_at_event", ColumnType.INTEGER, required=False,
                   description="age in whole years on the day of the event"),
            Column("event_type", ColumnType.ID, allowed=EVENT_TYPES,
                   description="referral, start, session or exit"),
            Column("local_partnership", ColumnType.STRING, required=False,
                   description="the local partnership the person was reached in"),
        ),
        one_of=(("date_of_birth", "age_at_event"),),
        rules=(
            RowRule("date_of_birth > event_date", "date of birth after the event"),
            RowRule(
                f"age_at_event < 0 OR age_at_event > {OLDEST_AGE}",
                f"age at the event outside 0 to {OLDEST_AGE}",
            ),
        ),
    ),
    "one row per engagement event with an intervention: who, which, when, how old",
    strategy_values={"intervention": _intervention_ids},
    strategy_aliases={"intervention": intervention_spellings},
)

TRAINING_KIND = RecordKind(
    RecordSchema(
        kind=TRAINING,
        columns=(
            Column("professional_id", ColumnType.ID, description="pseudonymous professional id"),
            Column("intervention", ColumnType.ID,
                   description="the intervention or strand (id or name) the course counts "
                               "towards"),
            Column("training_date", ColumnType.DATE, description="the day of the training"),
            Column("organisation", ColumnType.STRING, required=False,
                   description="the professional's organisation"),
            Column("course", ColumnType.STRING, required=False, description="the course's name"),
        ),
    ),
    "one row per professional trained: who, towards which intervention or strand, when",
    strategy_values={"intervention": training_keys},
    strategy_aliases={"intervention": _training_names},
)

#: What the ``targets`` plugin registers through ``vpp_register_record_kinds``.
RECORD_KINDS = (PARTICIPANTS_KIND, TRAINING_KIND)


def participant_schema(strategy: Strategy) -> RecordSchema:
    return PARTICIPANTS_KIND.schema_for(strategy)


def training_schema(strategy: Strategy) -> RecordSchema:
    return TRAINING_KIND.schema_for(strategy)
