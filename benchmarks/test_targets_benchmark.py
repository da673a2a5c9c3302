"""Counting new people reached from a million engagement rows: vpp-core against
hand-written DuckDB SQL and pandas computing the same counts, in the same run.

Run (from the checkout, after ``pip install -e '.[test]'``)::

    .venv/bin/pytest benchmarks/test_targets_benchmark.py -s

``VPP_BENCHMARK_ROWS`` sets the size (default 1,000,000); for ten million rows, time
ours alone: ``VPP_BENCHMARK_ROWS=10000000 .venv/bin/pytest benchmarks/test_targets_benchmark.py
-s -k "ours or memory"``. The last test asserts the implementations agree on every count
(never on time) and prints the ratios, of wall time (best round) and of processor time
(all threads; steadier when other work shares the machine), and each one's peak memory,
measured in a fresh process (resident set size, DuckDB's memory included).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from vpp_plugins.targets.generate import generate

from benchmarks.references import Counts, hand_sql, ours, with_pandas
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy

ROWS = int(os.environ.get("VPP_BENCHMARK_ROWS", "1000000"))
ROUNDS = int(os.environ.get("VPP_BENCHMARK_ROUNDS", "5"))
AS_OF = date(2025, 3, 31)
IMPLEMENTATIONS: dict[str, Callable[[Strategy, Path, date], Counts]] = {
    "ours": ours, "hand-sql": hand_sql, "pandas": with_pandas,
}
COUNTS: dict[str, Counts] = {}
TIMES: dict[str, float] = {}
CPU: dict[str, float] = {}  # processor time, all threads: steadier than wall time on a busy machine


@pytest.fixture(scope="module")
def strategy() -> Strategy:
    return load_strategy(bundled_strategy())


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory, strategy: Strategy) -> Path:
    folder = tmp_path_factory.mktemp("records")
    generate(strategy, folder, rows=ROWS, training_rows=1_000, seed=2024)
    return folder / "participants.csv"


@pytest.mark.parametrize("name", list(IMPLEMENTATIONS))
def test_count(name: str, benchmark: pytest.FixtureRequest, strategy: Strategy,
               records: Path) -> None:
    benchmark.group = f"targets: {ROWS:,} engagement rows"  # type: ignore[attr-defined]
    benchmark.extra_info["rows"] = ROWS  # type: ignore[attr-defined]
    rounds = 1 if ROWS > 2_000_000 else ROUNDS

    def timed() -> Counts:
        started = time.process_time()
        counts = IMPLEMENTATIONS[name](strategy, records, AS_OF)
        CPU[name] = min(CPU.get(name, float("inf")), time.process_time() - started)
        return counts

    COUNTS[name] = benchmark.pedantic(timed, rounds=rounds, iterations=1)  # type: ignore[attr-defined]
    TIMES[name] = benchmark.stats.stats.min  # type: ignore[attr-defined]
    assert COUNTS[name][("unique", "all")] > 0


def _peak_mib(implementation: str, records: Path) -> int:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.peak_memory", implementation, str(records)],
        cwd=root, capture_output=True, text=True, check=True,
    )
    return int(done.stdout.strip())


def test_memory_and_agreement(records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ran = [name for name in IMPLEMENTATIONS if name in COUNTS]
    if not ran:
        pytest.skip("no implementation was timed in this run")
    for name in ran[1:]:
        assert COUNTS[name] == COUNTS[ran[0]], f"{name} disagrees with {ran[0]}"
    lines = [f"{ROWS:,} engagement rows ({records.stat().st_size / 2**20:.0f} MiB of CSV); "
             f"best of the rounds:"]
    lines += [f"  {name:9} {TIMES[name]:7.3f} s wall, {CPU[name]:7.3f} s processor"
              for name in ran]
    if {"ours", "hand-sql"} <= set(TIMES):
        lines.append(f"  ours / hand-written SQL = {TIMES['ours'] / TIMES['hand-sql']:.2f} wall, "
                     f"{CPU['ours'] / CPU['hand-sql']:.2f} processor  (goal: at most 1.5)")
    if {"ours", "pandas"} <= set(TIMES):
        lines.append(f"  pandas / ours = {TIMES['pandas'] / TIMES['ours']:.2f} wall, "
                     f"{CPU['pandas'] / CPU['ours']:.2f} processor  (goal: at least 3)")
    baseline = _peak_mib("imports", records)
    lines.append(f"peak resident memory, fresh process (imports alone: {baseline} MiB):")
    for name in ran:
        lines.append(f"  {name:9} {_peak_mib(name, records):5d} MiB  (goal for ours: under 500)")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
