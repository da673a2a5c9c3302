"""The campaign's table: per channel and in total (or per month, week or area), rows left out,
coverage by area, training attendance.

Built from the same measures as the metrics, then shown under a disclosure policy: counts
of people are suppressed in a published table, and so is every figure derived from a
suppressed count ("[c]"). Values are exact until shown; rounding is stated on the table.
No person or device id is ever in it: only aggregates leave DuckDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import attrs

from vpp_core import (
    LEFT_OUT_RULE,
    Audience,
    DisclosurePolicy,
    LoadedTable,
    Strategy,
    display_path,
)
from vpp_plugins.reach import metrics
from vpp_plugins.reach.figures import ratio, rounded
from vpp_plugins.reach.load import LoadedCampaign
from vpp_plugins.reach.model import (
    INDEPENDENCE,
    Bounds,
    ChannelFigures,
    Cover,
    SliceFigures,
    slice_figures,
)
from vpp_plugins.reach.slices import Slice

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
    #: The people column this figure is in proportion to (1) or inverse proportion to (-1):
    #: in a rounded published table it is taken from the count as shown.
    scales: tuple[str, int] | None = None


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


#: What ``--by`` splits the campaign into; each part is treated as one period or area.
BY = ("month", "week", "area")

CHANNEL_COLUMNS = (
    Column("channel", "Channel", Kind.TEXT),
    Column("impressions", "Impressions (platform)", Kind.COUNT),
    Column("reach_low", "Reach (platform)", Kind.PEOPLE),
    Column("reach_high", "Reach (platform), high", Kind.PEOPLE),
    Column("reach_periods", "Reporting periods", Kind.COUNT),
    Column("frequency_low", "Frequency (platform)", Kind.RATE, "reach_low",
           ("reach_high", -1)),
    Column("frequency_high", "Frequency (platform), high", Kind.RATE, "reach_low",
           ("reach_low", -1)),
    Column("log_impressions", "Impressions (log)", Kind.COUNT),
    Column("log_reach", "Reach (log)", Kind.PEOPLE),
    Column("log_frequency", "Frequency (log)", Kind.RATE, "log_reach", ("log_reach", -1)),
    Column("log_cover", "Log covers", Kind.TEXT),
    Column("check", "Platform against log", Kind.TEXT),
    Column("unique_low", "Unique reach", Kind.PEOPLE),
    Column("unique_high", "Unique reach, high", Kind.PEOPLE),
    Column("method", "Method", Kind.TEXT),
    Column("leaves_out", "Leaves out", Kind.TEXT),
    Column("engagement_rate", "Engagement rate", Kind.SHARE),
    Column("click_through_rate", "CTR", Kind.SHARE),
    Column("cpm", "CPM", Kind.MONEY),
    Column("spend", "Spend", Kind.MONEY),
)
AREA_COLUMNS = (
    Column("area", "Area", Kind.TEXT),
    Column("population", "Population", Kind.COUNT),
    Column("unique_low", "Unique reach", Kind.PEOPLE),
    Column("unique_high", "Unique reach, high", Kind.PEOPLE),
    Column("method", "Method", Kind.TEXT),
    Column("leaves_out", "Leaves out", Kind.TEXT),
    Column("coverage_low", "Coverage", Kind.SHARE, "unique_low", ("unique_low", 1)),
    Column("coverage_high", "Coverage, high", Kind.SHARE, "unique_low", ("unique_high", 1)),
)
LEFT_OUT_COLUMNS = (
    Column("channel", "Channel", Kind.TEXT),
    Column("reason", "Left out of every figure", Kind.TEXT),
    Column("rows", "Rows", Kind.COUNT),
)
TRAINING_COLUMNS = (
    Column("audience", "Audience", Kind.TEXT),
    Column("attendees", "New attendees", Kind.PEOPLE),
)
#: Why the campaign's training attendance is not its count against the targets table.
ONE_COUNT = ("Training: new attendees at the campaign's own sessions (campaign-training "
             "records). The targets table's row for the campaign is counted once, by `vpp "
             "targets` over the participants and training records; this attendance is a "
             "different record, so it is not set against the target and its figures differ.")

Row = dict[str, Decimal | str | None]
LEAVES_OUT = ("Leaves out: channels with impressions but no reach reported and no complete "
              "log. The people they reached cannot be counted, so the unique reach and "
              "coverage beside them are at least the figure shown.")


def _bounds(prefix: str, value: Bounds | None) -> Row:
    return {f"{prefix}_low": value.low if value else None,
            f"{prefix}_high": value.high if value else None}


def _delivery_figures(campaign: LoadedCampaign, where: Slice) -> Row:
    argument = str(where)
    return {
        "impressions": metrics.summed_impressions(campaign, argument).value,
        "engagement_rate": metrics.engagement_rate(campaign, argument).value,
        "click_through_rate": metrics.click_through_rate(campaign, argument).value,
        "cpm": metrics.cpm_measure(campaign, argument).value,
        "spend": metrics.summed_spend(campaign, argument).value,
    }


def _channel_row(campaign: LoadedCampaign, where: Slice, figures: ChannelFigures) -> Row:
    logged = figures.cover is not Cover.NONE
    shown = figures.delivery.rows > 0
    row: Row = {
        "channel": figures.channel,
        **(_delivery_figures(campaign, attrs.evolve(where, channel=figures.channel))
           if shown else {}),
        **_bounds("reach", figures.reach),
        "reach_periods": Decimal(figures.periods) if figures.reach else None,
        **_bounds("frequency", figures.frequency),
        "log_impressions": Decimal(figures.log_impressions) if logged else None,
        "log_reach": Decimal(figures.log_reach) if logged else None,
        "log_frequency": figures.log_frequency if logged else None,
        "log_cover": figures.cover.value,
        "check": "; ".join(figures.problems) or ("consistent" if logged and shown else ""),
    }
    return row


def _total_row(campaign: LoadedCampaign, found: SliceFigures) -> Row:
    unique = found.unique
    return {
        "channel": "all channels",
        **_delivery_figures(campaign, found.where),
        "log_impressions": Decimal(found.log_impressions) if found.log_impressions else None,
        "log_reach": Decimal(found.log_reach) if found.log_impressions else None,
        "log_frequency": (ratio(found.log_impressions, found.log_reach)
                          if found.log_impressions else None),
        **_bounds("unique", unique.value),
        "method": unique.method.value if unique.value is not None else "",
        "leaves_out": ", ".join(unique.leaves_out),
    }


def groups(campaign: LoadedCampaign, by: str | None) -> list[Slice]:
    """The slices ``--by`` asks for (months, weeks or areas with records), then all."""
    data = campaign.data
    if by is None:
        return [Slice()]
    found = sorted(set(data.values(by)) | set(data.logged_values(by, Slice())))
    return [*(Slice(**{by: value}) for value in found), Slice()]


def channel_rows(campaign: LoadedCampaign, by: str | None = None) -> list[Row]:
    """Per group (or once): a row per channel, then the group's row for all channels."""
    rows = []
    for where in groups(campaign, by):
        found = slice_figures(campaign.data, where)
        label = {by: getattr(where, by) or "all"} if by else {}
        rows += [{**label, **_channel_row(campaign, where, figures)}
                 for figures in found.channels]
        rows.append({**label, **_total_row(campaign, found)})
    return rows


