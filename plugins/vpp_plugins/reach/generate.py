"""A seeded generator of synthetic campaign records, in DuckDB SQL so that it scales.

Writes a ``records.toml`` and four files for a strategy's campaign: weekly delivery per
channel and area (named the way a platform export names its columns, so the manifest maps
them), an exposure log for the channels the partnership owns (the campaign website and
its email bulletin, where it holds pseudonymous device ids), attendance at the campaign's
training and an illustrative population table. Delivery for the logged channels is summed
from the log itself, so the two agree.

Same seed, same size, same files. With ``anomalies`` (the default) the data carries what
the sanity rules look for: a soft launch before the evaluation window, a row whose reach
was swapped with its impressions, a partner reporting impressions as "people reached",
and (CSV only) two malformed rows.

    python -m vpp_plugins.reach.generate OUT [--exposures N] [--seed S] [--format csv|parquet]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import tomli_w

from vpp_core import (
    Period,
    Strategy,
    UsageError,
    VppError,
    load_strategy,
    output_folder,
    sql_literal,
)
from vpp_plugins._common import strategy_to_follow

if TYPE_CHECKING:
    import duckdb

MAX_EXPOSURES = 10_000_000
DEFAULT_EXPOSURES = 1_500
WEEKS_OF_SOFT_LAUNCH = 2

#: Young people by local partnership (10–17 and 18–24): rounded, illustrative figures of
#: the right size for testing. Not official statistics; supply ONS mid-year estimates.
ILLUSTRATIVE_POPULATION: dict[str, tuple[int, int]] = {
    "oxfordshire": (68_000, 70_000),
    "milton-keynes": (31_000, 22_000),
    "buckinghamshire": (59_000, 40_000),
    "bracknell-forest": (12_500, 9_000),
    "reading": (15_500, 19_000),
    "windsor-and-maidenhead": (15_000, 10_500),
    "slough": (18_000, 13_500),
    "west-berkshire": (16_000, 10_500),
    "wokingham": (19_500, 13_000),
}
DEFAULT_POPULATION = (20_000, 15_000)
#: The bands of those figures, written as they are unless the strategy's own age bands
#: (its people cohorts) each have both ends.
ILLUSTRATIVE_BANDS = ((10, 17), (18, 24))
POPULATION_SOURCE = "illustrative: rounded figures for testing, not official statistics"


@attrs.frozen
class PaidChannel:
    """A bought channel: its budget, cost per thousand and weekly frequency (None: the
    channel reports no reach), and its rates of engagement, clicks and video views."""

    name: str
    budget: Decimal
    cpm: Decimal
    frequency: Decimal | None
    engagement_rate: Decimal | None
    click_rate: Decimal | None
    view_rate: Decimal | None
    areas: int | None = None  # only the first N areas (outdoor sites)
    every_nth_week: int = 1


PAID = (
    PaidChannel("paid-social", Decimal(4500), Decimal("7.50"), Decimal("2.2"),
                Decimal("0.031"), Decimal("0.006"), Decimal("0.19")),
    PaidChannel("online-video", Decimal(3500), Decimal("12.00"), Decimal("1.6"),
                None, Decimal("0.004"), Decimal("0.62")),
    PaidChannel("outdoor", Decimal(3000), Decimal("3.40"), None, None, None, None,
                areas=4, every_nth_week=4),
)
#: Owned channels with a device-level log: (name, share of exposures, engagement, clicks).
LOGGED = (("website", "0.65", "0.12", "0.08"), ("email", "0.35", "0.05", "0.03"))

#: Column names of the delivery export, as the platform dashboard prints them.
DELIVERY_HEADERS = {
    "channel": "Channel", "area": "Area", "date": "Week starting",
    "impressions": "Impressions", "reach": "Reach", "engagements": "Engagements",
    "clicks": "Link clicks", "video_views": "Video views", "spend": "Amount spent (GBP)",
}
EXPOSURE_HEADERS = {"viewer_id": "device_id"}

_MACROS = """
CREATE OR REPLACE MACRO mix1(x) AS (xor(x, x >> 15) * 740305021) & 2147483647;
CREATE OR REPLACE MACRO mix2(x) AS (xor(x, x >> 13) * 1274126177) & 2147483647;
CREATE OR REPLACE MACRO mix(x) AS
    xor(mix2(mix1(CAST(x AS BIGINT) & 2147483647)),
        mix2(mix1(CAST(x AS BIGINT) & 2147483647)) >> 16);
