"""The two kinds of delivery record target counting reads, as record schemas.

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

from vpp_core import Column, ColumnType, RecordSchema, RowRule, Strategy

PARTICIPANTS = "participants"
TRAINING = "training"

EVENT_TYPES = frozenset({"referral", "start", "session", "exit"})
#: Events that mean a person was reached unless the pack says otherwise (parameter
#: ``engagement_events``); a referral alone does not.
ENGAGEMENTS = ("start", "session", "exit")
OLDEST_AGE = 120


def _names(strategy: Strategy, *, strands: bool = False) -> tuple[tuple[str, str], ...]:
    """Each intervention's (and strand's) id and name, as spellings of its id."""
    named = [(item.id, item.name) for item in strategy.interventions]
    if strands:
        named += [(strand.id, strand.name) for strand in strategy.strands]
    return tuple((spelling, key) for key, name in named for spelling in (key, name))


def participant_schema(strategy: Strategy) -> RecordSchema:
    interventions = frozenset(intervention.id for intervention in strategy.interventions)
    return RecordSchema(
        kind=PARTICIPANTS,
        columns=(
            Column("person_id", ColumnType.ID, description="pseudonymous person id"),
            Column("intervention", ColumnType.ID, allowed=interventions,
                   description="the intervention's id or name in the strategy",
                   aliases=_names(strategy)),
            Column("event_date", ColumnType.DATE, description="the day of the event"),
            Column("date_of_birth", ColumnType.DATE, required=False),
            Column("age_at_event", ColumnType.INTEGER, required=False,
                   description="age in whole years on the day of the event"),
            Column("event_type", ColumnType.ID, allowed=EVENT_TYPES,
                   description="referral, start, session or exit"),
            Column("local_partnership", ColumnType.STRING, required=False),
        ),
        one_of=(("date_of_birth", "age_at_event"),),
        rules=(
            RowRule("date_of_birth > event_date", "date of birth after the event"),
            RowRule(
                f"age_at_event < 0 OR age_at_event > {OLDEST_AGE}",
                f"age at the event outside 0 to {OLDEST_AGE}",
            ),
        ),
    )


def training_keys(strategy: Strategy) -> frozenset[str]:
    """What a training row may count towards: an intervention or a strand."""
    return frozenset(
        [intervention.id for intervention in strategy.interventions]
        + [strand.id for strand in strategy.strands]
    )


def training_schema(strategy: Strategy) -> RecordSchema:
    return RecordSchema(
        kind=TRAINING,
        columns=(
            Column("professional_id", ColumnType.ID, description="pseudonymous professional id"),
            Column("intervention", ColumnType.ID, allowed=training_keys(strategy),
                   description="the intervention or strand (id or name) the course counts "
                               "towards",
                   aliases=_names(strategy, strands=True)),
            Column("training_date", ColumnType.DATE),
            Column("organisation", ColumnType.STRING, required=False),
            Column("course", ColumnType.STRING, required=False),
        ),
    )
