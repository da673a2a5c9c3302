"""``vpp targets`` as a whole process against the shortest DuckDB query an analyst would
write for the same counts, also as a whole process; then Parquet against CSV.

The analyst's query (:data:`ANALYST_SQL`) trusts the file: no row checks, no account of
rows left out, no quarters, no referred-only count — it reads the CSV, parses the two date
formats the partner writes, takes each person's first non-referral day per intervention
and their age that day, and counts those in each intervention's window by age band. It
runs in ``python -c`` with only DuckDB imported. ``vpp targets`` reads, checks and counts
every row, and prints the whole report (JSON). Both are timed round by round, alternated,
as processes: wall time and processor time (the child's user + system, all threads, from
``wait4``) and peak resident memory (the child's ``ru_maxrss``). Ratios are reported, never
asserted; the counts of the two must agree on every line.

Run on demand (not part of the test suite)::

    .venv/bin/pytest benchmarks/test_targets_process_benchmark.py -s
    # ten million rows, one round (peak memory):
    VPP_BENCHMARK_ROWS=10000000 VPP_BENCHMARK_ROUNDS=1 \\
        .venv/bin/pytest benchmarks/test_targets_process_benchmark.py -s
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import attrs
import pytest
from vpp_plugins.targets.generate import generate
from vpp_plugins.targets.lines import windows

from benchmarks.processes import ENVIRONMENT, floor, floor_line
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy

ROWS = int(os.environ.get("VPP_BENCHMARK_ROWS", "1000000"))
ROUNDS = int(os.environ.get("VPP_BENCHMARK_ROUNDS", "5"))
AS_OF = date(2025, 3, 31)
TIME = "/usr/bin/time"  # GNU time, for a command's own peak memory

ANALYST_SQL = """
WITH e AS (
  SELECT lower(intervention) AS intervention, person_id, day,
         coalesce(date_part('year', age(day, dob)), age_at_event) AS age
  FROM ({source}) WHERE event_type <> 'referral'
), firsts AS (
  SELECT intervention, person_id, arg_min(age, (day, age)) AS age
  FROM e JOIN (VALUES {windows}) AS w(intervention, opens, closes) USING (intervention)
  WHERE day <= closes GROUP BY ALL HAVING min(day) >= any_value(opens)
)
SELECT intervention, CASE WHEN age <= 24 THEN '24-and-under' ELSE '25-and-over' END, count(*)
FROM firsts GROUP BY ALL
"""
#: The file as the analyst reads it: CSV as text, with both date formats; Parquet typed.
CSV_SOURCE = """
  SELECT * REPLACE (try_cast(age_at_event AS INTEGER) AS age_at_event),
         coalesce(try_cast(event_date AS DATE),
                  try_strptime(event_date, '%d/%m/%Y')::DATE) AS day,
         coalesce(try_cast(date_of_birth AS DATE),
                  try_strptime(date_of_birth, '%d/%m/%Y')::DATE) AS dob
  FROM read_csv('{path}', all_varchar = true, ignore_errors = true)"""
PARQUET_SOURCE = "SELECT *, event_date AS day, date_of_birth AS dob FROM read_parquet('{path}')"


def analyst_sql(strategy: Strategy, path: Path) -> str:
    periods = windows(strategy, frozenset(item.id for item in strategy.interventions))
    spans = ", ".join(f"('{key}', DATE '{period.start}', DATE '{min(period.end, AS_OF)}')"
                      for key, period in sorted(periods.items()))
    source = PARQUET_SOURCE if path.suffix == ".parquet" else CSV_SOURCE
    return ANALYST_SQL.format(source=source.format(path=path), windows=spans)


@attrs.frozen
class Run:
    wall: float
    processor: float
    peak_mib: float
    out: str


def run_measured(command: Sequence[str]) -> Run:
    """Run ``command`` to its end: wall time, the processor time of it and its children
    (user + system, all threads, from ``wait4``) and its peak resident memory, as GNU
    ``time`` reads it for the command alone (``%M``: a process started from this one
    would carry this one's peak)."""
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        pid = os.posix_spawn(TIME, [TIME, "-f", "%M", "-o", peak.name, *command],
                             ENVIRONMENT, file_actions=[
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
        ])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        assert code in (0, 1), f"{command[:3]} exited {code}"
        out.seek(0)
        text = out.read().decode()
        peak_kib = int(peak.read().split()[-1])
    return Run(wall, usage.ru_utime + usage.ru_stime, peak_kib / 1024, text)


def _vpp() -> list[str]:
    script = Path(sys.executable).with_name("vpp")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vpp_core.cli.main"]


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return load_strategy(bundled_strategy())


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory, strategy: Strategy) -> dict[str, Path]:
    made = {}
    for form in ("csv", "parquet"):
        folder = tmp_path_factory.mktemp(form)
        made[form] = generate(strategy, folder, rows=ROWS, training_rows=1_000, seed=2024,
                              form=form).participants
    return made


