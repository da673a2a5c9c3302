"""Batch throughput: ``vpp audit`` over 1,000 generated strategies with ``--jobs 2`` against
the same batch with ``--jobs 1``, each a whole process printing its text report (to a pipe),
alternated round by round so that both see the same machine. Goal: ``--jobs 2`` at least
1.7× the throughput of ``--jobs 1``. The default packs run (every national rule).

Writing the batch's JSON report is left out of the timing: for 1,000 strategies it is about
290 MB of indented JSON, written by one process, and would measure the JSON encoder.

Run on demand (not part of the test suite)::

    .venv/bin/pytest benchmarks/test_batch_bench.py --benchmark-columns=min,median,max
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.processes import ENVIRONMENT
from vpp_core.loading.bundled import bundled_strategy

STRATEGIES = 1000
ROUNDS = 3


def vpp_command() -> list[str]:
    """The installed ``vpp`` script beside this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("vpp")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vpp_core.cli.main"]


def generate(folder: Path, count: int) -> list[Path]:
    """``count`` strategy folders made from the bundled fixture: each its own partnership
    name and short name, and its own amounts for the pilot interventions and the total."""
    text = bundled_strategy().read_text(encoding="utf-8")
    made = []
    for index in range(count):
        changed = (text.replace("Thames Valley VPP", f"Generated VRU {index:04d}")
                   .replace("amount = { amount = 832500", f"amount = {{ amount = {832500 + index}")
                   .replace("stated_total = { amount = 1510000",
                            f"stated_total = {{ amount = {1510000 + 10 * index}"))
        strategy = folder / f"vru-{index:04d}" / "strategy.toml"
        strategy.parent.mkdir(parents=True)
        strategy.write_text(changed, encoding="utf-8")
        made.append(strategy)
    return made


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    generate(folder, STRATEGIES)
    return folder




def _audit(folder: Path, jobs: int, summaries: list[str]) -> Callable[[], None]:
    command = [*vpp_command(), "audit", str(folder), "--jobs", str(jobs)]

    def run() -> None:
        done = subprocess.run(command, capture_output=True, text=True, check=False,
                              env=ENVIRONMENT)
        assert done.returncode in (0, 1), done.stderr[-2000:]
        summaries.append(done.stdout[done.stdout.rindex("\nStrategies\n"):])

    return run


def test_batch_throughput_jobs_2_against_jobs_1(
    benchmark: Any, batch: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    one_summaries: list[str] = []
    two_summaries: list[str] = []
    one_job = _audit(batch, 1, one_summaries)
    reference: list[float] = []

    def timed_reference() -> None:  # pedantic's untimed setup: --jobs 1, just before each round
        start = time.perf_counter()
        one_job()
        reference.append(time.perf_counter() - start)

    benchmark.pedantic(_audit(batch, 2, two_summaries), setup=timed_reference,
                       rounds=ROUNDS, iterations=1)
    # Both audited every strategy, with the same results.
    assert len(set(one_summaries + two_summaries)) == 1
    assert f"all {STRATEGIES} strategies" in two_summaries[0]
    subject = benchmark.stats.stats
    ratio_min = min(reference) / subject.min
    ratio_median = statistics.median(reference) / subject.median
    benchmark.extra_info.update({
        "strategies": STRATEGIES,
        "jobs_1_seconds": reference,
        "throughput_ratio_min": round(ratio_min, 3),
        "throughput_ratio_median": round(ratio_median, 3),
    })
    with capsys.disabled():
        print(f"\nbatch of {STRATEGIES}: --jobs 1 min {min(reference):.2f} s, --jobs 2 min "
              f"{subject.min:.2f} s; throughput ratio {ratio_min:.2f}× (min), "
              f"{ratio_median:.2f}× (median); goal ≥ 1.7×")
