"""Counting new people reached, per intervention and cohort, from delivery records.

The rule (:data:`COUNTING_RULE`, printed on every report): a person counts once for an
intervention if their first engagement with it — a start, session or exit; a referral
alone is not an engagement — falls within that intervention's monitoring window; a person
whose first engagement came before the window is continuing and does not count. The cohort
is their age on the day of that first engagement (on their birthday, the new age). Records
after the as-of day are not yet counted. Professionals count the same way, per course line,
from training records. Unique people across all interventions count each person once, in
the cohort of their earliest counted first engagement.

The work is two scans: the records are loaded (and checked) into DuckDB once, then one
GROUP BY finds each person's first engagement per intervention; the totals come from
that small table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    Cohort,
    LoadedTable,
    MetricContext,
    Period,
    RecordSource,
    Strategy,
    load_table,
    sql_literal,
)
from vpp_plugins.targets.lines import YOUNGEST_COHORT_MAX_AGE, target_lines, windows
from vpp_plugins.targets.schemas import (
    ENGAGEMENTS,
    PARTICIPANTS,
    TRAINING,
    participant_schema,
    training_keys,
    training_schema,
)

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

COUNTING_RULE = (
    "A person counts once per intervention if their first engagement with it (a start, "
    "session or exit; a referral alone is not one) falls in the target's window; anyone "
    "first engaged before the window is continuing and not counted. Age band: age on the "
    "day of that first engagement (a birthday that day counts). Professionals count once "
    "per course line the same way. Unique people count each person once across all "
    "interventions."
)

_EPOCH = date(1900, 1, 1)
# first engagement as one number: days since 1900 × 256 + age, so that min() gives the
# first day and, of several rows that day, the lowest age (ages are checked to be 0–120).
_AGE_SLOTS = 256


@attrs.frozen
class Reached:
    """New people (or professionals) counted for one intervention and cohort, to the as-of day."""

    key: str
    cohort: Cohort
    count: int
    quarters: tuple[int, int, int, int]


@attrs.frozen
class TargetCounts:
    """Everything counted in one run: per line, unique people, and the records' account."""

    as_of: date
    as_of_given: bool
    reached: tuple[Reached, ...]
    unique_people: int
    unique_by_cohort: tuple[tuple[Cohort, int], ...]
    participants: LoadedTable | None
    training: LoadedTable | None

    def count(self, key: str, cohort: Cohort) -> int:
        for item in self.reached:
            if item.key == key and item.cohort == cohort:
                return item.count
        return 0

    def quarters(self, key: str, cohort: Cohort) -> tuple[int, int, int, int]:
        for item in self.reached:
            if item.key == key and item.cohort == cohort:
                return item.quarters
        return (0, 0, 0, 0)

    def has_records_for(self, cohort: Cohort) -> bool:
        return (self.training if cohort is Cohort.PROFESSIONALS else self.participants) is not None


def _days(day: date) -> int:
    return (day - _EPOCH).days


def _by_key(periods: Mapping[str, Period], value: Callable[[Period], date]) -> str:
    """SQL for a day number per ``intervention`` (a CASE over the keys; NULL for others)."""
    days = {key: _days(value(period)) for key, period in sorted(periods.items())}
    if not days:
        return "NULL"
    if len(set(days.values())) == 1:
        return str(next(iter(days.values())))
    cases = " ".join(f"WHEN {sql_literal(key)} THEN {day}" for key, day in days.items())
    return f"CASE CAST(intervention AS VARCHAR) {cases} END"


def _first_engagements(table: str, person: str, day: str, key: str,
                       periods: Mapping[str, Period], as_of: date, where: str = "") -> str:
    """SQL for each (intervention, person) first engaged within the window, to ``as_of``:
    ``first_key`` is the minimum of ``key`` (which starts with the day number)."""
    last = _by_key(periods, lambda period: min(period.end, as_of))
    first = _by_key(periods, lambda period: period.start)
    return (
        f"SELECT intervention, {person} AS person, min({key}) AS first_key, "
        f"min({day}) AS first_day FROM {table} "
        f"WHERE {where}{day} <= {last} GROUP BY intervention, {person} "
        f"HAVING min({day}) >= {first}"
    )


def _quarter_sql(day_expression: str, year_start: date) -> str:
    """The financial-year quarter (1–4) of a day number, NULL outside the year."""
    start = _days(year_start)
    end = _days(date(year_start.year + 1, 3, 31))
    day = f"(DATE '{_EPOCH}' + CAST({day_expression} AS INTEGER))"
    return (
        f"CASE WHEN {day_expression} BETWEEN {start} AND {end} "
        f"THEN ((month({day}) + 8) % 12) // 3 + 1 END"
    )


_AGE = (
    "CASE WHEN date_of_birth IS NOT NULL THEN year(event_date) - year(date_of_birth) - "
    "CASE WHEN month(event_date) * 100 + day(event_date) "
    "< month(date_of_birth) * 100 + day(date_of_birth) THEN 1 ELSE 0 END "
    "ELSE age_at_event END"
)


