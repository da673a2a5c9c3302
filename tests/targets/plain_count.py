"""Target counting written plainly in Python from the documented rules, to check the product.

Deliberately independent of the SQL: it reads the rows with the ``csv`` module and applies,
one person at a time, the rules as the README, the targets pack and the counting module's
docstring state them:

- a row is left out when a required value is missing, a value cannot be read as its type,
  a value is not one of those allowed (an intervention matches the strategy's id or name
  ignoring case, spaces and punctuation), or a row rule fails; every reason is named, in
  column order, joined by ``; ``;
- the as-of day is the one given, else the last day any usable row records, no later than
  the last target window's end (that end when no row is usable);
- a person counts once for an intervention if their first counting event (to the earlier
  of the window's end and the as-of day) falls in the window; their band is the one holding
  their age that day (date of birth when given, else age at the event; of several rows that
  day, the lowest age); people with no counting event to that day but some event in the
  window are referred only, in the band of their first event in the window;
- professionals count once per training key the same way; unique people are each person's
  earliest counted first engagement.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

import attrs

from vpp_core import Period, Strategy

EVENT_TYPES = ("referral", "start", "session", "exit")
ENGAGES = frozenset({"start", "session", "exit"})
PEOPLE_COLUMNS = ("person_id", "intervention", "event_date", "date_of_birth", "age_at_event",
                  "event_type", "local_partnership")


@attrs.frozen
class Plain:
    """What the plain count finds, in the product's terms."""

    as_of: date
    lines: dict[tuple[str, str], tuple[int, tuple[int, int, int, int], int]]
    unique: int
    unique_by_band: dict[str, int]
    outside: int
    rows: dict[str, tuple[int, int]]  # kind → (read, used)
    rejected: list[tuple[str, int, str]]  # (file, row, reasons)


@attrs.frozen
class _Event:
    person: str
    key: str
    day: date
    age: int
    counts: bool


def _loose(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch in "abcdefghijklmnopqrstuvwxyz0123456789")


def _matcher(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for spelling, key in pairs:
        found.setdefault(_loose(spelling), set()).add(key)
    return {spelling: keys.pop() for spelling, keys in found.items() if len(keys) == 1}


def _day(text: str) -> date | None:
    """A date as the loader reads one: YYYY-MM-DD or DD/MM/YYYY, 1900 to 2099."""
    text = text.strip()
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, form).date()
        except ValueError:
            continue
        return day if date(1900, 1, 1) <= day <= date(2099, 12, 31) else None
    return None


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\s*[+-]?[0-9]+\s*", text) else None


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _who_and_which(row: dict[str, str], who: str, known: dict[str, str],
                   names: dict[str, str], reasons: list[str]) -> tuple[str, str | None]:
    """The row's person (column ``who``) and intervention key, noting what is wrong."""
    person = (row[who] or "").strip()
    if not person:
        reasons.append(f'missing "{who}"')
    spelled = (row["intervention"] or "").strip()
    key = known.get(spelled.lower()) or names.get(_loose(spelled))
    if spelled and key is None:
        reasons.append('unknown "intervention"')
    if not spelled:
        reasons.append('missing "intervention"')
    return person, key


def _check_person(row: dict[str, str], known: dict[str, str], names: dict[str, str],
                  engaging: frozenset[str]) -> tuple[list[str], _Event | None]:
    """The reasons a participant row is left out (none: the event it records)."""
    reasons: list[str] = []
    person, key = _who_and_which(row, "person_id", known, names, reasons)
    values: dict[str, object] = {}
    for column in ("event_date", "date_of_birth"):
        text = row[column] or ""
        values[column] = _day(text)
        if values[column] is None and text.strip():
            reasons.append(f'bad date in "{column}"')
        if column == "event_date" and not text.strip():
            reasons.append('missing "event_date"')
    age_text = row["age_at_event"] or ""
    age = _whole(age_text)
    if age is None and age_text.strip():
        reasons.append('bad number in "age_at_event"')
    kind = (row["event_type"] or "").strip()
    if kind and kind.lower() not in EVENT_TYPES:
        reasons.append('unknown "event_type"')
    if not kind:
        reasons.append('missing "event_type"')
    born, day = values["date_of_birth"], values["event_date"]
    if not (row["date_of_birth"] or "").strip() and not age_text.strip():
        reasons.append('missing "date_of_birth" or "age_at_event"')
    if isinstance(born, date) and isinstance(day, date) and born > day:
        reasons.append("date of birth after the event")
    if age is not None and not 0 <= age <= 120:
        reasons.append("age at the event outside 0 to 120")
    if reasons:
        return reasons, None
    assert isinstance(day, date) and key is not None
    years = _age(born, day) if isinstance(born, date) else age
    assert years is not None
    return [], _Event(person, key, day, years, kind.lower() in engaging)