def _area_rows(campaign: LoadedCampaign) -> tuple[list[Row], list[str]]:
    """Each area's people reached and coverage, then all areas; and what to say of them."""
    data = campaign.data
    if not data.has_population and not data.has_delivery:
        return [], []
    areas = sorted(set(data.values("area")) | set(data.population_by_area())
                   | set(data.logged_values("area", Slice())))
    rows = []
    # Areas are counted from the log only if it holds areas; all areas, then, likewise.
    split = data.can_log(Slice(area=""))
    found = {area: slice_figures(data, Slice(area=area), log=split or area is not None)
             for area in [*areas, None]}
    for area, figures in found.items():
        unique, population = figures.unique.value, figures.population
        coverage = (Bounds(min(unique.low / population, Decimal(1)),
                           min(unique.high / population, Decimal(1)))
                    if unique is not None and population else None)
        rows.append({
            "area": area or "all areas",
            "population": Decimal(population) if population is not None else None,
            **_bounds("unique", unique),
            "method": figures.unique.method.value if unique is not None else "",
            "leaves_out": ", ".join(figures.unique.leaves_out),
            **_bounds("coverage", coverage),
        })
    notes = []
    if data.has_exposures and not split:
        notes.append("The exposure log holds no areas: coverage by area, and of all areas, is "
                     "from the platforms' figures alone.")
    spanning = data.ids_in_several_areas()
    if spanning:
        notes.append(f"The exposure log saw {spanning:,} id{'' if spanning == 1 else 's'} in "
                     "more than one area: each area counts them, all areas once, so the areas "
                     "add up to more than all areas.")
    return rows, notes


