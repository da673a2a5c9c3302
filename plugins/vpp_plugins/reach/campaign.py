"""A campaign's records in DuckDB, summed the ways metrics, checks and the table ask for.

Tables (see :mod:`vpp_plugins.reach.kinds`) are read into one connection; every sum is a
SQL aggregate, and only aggregates come back to Python. Delivery and exposures are counted
inside the evaluation window only; what falls outside is reported by its own check.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core import Period
from vpp_plugins.reach.kinds import DELIVERY, EXPOSURES, POPULATION, TRAINING
from vpp_plugins.reach.slices import KEYS, Slice

if TYPE_CHECKING:  # the connection comes from the loader: no DuckDB import at start-up
    import duckdb

ZERO = Decimal(0)
_MAX_BITS = 63  # channels one UBIGINT bit mask holds, with a spare bit
#: Each key of a slice as SQL over a delivery or exposure row.
_COLUMNS = {"channel": "channel", "area": "area", "month": "strftime(date, '%Y-%m')"}


@attrs.frozen
class DeliveryTotals:
    """Sums over delivery rows. Each optional measure comes with the impressions of the rows
    that report it, the denominator of its rate (a row without clicks says nothing of CTR)."""

    rows: int = 0
    impressions: int = 0
    reach: int = 0
    reach_rows: int = 0
    reach_impressions: int = 0
    engagements: int = 0
    engagement_impressions: int = 0
    clicks: int = 0
    click_impressions: int = 0
    video_views: int = 0
    video_impressions: int = 0
    spend: Decimal = ZERO
    spend_rows: int = 0
    spend_impressions: int = 0


_DELIVERY_SUMS = """
    count(*),
    coalesce(sum(impressions), 0),
    coalesce(sum(reach), 0),
    count(reach),
    coalesce(sum(impressions) FILTER (WHERE reach IS NOT NULL), 0),
    coalesce(sum(engagements), 0),
    coalesce(sum(impressions) FILTER (WHERE engagements IS NOT NULL), 0),
    coalesce(sum(clicks), 0),
    coalesce(sum(impressions) FILTER (WHERE clicks IS NOT NULL), 0),
    coalesce(sum(video_views), 0),
    coalesce(sum(impressions) FILTER (WHERE video_views IS NOT NULL), 0),
    coalesce(sum(spend), 0),
    count(spend),
    coalesce(sum(impressions) FILTER (WHERE spend IS NOT NULL), 0)
