"""Counting new people reached, per intervention and cohort, from delivery records.

The rule (:func:`counting_rule`, printed on every report): a person counts once for an
intervention if their first engagement with it — an event of a type the pack counts
(``engagement_events``: start, session and exit unless it says otherwise) — falls within
that intervention's monitoring window; a person whose first engagement came before the
window is continuing and does not count. The cohort is the strategy's age band holding
their age on the day of that first engagement (on their birthday, the new age; of several
rows that day, the lowest age). Records after the as-of day are not yet counted. People
whose only events in the window are of other types (a referral) are "referred only":
counted beside each target, in the band of their age at their first event in the window,
never in it. Professionals count the same way, per course line, from training records.
Unique people across all interventions count each person once, in the band of their
earliest counted first engagement.

The work is two scans: the records are loaded (and checked) into DuckDB once, keeping
only what the count needs (:func:`participant_columns`: who, which intervention, the
engagement as one number, whether it counts), then one GROUP BY finds each person's first
engagement per intervention; the totals come from that small table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    LoadedTable,
    UsageError,
    load_table,
    records_connection,
    sql_literal,
)
from vpp_plugins.targets.lines import age_bands, cohorts, target_lines, windows
from vpp_plugins.targets.schemas import (
    ENGAGEMENTS,
    EVENT_TYPES,
    PARTICIPANTS,
    TRAINING,
    participant_schema,
    training_keys,
    training_schema,
)

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

    from vpp_core import (
        Cohort,
        MetricContext,
        Period,
        RecordSource,
        Strategy,
    )


def counting_rule(engagement_events: Sequence[str] = ENGAGEMENTS) -> str:
    """The counting rule in words, naming the events that count."""
    events = ", ".join(engagement_events) or "none"
    return (
        f"A person counts once per intervention if their first engagement with it (an event "
        f"of type {events}) falls in the target's window; anyone first engaged before the "
        "window is continuing and not counted. Cohort: the strategy's age band holding their "
        "age on the day of that first engagement (a birthday that day counts). People with "
        "only other events in the window (referred only) are shown beside each target, never "
        "in it. Professionals count once per course line the same way. Unique people count "
        "each person once across all interventions."
    )


COUNTING_RULE = counting_rule()

_EPOCH = date(1900, 1, 1)
# an event as one number: days since 1900 × 256 + age, so that min() gives the first day
# and, of several rows that day, the lowest age (ages are checked to be 0–120, and dates
# of birth from 1900 and not after the event, so an age is 0 to 199): ``event // 256`` is
# the day, ``event % 256`` the age.
_AGE_SLOTS = 256
#: Added to the event number of someone with no counting event: above any event
#: (days to 2099 × 256 is below 2 ** 25), so the least number is a counting event's.
_ONLY_OTHERS = 1 << 40


@attrs.frozen
class Reached:
    """New people (or professionals) counted for one intervention and cohort, to the as-of
    day, and the people only referred (never counted in it)."""

    key: str
    cohort: str
    count: int
    quarters: tuple[int, int, int, int]
    referred_only: int = 0


@attrs.frozen
class TargetCounts:
    """Everything counted in one run: per line, unique people, and the records' account.

    ``records_end`` is the last day any usable row records (referrals included);
    ``last_counted`` the last day of an event that counts. ``as_of`` is the day counted to:
    the one given, else ``records_end`` (no later than the last window's end).
    """

    as_of: date
    as_of_given: bool
    reached: tuple[Reached, ...]
    unique_people: int
    unique_by_cohort: tuple[tuple[str, int], ...]
    participants: LoadedTable | None
    training: LoadedTable | None
    engagement_events: tuple[str, ...] = ENGAGEMENTS
    records_end: date | None = None
    last_counted: date | None = None
    unique_outside_bands: int = 0

    def _item(self, key: str, cohort: str) -> Reached | None:
        return next((item for item in self.reached
                     if item.key == key and item.cohort == cohort), None)

    def count(self, key: str, cohort: str) -> int:
        item = self._item(key, cohort)
        return item.count if item else 0

    def quarters(self, key: str, cohort: str) -> tuple[int, int, int, int]:
        item = self._item(key, cohort)
        return item.quarters if item else (0, 0, 0, 0)

    def referred_only(self, key: str, cohort: str) -> int:
        item = self._item(key, cohort)
        return item.referred_only if item else 0

    def has_records_for(self, cohort: Cohort) -> bool:
        return (self.training if cohort.professionals else self.participants) is not None

    @property
    def rule(self) -> str:
        return counting_rule(self.engagement_events)


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


def _quarter_sql(day_expression: str, year_start: date) -> str:
    """The financial-year quarter (1–4) of a day number, NULL outside the year."""
    start = _days(year_start)
    end = _days(date(year_start.year + 1, 3, 31))
    day = f"(DATE '{_EPOCH}' + CAST({day_expression} AS INTEGER))"
    return (
        f"CASE WHEN {day_expression} BETWEEN {start} AND {end} "
        f"THEN ((month({day}) + 8) % 12) // 3 + 1 END"
    )


def _band_sql(key: str, bands: Iterable[Cohort]) -> str:
    """SQL for the id of the age band holding the age in ``key`` (NULL: none does)."""
    cases = []
    age = f"({key} % {_AGE_SLOTS})"
    for band in bands:
        tests = ([f"{age} >= {band.min_age}"] if band.min_age is not None else []) + (
            [f"{age} <= {band.max_age}"] if band.max_age is not None else [])
        cases.append(f"WHEN {' AND '.join(tests) or 'TRUE'} THEN {sql_literal(band.id)}")
    return f"CASE {' '.join(cases)} END" if cases else "CAST(NULL AS VARCHAR)"


def _in(events: Sequence[str]) -> str:
    if not events:
        return "FALSE"
    return f"event_type IN ({', '.join(sql_literal(kind) for kind in events)})"


_AGE = (
    "CASE WHEN date_of_birth IS NOT NULL THEN year(event_date) - year(date_of_birth) - "
    "CASE WHEN month(event_date) * 100 + day(event_date) "
    "< month(date_of_birth) * 100 + day(date_of_birth) THEN 1 ELSE 0 END "
    "ELSE age_at_event END"
)


def participant_columns(engagement_events: Sequence[str] = ENGAGEMENTS) -> list[tuple[str, str]]:
    """What table ``participants`` keeps of each row (see ``load_table``'s ``kept``): the
    intervention, the person, the event as one number (day and age) and whether its type
    counts."""
    day = f"date_diff('day', DATE '{_EPOCH}', event_date)"
    return [("intervention", "intervention"), ("person_id", "person_id"),
            ("event", f"{day} * {_AGE_SLOTS} + ({_AGE})"), ("counts", _in(engagement_events))]


def count_participants(
    connection: DuckDBPyConnection, strategy: Strategy, as_of: date
) -> tuple[list[Reached], int, list[tuple[str, int]], int]:
    """Count from table ``participants`` (columns :func:`participant_columns`): per
    intervention and age band (with the referred only), unique people by band, and unique
    people in no band."""
    periods = windows(strategy, frozenset(i.id for i in strategy.interventions))
    last = _by_key(periods, lambda period: min(period.end, as_of))
    first = _by_key(periods, lambda period: period.start)
    # per intervention and person, one number (one aggregate costs less than two): the
    # first counting event to the last day counted, or, for someone with none, the first
    # event of any type in the window lifted past every event (_ONLY_OTHERS); kept if
    # counted in the window or only referred there
    first_event = (f"min(CASE WHEN counts THEN event WHEN event >= ({first}) * {_AGE_SLOTS} "
                   f"THEN event + {_ONLY_OTHERS} END)")
    firsts = (
        f"SELECT intervention, person_id AS person, {first_event} AS first_event "
        f"FROM participants WHERE event < ({last} + 1) * {_AGE_SLOTS} "
        "GROUP BY intervention, person_id"
    )
    bands = age_bands(strategy)
    band, any_band = _band_sql("first_key", bands), _band_sql("first_any", bands)
    quarter = _quarter_sql(f"first_key // {_AGE_SLOTS}", strategy.financial_year.start)
    execute = connection.execute
    execute(
        "CREATE OR REPLACE TEMP TABLE first_engagements AS SELECT intervention, person, "
        f"CASE WHEN first_event < {_ONLY_OTHERS} THEN first_event END AS first_key, "
        f"CASE WHEN first_event >= {_ONLY_OTHERS} THEN first_event - {_ONLY_OTHERS} END "
        f"AS first_any FROM ({firsts}) WHERE first_event >= ({first}) * {_AGE_SLOTS}"
    ).fetchall()
    counted = execute(
        f"SELECT CAST(intervention AS VARCHAR), {band}, {quarter}, count(*) "
        "FROM first_engagements WHERE first_key IS NOT NULL GROUP BY ALL"
    ).fetchall()
    referred = execute(
        f"SELECT CAST(intervention AS VARCHAR), {any_band}, count(*) "
        "FROM first_engagements WHERE first_key IS NULL GROUP BY ALL"
    ).fetchall()
    unique = execute(
        f"SELECT {band}, count(*) FROM (SELECT person, min(first_key) AS first_key "
        "FROM first_engagements WHERE first_key IS NOT NULL GROUP BY person) GROUP BY ALL"
    ).fetchall()
    execute("DROP TABLE first_engagements").fetchall()
    tallies: dict[tuple[str, str], list[int]] = {}
    for item, cohort, in_quarter, count in counted:
        if cohort is None:
            continue  # an age no band holds: in the unique total only
        tally = tallies.setdefault((str(item), str(cohort)), [0] * 6)
        tally[0] += int(count)
        if in_quarter is not None:
            tally[int(in_quarter)] += int(count)
    for item, cohort, count in referred:
        if cohort is not None:
            tallies.setdefault((str(item), str(cohort)), [0] * 6)[5] += int(count)
    by_band = {str(cohort): int(count) for cohort, count in unique if cohort is not None}
    outside = sum(int(count) for cohort, count in unique if cohort is None)
    return (
        _reached(tallies),
        sum(by_band.values()) + outside,
        [(cohort.id, by_band.get(cohort.id, 0)) for cohort in bands],
        outside,
    )


def count_training(
    connection: DuckDBPyConnection, strategy: Strategy, as_of: date
) -> list[Reached]:
    """Count from table ``training``: professionals trained per intervention or strand."""
    periods = windows(strategy, training_keys(strategy))
    last = _by_key(periods, lambda period: min(period.end, as_of))
    first = _by_key(periods, lambda period: period.start)
    day = f"date_diff('day', DATE '{_EPOCH}', training_date)"
    quarter = _quarter_sql("first_day", strategy.financial_year.start)
    counted = connection.execute(
        f"SELECT CAST(intervention AS VARCHAR), {quarter} AS quarter, count(*) FROM ("
        f"SELECT intervention, min({day}) AS first_day FROM training WHERE {day} <= {last} "
        f"GROUP BY intervention, professional_id HAVING min({day}) >= {first}) GROUP BY ALL"
    ).fetchall()
    professionals = [cohort.id for cohort in cohorts(strategy) if cohort.professionals]
    tallies: dict[tuple[str, str], list[int]] = {}
    for key, in_quarter, count in counted:
        for cohort in professionals:
            tally = tallies.setdefault((str(key), cohort), [0] * 6)
            tally[0] += int(count)
            if in_quarter is not None:
                tally[int(in_quarter)] += int(count)
    return _reached(tallies)


def _reached(tallies: Mapping[tuple[str, str], Sequence[int]]) -> list[Reached]:
    return [
        Reached(key, cohort, tally[0], (tally[1], tally[2], tally[3], tally[4]), tally[5])
        for (key, cohort), tally in sorted(tallies.items())
    ]


def record_days(
    connection: DuckDBPyConnection, loaded: Sequence[str], until: date | None = None
) -> tuple[date | None, date | None]:
    """The last day any usable row records, and the last day (up to ``until``) of an event
    that counts: one after the as-of day was not counted."""
    ends: list[date] = []
    counted: list[date] = []
    if PARTICIPANTS in loaded:  # its columns: participant_columns()
        bound = "" if until is None else f" AND event // {_AGE_SLOTS} <= ?"
        end, last = connection.execute(
            f"SELECT max(event) // {_AGE_SLOTS}, max(event) FILTER (WHERE counts{bound}) "
            f"// {_AGE_SLOTS} FROM participants",
            [] if until is None else [(until - _EPOCH).days],
        ).fetchall()[0]
        ends += [_EPOCH + timedelta(days=int(end))] if end is not None else []
        counted += [_EPOCH + timedelta(days=int(last))] if last is not None else []
    if TRAINING in loaded:
        found, last = connection.execute(
            "SELECT max(training_date), max(training_date) FILTER (WHERE training_date <= ?) "
            "FROM training", [until or date.max]).fetchall()[0]
        ends += [found] if found is not None else []
        counted += [last] if last is not None else []
    return (max(ends) if ends else None, max(counted) if counted else None)


def count_targets(
    strategy: Strategy, records: Sequence[RecordSource], as_of: date | None = None,
    engagement_events: Sequence[str] = ENGAGEMENTS,
) -> TargetCounts:
    """Load the participant and training records given and count against the targets.

    ``as_of`` defaults to the last day the records cover, within the targets' windows.
    """
    events = tuple(engagement_events)
    participants = [source for source in records if source.kind == PARTICIPANTS]
    training = [source for source in records if source.kind == TRAINING]
    # DuckDB's memory is capped: ten million rows spill rather than take a gigabyte
    with records_connection("vpp-targets-") as connection:
        loaded_participants = (
            load_table(connection, PARTICIPANTS, participants, participant_schema(strategy),
                       kept=participant_columns(events))
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
        records_end, _ = record_days(connection, loaded)
        given = as_of is not None
        if as_of is None:
            as_of = min(records_end, last_window_day) if records_end else last_window_day
        last_counted = record_days(connection, loaded, as_of)[1]
        reached: list[Reached] = []
        unique, outside = 0, 0
        by_cohort = [(cohort.id, 0) for cohort in age_bands(strategy)]
        if loaded_participants is not None:
            people, unique, by_cohort, outside = count_participants(
                connection, strategy, as_of)
            reached.extend(people)
        if loaded_training is not None:
            reached.extend(count_training(connection, strategy, as_of))
    return TargetCounts(
        as_of=as_of,
        as_of_given=given,
        reached=tuple(reached),
        unique_people=unique,
        unique_by_cohort=tuple(by_cohort),
        participants=loaded_participants,
        training=loaded_training,
        engagement_events=events,
        records_end=records_end,
        last_counted=last_counted,
        unique_outside_bands=outside,
    )


def engagement_events(params: Mapping[str, object]) -> tuple[str, ...]:
    """The pack's ``engagement_events`` parameter (event types), or the default."""
    value = params.get("engagement_events")
    if value is None:
        return ENGAGEMENTS
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise UsageError(f"engagement_events: expected a list of event types, got {value!r}")
    events = tuple(str(event).strip().lower() for event in value)
    unknown = sorted(set(events) - EVENT_TYPES)
    if unknown:
        raise UsageError(f"engagement_events: unknown event type {unknown[0]!r} "
                         f"(event types: {', '.join(sorted(EVENT_TYPES))})")
    return events


def counts_for(context: MetricContext,
               events: Sequence[str] = ENGAGEMENTS) -> TargetCounts:
    """This run's counts, computed once per set of counting events and shared by every
    target metric and check."""
    sources = (*context.records_of(PARTICIPANTS), *context.records_of(TRAINING))
    key = tuple((s.kind, str(s.path), tuple(sorted(s.columns.items()))) for s in sources)
    return context.memo(
        ("targets", key, context.as_of, tuple(events)),
        lambda: count_targets(context.strategy, sources, context.as_of, events),
    )
