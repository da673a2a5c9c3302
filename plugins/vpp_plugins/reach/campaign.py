"""A campaign's records in DuckDB, summed the ways metrics, checks and the table ask for.

Tables (see :mod:`vpp_plugins.reach.kinds`) are read into one connection; every sum is a
SQL aggregate, and only aggregates come back to Python. Delivery and exposures are counted
inside the evaluation window only; what falls outside is reported by its own check. Delivery
rows failing a sanity check (REACH001 to REACH003) are left out of every figure and listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core import Period
from vpp_plugins.reach.kinds import (
    DELIVERY,
    EXPOSURES,
    IMPRESSIONS_AS_REACH,
    POPULATION,
    TRAINING,
)
from vpp_plugins.reach.slices import KEYS, Slice

if TYPE_CHECKING:  # the connection comes from the loader: no DuckDB import at start-up
    import duckdb

ZERO = Decimal(0)
#: Each key of a slice as SQL over a delivery or exposure row.
_COLUMNS = {"channel": "{t}channel", "area": "{t}area", "month": "strftime({t}{d}, '%Y-%m')",
            "week": "strftime(date_trunc('week', {t}{d}), '%Y-%m-%d')"}
#: Exposures with the reporting period each falls in: the date of its channel's delivery
#: row dated on or most recently before it (its own date if the channel has none).
ALIGNED = "exposures_by_period"
_PERIODS = ("month", "week")


def _sql(key: str, table: str = "", day: str = "date") -> str:
    """A slice key as SQL over a row (of ``table``, an alias, if given; its period's date
    in the column ``day``)."""
    return _COLUMNS[key].replace("{t}", f"{table}." if table else "").replace("{d}", day)

#: The view of the delivery rows used: in the window, passing every row sanity check.
USED = "campaign_delivery_used"
#: Why a delivery row ``d`` (its area's population ``p``) is left out of every figure.
_PROBLEM = f"""CASE WHEN d.reach > d.impressions THEN 'reach above impressions (REACH001)'
    WHEN d.reach > p.population THEN 'reach above the population of its area (REACH002)'
    WHEN d.reach = d.impressions AND d.impressions >= {IMPRESSIONS_AS_REACH}
    THEN 'reach equal to {IMPRESSIONS_AS_REACH}+ impressions (REACH003)' END"""


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


def _added(parts: Sequence[DeliveryTotals]) -> DeliveryTotals:
    """Delivery sums added up (every field is a count or an amount)."""
    counts = {name: sum(getattr(part, name) for part in parts)
              for name in (*_INTEGER_FIELDS, "spend_rows", "spend_impressions")}
    return DeliveryTotals(**counts, spend=sum((part.spend for part in parts), ZERO))


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
        self._periods: dict[tuple[str, ...], dict[Slice, tuple[int, ...]]] = {}
        self._log: dict[tuple[str, ...], dict[Slice, tuple[int, int]]] = {}
        self._view = False
        self._aligned = False
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

    def _used(self) -> str:
        """The delivery rows every figure is made from: inside the window and passing the
        row sanity checks (a view made once)."""
        if not self._view:
            self._query(
                f"""CREATE OR REPLACE TEMP VIEW {USED} AS
                    SELECT d.* FROM {DELIVERY.table} d {self._population_join()}
                    WHERE d.date BETWEEN DATE '{self.window.start}' AND DATE '{self.window.end}'
                      AND ({_PROBLEM}) IS NULL""")
            self._view = True
        return USED

    def _population_join(self) -> str:
        """``p.population`` for each delivery row ``d`` (NULL without population records)."""
        if self.has_population:
            return (f"LEFT JOIN (SELECT area, sum(population) AS population FROM "
                    f"{POPULATION.table} GROUP BY area) p ON p.area = d.area")
        return "LEFT JOIN (SELECT NULL::VARCHAR AS area, NULL::BIGINT AS population) p ON FALSE"

    def _delivery_by(self, keys: tuple[str, ...]) -> dict[Slice, DeliveryTotals]:
        """Delivery sums of the rows used grouped by ``keys`` (some of :data:`KEYS`, in that
        order), and the reach reported per reporting period (a row's date) in each group:
        each grouping read once, in one query, when first asked for."""
        if keys not in self._delivery:
            by_day: dict[Slice, list[DeliveryTotals]] = {}
            if self.has_delivery:
                rows = self._query(
                    f"""
                    SELECT {"".join(f"{_sql(key)} AS {key}, " for key in keys)}
                           {_DELIVERY_SUMS}
                    FROM {self._used()}
                    GROUP BY {"".join(f"{_sql(key)}, " for key in keys)}date
                    """)
                for row in rows:
                    where = Slice(**dict(zip(keys, row[: len(keys)], strict=True)))
                    by_day.setdefault(where, []).append(_totals(row[len(keys):]))
            self._delivery[keys] = {where: _added(days) for where, days in by_day.items()}
            self._periods[keys] = {
                where: tuple(sorted(day.reach for day in days if day.reach_rows))
                for where, days in by_day.items()}
        return self._delivery[keys]

    def delivery(self, where: Slice) -> DeliveryTotals:
        """Delivery sums for a slice of the rows used (all zero when nothing was delivered)."""
        return self._delivery_by(where.keys).get(where, DeliveryTotals())

    def reported_reach(self, where: Slice) -> tuple[int, ...]:
        """Platform-reported reach in a slice for each reporting period (a row's date) in
        which some row reports reach, added up over the slice's areas."""
        self._delivery_by(where.keys)
        return self._periods[where.keys].get(where, ())

    def values(self, key: str, within: Slice | None = None) -> tuple[str, ...]:
        """The channels, areas, months or weeks (``key``) with delivery used in ``within``."""
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
        """Channels with delivery used or exposures logged in ``within``."""
        within = within or Slice()
        return tuple(sorted(set(self.values("channel", within))
                            | set(self.logged_values("channel", within))))

    def left_out(self) -> list[tuple[str, str, int]]:
        """Delivery rows in the window failing a sanity check: (channel, reason, rows)."""
        if not self.has_delivery:
            return []
        rows = self._query(
            f"""SELECT d.channel, {_PROBLEM} AS problem, count(*)
                FROM {DELIVERY.table} d {self._population_join()}
                WHERE d.date BETWEEN ? AND ? AND problem IS NOT NULL
                GROUP BY ALL ORDER BY 1, 2""",
            (self.window.start, self.window.end))
        return [(row[0], row[1], int(row[2])) for row in rows]

    # -- exposures -----------------------------------------------------------------------

    def _log_source(self, keys: Sequence[str]) -> tuple[str, str]:
        """Where to count exposures grouped or filtered by ``keys``, and the column giving
        each one's period: by month or week, the reporting period of its channel's
        delivery, so that the log and the platform are compared over the same days."""
        if not self.has_delivery or not set(keys) & set(_PERIODS):
            return EXPOSURES.table, "date"
        if not self._aligned:
            self._query(
                f"""CREATE OR REPLACE TEMP VIEW {ALIGNED} AS
                    SELECT e.*, coalesce(r.date, e.date) AS period_date
                    FROM {EXPOSURES.table} e ASOF LEFT JOIN (
                        SELECT DISTINCT channel, date FROM {DELIVERY.table}
                        WHERE date IS NOT NULL) r
                    ON e.channel = r.channel AND e.date >= r.date""")
            self._aligned = True
        return ALIGNED, "period_date"

    def _log_filters(self, where: Slice) -> tuple[str, str, list[Any]]:
        source, day = self._log_source(where.keys)
        clauses = ["date BETWEEN ? AND ?"]
        parameters: list[Any] = [self.window.start, self.window.end]
        for key in where.keys:
            clauses.append(f"{_sql(key, day=day)} = ?")
            parameters.append(getattr(where, key))
        return source, " AND ".join(clauses), parameters

    def can_log(self, where: Slice) -> bool:
        """Whether the exposure log can count this slice (an area needs areas in the log)."""
        return self.has_exposures and (where.area is None or self.exposure_areas)

    def _log_by(self, keys: tuple[str, ...]) -> dict[Slice, tuple[int, int]]:
        """Exposures (rows) and distinct ids in the window, grouped by ``keys``; grouped
        by channel, the same without the channel comes in the same scan."""
        if keys not in self._log:
            rest = tuple(key for key in keys if key != "channel")
            sets = [keys, rest] if rest != keys and rest not in self._log else [keys]
            found: dict[tuple[str, ...], dict[Slice, tuple[int, int]]] = {k: {} for k in sets}
            if self.can_log(Slice(area="" if "area" in keys else None)):
                source, day = self._log_source(keys)
                grouping = ", ".join(
                    "(" + ", ".join(_sql(key, day=day) for key in k) + ")" for k in sets)
                rows = self._query(
                    f"""SELECT {"".join(f"{_sql(key, day=day)} AS {key}, " for key in keys)}
                               {"grouping(channel)" if len(sets) > 1 else "0"},
                               count(*), count(DISTINCT viewer_id)
                        FROM {source} WHERE date BETWEEN ? AND ?
                        {f"GROUP BY GROUPING SETS ({grouping})" if keys else ""}""",
                    (self.window.start, self.window.end))
                for row in rows:
                    if row[-2]:
                        which = sets[1] if row[len(keys)] else keys
                        values = dict(zip(keys, row[: len(keys)], strict=True))
                        where = Slice(**{key: values[key] for key in which})
                        found[which][where] = (int(row[-2]), int(row[-1]))
            self._log.update(found)
        return self._log[keys]

    def log(self, where: Slice) -> tuple[int, int]:
        """Exposures and distinct viewer ids the log holds in a slice ((0, 0) if none)."""
        return self._log_by(where.keys).get(where, (0, 0))

    def logged_values(self, key: str, within: Slice) -> tuple[str, ...]:
        """The channels, areas, months or weeks (``key``) the log holds in ``within``."""
        keys = tuple(k for k in KEYS if k == key or getattr(within, k) is not None)
        fixed = [(k, getattr(within, k)) for k in within.keys]
        return tuple(sorted({getattr(where, key) for where in self._log_by(keys)
                             if getattr(where, key) is not None  # a row without an area
                             and all(getattr(where, k) == value for k, value in fixed)}))

    def log_union(self, where: Slice, channels: Iterable[str]) -> int:
        """Distinct viewer ids the log holds in a slice among ``channels``."""
        only = sorted(set(channels))
        if not only or not self.can_log(where):
            return 0
        if set(only) >= set(self.logged_values("channel", where)):
            return self.log(where)[1]  # every channel the slice's log holds
        source, clause, parameters = self._log_filters(where)
        row = self._query(
            f"""SELECT count(DISTINCT viewer_id) FROM {source}
                WHERE {clause} AND channel IN ({", ".join("?" for _ in only)})""",
            [*parameters, *only])[0]
        return int(row[0])

    def ids_in_several_areas(self) -> int:
        """Viewer ids the log holds in more than one area inside the window."""
        if not (self.has_exposures and self.exposure_areas):
            return 0
        row = self._query(
            f"""SELECT count(*) FROM (SELECT viewer_id FROM {EXPOSURES.table}
                WHERE date BETWEEN ? AND ? AND area IS NOT NULL GROUP BY viewer_id
                HAVING count(DISTINCT area) > 1)""",
            (self.window.start, self.window.end))[0]
        return int(row[0])

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
        columns = {key: _sql(key, "d") for key in KEYS}
        keys = [key for key in KEYS if key in by]
        select = "".join(f"{columns[key]} AS {key}, " for key in keys)
        expressions = ", ".join(columns[key] for key in keys)
        group = f"GROUP BY {expressions} ORDER BY {expressions}" if keys else ""
        join = self._population_join()
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
