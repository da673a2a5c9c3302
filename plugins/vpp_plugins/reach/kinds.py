"""The campaign's record kinds, registered with their columns, and the DuckDB table each is
read into.

Column names here are ours; a ``records.toml`` maps them to a file's own names. Optional
columns may be missing from a file or empty in a row, read as "not reported" (never as
zero). Areas are the strategy's local partnership ids, so the schemas are made per strategy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from vpp_core import Column, ColumnType, RecordKind, RecordSchema, RowRule

if TYPE_CHECKING:
    from vpp_core import Strategy


#: Who the campaign's training counts, ``(id, label)``, when the strategy states no
#: ``campaign.audiences`` of its own.
DEFAULT_AUDIENCES = (("young-person", "young-person"), ("parent", "parent"),
                     ("practitioner", "practitioner"), ("professional", "professional"))


def audiences(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """The training audiences, ``(id, label)``: the strategy's own, else the default four."""
    stated = strategy.campaign.audiences if strategy.campaign else ()
    return tuple((item.id, item.label) for item in stated) or DEFAULT_AUDIENCES


def _audience_ids(strategy: Strategy) -> frozenset[str]:
    return frozenset(audience_id for audience_id, _ in audiences(strategy))


def _audience_labels(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each audience's label, as a spelling of its id."""
    return tuple((label, audience_id) for audience_id, label in audiences(strategy))


@attrs.frozen
class CampaignKind:
    """A kind of campaign record: its ``records.toml`` name and the table it is read into."""

    name: str
    table: str
    description: str


DELIVERY = CampaignKind(
    "campaign-delivery", "campaign_delivery",
    "delivery per channel, area and day or week, as the platforms report it",
)
EXPOSURES = CampaignKind(
    "exposures", "exposures",
    "one row per exposure: a pseudonymous viewer or device id, a channel, a date",
)
#: Impressions from which a delivery row's "people reached" equal to its impressions is
#: taken for impressions reported as reach (REACH003's default), and left out.
IMPRESSIONS_AS_REACH = 100
TRAINING = CampaignKind("campaign-training", "campaign_training",
                        "attendance at the campaign's training")
POPULATION = CampaignKind(
    "population", "population",
    "people in each local partnership by age band, and where the figures are from",
)
KINDS: dict[str, CampaignKind] = {
    kind.name: kind for kind in (DELIVERY, EXPOSURES, TRAINING, POPULATION)
}


def _not_negative(*columns: str) -> tuple[RowRule, ...]:
    return tuple(RowRule(f"{column} < 0", f"negative {column.replace('_', ' ')}")
                 for column in columns)


def _areas(strategy: Strategy) -> frozenset[str] | None:
    """The strategy's local partnerships: the areas a row may name (any, if it has none)."""
    return frozenset(partnership.id for partnership in strategy.local_partnerships) or None


def _area_names(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each local partnership's name, as a spelling of its id (an export may name it so)."""
    return tuple((partnership.name, partnership.id) for partnership in strategy.local_partnerships)


_AREAS = {"area": _areas}
_AREA_NAMES = {"area": _area_names}
_AREA = "a local partnership in the strategy (its id or name)"
_COUNTS = ("impressions", "reach", "engagements", "clicks", "video_views")

#: What the ``reach`` plugin registers through ``vpp_register_record_kinds``.
RECORD_KINDS = (
    RecordKind(
        RecordSchema(
            kind=DELIVERY.name,
            columns=(
                Column("channel", ColumnType.STRING, description="the platform or channel"),
                Column("area", ColumnType.STRING, description=_AREA),
                Column("date", ColumnType.DATE, description="day, or first day of the week"),
                Column("impressions", ColumnType.INTEGER, description="times shown"),
                Column("reach", ColumnType.INTEGER, required=False,
                       description="people reached in the row's period, as the platform says"),
                Column("engagements", ColumnType.INTEGER, required=False),
                Column("clicks", ColumnType.INTEGER, required=False),
                Column("video_views", ColumnType.INTEGER, required=False),
                Column("spend", ColumnType.DECIMAL, required=False, description="pounds"),
            ),
            rules=(
                *_not_negative(*_COUNTS, "spend"),
                RowRule("spend <> round(spend, 2)", "spend in fractions of a penny"),
            ),
        ),
        DELIVERY.description, strategy_values=_AREAS, strategy_aliases=_AREA_NAMES,
    ),
    RecordKind(
        RecordSchema(
            kind=EXPOSURES.name,
            columns=(
                Column("viewer_id", ColumnType.ID, description="pseudonymous viewer or device"),
                Column("channel", ColumnType.STRING, description="the platform or channel"),
                Column("date", ColumnType.DATE, description="the day of the exposure"),
                Column("area", ColumnType.STRING, required=False, description=_AREA),
            ),
        ),
        EXPOSURES.description, strategy_values=_AREAS, strategy_aliases=_AREA_NAMES,
    ),
    RecordKind(
        RecordSchema(
            kind=TRAINING.name,
            columns=(
                Column("attendee_id", ColumnType.ID, description="pseudonymous attendee"),
                Column("audience", ColumnType.STRING,
                       description="one of the strategy's campaign audiences, by id or label "
                                   "(young-person, parent, practitioner or professional when "
                                   "it states none)"),
                Column("date", ColumnType.DATE, description="the day of the training"),
                Column("area", ColumnType.STRING, required=False, description=_AREA),
            ),
        ),
        TRAINING.description,
        strategy_values={**_AREAS, "audience": _audience_ids},
        strategy_aliases={**_AREA_NAMES, "audience": _audience_labels},
    ),
    RecordKind(
        RecordSchema(
            kind=POPULATION.name,
            columns=(
                Column("area", ColumnType.STRING, description=_AREA),
                Column("age_band", ColumnType.STRING, description="the age band counted"),
                Column("population", ColumnType.INTEGER, description="people in the band"),
                Column("source", ColumnType.STRING, required=False,
                       description="where the figure is from, or 'illustrative'"),
            ),
            rules=_not_negative("population"),
        ),
        POPULATION.description, strategy_values=_AREAS, strategy_aliases=_AREA_NAMES,
    ),
)


def schemas(strategy: Strategy) -> dict[str, RecordSchema]:
    """Each kind's columns, with the strategy's local partnerships as the areas allowed."""
    return {kind.name: kind.schema_for(strategy) for kind in RECORD_KINDS}