CREATE OR REPLACE MACRO u(i, k) AS
    mix((CAST(i AS BIGINT) * 7919 + CAST(k AS BIGINT) * 104729
         + CAST(getvariable('seed') AS BIGINT) * 1299709) % 2147483647) / 2147483648.0;
CREATE OR REPLACE MACRO pseudonym(prefix, n) AS
    prefix || lpad(lower(to_hex(mix(xor(CAST(n AS BIGINT), CAST(getvariable('seed') AS BIGINT)
                                  * 2654435) & 2147483647))), 8, '0');
"""


@attrs.frozen
class Options:
    seed: int = 2024
    exposures: int = attrs.field(default=DEFAULT_EXPOSURES, validator=attrs.validators.and_(
        attrs.validators.ge(0), attrs.validators.le(MAX_EXPOSURES)))
    format: str = attrs.field(default="csv", validator=attrs.validators.in_(("csv", "parquet")))
    anomalies: bool = True


def _case(weights: Sequence[tuple[str, float]], draw: str) -> str:
    """A SQL CASE picking a value with the given weights from a uniform ``draw`` (the value
    itself when there is one: a CASE needs a WHEN)."""
    if len(weights) == 1:
        return sql_literal(weights[0][0])
    total = sum(weight for _, weight in weights)
    cumulative, clauses = 0.0, []
    for value, weight in weights[:-1]:
        cumulative += weight / total
        clauses.append(f"WHEN {draw} < {cumulative!r} THEN {sql_literal(value)}")
    return f"CASE {' '.join(clauses)} ELSE {sql_literal(weights[-1][0])} END"


def _age_bands(strategy: Strategy) -> tuple[tuple[int, int], ...]:
    """The strategy's age bands when each has a youngest and an oldest age, else the
    illustrative figures' own (an open-ended band cannot be sized from them)."""
    cohorts = strategy.targets.people_cohorts if strategy.targets else ()
    bands = tuple((cohort.min_age, cohort.max_age) for cohort in cohorts)
    closed = tuple((low, high) for low, high in bands if low is not None and high is not None)
    return closed if closed and len(closed) == len(bands) else ILLUSTRATIVE_BANDS


def _band_population(figures: tuple[int, int], band: tuple[int, int]) -> int:
    """People aged ``band`` from an area's 10–17 and 18–24 figures, spread evenly over
    their years (the 10–17 figure's per year below 18, the 18–24 figure's from 18)."""
    (young, adults), (low, high) = figures, band
    under_18 = max(0, min(high, 17) - low + 1)
    from_18 = max(0, high - max(low, 18) + 1)
    return young * under_18 // 8 + adults * from_18 // 7


def _weeks(window: Period) -> int:
    return (window.end - window.start).days // 7 + 1


class _Writer:
    def __init__(self, connection: duckdb.DuckDBPyConnection, folder: Path, options: Options):
        self.connection, self.folder, self.options = connection, folder, options

    def copy(self, name: str, query: str, headers: dict[str, str]) -> tuple[str, int]:
        extension = self.options.format
        path = self.folder / f"{name}.{extension}"
        pairs = ", ".join(f'{ours} AS "{theirs}"' for ours, theirs in headers.items())
        renamed = f"SELECT * RENAME ({pairs})" if headers else "SELECT *"
        settings = "FORMAT parquet" if extension == "parquet" else "FORMAT csv, HEADER"
        target = sql_literal(str(path))
        self.connection.execute(f"COPY ({renamed} FROM ({query})) TO {target} ({settings})")
        count = self.connection.execute(f"SELECT count(*) FROM ({query})").fetchone()
        return path.name, int(count[0]) if count else 0