def _check_training(row: dict[str, str], known: dict[str, str], names: dict[str, str],
                    engaging: frozenset[str]) -> tuple[list[str], _Event | None]:
    reasons: list[str] = []
    person, key = _who_and_which(row, "professional_id", known, names, reasons)
    text = row["training_date"] or ""
    day = _day(text)
    if day is None and text.strip():
        reasons.append('bad date in "training_date"')
    if not text.strip():
        reasons.append('missing "training_date"')
    if reasons:
        return reasons, None
    assert day is not None and key is not None
    return [], _Event(person, key, day, 0, True)


def _windows(strategy: Strategy) -> tuple[dict[str, Period], Period, date]:
    table = strategy.targets
    assert table is not None
    own = {row.intervention or row.strand or "": row.window or table.window
           for row in table.rows}
    last = max((own[row.intervention or row.strand or ""].end for row in table.rows
                if row.targets), default=strategy.financial_year.end)
    return own, table.window, last


def _quarter(day: date, strategy: Strategy) -> int | None:
    year = strategy.financial_year
    if not year.start <= day <= year.end:
        return None
    return (day.month + 8) % 12 // 3 + 1


def plain_count(strategy: Strategy, participants: Sequence[Path], training: Sequence[Path],
                as_of: date | None = None, engaging: frozenset[str] = ENGAGES) -> Plain:
    """Count as the rules say: see the module docstring."""
    table = strategy.targets
    assert table is not None
    people_keys = {item.id: item.id for item in strategy.interventions}
    people_names = _matcher((spelling, item.id) for item in strategy.interventions
                            for spelling in (item.id, item.name))
    training_keys = dict(people_keys) | {strand.id: strand.id for strand in strategy.strands}
    training_names = _matcher(
        [(spelling, item.id) for item in strategy.interventions
         for spelling in (item.id, item.name)]
        + [(spelling, strand.id) for strand in strategy.strands
           for spelling in (strand.id, strand.name)])
    rejected: list[tuple[str, int, str]] = []
    rows: dict[str, tuple[int, int]] = {}
    events: list[_Event] = []
    trained: list[_Event] = []
    for kind, paths, check, keys, names, into in (
        ("participants", participants, _check_person, people_keys, people_names, events),
        ("training", training, _check_training, training_keys, training_names, trained),
    ):
        read = used = 0
        for path in paths:
            for number, row in enumerate(_read(path), start=2):
                read += 1
                reasons, event = check(row, keys, names, engaging)
                if event is None:
                    rejected.append((str(path), number, "; ".join(reasons)))
                    continue
                used += 1
                into.append(event)
        if paths:
            rows[kind] = (read, used)
    own, default, last_end = _windows(strategy)
    days = [event.day for event in events + trained]
    if as_of is None:
        as_of = min(max(days), last_end) if days else last_end
    bands = [cohort for cohort in table.cohorts if not cohort.professionals]
    professionals = [cohort.id for cohort in table.cohorts if cohort.professionals]

    def band(age: int) -> str | None:
        return next((cohort.id for cohort in bands if cohort.holds(age)), None)

    lines: dict[tuple[str, str], list[int]] = {}
    firsts: dict[str, tuple[date, int]] = {}
    pairs = sorted({(event.key, event.person) for event in events})
    for key, person in pairs:
        window = own.get(key, default)
        last = min(window.end, as_of)
        mine = [event for event in events
                if event.key == key and event.person == person and event.day <= last]
        counting = [event for event in mine if event.counts]
        if counting:
            first = min((event.day, event.age) for event in counting)
            if first[0] < window.start:
                continue  # continuing
            cohort = band(first[1])
            if person not in firsts or first < firsts[person]:
                firsts[person] = first
            if cohort is None:
                continue
            tally = lines.setdefault((key, cohort), [0, 0, 0, 0, 0, 0])
            tally[0] += 1
            quarter = _quarter(first[0], strategy)
            if quarter:
                tally[quarter] += 1
            continue
        in_window = [(event.day, event.age) for event in mine if event.day >= window.start]
        if in_window:
            cohort = band(min(in_window)[1])
            if cohort is not None:
                lines.setdefault((key, cohort), [0, 0, 0, 0, 0, 0])[5] += 1
    for key, person in sorted({(event.key, event.person) for event in trained}):
        window = own.get(key, default)
        last = min(window.end, as_of)
        mine = [event.day for event in trained
                if event.key == key and event.person == person and event.day <= last]
        if not mine or min(mine) < window.start:
            continue
        for cohort in professionals:
            tally = lines.setdefault((key, cohort), [0, 0, 0, 0, 0, 0])
            tally[0] += 1
            quarter = _quarter(min(mine), strategy)
            if quarter:
                tally[quarter] += 1
    by_band = {cohort.id: 0 for cohort in bands}
    outside = 0
    for _, age in firsts.values():
        cohort = band(age)
        if cohort is None:
            outside += 1
        else:
            by_band[cohort] += 1
    return Plain(
        as_of=as_of,
        lines={line: (t[0], (t[1], t[2], t[3], t[4]), t[5]) for line, t in lines.items()},
        unique=len(firsts),
        unique_by_band=by_band,
        outside=outside,
        rows=rows,
        rejected=sorted(rejected),
    )
