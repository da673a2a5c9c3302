"""Seeded synthetic participant and training records for a strategy, any size.

``python -m vpp_plugins.targets.generate OUT --rows 1000000`` or ``vpp generate-records``.
Written with DuckDB SQL (no Python loop over rows): ten million rows take seconds. The
same seed, size and strategy give the same files. What the records hold, so that every
counting rule has something to bite on:

* people reached for the first time in each target's window, in numbers around the
  target (some interventions ahead, some behind), and some continuing from before it;
* some people in two interventions, and events after every window ends;
* referrals a week before the first engagement (a referral alone does not count);
* dates of birth (some people turn 25 during the year), or only the age at each event;
* about 1% exact duplicate rows, and a few malformed rows (impossible dates, a missing
  id, an unknown intervention, an age in words; in CSV a line with fields missing).

Pseudonymous ids are random hexadecimal, not derived from any real identifier.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    Cohort,
    Strategy,
    UsageError,
    load_strategy,
    output_folder,
    sql_literal,
)
from vpp_plugins._common import strategy_to_follow
from vpp_plugins.targets.lines import age_bands, target_lines, windows
from vpp_plugins.targets.schemas import training_keys

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MIN_ROWS, MAX_ROWS = 1_000, 10_000_000
EVENTS_PER_PAIR = 4.5  # referral, start, sessions, exit: 2 to 7 rows, 4.5 on average
CONTINUING, AFTER = 0.12, 0.04  # first engagement before the window / after it ends
AGE_ONLY, BOTH = 0.20, 0.10  # rows giving only age at the event / both age and birth date
UK_DATES = 0.02  # dates written DD/MM/YYYY
DUPLICATES = 0.01
#: Where a professional trained comes from when the strategy names no organisation.
ORGANISATIONS = (
    "Police", "Local authority", "Fire and rescue service", "Integrated Care Board",
    "Youth Justice Service", "Local secondary school", "Voluntary and community sector",
)
#: An intervention no strategy has: a row naming it is left out as unknown.
UNKNOWN_INTERVENTION = "not-an-intervention"


def organisations(strategy: Strategy) -> tuple[str, ...]:
    """The organisations professionals come from: the strategy's duty holders and relevant
    authorities (else :data:`ORGANISATIONS`)."""
    named = {holder.name for partnership in strategy.local_partnerships
             for holder in partnership.duty_holders}
    named.update(authority.name for partnership in strategy.local_partnerships
                 for authority in partnership.relevant_authorities)
    return tuple(sorted(named)) or ORGANISATIONS


@attrs.frozen
class Generated:
    manifest: Path
    participants: Path
    training: Path
    participant_rows: int
    training_rows: int


def _uniform(seed: int, *parts: str) -> str:
    """SQL for a uniform number in [0, 1) from a hash of the seed and ``parts``."""
    return f"(hash({seed}, {', '.join(parts)}) % 1000003) / 1000003.0"


def _pick(weights: Sequence[float], draw: str) -> str:
    """SQL choosing an index 0… with probability proportional to ``weights``."""
    total = sum(weights)
    upto, cases = 0.0, []
    for index, weight in enumerate(weights[:-1]):
        upto += weight / total
        cases.append(f"WHEN {draw} < {upto:.6f} THEN {index}")
    return f"CASE {' '.join(cases)} ELSE {len(weights) - 1} END" if cases else "0"


_YOUNGEST, _SPAN = 10, 30  # ages drawn for a band open below or above


def _ages(band: Cohort) -> tuple[int, int]:
    """The youngest and oldest age drawn for a band (an open end closed at 10, or 30 on)."""
    low = band.min_age if band.min_age is not None else min(_YOUNGEST, band.max_age or 0)
    high = band.max_age if band.max_age is not None else low + _SPAN - 1
    return low, high


def _bands_sql(wanted: dict[str, int], bands: tuple[Cohort, ...]) -> str:
    """The strategy's age bands as a list of ``{lo, hi, upto}`` (cumulative share), weighted
    by the intervention's targets (evenly where it has none)."""
    spans = [_ages(band) for band in bands] or [(_YOUNGEST, _YOUNGEST + _SPAN - 1)]
    weights = [wanted.get(band.id, 0) for band in bands]
    if not sum(weights):
        weights = [1] * len(spans)
    total, upto, items = sum(weights), 0, []
    for (low, high), weight in zip(spans, weights, strict=True):
        upto += weight
        share = "1.0" if upto == total else f"{upto / total:.6f}"
        items.append(f"{{'lo': {low}, 'hi': {high}, 'upto': {share}}}")
    return "[" + ", ".join(items) + "]"