"""


_INTEGER_FIELDS = (
    "rows", "impressions", "reach", "reach_rows", "reach_impressions", "engagements",
    "engagement_impressions", "clicks", "click_impressions", "video_views", "video_impressions",
)


def _totals(values: Sequence[Any]) -> DeliveryTotals:
    counts = {name: int(value) for name, value in zip(_INTEGER_FIELDS, values, strict=False)}
    return DeliveryTotals(
        **counts, spend=Decimal(values[11]), spend_rows=int(values[12]),
        spend_impressions=int(values[13]),
    )


@attrs.frozen
class RowCheck:
    """Delivery rows grouped by some of channel, area and month: how many a rule could
    judge, how many break it, and the worst of them (its date, reach and the limit)."""

    slice: Slice
    rows: int
    checked: int
    failing: int
    worst_area: str | None = None
    worst_date: date | None = None
    worst_reach: int | None = None
    worst_limit: int | None = None


@attrs.frozen
class OutsideWindow:
    """Rows of one kind and group dated outside a window."""

    kind: str
    group: str
    rows: int
    before: int
    after: int
    first: date | None
    last: date | None
    impressions: int = 0
    spend: Decimal = ZERO


class CampaignData:
    """Aggregates over one campaign's tables in ``connection`` (``None`` when no campaign
    records were given: there is then nothing to query).

    ``window`` is the evaluation window; ``training_window`` the targets' window (training
    counts towards the targets table); ``financial_year`` the budget's year.
    """

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection | None,
        *,
        window: Period,
        training_window: Period,
        financial_year: Period,
        tables: Iterable[str],
        exposure_areas: bool = False,
    ) -> None:
        self.connection = connection
        self.window = window
        self.training_window = training_window
        self.financial_year = financial_year
        self.tables = frozenset(tables)
        self.exposure_areas = exposure_areas
        self._delivery: dict[tuple[str, ...], dict[Slice, DeliveryTotals]] = {}
        self._values: dict[tuple[str, Slice], tuple[str, ...]] = {}
        self._exact: dict[tuple[Slice, frozenset[str] | None], int] = {}
        self._logged: frozenset[str] | None = None
        self._prefetched: set[tuple[str, ...]] = set()
        self._population: dict[str, int] | None = None

    # -- what is there -------------------------------------------------------------------

    def has(self, table: str) -> bool:
        return table in self.tables

    @property
    def has_delivery(self) -> bool:
        return self.has(DELIVERY.table)

    @property
    def has_exposures(self) -> bool:
        return self.has(EXPOSURES.table)

    @property
    def has_training(self) -> bool:
        return self.has(TRAINING.table)

    @property
    def has_population(self) -> bool:
        return self.has(POPULATION.table)

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.connection is None:
            raise RuntimeError("no campaign records were read: nothing to query")
        return self.connection.execute(sql, list(parameters)).fetchall()

    # -- delivery ------------------------------------------------------------------------

    def _delivery_by(self, keys: tuple[str, ...]) -> dict[Slice, DeliveryTotals]:
        """Delivery sums inside the window grouped by ``keys`` (some of :data:`KEYS`, in
        that order), each grouping read once when first asked for."""
        if keys not in self._delivery:
            found: dict[Slice, DeliveryTotals] = {}
            if self.has_delivery:
                rows = self._query(
                    f"""
                    SELECT {"".join(f"{_COLUMNS[key]} AS {key}, " for key in keys)}
                           {_DELIVERY_SUMS}
                    FROM {DELIVERY.table} WHERE date BETWEEN ? AND ?
                    {"GROUP BY ALL" if keys else ""}
                    """,
                    (self.window.start, self.window.end),
                )
                for row in rows:
                    where = Slice(**dict(zip(keys, row[: len(keys)], strict=True)))
                    found[where] = _totals(row[len(keys):])
            self._delivery[keys] = found
        return self._delivery[keys]

    def delivery(self, where: Slice) -> DeliveryTotals:
        """Delivery sums for a slice inside the window (all zero when nothing was delivered)."""
        return self._delivery_by(where.keys).get(where, DeliveryTotals())

    def values(self, key: str, within: Slice | None = None) -> tuple[str, ...]:
        """The channels, areas or months (``key``) with delivery in ``within``, sorted."""
        within = within or Slice()
        if (key, within) not in self._values:
            keys = tuple(k for k in KEYS if k == key or getattr(within, k) is not None)
            fixed = [(k, getattr(within, k)) for k in within.keys]
            self._values[(key, within)] = tuple(sorted({
                getattr(where, key) for where in self._delivery_by(keys)
                if all(getattr(where, k) == value for k, value in fixed)
            }))
        return self._values[(key, within)]

    def channels(self, within: Slice | None = None) -> tuple[str, ...]:
        """Channels with delivery or exposures in ``within``."""
        within = within or Slice()
        channels = set(self.values("channel", within))
        if within.channel is None:
            channels |= {
                channel for channel in self.logged_channels()
                if self.exact_reach(attrs.evolve(within, channel=channel)) > 0
            }
        elif within.channel in self.logged_channels():
            channels.add(within.channel)
        return tuple(sorted(channels))

    # -- exposures -----------------------------------------------------------------------

    def logged_channels(self) -> frozenset[str]:
        """Channels the exposure log holds inside the window."""
        if self._logged is None:
            self._logged = frozenset()
            if self.has_exposures:
                rows = self._query(
                    f"SELECT DISTINCT channel FROM {EXPOSURES.table} WHERE date BETWEEN ? AND ?",
                    (self.window.start, self.window.end),
                )
                self._logged = frozenset(row[0] for row in rows)
        return self._logged

    def can_be_exact(self, channel: str, where: Slice) -> bool:
        """Whether the log can count this channel's viewers in this slice."""
        return channel in self.logged_channels() and (where.area is None or self.exposure_areas)

    def _filters(self, where: Slice, channels: frozenset[str] | None) -> tuple[str, list[Any]]:
        clauses = ["date BETWEEN ? AND ?"]
        parameters: list[Any] = [self.window.start, self.window.end]
        if where.channel is not None:
            clauses.append("channel = ?")
            parameters.append(where.channel)
        if where.area is not None:
            clauses.append("area = ?")
            parameters.append(where.area)
        if where.month is not None:
            clauses.append("strftime(date, '%Y-%m') = ?")
            parameters.append(where.month)
        if channels is not None:
            clauses.append(f"channel IN ({', '.join('?' for _ in channels) or 'NULL'})")
            parameters.extend(sorted(channels))
        return " AND ".join(clauses), parameters

    def exact_reach(self, where: Slice, channels: Iterable[str] | None = None) -> int:
        """Distinct viewers in the log within a slice (and among ``channels`` if given)."""
        if not self.has_exposures:
            return 0
        only = None if channels is None else frozenset(channels)
        if only is not None and only >= self.logged_channels():
            only = None  # every channel the log holds: the same as no filter
        key = (where, only)
        if key not in self._exact:
            clause, parameters = self._filters(where, only)
            row = self._query(
                f"SELECT count(DISTINCT viewer_id) FROM {EXPOSURES.table} WHERE {clause}",
                parameters,
            )[0]
            self._exact[key] = int(row[0])
        return self._exact[key]

    def prefetch_exact(self, groupings: Sequence[tuple[str, ...]]) -> None:
        """Count distinct viewers for whole groupings at once, e.g. ``[("channel",), ()]``
        for every channel and the total.

        One scan per set of other keys: each viewer is kept once per group with a bit per
        channel it was seen on, so a channel's count is the viewers with its bit set and
        the group's count is all of them (cheaper than ``count(DISTINCT)`` per channel).
        The delivery's channels are tried first as the log's; a viewer seen on any other
        channel sets a spare bit, and the log's own channels are then looked up.
        """
        if not self.has_exposures:
            return
        wanted = [g for g in groupings if "area" not in g or self.exposure_areas]
        wanted = [g for g in wanted if g not in self._prefetched]
        self._prefetched.update(wanted)
        rests = sorted({tuple(key for key in g if key != "channel") for g in wanted})
        if self._logged is None and 0 < len(self.values("channel")) < _MAX_BITS:
            counted = self._count_bits(rests, self.values("channel"))
            if counted is not None:
                self._exact.update(counted)
                self._logged = frozenset(
                    where.channel for (where, _), count in counted.items()
                    if where.channel is not None and count > 0)
                return
        channels = tuple(sorted(self.logged_channels()))
        if not channels:
            return  # nothing logged in the window: every count is zero
        found = self._count_bits(rests, channels) if len(channels) <= _MAX_BITS else None
        if found is None:
            for grouping in wanted:
                self._prefetch_distinct(grouping)
        else:
            self._exact.update(found)

    def _count_bits(self, rests: Sequence[tuple[str, ...]], channels: Sequence[str]
                    ) -> dict[tuple[Slice, frozenset[str] | None], int] | None:
        """Distinct viewers per group of each of ``rests`` and per channel in it; ``None``
        if a viewer was seen on a channel not in ``channels``."""
        quoted = ("'" + channel.replace("'", "''") + "'" for channel in channels)
        spare = 1 << len(channels)
        bit = "CASE channel " + " ".join(
            f"WHEN {name} THEN CAST({1 << index} AS UBIGINT)"
            for index, name in enumerate(quoted)) + f" ELSE CAST({spare} AS UBIGINT) END"
        found: dict[tuple[Slice, frozenset[str] | None], int] = {}
        for rest in rests:
            keys = "".join(f"{key}, " for key in rest)
            counts = "".join(f", count(*) FILTER (WHERE (seen & {1 << index}) <> 0)"
                             for index in range(len(channels) + 1))
            rows = self._query(
                f"""
                WITH viewers AS (
                    SELECT {"".join(f"{_COLUMNS[key]} AS {key}, " for key in rest)}
                           bit_or({bit}) AS seen
                    FROM {EXPOSURES.table} WHERE date BETWEEN ? AND ?
                    GROUP BY {keys}viewer_id)
                SELECT {keys}count(*){counts} FROM viewers {"GROUP BY ALL" if rest else ""}
                """,
                (self.window.start, self.window.end),
            )
            for row in rows:
                if row[-1]:
                    return None  # a channel the delivery does not have
                values = dict(zip(rest, row[: len(rest)], strict=True))
                found[(Slice(**values), None)] = int(row[len(rest)])
                for index, channel in enumerate(channels):
                    found[(Slice(channel=channel, **values), None)] = int(
                        row[len(rest) + 1 + index])
        return found

    def _prefetch_distinct(self, grouping: tuple[str, ...]) -> None:
        """``count(DISTINCT)`` for one grouping (more channels than bits)."""
        keys = "".join(f"{_COLUMNS[key]} AS {key}, " for key in grouping)
        rows = self._query(
            f"""SELECT {keys}count(DISTINCT viewer_id) FROM {EXPOSURES.table}
                WHERE date BETWEEN ? AND ? {"GROUP BY ALL" if grouping else ""}""",
            (self.window.start, self.window.end),
        )
        for row in rows:
            values = dict(zip(grouping, row[: len(grouping)], strict=True))
            self._exact[(Slice(**values), None)] = int(row[-1])

    # -- population ----------------------------------------------------------------------

    def population_by_area(self) -> dict[str, int]:
        """People in each area, every age band the table gives added up."""
        if self._population is None:
            self._population = {}
            if self.has_population:
                rows = self._query(
                    f"SELECT area, sum(population) FROM {POPULATION.table} GROUP BY area"
                )
                self._population = {row[0]: int(row[1]) for row in rows}
        return self._population

    def population(self, area: str | None) -> int | None:
        """People in an area, or in every area the table gives; ``None`` if unknown."""
        by_area = self.population_by_area()
        if not by_area:
            return None
        if area is None:
            return sum(by_area.values())
        return by_area.get(area)

    def population_sources(self) -> tuple[str, ...]:
        """Where the population figures are from, as the table says."""
        if not self.has_population:
            return ()
        rows = self._query(
            f"SELECT DISTINCT source FROM {POPULATION.table} WHERE source IS NOT NULL ORDER BY 1"
        )
        return tuple(row[0] for row in rows)

    # -- training ------------------------------------------------------------------------

    def training_reached(self) -> tuple[dict[str, int], dict[str, int]]:
        """New attendees by audience (first attendance inside the training window, their
        audience as at that first attendance) and, by audience, those who first came
        before it (continuing, not new)."""
        if not self.has_training:
            return {}, {}
        rows = self._query(
            f"""
            WITH first AS (
                SELECT attendee_id, min(date) AS first_date, arg_min(audience, date) AS audience
                FROM {TRAINING.table} GROUP BY attendee_id)
            SELECT audience,
                   count(*) FILTER (WHERE first_date BETWEEN ? AND ?),
                   count(*) FILTER (WHERE first_date < ?)
            FROM first GROUP BY audience ORDER BY audience
            """,
            (self.training_window.start, self.training_window.end, self.training_window.start),
        )
        return {row[0]: int(row[1]) for row in rows}, {row[0]: int(row[2]) for row in rows}

    # -- row-level sanity ----------------------------------------------------------------

    def row_check(self, condition: str, limit: str, by: Sequence[str],
                  checked: str = "TRUE") -> list[RowCheck]:
        """Delivery rows inside the window grouped ``by``: of the rows ``checked`` can
        judge, how many meet ``condition`` (fail) and the worst of them against ``limit``.
        Rows are ``d``, joined to their area's population as ``p``."""
        if not self.has_delivery:
            return []
        columns = {"channel": "d.channel", "area": "d.area", "month": "strftime(d.date, '%Y-%m')"}
        keys = [key for key in KEYS if key in by]
        select = "".join(f"{columns[key]} AS {key}, " for key in keys)
        expressions = ", ".join(columns[key] for key in keys)
        group = f"GROUP BY {expressions} ORDER BY {expressions}" if keys else ""
        if self.has_population:
            join = (f"LEFT JOIN (SELECT area, sum(population) AS population FROM "
                    f"{POPULATION.table} GROUP BY area) p ON p.area = d.area")
        else:
            join = "LEFT JOIN (SELECT NULL::VARCHAR AS area, NULL::BIGINT AS population) p ON FALSE"
        failing = f"({checked}) AND ({condition})"
        rows = self._query(
            f"""
            SELECT {select} count(*), count(*) FILTER (WHERE {checked}),
                   count(*) FILTER (WHERE {failing}),
                   arg_max(struct_pack(area := d.area, date := d.date, reach := d.reach,
                                       limit_ := {limit}),
                           d.reach - ({limit})) FILTER (WHERE {failing})
            FROM {DELIVERY.table} d {join}
            WHERE d.date BETWEEN ? AND ?
            {group}
            """,
            (self.window.start, self.window.end),
        )
        found = []
        for row in rows:
            worst = row[len(keys) + 3] or {}
            found.append(RowCheck(
                slice=Slice(**dict(zip(keys, row[: len(keys)], strict=True))),
                rows=int(row[len(keys)]),
                checked=int(row[len(keys) + 1]),
                failing=int(row[len(keys) + 2]),
                worst_area=worst.get("area"),
                worst_date=worst.get("date"),
                worst_reach=worst.get("reach"),
                worst_limit=worst.get("limit_"),
            ))
        return found

    def outside_window(self) -> list[OutsideWindow]:
        """Delivery and exposures by channel outside the evaluation window, training by
        audience outside the training window; groups with no such rows included."""
        found: list[OutsideWindow] = []
        for table, kind, group, window, extra in (
            (DELIVERY.table, DELIVERY.name, "channel", self.window,
             "coalesce(sum(impressions) FILTER (WHERE {out}), 0), "
             "coalesce(sum(spend) FILTER (WHERE {out}), 0)"),
            (EXPOSURES.table, EXPOSURES.name, "channel", self.window, "0, 0"),
            (TRAINING.table, TRAINING.name, "audience", self.training_window, "0, 0"),
        ):
            if not self.has(table):
                continue
            out = "(date < ? OR date > ?)"
            rows = self._query(
                f"""
                SELECT {group}, count(*) FILTER (WHERE {out}),
                       count(*) FILTER (WHERE date < ?), count(*) FILTER (WHERE date > ?),
                       min(date) FILTER (WHERE {out}), max(date) FILTER (WHERE {out}),
                       {extra.format(out=out)}
                FROM {table} GROUP BY {group} ORDER BY {group}
                """,
                [window.start, window.end, window.start, window.end,
                 window.start, window.end, window.start, window.end,
                 *([window.start, window.end] * 2 if table == DELIVERY.table else [])],
            )
            found.extend(
                OutsideWindow(kind, row[0], int(row[1]), int(row[2]), int(row[3]), row[4], row[5],
                              int(row[6]), Decimal(row[7]))
                for row in rows
            )
        return found

    def spend_by_channel(self, period: Period) -> dict[str, Decimal]:
        """Spend reported per channel within ``period`` (the budget's financial year)."""
        if not self.has_delivery:
            return {}
        rows = self._query(
            f"""SELECT channel, coalesce(sum(spend), 0) FROM {DELIVERY.table}
                WHERE date BETWEEN ? AND ? GROUP BY channel ORDER BY channel""",
            (period.start, period.end),
        )
        return {row[0]: Decimal(row[1]) for row in rows}
