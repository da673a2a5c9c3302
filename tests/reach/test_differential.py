"""The reach model against a deliberately plain implementation of its documented rules.

The plain version below is written from the rules as the model's docstring and the
``vpp reach`` notes state them, in pure Python over lists of rows (no SQL, no caching,
no grouping tricks). Hypothesis generates small campaigns — channels whose log is
complete, partial, absent or the only source, several weeks, months and areas, rows that
fail a sanity check, rows outside the window — and every figure must agree exactly.
``VPP_DIFFERENTIAL_EXAMPLES`` raises the number of cases (2,000 by default). The
metamorphic tests go through the loader: shuffled rows, and the log split into two files,
change nothing.
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.load import load_campaign
from vpp_plugins.reach.model import SliceFigures, slice_figures
from vpp_plugins.reach.slices import Slice
from vpp_plugins.reach.table import build_table

from tests.reach.conftest import campaign_sources, delivery_row
from vpp_core import Period
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import RecordSource
from vpp_core.records.disclosure import DisclosurePolicy

EXAMPLES = int(os.environ.get("VPP_DIFFERENTIAL_EXAMPLES", "2000"))
WINDOW = Period(date(2024, 5, 1), date(2024, 6, 30))
DAYS = [WINDOW.start + timedelta(days=n) for n in range(-6, 68, 3)]  # some outside
CHANNELS = ("social", "video", "web")
AREAS = ("reading", "slough")


class Delivery(NamedTuple):
    channel: str
    area: str
    day: date
    impressions: int
    reach: int | None
    spend: Decimal | None


class Exposure(NamedTuple):
    viewer: str
    channel: str
    day: date
    area: str | None


@attrs.frozen
class Campaign:
    delivery: tuple[Delivery, ...]
    exposures: tuple[Exposure, ...] | None  # None: no exposure log given
    population: tuple[tuple[str, int], ...] | None  # None: no population records


# -- generating campaigns ----------------------------------------------------------------

days = st.sampled_from(DAYS)
platform_rows = st.builds(
    Delivery, st.sampled_from(CHANNELS), st.sampled_from(AREAS), days,
    st.one_of(st.integers(0, 30), st.sampled_from([100, 120])),
    st.one_of(st.none(), st.integers(0, 35), st.sampled_from([100, 120])),
    st.one_of(st.none(), st.decimals(0, 50, places=2)))
exposure_rows = st.builds(
    Exposure, st.sampled_from([f"v{n}" for n in range(7)]),
    st.sampled_from((*CHANNELS, "app")), days,
    st.one_of(st.none(), st.sampled_from(AREAS)))


@st.composite
def campaigns(draw: st.DrawFn) -> Campaign:
    exposures = draw(st.one_of(st.none(), st.lists(exposure_rows, max_size=16)))
    delivery = draw(st.lists(platform_rows, max_size=8))
    if exposures is not None and draw(st.booleans()):
        # A channel whose delivery the platform sums from the log, by area and day (a
        # complete log); some of its log rows then dropped (a partial one).
        channel = draw(st.sampled_from(CHANNELS))
        delivery = [row for row in delivery if row.channel != channel]
        logged: dict[tuple[str, date], list[str]] = defaultdict(list)
        for row in exposures:
            if row.channel == channel:
                logged[(row.area or AREAS[0], row.day)].append(row.viewer)
        delivery += [Delivery(channel, area, day, len(ids), len(set(ids)), None)
                     for (area, day), ids in logged.items()]
        drop = draw(st.integers(0, 2))
        exposures = [row for row in exposures if row.channel != channel] + [
            row for row in exposures if row.channel == channel][drop:]
    population = draw(st.one_of(st.none(), st.lists(
        st.tuples(st.sampled_from(AREAS), st.integers(1, 40)), min_size=1, max_size=3,
        unique_by=lambda row: row[0])))  # an area's band given twice is an input error
    return Campaign(tuple(delivery), None if exposures is None else tuple(exposures),
                    None if population is None else tuple(population))


# -- the product, over tables made straight from the rows --------------------------------

def _table(connection: duckdb.DuckDBPyConnection, table: str, columns: str,
           rows: Sequence[Sequence[Any]]) -> None:
    """``table`` (replacing the last case's) holding ``rows``, in one statement."""
    if not rows:
        connection.execute(f"CREATE OR REPLACE TABLE {table} ({columns})")
        return
    names = [column.split()[0] for column in columns.split(", ")]
    typed = "(" + ", ".join(f"?::{column.split()[1]}" for column in columns.split(", ")) + ")"
    connection.execute(
        f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM (VALUES "
        f"{', '.join(typed for _ in rows)}) v({', '.join(names)})",
        [value for row in rows for value in row])


def product(connection: duckdb.DuckDBPyConnection, campaign: Campaign) -> CampaignData:
    """The product's figures over tables holding the campaign's rows (a table left over
    from the last case is not among ``tables``, so it is never read)."""
    tables = ["campaign_delivery"]
    _table(connection, "campaign_delivery",
           "channel VARCHAR, area VARCHAR, date DATE, impressions BIGINT, reach BIGINT, "
           "engagements BIGINT, clicks BIGINT, video_views BIGINT, spend DECIMAL(18,4)",
           [(r.channel, r.area, r.day, r.impressions, r.reach, None, None, None, r.spend)
            for r in campaign.delivery])
    if campaign.exposures is not None:
        tables.append("exposures")
        _table(connection, "exposures",
               "viewer_id VARCHAR, channel VARCHAR, date DATE, area VARCHAR",
               [tuple(row) for row in campaign.exposures])
    if campaign.population is not None:
        tables.append("population")
        _table(connection, "population",
               "area VARCHAR, age_band VARCHAR, population BIGINT, source VARCHAR",
               [(area, "all", people, None) for area, people in campaign.population])
    return CampaignData(connection, window=WINDOW, training_window=WINDOW,
                        financial_year=WINDOW, tables=tables,
                        exposure_areas=any(row.area for row in campaign.exposures or ()))


def observed(found: SliceFigures) -> dict[str, Any]:
    """What a user reads off the product's figures for a slice."""
    unique = found.unique
    return {
        "channels": [(c.channel, c.delivery.impressions, c.delivery.spend,
                      None if c.reach is None else (c.reach.low, c.reach.high), c.periods,
                      c.log_impressions, c.log_reach, c.cover.value, c.problems)
                     for c in found.channels],
        "unique": (None if unique.value is None else (unique.value.low, unique.value.high),
                   unique.method.value),
        "log": (found.log_impressions, found.log_reach),
    }


# -- the plain implementation, from the documented rules ---------------------------------

def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def week_of(day: date) -> str:
    return (day - timedelta(days=day.weekday())).isoformat()


def plain(campaign: Campaign, where: Slice) -> dict[str, Any]:
    """Every figure of a slice, by the rules as written."""
    people: dict[str, int] = {}
    for area, count in campaign.population or ():
        people[area] = people.get(area, 0) + count
    population = (None if campaign.population is None
                  else sum(people.values()) if where.area is None else people.get(where.area))

    def wanted(channel: str, area: str | None, period: date) -> bool:
        values = {"channel": channel, "area": area, "month": month_of(period),
                  "week": week_of(period)}
        return all(getattr(where, key) in (None, values[key]) for key in values)

    # Delivery rows used: in the window, reach neither above impressions nor above the
    # population of the row's area, nor equal to 100 or more impressions.
    used = [row for row in campaign.delivery
            if WINDOW.start <= row.day <= WINDOW.end
            and not (row.reach is not None and (
                row.reach > row.impressions
                or (row.area in people and row.reach > people[row.area])
                or row.reach == row.impressions >= 100))
            and wanted(row.channel, row.area, row.day)]
    # Exposures in the window, each in the reporting period of its channel's delivery row
    # dated on or most recently before it (its own day if none); an area slice needs
    # areas in the log.
    has_log = campaign.exposures is not None
    log_areas = any(row.area for row in campaign.exposures or ())
    can_log = has_log and (where.area is None or log_areas)
    logged = []
    for row in campaign.exposures or ():
        starts = [d.day for d in campaign.delivery if d.channel == row.channel and d.day <= row.day]
        period = max(starts) if starts else row.day
        if can_log and WINDOW.start <= row.day <= WINDOW.end and wanted(row.channel, row.area,
                                                                        period):
            logged.append(row)

    channels = []
    for channel in sorted({r.channel for r in used} | {r.channel for r in logged}):
        rows = [r for r in used if r.channel == channel]
        impressions = sum(r.impressions for r in rows)
        spend = sum((r.spend for r in rows if r.spend is not None), Decimal(0))
        by_day: dict[date, int] = {}
        for r in rows:
            if r.reach is not None:
                by_day[r.day] = by_day.get(r.day, 0) + r.reach
        # a row reporting no reach reached at most one person per impression
        unreported = sum(r.impressions for r in rows if r.reach is None)
        reach = None
        if by_day:
            cap = population if population is not None else 10**12
            reach = (Decimal(min(max(by_day.values()), cap)),
                     Decimal(min(sum(by_day.values()) + unreported, cap)))
        log = [r for r in logged if r.channel == channel]
        log_reach = len({r.viewer for r in log})
        if not log:
            cover = ""
        elif not rows:
            cover = "log only"
        elif len(log) == impressions:
            cover = "complete"
        elif len(log) < impressions:
            cover = "partial"
        else:
            cover = "above platform"
        problems = []
        if cover == "above platform":
            problems.append("log impressions above platform impressions")
        if reach is not None and log:
            if log_reach > reach[1]:
                problems.append("log reach above platform reach")
            elif cover == "complete" and log_reach < reach[0]:
                problems.append("complete log's reach below the platform's largest period")
        channels.append((channel, impressions, spend, reach, len(by_day), len(log), log_reach,
                         cover, tuple(problems)))

    exact = [c[0] for c in channels if c[7] in ("complete", "log only")]
    platform = [c for c in channels if c[7] not in ("complete", "log only") and c[3]]
    ids = len({r.viewer for r in logged if r.channel in exact})
    unique: tuple[Any, str]
    if not channels:
        unique = ((Decimal(0), Decimal(0)), "exact" if has_log else "reported")
    elif not platform:
        unique = ((Decimal(ids), Decimal(ids)) if exact else None,
                  "exact" if exact else "reported")
    elif not exact and len(platform) == 1:
        one = platform[0][4] == 1 and platform[0][3][0] == platform[0][3][1]
        unique = (platform[0][3], "reported" if one else "reported bounds")
    elif population is None:
        unique = (None, "estimated")
    else:
        def estimate(reaches: list[Decimal]) -> Decimal:
            # population × (1 − Π(1 − min(rᵢ ÷ population, 1)))
            missed = Decimal(1)
            for reach in reaches:
                missed *= 1 - min(reach / population, Decimal(1))
            return population * (1 - missed)
        first = [Decimal(ids)] if exact else []
        unique = ((estimate(first + [c[3][0] for c in platform]),
                   estimate(first + [c[3][1] for c in platform])), "estimated")
    return {"channels": channels, "unique": unique,
            "log": (len(logged), len({r.viewer for r in logged}))}


def slices(campaign: Campaign, by: str) -> Iterator[Slice]:
    """All of the campaign, then each month, week, area or channel on its own."""
    yield Slice()
    rows = [(r.channel, r.area, r.day) for r in campaign.delivery]
    rows += [(r.channel, r.area, r.day) for r in campaign.exposures or ()]
    if by == "area":
        yield from (Slice(area=area) for area in AREAS)
    elif by == "channel":
        for channel in sorted({channel for channel, _, _ in rows}):
            yield Slice(channel=channel)
            yield Slice(channel=channel, area=AREAS[0], month="2024-05")
    else:
        of = month_of if by == "month" else week_of
        yield from (Slice(**{by: value}) for value in sorted({of(day) for _, _, day in rows}))


@pytest.fixture(name="connection", scope="module")
def connection_fixture() -> Iterator[duckdb.DuckDBPyConnection]:
    """One connection for every case (opening one costs more than a case's queries), on
    one thread (the tables are a handful of rows)."""
    with duckdb.connect(config={"threads": 1}) as connection:
        yield connection


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(campaigns(), st.sampled_from(("month", "week", "area", "channel")))
def test_the_model_agrees_with_the_plain_rules(connection: duckdb.DuckDBPyConnection,
                                               campaign: Campaign, by: str) -> None:
    data = product(connection, campaign)
    for where in slices(campaign, by):
        assert observed(slice_figures(data, where)) == plain(campaign, where), where


# -- metamorphic: through the loader, from files -------------------------------------------

def _rows(campaign: Campaign) -> dict[str, Any]:
    return {
        "delivery": [delivery_row(r.channel, r.area, r.day.isoformat(), r.impressions, r.reach,
                                  spend=None if r.spend is None else str(r.spend))
                     for r in campaign.delivery],
        "exposures": None if campaign.exposures is None else [
            (r.viewer, r.channel, r.day.isoformat(), r.area or "") for r in campaign.exposures],
        "population": None if campaign.population is None else [
            (area, "all", count) for area, count in campaign.population],
    }


def table(strategy: Strategy, sources: list[RecordSource]) -> Any:
    campaign = load_campaign(strategy, sources)
    built = build_table(campaign, strategy, DisclosurePolicy(), "week")
    assert campaign.data.connection is not None
    campaign.data.connection.close()
    return built.sections, [note for note in built.notes if "rows left out" not in note]


@settings(max_examples=max(EXAMPLES // 50, 40), deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(campaigns(), st.randoms(use_true_random=False))
def test_shuffling_rows_and_splitting_the_log_change_nothing(
        tmp_path: Path, strategy: Strategy, campaign: Campaign, shuffle: random.Random) -> None:
    rows = _rows(campaign)
    strategy = attrs.evolve(strategy, campaign=attrs.evolve(
        strategy.campaign, evaluation_window=WINDOW))
    one, two, first, second = (tmp_path / name for name in ("one", "two", "first", "second"))
    for folder in (one, two, first, second):
        folder.mkdir(exist_ok=True)
    as_given = campaign_sources(one, **rows)
    mixed = {kind: None if value is None else shuffle.sample(value, len(value))
             for kind, value in rows.items()}
    split = campaign_sources(two, **{**mixed, "exposures": None})
    log = mixed["exposures"]
    if log is not None:
        half = len(log) // 2
        split += campaign_sources(first, exposures=log[:half])
        split += campaign_sources(second, exposures=log[half:])
    assert table(strategy, split) == table(strategy, as_given)