def _intervention_rows(strategy: Strategy, seed: int) -> tuple[str, list[float]]:
    """VALUES for each intervention: weight (people to reach), the age bands to draw from,
    window, and local partnerships to pick from."""
    targets: dict[str, dict[str, int]] = {}
    for line in target_lines(strategy):
        targets.setdefault(line.key, {})[line.cohort.id] = line.target
    bands = age_bands(strategy)
    periods = windows(strategy, frozenset(i.id for i in strategy.interventions))
    rows, weights = [], []
    for index, intervention in enumerate(strategy.interventions):
        wanted = targets.get(intervention.id, {})
        people = sum(wanted.get(band.id, 0) for band in bands)
        # ahead of or behind target by up to a third, the same way for a given seed
        pace = 0.7 + ((seed * 7919 + index * 104729) % 61) / 100
        weight = max(people, 15) * pace
        weights.append(weight)
        period = periods[intervention.id]
        partnerships = "[" + ", ".join(
            sql_literal(name) for name in intervention.local_partnerships or ("",)
        ) + "]"
        rows.append(
            f"({index}, {sql_literal(intervention.id)}, {_bands_sql(wanted, bands)}, "
            f"DATE '{period.start}', DATE '{period.end}', {partnerships})"
        )
    values = "(VALUES " + ", ".join(rows) + ") AS i(idx, id, bands, first_day, last_day, lps)"
    return values, weights


