"""The campaign's table: per channel and in total, coverage by area, training against targets.

Built from the same measures as the metrics, then shown under a disclosure policy: counts
of people are suppressed in a published table, and so is every figure derived from a
suppressed count ("[c]"). Values are exact until shown; rounding is stated on the table.
No person or device id is ever in it: only aggregates leave DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_core import LEFT_OUT_RULE, Audience, DisclosurePolicy, Strategy
from vpp_plugins.reach import metrics
from vpp_plugins.reach.figures import rounded
from vpp_plugins.reach.kinds import AUDIENCE_COHORT, CAMPAIGN_COHORTS
from vpp_plugins.reach.load import LoadedCampaign
from vpp_plugins.reach.slices import Slice
from vpp_plugins.reach.unique import unique_reach

CONFIDENTIAL = "[c]"
ROUNDING = ("Shown rounded half-up: frequency to 2 decimal places, percentages to 2 decimal "
            "places, money to the penny, estimated people to whole people; computed exactly.")


class Kind(StrEnum):
    COUNT = "count"  # impressions: not people, never suppressed
    PEOPLE = "people"  # suppressed when small in a published table
    RATE = "rate"
    SHARE = "share"
    MONEY = "money"
    TEXT = "text"


@attrs.frozen
class Column:
    key: str
    heading: str
    kind: Kind
    #: The people column this figure is derived from (suppressed with it).
    from_people: str | None = None
    #: The total row adds this column up: a suppressed cell above it would be given
    #: away by subtraction, so the total is suppressed with it.
    additive: bool = False


@attrs.frozen
class Section:
    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Decimal | str | None], ...]


@attrs.frozen
class CampaignTable:
    title: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...]


CHANNEL_COLUMNS = (
    Column("channel", "Channel", Kind.TEXT),
    Column("impressions", "Impressions", Kind.COUNT),
    Column("reach", "Reach (reported)", Kind.PEOPLE, additive=True),
    Column("unique_reach", "Unique reach", Kind.PEOPLE),
    Column("method", "Method", Kind.TEXT),
    Column("frequency", "Frequency", Kind.RATE, "unique_reach"),
    Column("engagement_rate", "Engagement rate", Kind.SHARE),
    Column("click_through_rate", "CTR", Kind.SHARE),
    Column("cpm", "CPM", Kind.MONEY),
    Column("cost_per_person", "Cost per person reached", Kind.MONEY, "unique_reach"),
    Column("spend", "Spend", Kind.MONEY),
)
AREA_COLUMNS = (
    Column("area", "Area", Kind.TEXT),
    Column("population", "Population", Kind.COUNT),
    Column("unique_reach", "Unique reach", Kind.PEOPLE),
    Column("method", "Method", Kind.TEXT),
    Column("coverage", "Coverage", Kind.SHARE, "unique_reach"),
)
TRAINING_COLUMNS = (
    Column("cohort", "Cohort", Kind.TEXT),
    Column("audiences", "Audiences", Kind.TEXT),
    Column("target", "Target", Kind.COUNT),
    Column("reached", "New people trained", Kind.PEOPLE),
    Column("share_of_target", "Of target", Kind.SHARE, "reached"),
)


def _channel_row(campaign: LoadedCampaign, where: Slice) -> dict[str, Decimal | str | None]:
    argument = str(where)
    people = unique_reach(campaign.data, where)
    return {
        "channel": where.channel or "all channels",
        "impressions": metrics.summed_impressions(campaign, argument).value,
        "reach": metrics.reach(campaign, argument).value,
        "unique_reach": people.value,
        "method": people.method.value if people.value is not None else "",
        "frequency": metrics.frequency_measure(campaign, argument).value,
        "engagement_rate": metrics.engagement_rate(campaign, argument).value,
        "click_through_rate": metrics.click_through_rate(campaign, argument).value,
        "cpm": metrics.cpm_measure(campaign, argument).value,
        "cost_per_person": metrics.cost_per_person_measure(campaign, argument).value,
        "spend": metrics.summed_spend(campaign, argument).value,
    }


def channel_rows(campaign: LoadedCampaign) -> list[dict[str, Decimal | str | None]]:
    """One row per channel and a total row: the table's first section."""
    data = campaign.data
    data.prefetch_exact([("channel",), ()])
    return [_channel_row(campaign, Slice(channel=channel)) for channel in data.channels()] + [
        _channel_row(campaign, Slice())
    ]


def _area_rows(campaign: LoadedCampaign) -> list[dict[str, Decimal | str | None]]:
    data = campaign.data
    if not data.has_population and not data.has_delivery:
        return []
    data.prefetch_exact([("area",), ("channel", "area")])
    areas = sorted(set(data.values("area")) | set(data.population_by_area()))
    rows = []
    for area in [*areas, None]:
        people = unique_reach(data, Slice(area=area))
        population = data.population(area)
        rows.append({
            "area": area or "all areas",
            "population": Decimal(population) if population is not None else None,
            "unique_reach": people.value,
            "method": people.method.value if people.value is not None else "",
            "coverage": metrics.coverage_measure(campaign, area or "total").value,
        })
    return rows