def count_participants(
    connection: DuckDBPyConnection, strategy: Strategy, as_of: date
) -> tuple[list[Reached], int, list[tuple[Cohort, int]]]:
    """Count from table ``participants``: per intervention and cohort, and unique people."""
    periods = windows(strategy, frozenset(i.id for i in strategy.interventions))
    engagements = ", ".join(sql_literal(kind) for kind in ENGAGEMENTS)
    day = f"date_diff('day', DATE '{_EPOCH}', event_date)"
    firsts = _first_engagements(
        "participants", "person_id", day, f"{day} * {_AGE_SLOTS} + ({_AGE})", periods, as_of,
        where=f"event_type IN ({engagements}) AND ",
    )
    young = f"first_key % {_AGE_SLOTS} <= {YOUNGEST_COHORT_MAX_AGE}"
    quarter = _quarter_sql("first_day", strategy.financial_year.start)
    execute = connection.execute
    execute(f"CREATE OR REPLACE TEMP TABLE first_engagements AS {firsts}").fetchall()
    counted = execute(
        f"SELECT CAST(intervention AS VARCHAR), {young} AS young, {quarter} AS quarter, "
        "count(*) FROM first_engagements GROUP BY ALL"
    ).fetchall()
    unique = execute(
        f"SELECT count(*), count(*) FILTER (WHERE {young}) FROM ("
        "SELECT person, min(first_key) AS first_key FROM first_engagements GROUP BY person)"
    ).fetchall()[0]
    execute("DROP TABLE first_engagements").fetchall()
    tallies: dict[tuple[str, Cohort], list[int]] = {}
    for key, is_young, in_quarter, count in counted:
        cohort = Cohort.UNDER_25 if is_young else Cohort.OVER_25
        tally = tallies.setdefault((str(key), cohort), [0, 0, 0, 0, 0])
        tally[0] += int(count)
        if in_quarter is not None:
            tally[int(in_quarter)] += int(count)
    total, young_count = int(unique[0]), int(unique[1])
    return (
        _reached(tallies),
        total,
        [(Cohort.UNDER_25, young_count), (Cohort.OVER_25, total - young_count)],
    )


def count_training(
    connection: DuckDBPyConnection, strategy: Strategy, as_of: date
) -> list[Reached]:
    """Count from table ``training``: professionals trained per intervention or strand."""
    periods = windows(strategy, training_keys(strategy))
    day = f"date_diff('day', DATE '{_EPOCH}', training_date)"
    firsts = _first_engagements("training", "professional_id", day, day, periods, as_of)
    quarter = _quarter_sql("first_day", strategy.financial_year.start)
    counted = connection.execute(
        f"SELECT CAST(intervention AS VARCHAR), {quarter} AS quarter, count(*) "
        f"FROM ({firsts}) GROUP BY ALL"
    ).fetchall()
    tallies: dict[tuple[str, Cohort], list[int]] = {}
    for key, in_quarter, count in counted:
        tally = tallies.setdefault((str(key), Cohort.PROFESSIONALS), [0, 0, 0, 0, 0])
        tally[0] += int(count)
        if in_quarter is not None:
            tally[int(in_quarter)] += int(count)
    return _reached(tallies)


def _reached(tallies: Mapping[tuple[str, Cohort], Sequence[int]]) -> list[Reached]:
    return [
        Reached(key, cohort, tally[0], (tally[1], tally[2], tally[3], tally[4]))
        for (key, cohort), tally in sorted(tallies.items())
    ]


def latest_record_day(connection: DuckDBPyConnection, loaded: Sequence[str]) -> date | None:
    """The last day any usable engagement or training row records."""
    execute = connection.execute
    engagements = ", ".join(sql_literal(kind) for kind in ENGAGEMENTS)
    days: list[date] = []
    if PARTICIPANTS in loaded:
        found = execute(
            f"SELECT max(event_date) FROM participants WHERE event_type IN ({engagements})"
        ).fetchall()[0][0]
        if found is not None:
            days.append(found)
    if TRAINING in loaded:
        found = execute("SELECT max(training_date) FROM training").fetchall()[0][0]
        if found is not None:
            days.append(found)
    return max(days) if days else None


def count_targets(
    strategy: Strategy, records: Sequence[RecordSource], as_of: date | None = None
) -> TargetCounts:
    """Load the participant and training records given and count against the targets.

    ``as_of`` defaults to the last day the records cover, within the targets' windows.
    """
    import duckdb

    participants = [source for source in records if source.kind == PARTICIPANTS]
    training = [source for source in records if source.kind == TRAINING]
    connection = duckdb.connect()
    try:
        loaded_participants = (
            load_table(connection, PARTICIPANTS, participants, participant_schema(strategy))
            if participants else None
        )
        loaded_training = (
            load_table(connection, TRAINING, training, training_schema(strategy))
            if training else None
        )
        loaded = [
            name for name, table in ((PARTICIPANTS, loaded_participants),
                                     (TRAINING, loaded_training)) if table is not None
        ]
        last_window_day = max(
            [line.window.end for line in target_lines(strategy)]
            or [strategy.financial_year.end]
        )
        given = as_of is not None
        if as_of is None:
            latest = latest_record_day(connection, loaded)
            as_of = min(latest, last_window_day) if latest else last_window_day
        reached: list[Reached] = []
        unique, by_cohort = 0, [(Cohort.UNDER_25, 0), (Cohort.OVER_25, 0)]
        if loaded_participants is not None:
            people, unique, by_cohort = count_participants(connection, strategy, as_of)
            reached.extend(people)
        if loaded_training is not None:
            reached.extend(count_training(connection, strategy, as_of))
    finally:
        connection.close()
    return TargetCounts(
        as_of=as_of,
        as_of_given=given,
        reached=tuple(reached),
        unique_people=unique,
        unique_by_cohort=tuple(by_cohort),
        participants=loaded_participants,
        training=loaded_training,
    )


def counts_for(context: MetricContext) -> TargetCounts:
    """This run's counts, computed once and shared by every target metric and check."""
    sources = (*context.records_of(PARTICIPANTS), *context.records_of(TRAINING))
    key = tuple((s.kind, str(s.path), tuple(sorted(s.columns.items()))) for s in sources)
    return context.memo(
        ("targets", key, context.as_of),
        lambda: count_targets(context.strategy, sources, context.as_of),
    )