def _training_rows(campaign: LoadedCampaign) -> list[dict[str, Decimal | str | None]]:
    if not campaign.data.has_training:
        return []
    return [{
        "audience": label,
        "attendees": metrics.training_reached(campaign, audience_id).value,
    } for audience_id, label in campaign.audiences]


def _left_out_rows(table: LoadedTable, file: str, reason: str, count: int) -> str:
    """``file: reason (count: rows …)``: the rows as far as the reader listed them."""
    rows = [str(row.row) for row in table.rejected if row.file == file and row.reason == reason]
    listed = (f": row{'s' if len(rows) > 1 else ''} {', '.join(rows)}"
              f"{', …' if len(rows) < count else ''}" if rows else "")
    return f"{display_path(Path(file))}: {reason} ({count:,}{listed})"


def _notes(campaign: LoadedCampaign, policy: DisclosurePolicy) -> list[str]:
    data = campaign.data
    notes = [
        f"Evaluation window {data.window}: delivery and exposures outside it are left out. "
        f"Training counts new attendees whose first attendance is in {data.training_window}.",
        ONE_COUNT,
        "Platform figures come from the delivery rows; log figures from the exposure log "
        "(each row one impression; reach = distinct ids, devices not always people; "
        "frequency = impressions ÷ reach). Neither stands in for the other.",
        "Reach (platform) over several reporting periods is a range: at least the largest "
        "single period, at most the sum of the periods (a person reached in two counts "
        "twice), with the impressions of rows that report no reach (each reaches at most "
        "one person), and the population. It is never a unique reach.",
        "Log covers: complete = the log holds every impression the platform reports; "
        "partial = fewer (the platform's figures stand); log only = the platform reports "
        "nothing for the channel. Platform against log: log impressions ≤ platform "
        "impressions and log reach ≤ platform reach (a complete log's reach at least the "
        "largest period's).",
        "Unique reach across channels: exact = distinct ids over channels the log holds "
        "completely; reported (bounds) = one channel's platform reach; estimated = "
        f"{INDEPENDENCE}. Channels counted from the log enter it as one; a range takes each "
        "channel at its lower, then its upper figure.",
        "Engagement rate = engagements ÷ impressions and CTR = clicks ÷ impressions, each "
        "over the rows that report the numerator. CPM = spend ÷ impressions × 1,000.",
        ROUNDING,
        policy.statement + (f" Figures derived from a suppressed count are shown as "
                            f"{CONFIDENTIAL}." if policy.audience is Audience.PUBLISHED else ""),
    ]
    sources = data.population_sources()
    if sources:
        notes.append(f"Population: {'; '.join(sources)}.")
    left_out = data.left_out()
    if left_out:
        notes.append(f"{sum(rows for _, _, rows in left_out):,} delivery rows fail a sanity "
                     "check and are left out of every figure (see the table above; the REACH "
                     "rules of vpp audit report them too).")
    for kind, table in sorted(campaign.tables.items()):
        if table.rows_rejected:
            reasons = "; ".join(_left_out_rows(table, file, reason, count)
                                for file, reason, count in table.reasons)
            notes.append(f"{kind}: {table.rows_rejected:,} of {table.rows_read:,} rows left "
                         f"out: {reasons}. {LEFT_OUT_RULE}")
        notes.extend(f"{kind}: {note}." for note in table.encoding_notes)
    outside: dict[str, list[str]] = {}
    for found in data.outside_window():
        if found.rows:
            outside.setdefault(found.kind, []).append(f"{found.group} {found.rows:,}")
    for kind, groups_ in outside.items():
        notes.append(f"{kind}: rows dated outside the window, left out ({', '.join(groups_)}).")
    return notes


