"""The campaign's record kinds: the columns each holds and the DuckDB table it is read into.

Column names here are ours; a ``records.toml`` maps them to a file's own names. A column
that is not ``required`` may be missing from a file; a ``nullable`` one may have empty
cells, read as "not reported" (never as zero).
"""

from __future__ import annotations

from enum import StrEnum

import attrs

from vpp_core.model import Cohort


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    COUNT = "count"  # a whole number, zero or more
    MONEY = "money"  # pounds, at most two decimal places


@attrs.frozen
class Column:
    name: str
    type: ColumnType
    required: bool = True
    nullable: bool = False
    #: A person or device identifier: never printed, not even in a bad-row message.
    identifier: bool = False


@attrs.frozen
class RecordKind:
    name: str
    table: str
    columns: tuple[Column, ...]
    description: str

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


DELIVERY = RecordKind(
    name="campaign-delivery",
    table="campaign_delivery",
    description="delivery per channel, area and day or week, as the platforms report it",
    columns=(
        Column("channel", ColumnType.TEXT),
        Column("area", ColumnType.TEXT),
        Column("date", ColumnType.DATE),
        Column("impressions", ColumnType.COUNT),
        Column("reach", ColumnType.COUNT, nullable=True),
        Column("engagements", ColumnType.COUNT, required=False, nullable=True),
        Column("clicks", ColumnType.COUNT, required=False, nullable=True),
        Column("video_views", ColumnType.COUNT, required=False, nullable=True),
        Column("spend", ColumnType.MONEY, required=False, nullable=True),
    ),
)

EXPOSURES = RecordKind(
    name="exposures",
    table="exposures",
    description="one row per exposure: a pseudonymous viewer or device, a channel, a date",
    columns=(
        Column("viewer_id", ColumnType.TEXT, identifier=True),
        Column("channel", ColumnType.TEXT),
        Column("date", ColumnType.DATE),
        Column("area", ColumnType.TEXT, required=False),
    ),
)

TRAINING = RecordKind(
    name="campaign-training",
    table="campaign_training",
    description="attendance at the campaign's training",
    columns=(
        Column("attendee_id", ColumnType.TEXT, identifier=True),
        Column("audience", ColumnType.TEXT),
        Column("date", ColumnType.DATE),
        Column("area", ColumnType.TEXT, required=False, nullable=True),
    ),
)

POPULATION = RecordKind(
    name="population",
    table="population",
    description="people in each local partnership by age band, and where the figure is from",
    columns=(
        Column("area", ColumnType.TEXT),
        Column("age_band", ColumnType.TEXT),
        Column("population", ColumnType.COUNT),
        Column("source", ColumnType.TEXT, required=False, nullable=True),
    ),
)

KINDS: dict[str, RecordKind] = {
    kind.name: kind for kind in (DELIVERY, EXPOSURES, TRAINING, POPULATION)
}


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


SQL_TYPES: dict[ColumnType, str] = {
    ColumnType.TEXT: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.COUNT: "BIGINT",
    ColumnType.MONEY: "DECIMAL(18,2)",
}


def create_table(kind: RecordKind) -> str:
    """``CREATE TABLE`` for a kind's table with every column (missing optional ones stay NULL)."""
    columns = ", ".join(f"{column.name} {SQL_TYPES[column.type]}" for column in kind.columns)
    return f"CREATE TABLE {kind.table} ({columns})"