def _participants_sql(strategy: Strategy, rows: int, seed: int) -> str:
    # a tenth more engagements than the rows need on average; LIMIT cuts to the size
    pairs = max(10, round(rows * 1.1 / EVENTS_PER_PAIR))
    def u(*parts: str) -> str:
        return _uniform(seed, *parts)

    interventions, weights = _intervention_rows(strategy, seed)
    # every twelfth engagement (about 8%) is by someone first met in an earlier one
    return f"""
    WITH interventions AS (SELECT * FROM {interventions}),
    pairs AS (
        SELECT j, {_pick(weights, u("j", "'which'"))} AS idx,
               CASE WHEN j % 12 = 5 AND j > 12 THEN (hash({seed}, j, 'who') % (j // 12)) * 12
                    ELSE j END AS person
        FROM range({pairs}) AS r(j)
    ),
    placed AS (
        SELECT p.j, p.person, i.id, i.bands, i.first_day, i.last_day, i.lps,
               {u("p.j", "'when'")} AS timing, {u("p.j", "'day'")} AS day_share
        FROM pairs AS p JOIN interventions AS i USING (idx)
    ),
    people AS (  -- each person's birth date, from the intervention they first came to;
                 -- some at the top of their band, to cross into the next during the year
        SELECT person, first_day,
               CASE WHEN {u("person", "'turns'")} < 0.08 THEN band.hi
                    ELSE band.lo + CAST(floor({u("person", "'y'")} * (band.hi - band.lo + 1))
                                        AS INTEGER) END AS age_then
        FROM (SELECT j AS person, first_day,
                     list_filter(bands, lambda b: b.upto > {u("j", "'age'")})[1] AS band
              FROM placed WHERE person = j)
    ),
    births AS (
        SELECT person, 'P' || upper(substr(md5({seed} || '/' || person), 1, 12)) AS person_id,
               CAST(first_day - INTERVAL (age_then) YEAR AS DATE)
                    - CAST(floor({u("person", "'dob'")} * 365) AS INTEGER) AS dob
        FROM people
    ),
    firsts AS (
        SELECT pl.*, b.person_id, b.dob,
               CASE WHEN timing < {CONTINUING}
                        THEN pl.first_day - CAST(1 + floor(day_share * 365) AS INTEGER)
                    WHEN timing > {1 - AFTER}
                        THEN pl.last_day + CAST(1 + floor(day_share * 90) AS INTEGER)
                    ELSE pl.first_day + CAST(floor(day_share * (pl.last_day - pl.first_day + 1))
                                             AS INTEGER)
               END AS first_engaged,
               CAST(2 + hash({seed}, pl.j, 'n') % 6 AS BIGINT) AS events
        FROM placed AS pl JOIN births AS b USING (person)
    ),
    events AS (
        SELECT f.*, k,
               CASE WHEN k = 0 THEN 'referral' WHEN k = 1 THEN 'start'
                    WHEN k = events - 1 AND events > 2 THEN 'exit' ELSE 'session' END AS event_type,
               CASE WHEN k = 0 THEN first_engaged - 7
                    ELSE first_engaged + CAST((k - 1) * 10 + hash({seed}, j, k) % 5 AS INTEGER)
               END AS on_day
        FROM firsts AS f, range(events) AS e(k)
    ),
    shaped AS (
        SELECT person_id, id AS intervention, on_day,
               {u("j", "k", "'shape'")} AS shape, dob,
               year(on_day) - year(dob) - CASE WHEN month(on_day) * 100 + day(on_day)
                   < month(dob) * 100 + day(dob) THEN 1 ELSE 0 END AS age,
               event_type,
               lps[1 + CAST(hash({seed}, j, 'lp') % len(lps) AS INTEGER)] AS local_partnership,
               j, k
        FROM events
    ),
    written AS (
        SELECT person_id, intervention,
               CASE WHEN shape < {UK_DATES} THEN strftime(on_day, '%d/%m/%Y')
                    ELSE strftime(on_day, '%Y-%m-%d') END AS event_date,
               CASE WHEN shape >= {UK_DATES + AGE_ONLY} OR shape < {UK_DATES}
                    THEN strftime(dob, '%Y-%m-%d') END AS date_of_birth,
               CASE WHEN shape BETWEEN {UK_DATES} AND {UK_DATES + AGE_ONLY + BOTH}
                    THEN CAST(age AS VARCHAR) END AS age_at_event,
               event_type, local_partnership, j, k, 0 AS copy
        FROM shaped
    )
    SELECT * EXCLUDE (j, k, copy), j * 16 + k * 2 + copy AS pos FROM (
        SELECT * FROM written
        UNION ALL
        SELECT * REPLACE (1 AS copy) FROM written WHERE {u("j", "k", "'dup'")} < {DUPLICATES}
    )
    ORDER BY pos
    LIMIT {rows}
    """


def _malformed(strategy: Strategy) -> tuple[list[tuple[str | None, ...]],
                                           list[tuple[str | None, ...]]]:
    """Participant and training rows each left out for one reason, in the strategy's own
    terms: a day that does not exist, a month 13, no id, an unknown intervention, an age in
    words."""
    first = strategy.interventions[0].id if strategy.interventions else UNKNOWN_INTERVENTION
    area = strategy.local_partnerships[0].id if strategy.local_partnerships else ""
    course = min(training_keys(strategy), default=UNKNOWN_INTERVENTION)
    where = organisations(strategy)
    participants: list[tuple[str | None, ...]] = [
        # (person_id, intervention, event_date, date_of_birth, age_at_event, event_type, lp)
        ("MALFORMED01", first, "2024-02-30", "2008-05-01", None, "start", area),
        ("MALFORMED02", first, "31/13/2024", "2010-01-01", None, "session", area),
        (None, first, "2024-10-01", "2003-07-14", None, "start", area),
        ("MALFORMED04", UNKNOWN_INTERVENTION, "2024-06-01", "2009-03-03", None, "start", area),
        ("MALFORMED05", first, "2024-07-01", None, "fifteen", "start", area),
    ]
    training: list[tuple[str | None, ...]] = [
        ("PRMALFORMED1", course, "2024-04-31", where[0], ""),
        ("PRMALFORMED2", UNKNOWN_INTERVENTION, "2024-05-01", where[-1], "First aid"),
    ]
    return participants, training