def _setup(strategy: Strategy, options: Options) -> tuple[duckdb.DuckDBPyConnection, Period]:
    import duckdb  # here, not at start-up: ``vpp`` loads this module for its subcommand

    connection = duckdb.connect()
    connection.execute("SET threads = 2")
    connection.execute(f"SET VARIABLE seed = {int(options.seed) % 1_000_003}")
    connection.execute(_MACROS)
    window = strategy.campaign.evaluation_window if strategy.campaign else \
        strategy.financial_year.period
    areas = [lp.id for lp in strategy.local_partnerships] or ["whole-area"]
    populations = [ILLUSTRATIVE_POPULATION.get(area, DEFAULT_POPULATION) for area in areas]
    connection.execute("CREATE TABLE areas (n INTEGER, area VARCHAR, young BIGINT, adults BIGINT)")
    connection.executemany(
        "INSERT INTO areas VALUES (?, ?, ?, ?)",
        [(n, area, young, adults) for n, (area, (young, adults))
         in enumerate(zip(areas, populations, strict=True))],
    )
    connection.execute("CREATE TABLE bands (n INTEGER, k INTEGER, area VARCHAR, "
                       "age_band VARCHAR, population BIGINT)")
    connection.executemany(
        "INSERT INTO bands VALUES (?, ?, ?, ?, ?)",
        [(n, k, area, f"{low}-{high}", _band_population(figures, (low, high)))
         for n, (area, figures) in enumerate(zip(areas, populations, strict=True))
         for k, (low, high) in enumerate(_age_bands(strategy))],
    )
    return connection, window


