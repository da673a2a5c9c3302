"""The campaign's record kinds: the columns each holds and the DuckDB table it is read into.

Column names here are ours; a ``records.toml`` maps them to a file's own names. Optional
columns may be missing from a file or empty in a row, read as "not reported" (never as
zero). Areas are the strategy's local partnership ids, so the schemas are made per strategy.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import attrs

from vpp_core import Cohort, Strategy

# The record reader is imported when schemas are made, that is when records are read: an
# audit without campaign records never needs it.
if TYPE_CHECKING:
    from vpp_core import RecordSchema, RowRule


class Audience(StrEnum):
    """Who came to the campaign's training."""

    YOUNG_PERSON = "young-person"
    PARENT = "parent"
    PRACTITIONER = "practitioner"
    PROFESSIONAL = "professional"


#: Which column of the targets table each audience counts towards.
AUDIENCE_COHORT: dict[Audience, Cohort] = {
    Audience.YOUNG_PERSON: Cohort.UNDER_25,
    Audience.PARENT: Cohort.OVER_25,
    Audience.PRACTITIONER: Cohort.PROFESSIONALS,
    Audience.PROFESSIONAL: Cohort.PROFESSIONALS,
}


@attrs.frozen
class RecordKind:
    """A kind of campaign record: its ``records.toml`` name and the table it is read into."""

    name: str
    table: str
    description: str


DELIVERY = RecordKind(
    "campaign-delivery", "campaign_delivery",
    "delivery per channel, area and day or week, as the platforms report it",
)
EXPOSURES = RecordKind(
    "exposures", "exposures",
    "one row per exposure: a pseudonymous viewer or device id, a channel, a date",
)
#: Impressions from which a delivery row's "people reached" equal to its impressions is
#: taken for impressions reported as reach (REACH003's default), and left out.
IMPRESSIONS_AS_REACH = 100
TRAINING = RecordKind("campaign-training", "campaign_training",
                      "attendance at the campaign's training")
POPULATION = RecordKind(
    "population", "population",
    "people in each local partnership by age band, and where the figures are from",
)
KINDS: dict[str, RecordKind] = {
    kind.name: kind for kind in (DELIVERY, EXPOSURES, TRAINING, POPULATION)
}


def _not_negative(*columns: str) -> tuple[RowRule, ...]:
    from vpp_core import RowRule

    return tuple(RowRule(f"{column} < 0", f"negative {column.replace('_', ' ')}")
                 for column in columns)


def schemas(strategy: Strategy) -> dict[str, RecordSchema]:
    """Each kind's columns, with the strategy's local partnerships as the areas allowed."""
    from vpp_core import Column, ColumnType, RecordSchema, RowRule

    areas = frozenset(partnership.id for partnership in strategy.local_partnerships) or None
    counts = ("impressions", "reach", "engagements", "clicks", "video_views")
    return {
        DELIVERY.name: RecordSchema(
            kind=DELIVERY.name,
            columns=(
                Column("channel", ColumnType.STRING),
                Column("area", ColumnType.STRING, allowed=areas),
                Column("date", ColumnType.DATE, description="day, or first day of the week"),
                Column("impressions", ColumnType.INTEGER),
                Column("reach", ColumnType.INTEGER, required=False,
                       description="people reached in the row's period, as the platform says"),
                Column("engagements", ColumnType.INTEGER, required=False),
                Column("clicks", ColumnType.INTEGER, required=False),
                Column("video_views", ColumnType.INTEGER, required=False),
                Column("spend", ColumnType.DECIMAL, required=False, description="pounds"),
            ),
            rules=(
                *_not_negative(*counts, "spend"),
                RowRule("spend <> round(spend, 2)", "spend in fractions of a penny"),
            ),
        ),
        EXPOSURES.name: RecordSchema(
            kind=EXPOSURES.name,
            columns=(
                Column("viewer_id", ColumnType.ID, description="pseudonymous viewer or device"),
                Column("channel", ColumnType.STRING),
                Column("date", ColumnType.DATE),
                Column("area", ColumnType.STRING, required=False, allowed=areas),
            ),
        ),
        TRAINING.name: RecordSchema(
            kind=TRAINING.name,
            columns=(
                Column("attendee_id", ColumnType.ID, description="pseudonymous attendee"),
                Column("audience", ColumnType.STRING,
                       allowed=frozenset(audience.value for audience in Audience)),
                Column("date", ColumnType.DATE),
                Column("area", ColumnType.STRING, required=False, allowed=areas),
            ),
        ),
        POPULATION.name: RecordSchema(
            kind=POPULATION.name,
            columns=(
                Column("area", ColumnType.STRING, allowed=areas),
                Column("age_band", ColumnType.STRING),
                Column("population", ColumnType.INTEGER),
                Column("source", ColumnType.STRING, required=False,
                       description="where the figure is from, or 'illustrative'"),
            ),
            rules=_not_negative("population"),
        ),
    }