def _training_sql(strategy: Strategy, rows: int, seed: int) -> str:
    keys = training_keys(strategy)
    wanted: dict[str, int] = {}
    for line in target_lines(strategy):
        if line.cohort.professionals:
            wanted[line.key] = wanted.get(line.key, 0) + line.target
    periods = windows(strategy, keys)
    courses = sorted(wanted) or sorted(keys)[:1]
    names = {item.id: item.name for item in strategy.interventions}
    names.update({strand.id: strand.name for strand in strategy.strands})
    values = ", ".join(
        f"({index}, {sql_literal(key)}, DATE '{periods[key].start}', DATE '{periods[key].end}', "
        f"{sql_literal(names.get(key, key) + ' training')})"
        for index, key in enumerate(courses)
    )
    weights = [max(wanted.get(key, 0), 5) * (0.75 + (seed + index) % 5 / 10)
               for index, key in enumerate(courses)]
    where = organisations(strategy)
    listed = "[" + ", ".join(sql_literal(name) for name in where) + "]"
    def u(*parts: str) -> str:
        return _uniform(seed, *parts)

    professionals = max(10, round(rows * 1.1 / 1.3))
    return f"""
    WITH courses AS (SELECT * FROM (VALUES {values}) AS c(idx, key, first_day, last_day, course)),
    professionals AS (
        SELECT j, {_pick(weights, u("j", "'course'"))} AS idx,
               1 + CAST({u("j", "'sessions'")} < 0.3 AS INTEGER) AS sessions
        FROM range({professionals}) AS r(j)
    ),
    sessions AS (
        SELECT p.j, s, c.key, {u("p.j", "'when'")} AS timing, {u("p.j", "'day'")} AS day_share,
               c.first_day, c.last_day, c.course
        FROM professionals AS p JOIN courses AS c USING (idx), range(p.sessions) AS x(s)
    )
    SELECT 'PR' || upper(substr(md5({seed} || '/pro/' || j), 1, 10)) AS professional_id,
           key AS intervention,
           strftime(CASE WHEN timing < {CONTINUING}
                             THEN first_day - CAST(1 + floor(day_share * 365) AS INTEGER)
                         WHEN timing > {1 - AFTER}
                             THEN last_day + CAST(1 + floor(day_share * 90) AS INTEGER)
                         ELSE first_day + CAST(floor(day_share * (last_day - first_day + 1))
                                               AS INTEGER) + CAST(s * 14 AS INTEGER)
                    END, '%Y-%m-%d') AS training_date,
           {listed}[1 + CAST(hash({seed}, j, 'org') % {len(where)} AS INTEGER)]
               AS organisation,
           course, j * 4 + s AS pos
    FROM sessions ORDER BY pos LIMIT {rows}
    """


def _values(rows: Sequence[Sequence[str | float | None]]) -> str:
    def sql(value: str | float | None) -> str:
        if value is None:
            return "NULL"
        return sql_literal(value) if isinstance(value, str) else repr(value)

    return ", ".join("(" + ", ".join(sql(value) for value in row) + ")" for row in rows)