def _exposures(connection: duckdb.DuckDBPyConnection, window: Period, options: Options) -> None:
    """The log: area by population, a device from that area's pool (some see the campaign
    often, most once or twice), an owned channel, a day in the window (a few before it)."""
    people = connection.execute("SELECT sum(young + adults) FROM areas").fetchone()
    total = int(people[0]) if people else 1
    # Devices in the pool: about three exposures each, never more than 60% of the people.
    pool = max(10, min(options.exposures // 3, total * 6 // 10))
    weights = connection.execute("SELECT area, young + adults FROM areas ORDER BY n").fetchall()
    days = (window.end - window.start).days + 1
    early = "u(range, 5) < 0.003" if options.anomalies else "FALSE"
    connection.execute(f"""
        CREATE TABLE pools AS
        SELECT area, (young + adults) * {pool} // {total} + 1 AS size,
               coalesce(sum((young + adults) * {pool} // {total} + 1)
                   OVER (ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base
        FROM areas;
        CREATE TABLE exposures AS
        SELECT pseudonym('d', p.base + CAST(floor(p.size * pow(e.u2, 2)) AS BIGINT)) AS viewer_id,
               e.channel, e.date, e.area
        FROM (SELECT {_case([(area, float(w)) for area, w in weights], "u(range, 1)")} AS area,
                     u(range, 2) AS u2,
                     {_case([(name, float(share)) for name, share, _, _ in LOGGED], "u(range, 3)")}
                         AS channel,
                     CASE WHEN {early}
                          THEN DATE '{window.start}' - CAST(1 + floor(u(range, 6) * 20) AS INTEGER)
                          ELSE DATE '{window.start}' + CAST(floor(u(range, 4) * {days}) AS INTEGER)
                     END AS date
              FROM range({options.exposures})) e
        JOIN pools p USING (area);
    """)


def _delivery(connection: duckdb.DuckDBPyConnection, window: Period, options: Options) -> None:
    """Weekly delivery: logged channels summed from the log, bought channels from budgets."""
    weeks = _weeks(window)
    start = window.start - timedelta(days=7 * WEEKS_OF_SOFT_LAUNCH) if options.anomalies \
        else window.start
    first_week = -WEEKS_OF_SOFT_LAUNCH if options.anomalies else 0
    logged_rates = {name: (engagement, clicks) for name, _, engagement, clicks in LOGGED}
    engagement = "CASE channel " + " ".join(
        f"WHEN '{name}' THEN {rates[0]}" for name, rates in logged_rates.items()) + " END"
    clicks = "CASE channel " + " ".join(
        f"WHEN '{name}' THEN {rates[1]}" for name, rates in logged_rates.items()) + " END"
    connection.execute(f"""
        CREATE TABLE logged_delivery AS
        SELECT channel, area,
               DATE '{window.start}' + 7 * CAST(floor(datediff('day', DATE '{window.start}', date)
                                                     / 7) AS INTEGER) AS date,
               count(*) AS impressions, count(DISTINCT viewer_id) AS reach
        FROM exposures GROUP BY ALL;
        CREATE TABLE delivery (channel VARCHAR, area VARCHAR, date DATE, impressions BIGINT,
            reach BIGINT, engagements BIGINT, clicks BIGINT, video_views BIGINT,
            spend DECIMAL(18,2));
        INSERT INTO delivery
        SELECT channel, area, date, impressions, reach,
               CAST(round(impressions * {engagement} * (0.6 + 0.8 * u(k, 7))) AS BIGINT),
               CAST(round(impressions * {clicks} * (0.6 + 0.8 * u(k, 8))) AS BIGINT),
               NULL, 0.00
        FROM (SELECT l.*, (datediff('day', DATE '{window.start}', l.date) + 1000) * 1000
                          + a.n * 10 + (l.channel = '{LOGGED[-1][0]}')::INTEGER AS k
              FROM logged_delivery l JOIN areas a USING (area));
    """)
    for index, channel in enumerate(PAID):
        weeks_run = [w for w in range(first_week, weeks) if w % channel.every_nth_week == 0]
        weeks_paid = max(1, len([w for w in weeks_run if w >= 0]))
        per_week = int(channel.budget * 1000 / channel.cpm) // weeks_paid
        area_limit = f"WHERE n < {channel.areas}" if channel.areas else ""
        reach = (f"CAST(round(impressions / ({channel.frequency} * (0.85 + 0.3 * u(k, 11))))"
                 " AS BIGINT)") if channel.frequency else "NULL"

        def rate(value: Decimal | None, draw: int) -> str:
            if value is None:
                return "NULL"
            return f"CAST(round(impressions * {value} * (0.7 + 0.6 * u(k, {draw}))) AS BIGINT)"

        connection.execute(f"""
            INSERT INTO delivery
            SELECT '{channel.name}', area, date, impressions, {reach},
                   {rate(channel.engagement_rate, 12)}, {rate(channel.click_rate, 13)},
                   {rate(channel.view_rate, 14)},
                   CAST(round(impressions * {channel.cpm} / 1000 * (0.9 + 0.2 * u(k, 15)), 2)
                        AS DECIMAL(18,2))
            FROM (
                SELECT a.area, DATE '{window.start}' + 7 * w.week AS date,
                       w.week * 100 + a.n + {index} * 100000 + 500000 AS k,
                       CAST(round({per_week} * weight
                                  * (0.6 + 0.8 * u(w.week * 100 + a.n + {index} * 100000, 10)))
                            AS BIGINT) AS impressions
                FROM (SELECT unnest({weeks_run}) AS week) w,
                     (SELECT n, area,
                             CAST(young + adults AS DOUBLE) / sum(young + adults) OVER () AS weight
                      FROM areas {area_limit}) a
                WHERE DATE '{window.start}' + 7 * w.week <= DATE '{window.end}'
            )
        """)
    if options.anomalies:
        connection.execute(f"""
            -- Columns swapped on one row: reach above impressions.
            UPDATE delivery SET reach = impressions, impressions = reach
            WHERE channel = 'paid-social' AND date = (SELECT min(date) + 7 * 10 FROM delivery
                                                      WHERE channel = 'paid-social'
                                                        AND date >= DATE '{start}')
              AND area = (SELECT area FROM areas ORDER BY n LIMIT 1);
            -- One partner's month of online video with impressions reported as reach.
            UPDATE delivery SET reach = impressions
            WHERE channel = 'online-video' AND strftime(date, '%Y-%m') = '{
                (window.start + timedelta(days=160)).strftime("%Y-%m")}'
              AND area = (SELECT area FROM areas ORDER BY n DESC LIMIT 1);
        """)


def _training(connection: duckdb.DuckDBPyConnection, strategy: Strategy, options: Options) -> None:
    """Attendance: per audience, a little under or over the campaign's targets; some
    attendees first came the year before (continuing); one or two sessions each."""
    row = None
    if strategy.campaign and strategy.targets:
        for target_row in strategy.targets.rows:
            if target_row.intervention == strategy.campaign.intervention:
                row = target_row
    # Sized from the campaign's targets row, whatever its cohorts: the people cohorts' total
    # and the professionals' (20 each where the row has none).
    cohorts = {cohort.id: cohort for cohort in strategy.targets.cohorts} if strategy.targets \
        else {}
    people = sum(t.count for t in (row.targets if row else ())
                 if t.cohort in cohorts and not cohorts[t.cohort].professionals) or 40
    professionals = sum(t.count for t in (row.targets if row else ())
                        if t.cohort in cohorts and cohorts[t.cohort].professionals) or 20
    window = (row.window if row and row.window else None) or (
        strategy.targets.window if strategy.targets else strategy.financial_year.period)
    audiences = (
        ("young-person", people * 41 // 100),
        ("parent", people * 59 // 100),
        ("practitioner", professionals * 6 // 10),
        ("professional", professionals * 37 // 100),
    )
    days = (window.end - window.start).days + 1
    counted = connection.execute("SELECT count(*) FROM areas").fetchone()
    len_areas = int(counted[0]) if counted else 1
    connection.execute("CREATE TABLE attendees (n BIGINT, audience VARCHAR)")
    offset = 0
    for audience, count in audiences:
        connection.execute(
            f"INSERT INTO attendees SELECT range + {offset}, '{audience}' FROM range({count})")
        offset += count
    before = "u(a.n, 22) < 0.04" if options.anomalies else "FALSE"
    connection.execute(f"""
        CREATE TABLE training AS
        SELECT pseudonym('a', a.n) AS attendee_id, a.audience,
               CASE WHEN {before} AND s.session = 0
                    THEN DATE '{window.start}' - CAST(1 + floor(u(a.n, 23) * 50) AS INTEGER)
                    ELSE DATE '{window.start}' + CAST(floor(u(a.n * 7 + s.session, 24) * {days})
                                                      AS INTEGER)
               END AS date,
               ar.area
        FROM attendees a
        JOIN range(2) s(session) ON s.session < 1 + CAST(u(a.n, 21) < 0.25 AS INTEGER)
        JOIN areas ar ON ar.n = CAST(floor(u(a.n, 25) * {len_areas}) AS INTEGER)
    """)


def generate_campaign(strategy: Strategy, folder: Path, options: Options) -> dict[str, int]:
    """Write the campaign's records and ``records.toml`` into ``folder``; rows per kind."""
    folder.mkdir(parents=True, exist_ok=True)
    connection, window = _setup(strategy, options)
    try:
        _exposures(connection, window, options)
        _delivery(connection, window, options)
        _training(connection, strategy, options)
        writer = _Writer(connection, folder, options)
        order = "ORDER BY date, channel, area"
        files = {
            "campaign-delivery": writer.copy(
                "delivery", f"SELECT * FROM delivery {order}", DELIVERY_HEADERS),
            "exposures": writer.copy("exposures", "SELECT * FROM exposures", EXPOSURE_HEADERS),
            "campaign-training": writer.copy(
                "training", "SELECT * FROM training ORDER BY date, audience, attendee_id", {}),
            "population": writer.copy("population", f"""
                SELECT area, age_band, population, '{POPULATION_SOURCE}' AS source
                FROM bands ORDER BY n, k
            """, {}),
        }
    finally:
        connection.close()
    if options.anomalies and options.format == "csv":
        area = strategy.local_partnerships[0].id if strategy.local_partnerships else "whole-area"
        _append_malformed(folder, files, area)
    _write_manifest(folder, files)
    return {kind: rows for kind, (_, rows) in files.items()}


def _append_malformed(folder: Path, files: dict[str, tuple[str, int]], area: str) -> None:
    """Two rows a reader must report, not drop: a date that does not exist, a missing id
    (in ``area``, one of the strategy's)."""
    name, rows = files["campaign-delivery"]
    with (folder / name).open("a", encoding="utf-8") as handle:
        handle.write(f"paid-social,{area},2024-09-31,1200,540,31,7,220,9.00\n")
    files["campaign-delivery"] = (name, rows + 1)
    name, rows = files["exposures"]
    with (folder / name).open("a", encoding="utf-8") as handle:
        handle.write(f",website,2024-06-03,{area}\n")
    files["exposures"] = (name, rows + 1)


def _write_manifest(folder: Path, files: dict[str, tuple[str, int]]) -> None:
    mappings = {"campaign-delivery": DELIVERY_HEADERS, "exposures": EXPOSURE_HEADERS}
    sources = []
    for kind, (name, _) in files.items():
        entry: dict[str, object] = {"kind": kind, "path": name}
        if kind in mappings:
            entry["columns"] = dict(mappings[kind])
        sources.append(entry)
    header = (
        "# Synthetic campaign records made by `vpp generate-campaign` (seeded): no real person\n"
        f"# or device is in them. Population figures are {POPULATION_SOURCE}.\n"
    )
    (folder / "records.toml").write_text(header + tomli_w.dumps({"sources": sources}),
                                         encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", type=Path, help="folder to write the records and records.toml")
    parser.add_argument("--strategy", type=Path, default=None,
                        help="strategy TOML (default: ./strategy.toml if there is one, else the "
                             "bundled Thames Valley 2024–25)")
    parser.add_argument("--exposures", type=int, default=DEFAULT_EXPOSURES,
                        help=f"rows of exposure log, 0 to {MAX_EXPOSURES:,} "
                             f"(default {DEFAULT_EXPOSURES:,})")
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--clean", action="store_true",
                        help="no anomalies: nothing for the sanity rules to find")
    parser.add_argument("--force", action="store_true",
                        help="replace records already in the folder")


def run(arguments: argparse.Namespace) -> int:
    if not 0 <= arguments.exposures <= MAX_EXPOSURES:
        raise UsageError(f"--exposures: must be between 0 and {MAX_EXPOSURES:,}")
    names = ("delivery", "exposures", "training", "population")
    output_folder(arguments.output, (*(f"{name}.{arguments.format}" for name in names),
                                     "records.toml"), force=arguments.force)
    path, followed = strategy_to_follow(arguments.strategy)
    strategy = load_strategy(path)
    print(f"following {followed}", file=sys.stderr)
    options = Options(seed=arguments.seed, exposures=arguments.exposures,
                      format=arguments.format, anomalies=not arguments.clean)
    written = generate_campaign(strategy, arguments.output, options)
    for kind, rows in written.items():
        print(f"{kind}: {rows:,} rows")
    print(f"manifest: {arguments.output / 'records.toml'}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vpp_plugins.reach.generate",
                                     description="Write synthetic campaign records.")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except VppError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())