def _training_rows(campaign: LoadedCampaign, strategy: Strategy
                   ) -> list[dict[str, Decimal | str | None]]:
    if not campaign.data.has_training:
        return []
    rows = []
    for cohort in CAMPAIGN_COHORTS:
        target = metrics.campaign_target(strategy, cohort)
        reached = metrics.training_reached(campaign, cohort).value
        rows.append({
            "cohort": cohort,
            "audiences": ", ".join(a.value for a, c in AUDIENCE_COHORT.items() if c == cohort),
            "target": Decimal(target) if target is not None else None,
            "reached": reached,
            "share_of_target": (reached / target if target and reached is not None else None),
        })
    return rows


def _notes(campaign: LoadedCampaign, policy: DisclosurePolicy) -> list[str]:
    data = campaign.data
    notes = [
        f"Evaluation window {data.window}: delivery and exposures outside it are left out. "
        f"Training counts new attendees whose first attendance is in {data.training_window}.",
        "Reach (reported) is the platforms' reach summed over reporting periods, not "
        "de-duplicated: a person reached in two weeks, or on two channels, counts twice.",
        "Unique reach: exact = distinct ids in the exposure log (devices, not always people); "
        "estimated = population × (1 − Π(1 − reachᵢ ÷ population)) over channels, assuming "
        "they reach people independently; reported = one channel's reported reach.",
        "Frequency = impressions ÷ unique reach, over the channels the unique reach counts "
        "(a channel reporting no reach is left out of both). Engagement rate = engagements "
        "÷ impressions and CTR = clicks ÷ impressions, each over the rows that report the "
        "numerator. CPM = spend ÷ impressions × 1,000. Cost per person reached = spend ÷ "
        "unique reach.",
        ROUNDING,
        policy.statement + (f" Figures derived from a suppressed count, and totals that "
                            f"would give one away, are shown as {CONFIDENTIAL}."
                            if policy.audience is Audience.PUBLISHED else ""),
    ]
    sources = data.population_sources()
    if sources:
        notes.append(f"Population: {'; '.join(sources)}.")
    for kind, table in sorted(campaign.tables.items()):
        if table.rows_rejected:
            reasons = "; ".join(f"{reason} ({count:,})" for _, reason, count in table.reasons)
            notes.append(f"{kind}: {table.rows_rejected:,} of {table.rows_read:,} rows left "
                         f"out: {reasons}. {LEFT_OUT_RULE}")
    outside: dict[str, list[str]] = {}
    for found in data.outside_window():
        if found.rows:
            outside.setdefault(found.kind, []).append(f"{found.group} {found.rows:,}")
    for kind, groups in outside.items():
        notes.append(f"{kind}: rows dated outside the window, left out ({', '.join(groups)}).")
    return notes


def build_table(campaign: LoadedCampaign, strategy: Strategy,
                policy: DisclosurePolicy) -> CampaignTable:
    """The campaign's table; ``policy`` only adds its statement (see :func:`shown`)."""
    name = strategy.campaign.name if strategy.campaign else "Campaign"
    sections = [Section("channels", "By channel", CHANNEL_COLUMNS,
                        tuple(channel_rows(campaign)) if campaign.data.has_delivery
                        or campaign.data.has_exposures else ())]
    sections.append(Section("areas", "Coverage of the population by area", AREA_COLUMNS,
                            tuple(_area_rows(campaign))))
    sections.append(Section("training", "Training against the campaign's targets",
                            TRAINING_COLUMNS, tuple(_training_rows(campaign, strategy))))
    return CampaignTable(
        title=f"{name}: reach, {strategy.partnership.short_name} {strategy.financial_year}",
        sections=tuple(sections),
        notes=tuple(_notes(campaign, policy)),
    )


def shown(value: Decimal | str | None, kind: Kind, policy: DisclosurePolicy) -> str:
    """A value as the table shows it (plain, no thousands separators: for JSON and CSV)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind is Kind.PEOPLE:
        return policy.show(int(rounded(value, 0)))
    if kind is Kind.COUNT:
        return str(int(rounded(value, 0)))
    if kind is Kind.RATE:
        return str(rounded(value, 2))
    if kind is Kind.SHARE:
        return str(rounded(value, 4))
    return str(rounded(value, 2))


def suppressed(row: dict[str, Decimal | str | None], column: Column,
               policy: DisclosurePolicy) -> bool:
    """Whether a figure is hidden: a small count of people, or derived from one."""
    people = column.key if column.kind is Kind.PEOPLE else column.from_people
    if people is None:
        return False
    value = row.get(people)
    return isinstance(value, Decimal) and policy.is_suppressed(int(rounded(value, 0)))


def cells(section: Section, policy: DisclosurePolicy) -> list[list[str]]:
    """Each row's values as shown, in column order (plain numbers). A section's last row
    is its total where the first column says so ("all ...")."""
    out = []
    rows = section.rows
    has_total = bool(rows) and str(rows[-1].get(section.columns[0].key, "")).startswith("all ")
    for number, row in enumerate(rows):
        line = []
        for column in section.columns:
            value = row.get(column.key)
            hidden = column.kind is not Kind.PEOPLE and suppressed(row, column, policy)
            if column.additive and has_total and number == len(rows) - 1:
                hidden = hidden or any(suppressed(other, column, policy) for other in rows[:-1])
            line.append(CONFIDENTIAL if hidden else shown(value, column.kind, policy))
        out.append(line)
    return out


def headings(columns: Sequence[Column]) -> list[str]:
    return [column.heading for column in columns]