def _write(
    connection: DuckDBPyConnection, query: str, malformed: Sequence[Sequence[str | None]],
    path: Path, form: str, typed: dict[str, str],
) -> int:
    """Write ``query``'s rows with the ``malformed`` ones spread evenly among them."""
    connection.execute(f"CREATE OR REPLACE TEMP TABLE out AS {query}").fetchall()
    if malformed:
        last = int(connection.execute("SELECT max(pos) FROM out").fetchall()[0][0] or 0)
        spread = [
            (*row, last * (index + 1) // (len(malformed) + 1) + 0.5)
            for index, row in enumerate(malformed)
        ]
        connection.execute(f"INSERT INTO out VALUES {_values(spread)}").fetchall()
    # typed as a partner's system would type them: dates written DD/MM/YYYY are dates too
    casts = ", ".join(
        f"COALESCE(TRY_CAST({name} AS DATE), TRY_STRPTIME({name}, '%d/%m/%Y')::DATE) AS {name}"
        if kind == "DATE" else f"TRY_CAST({name} AS {kind}) AS {name}"
        for name, kind in typed.items())
    select = (
        f"SELECT * EXCLUDE (pos) REPLACE ({casts}) FROM out ORDER BY pos"
        if form == "parquet" else "SELECT * EXCLUDE (pos) FROM out ORDER BY pos"
    )
    options = "FORMAT parquet, COMPRESSION zstd" if form == "parquet" else "FORMAT csv, HEADER true"
    connection.execute(f"COPY ({select}) TO {sql_literal(str(path))} ({options})").fetchall()
    count = int(connection.execute("SELECT count(*) FROM out").fetchall()[0][0])
    connection.execute("DROP TABLE out").fetchall()
    return count


def generate(
    strategy: Strategy,
    folder: Path,
    *,
    rows: int = 5_000,
    training_rows: int | None = None,
    seed: int = 2024,
    form: str = "csv",
) -> Generated:
    """Write ``participants`` and ``training`` files and a ``records.toml`` into ``folder``."""
    import duckdb

    if not MIN_ROWS <= rows <= MAX_ROWS:
        raise UsageError(f"--rows: must be from {MIN_ROWS:,} to {MAX_ROWS:,}, not {rows:,}")
    training_rows = training_rows if training_rows is not None else max(200, rows // 5)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "parquet" if form == "parquet" else "csv"
    participants = folder / f"participants.{suffix}"
    training = folder / f"training.{suffix}"
    malformed = max(1, rows // 200_000)  # a few, growing slowly with size
    broken_lines = 1 if form == "csv" else 0
    bad_participants, bad_training = _malformed(strategy)
    connection = duckdb.connect()
    try:
        written = _write(
            connection,
            _participants_sql(
                strategy, rows - malformed * len(bad_participants) - broken_lines, seed
            ),
            bad_participants * malformed, participants, form,
            {"event_date": "DATE", "date_of_birth": "DATE", "age_at_event": "INTEGER"},
        )
        trained = _write(
            connection,
            _training_sql(strategy, training_rows - len(bad_training), seed),
            bad_training, training, form, {"training_date": "DATE"},
        )
    finally:
        connection.close()
    if broken_lines:  # and one line cut short, as a broken export leaves it
        with participants.open("a", encoding="utf-8") as file:
            file.write(f"MALFORMED06,{bad_participants[0][1]}\n")
        written += 1
    manifest = folder / "records.toml"
    manifest.write_text(
        "# Synthetic records made by `vpp generate-records` (seed "
        f"{seed}, {written} participant rows, {trained} training rows).\n"
        "# No real person is in them; the ids are random.\n\n"
        f'[[sources]]\nkind = "participants"\npath = "{participants.name}"\n\n'
        f'[[sources]]\nkind = "training"\npath = "{training.name}"\n',
        encoding="utf-8",
    )
    return Generated(manifest, participants, training, written, trained)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, metavar="FOLDER",
                        help="where to write the records and their records.toml")
    parser.add_argument("--strategy", type=Path, default=None,
                        help="the strategy whose interventions and targets to follow "
                             "(default: ./strategy.toml if there is one, else the bundled Thames "
                             "Valley 2024-25)")
    parser.add_argument("--rows", type=int, default=5_000,
                        help=f"participant rows, {MIN_ROWS:,} to {MAX_ROWS:,} (default 5,000)")
    parser.add_argument("--training-rows", type=int, default=None,
                        help="training rows (default: a fifth of --rows, at least 200)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--force", action="store_true",
                        help="replace records already in FOLDER")


def run(options: argparse.Namespace) -> int:
    suffix = "parquet" if options.format == "parquet" else "csv"
    output_folder(options.folder, (f"participants.{suffix}", f"training.{suffix}",
                                   "records.toml"), force=options.force)
    path, followed = strategy_to_follow(options.strategy)
    strategy = load_strategy(path)
    print(f"following {followed}", file=sys.stderr)
    made = generate(strategy, options.folder, rows=options.rows,
                    training_rows=options.training_rows, seed=options.seed, form=options.format)
    print(f"wrote {made.participant_rows} participant rows to {made.participants}, "
          f"{made.training_rows} training rows to {made.training}, and {made.manifest}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vpp_plugins.targets.generate",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        return run(options)
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
