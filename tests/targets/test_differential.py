"""The product's target counts against a plain Python count of the documented rules
(:mod:`tests.targets.plain_count`), on record sets hypothesis generates, and metamorphic
properties: shuffling rows, splitting a file in two and adding rows outside every window
change no count.

Each hypothesis example holds ``SETS`` independent record sets, each over its own three
interventions (own windows, own people, partner spellings, bad rows, duplicates, referrals,
birthdays on the day, window edges) and the example's age bands; the product counts them in
one run, which keeps a run's fixed cost (a DuckDB connection, the file checks) off each set.
Every line of every set is compared. The normal run generates ``DIFFERENTIAL_SETS`` (2,000)
record sets; ``VPP_DIFFERENTIAL_EXAMPLES=N`` asks for N.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vpp_plugins.targets.counting import TargetCounts, count_targets

from tests.targets.plain_count import PEOPLE_COLUMNS, Plain, plain_count
from vpp_core import Cohort, Period, Strategy
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Target, TargetRow, TargetsTable
from vpp_core.plugin_api.context import RecordSource

SETS = 10  # record sets per example
DIFFERENTIAL_SETS = int(os.environ.get("VPP_DIFFERENTIAL_EXAMPLES", "2000"))
YEAR = Period(date(2024, 4, 1), date(2025, 3, 31))
TRAINING_COLUMNS = ("professional_id", "intervention", "training_date", "organisation", "course")
EXAMPLE = bundled_strategy().parent.parent / "non-compliant-example" / "strategy.toml"
BASE = load_strategy(EXAMPLE)

days = st.dates(date(2024, 1, 1), date(2025, 6, 30))  # the as-of day, when given


@st.composite
def bands(draw: st.DrawFn) -> tuple[Cohort, ...]:
    """One to four age bands, apart, with gaps and open ends, and professionals."""
    cuts = sorted(draw(st.lists(st.integers(5, 40), min_size=1, max_size=7, unique=True)))
    found: list[Cohort] = []
    low: int | None = None if draw(st.booleans()) else cuts[0]
    for index, cut in enumerate(cuts[1:] if low is not None else cuts):
        if low is not None and cut >= low and len(found) < 4:
            found.append(Cohort(f"band-{index}", f"band {index}", low, cut))
        low = cut + 1 + draw(st.sampled_from([0, 0, 0, 2]))  # sometimes a gap
    if not found or draw(st.booleans()):
        found.append(Cohort("open", "open", low if low is not None else 30))
    return (*found, Cohort("trained", "professionals trained", professionals=True))


@st.composite
def windows(draw: st.DrawFn) -> Period | None:
    if draw(st.booleans()):
        return None
    start = draw(st.dates(YEAR.start, date(2025, 1, 31)))
    return Period(start, draw(st.dates(start, YEAR.end)))


def strategy_for(cohorts: Sequence[Cohort], own: Sequence[Period | None]) -> Strategy:
    """The example strategy with ``SETS`` × 3 interventions and a targets table over them."""
    template = BASE.interventions[0]
    interventions = tuple(
        attrs.evolve(template, id=f"s{n}-{which}", name=f"Set {n} {which.title()} Club")
        for n in range(SETS) for which in ("alpha", "beta", "gamma"))
    rows = tuple(
        TargetRow(label=item.name, intervention=item.id, window=window,
                  targets=tuple(Target(cohort.id, 10) for cohort in cohorts))
        for item, window in zip(interventions, own, strict=True))
    return attrs.evolve(BASE, interventions=interventions,
                        targets=TargetsTable(window=YEAR, rows=rows, cohorts=tuple(cohorts)))


def _spell(rnd: random.Random, key: str, name: str, bad: bool) -> str:
    good = [key, key, key, name, name.upper(), f" {name.lower()} ", name.replace(" ", "-")]
    return rnd.choice(good + (["Somewhere Else", ""] if bad else []))


def _written(rnd: random.Random, day: date, bad: bool) -> str:
    good = [day.isoformat(), day.isoformat(), day.strftime("%d/%m/%Y")]
    return rnd.choice(good + ([f"{day.year}-02-30", "someday", ""] if bad else []))


def _day(rnd: random.Random, edges: Sequence[date]) -> date:
    """A window edge (or a day either side) half the time, else any day."""
    if rnd.random() < 0.5:
        return rnd.choice(edges)
    return date(2024, 1, 1) + timedelta(days=rnd.randrange(547))  # to 30 June 2025


def people_rows(rnd: random.Random, n: int, edges: Sequence[date]) -> list[list[str]]:
    """Participant rows for set ``n``: six people over its three interventions; a row in
    six may have problems, a row in ten is written twice."""
    rows: list[list[str]] = []
    for _ in range(rnd.randrange(13)):
        bad = rnd.randrange(6) == 0
        which = rnd.choice(["alpha", "beta", "gamma"])
        day = _day(rnd, edges)
        age = rnd.randrange(3, 46)
        # born ``age`` years before, on the day or a day either side of it (29 February:
        # the 28th)
        born = date(day.year - age, day.month, min(day.day, 28) if day.month == 2
                    else day.day) + timedelta(days=rnd.choice([0, 0, -1, 1]))
        birth, years = rnd.choice([
            (born.isoformat(), ""), (born.isoformat(), ""), ("", str(age)),
            (born.isoformat(), str(age)), (f"{rnd.choice([2000, 2004, 2008])}-02-29", ""),
        ] + ([("", ""), ("", "x"), ("", "130"), ((day + timedelta(days=3)).isoformat(), "")]
             if bad else []))
        row = [rnd.choice([f"S{n}P{k}" for k in range(6)] + [f" S{n}P1 "]
                          + ([""] if bad else [])),
               _spell(rnd, f"s{n}-{which}", f"Set {n} {which.title()} Club", bad),
               _written(rnd, day, bad), birth, years,
               rnd.choice(["referral", "referral", "start", "session", "exit", "Start "]
                          + (["call", ""] if bad else [])),
               "north"]
        rows.append(row)
        if rnd.randrange(10) == 0:
            rows.append(list(row))  # an exact duplicate
    return rows


def training_rows(rnd: random.Random, n: int, edges: Sequence[date]) -> list[list[str]]:
    rows = []
    for _ in range(rnd.randrange(5)):
        bad = rnd.randrange(6) == 0
        which = rnd.choice(["alpha", "beta", "gamma"])
        rows.append([rnd.choice([f"S{n}T{k}" for k in range(3)] + ([""] if bad else [])),
                     _spell(rnd, f"s{n}-{which}", f"Set {n} {which.title()} Club", bad),
                     _written(rnd, _day(rnd, edges), bad), "Example Council", "Course"])
    return rows


@attrs.frozen
class Case:
    strategy: Strategy
    people: list[list[str]]
    training: list[list[str]]
    as_of: date | None


@st.composite
def cases(draw: st.DrawFn) -> Case:
    cohorts = draw(bands())
    own = [draw(windows()) for _ in range(SETS * 3)]
    strategy = strategy_for(cohorts, own)
    edges = sorted({day for window in [YEAR, *(w for w in own if w)]
                    for edge in (window.start, window.end)
                    for day in (edge - timedelta(days=1), edge, edge + timedelta(days=1))})
    rnd = draw(st.randoms(use_true_random=False))
    people: list[list[str]] = []
    training: list[list[str]] = []
    for n in range(SETS):
        people += people_rows(rnd, n, edges)
        training += training_rows(rnd, n, edges)
    as_of = draw(st.one_of(st.none(), st.none(), st.sampled_from(edges), days))
    return Case(strategy, people, training, as_of)


def write(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def product(case: Case, folder: Path, people: Sequence[Sequence[Sequence[str]]],
            training: Sequence[Sequence[str]], as_of: date | None) -> TargetCounts:
    """Count with the product: ``people`` as one file per part."""
    sources = [RecordSource("participants", write(folder / f"participants-{i}.csv",
                                                  PEOPLE_COLUMNS, part))
               for i, part in enumerate(people)]
    sources.append(RecordSource("training", write(folder / "training.csv", TRAINING_COLUMNS,
                                                  training)))
    return count_targets(case.strategy, sources, as_of)


def counted(counts: TargetCounts) -> dict[str, object]:
    """The product's counts in the plain count's terms."""
    return {
        "as_of": counts.as_of,
        "lines": {(item.key, item.cohort): (item.count, item.quarters, item.referred_only)
                  for item in counts.reached},
        "unique": counts.unique_people,
        "unique_by_band": dict(counts.unique_by_cohort),
        "outside": counts.unique_outside_bands,
    }


def expected(plain: Plain) -> dict[str, object]:
    return {"as_of": plain.as_of, "lines": plain.lines, "unique": plain.unique,
            "unique_by_band": plain.unique_by_band, "outside": plain.outside}


@settings(max_examples=max(1, DIFFERENTIAL_SETS // SETS), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_the_product_counts_as_the_plain_rules_do(case: Case) -> None:
    with TemporaryDirectory() as folder:
        here = Path(folder)
        counts = product(case, here, [case.people], case.training, case.as_of)
        plain = plain_count(case.strategy, [here / "participants-0.csv"],
                            [here / "training.csv"], case.as_of)
    assert counted(counts) == expected(plain)
    assert counts.participants is not None and counts.training is not None
    assert {"participants": (counts.participants.rows_read, counts.participants.rows_used),
            "training": (counts.training.rows_read, counts.training.rows_used)} == plain.rows
    listed = sorted((row.row, row.reason) for table in (counts.participants, counts.training)
                    for row in table.rejected)
    assert listed == sorted((row, reason) for _, row, reason in plain.rejected)


@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases(), st.randoms(use_true_random=False), st.integers(0, 30))
def test_shuffling_splitting_and_rows_outside_every_window_change_no_count(
    case: Case, shuffler: random.Random, cut: int
) -> None:
    with TemporaryDirectory() as folder:
        here = Path(folder)
        base = product(case, here, [case.people], case.training, case.as_of)
        first = counted(base)
        # the same rows shuffled, in two files
        rows = list(case.people)
        shuffler.shuffle(rows)
        cut = min(cut, len(rows))
        training = list(case.training)
        shuffler.shuffle(training)
        assert counted(product(case, here, [rows[:cut], rows[cut:]], training,
                               case.as_of)) == first
        # new people seen only before every window, or only after every window and the
        # as-of day (counted to the same day)
        table = case.strategy.targets
        assert table is not None
        after = max([row.window.end for row in table.rows if row.window] + [YEAR.end,
                                                                          base.as_of])
        outside = [[f"NEW{k}", "s0-alpha", day.isoformat(), "2010-01-01", "", kind, "north"]
                   for k, (day, kind) in enumerate([
                       (YEAR.start - timedelta(days=1), "start"),
                       (date(2023, 1, 1), "referral"),
                       (after + timedelta(days=1), "start"),
                   ])]
        assert counted(product(case, here, [rows, outside], training, base.as_of)) == first