def ours(strategy_path: Path, records: Path) -> list[str]:
    return [*_vpp(), "targets", str(strategy_path), "--records", f"participants={records}",
            "--as-of", str(AS_OF), "--format", "json"]


#: The analyst's process, the query given as its argument. No progress bar: DuckDB draws
#: one on standard output for a query past 2 s (ten million rows), where the counts are read.
ANALYST = ("import duckdb, json, sys; duckdb.execute('SET enable_progress_bar = false'); "
           "print(json.dumps(duckdb.sql(sys.argv[1]).fetchall()))")


def analyst(sql: str, code: str = ANALYST) -> list[str]:
    return [sys.executable, "-c", code, sql]


def _ours_counts(out: str) -> tuple[dict[tuple[str, str], int], int]:
    """The people lines ``vpp targets`` printed, and how many rows it left out."""
    report = json.loads(out)
    ids = {"24 and under": "24-and-under", "25 and over": "25-and-over"}
    lines = {(line["intervention"], ids[line["cohort"]]): line["reached"]
             for line in report["lines"] if line["cohort"] in ids}
    return lines, sum(read - used for _, read, used in report["rows_read"])


def _best(runs: list[Run]) -> Run:
    return Run(min(r.wall for r in runs), min(r.processor for r in runs),
               max(r.peak_mib for r in runs), runs[0].out)


def test_vpp_targets_against_the_analysts_query(
    strategy: Strategy, files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = bundled_strategy()
    lines = [f"{ROWS:,} participant rows; best of {ROUNDS} rounds, alternated; "
             f"load average at the start {os.getloadavg()[0]:.1f}"]
    results: dict[str, Run] = {}
    for form, records in files.items():
        sql = analyst_sql(strategy, records)
        mine, theirs, least = [], [], []
        for _ in range(ROUNDS):
            theirs.append(run_measured(analyst(sql)))
            mine.append(run_measured(ours(path, records)))
            least.append(run_measured(analyst(sql, floor(ANALYST))))
        results[f"ours {form}"], results[f"sql {form}"] = _best(mine), _best(theirs)
        results[f"floor {form}"] = _best(least)
        counted = {(key, cohort): n for key, cohort, n in json.loads(theirs[0].out)}
        shown, left_out = _ours_counts(mine[0].out)
        apart = sum(abs(n - counted.get(line, 0)) for line, n in shown.items())
        # the query trusts the file: it may count a row we leave out, and nothing else
        assert apart <= left_out, f"{form}: the counts differ by {apart}"
        lines.append(f"  {form}: counts on the {len(shown)} target lines differ by {apart} "
                     f"in all ({left_out} rows left out by vpp targets, counted by the query)")
    lines.append(f"  {'':18} {'wall s':>8} {'processor s':>12} {'peak MiB':>9}")
    for name, result in results.items():
        lines.append(f"  {name:18} {result.wall:8.2f} {result.processor:12.2f} "
                     f"{result.peak_mib:9.0f}")
    for form in files:
        ours_run, sql_run = results[f"ours {form}"], results[f"sql {form}"]
        lines.append(f"  {form}: vpp targets / analyst's query = "
                     f"{ours_run.wall / sql_run.wall:.2f} wall, "
                     f"{ours_run.processor / sql_run.processor:.2f} processor "
                     "(goal: at most 1.3)")
        bare = results[f"floor {form}"]
        lines.append(f"  {form}: " + floor_line(1.3, (sql_run.wall, sql_run.processor),
                                                (bare.wall, bare.processor)))
    lines.append(f"  vpp targets, Parquet / CSV = "
                 f"{results['ours parquet'].wall / results['ours csv'].wall:.2f} wall, "
                 f"{results['ours parquet'].processor / results['ours csv'].processor:.2f} "
                 "processor (goal: at most 1)")
    lines.append(f"  the analyst's query, Parquet / CSV = "
                 f"{results['sql parquet'].wall / results['sql csv'].wall:.2f} wall")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