def build_table(campaign: LoadedCampaign, strategy: Strategy,
                policy: DisclosurePolicy, by: str | None = None) -> CampaignTable:
    """The campaign's table, split ``by`` month, week or area if asked; ``policy`` only
    adds its statement (see :func:`shown`)."""
    name = strategy.campaign.name if strategy.campaign else "Campaign"
    columns: tuple[Column, ...] = CHANNEL_COLUMNS
    if by is not None:
        columns = (Column(by, by.capitalize(), Kind.TEXT), *CHANNEL_COLUMNS)
    data = campaign.data
    title = "By channel" + (f", each {by} on its own" if by else "")
    sections = [Section("channels", title, columns,
                        tuple(channel_rows(campaign, by))
                        if data.has_delivery or data.has_exposures else ())]
    left_out = data.left_out()
    if left_out:
        sections.append(Section("left_out", "Delivery rows left out by a sanity check",
                                LEFT_OUT_COLUMNS, tuple(
                                    {"channel": channel, "reason": reason,
                                     "rows": Decimal(rows)}
                                    for channel, reason, rows in left_out)))
    areas, area_notes = _area_rows(campaign)
    if any(row.get("leaves_out") for row in (*sections[0].rows, *areas)):
        area_notes.append(LEAVES_OUT)
    sections.append(Section("areas", "Coverage of the population by area", AREA_COLUMNS,
                            tuple(areas)))
    sections.append(Section("training", "Attendance at the campaign's training",
                            TRAINING_COLUMNS, tuple(_training_rows(campaign))))
    return CampaignTable(
        title=f"{name}: reach, {strategy.partnership.short_name} {strategy.financial_year}",
        sections=tuple(sections),
        notes=(*_notes(campaign, policy), *area_notes),
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


def _as_shown(row: Row, column: Column, policy: DisclosurePolicy) -> Decimal | str | None:
    """A derived figure from its count of people as shown: rounded for publication, a count
    would otherwise be given back by the figure beside it (coverage × population)."""
    value = row.get(column.key)
    rounds = policy.audience is Audience.PUBLISHED and policy.rounding_base
    if not rounds or column.scales is None or not isinstance(value, Decimal):
        return value
    key, power = column.scales
    exact = row.get(key)
    if not isinstance(exact, Decimal) or exact == 0:
        return value
    people = policy.show(int(rounded(exact, 0)))
    if not people.isdigit() or int(people) == 0:
        return value
    scaled = value * (Decimal(people) / exact) ** power
    return min(scaled, Decimal(1)) if column.kind is Kind.SHARE else scaled


def cells(section: Section, policy: DisclosurePolicy) -> list[list[str]]:
    """Each row's values as shown, in column order (plain numbers)."""
    out = []
    for row in section.rows:
        line = []
        for column in section.columns:
            hidden = column.kind is not Kind.PEOPLE and suppressed(row, column, policy)
            line.append(CONFIDENTIAL if hidden else shown(_as_shown(row, column, policy),
                                                           column.kind, policy))
        out.append(line)
    return out


def headings(columns: Sequence[Column]) -> list[str]:
    return [column.heading for column in columns]
