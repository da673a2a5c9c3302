"""Start-up: ``vpp audit`` of the bundled example as a whole process, against a bare import
of its dependencies as a whole process, alternated round by round so that both see the
same machine. Goal for each: at most 1.5× the bare import, in wall and processor time.

Two audits, each against the imports it needs:

- the fixture's ``strategy.toml`` (no records): against
  ``python -c "import pluggy, attrs, cattrs, networkx, tomli"``;
- ``vpp audit --example``, the bundled example with its bundled records (5,000 participant
  and 1,200 training rows, read and checked with DuckDB for the target rules): against
  the same imports and DuckDB's.

Byte-code caching is on in the processes timed (as for any installed package), whatever
this shell says. Processor time is user + system of the process and its threads.

Run on demand (not part of the test suite)::

    .venv/bin/pytest benchmarks/test_startup_bench.py -s --benchmark-columns=min,median,max

What the audit imports on the way: ``python -X importtime -m vpp_core.cli.main audit``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.processes import ENVIRONMENT
from vpp_core.loading.bundled import bundled_strategy

ROUNDS = int(os.environ.get("VPP_BENCHMARK_ROUNDS", "15"))
DEPENDENCIES = "import pluggy, attrs, cattrs, networkx, tomli"
CASES = {
    "the fixture's strategy": ([str(bundled_strategy())], DEPENDENCIES),
    "the example with its records (--example)": (["--example"], DEPENDENCIES + ", duckdb"),
}


def _vpp() -> list[str]:
    script = Path(sys.executable).with_name("vpp")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vpp_core.cli.main"]


def _processor() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], codes: tuple[int, ...] = (0,)) -> float:
    """Run ``command`` to its end; the processor time it took."""
    before = _processor()
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=ENVIRONMENT)
    assert done.returncode in codes, done.stderr[-2000:]
    return _processor() - before


@pytest.mark.parametrize("what", list(CASES))
def test_vpp_audit_start_up_against_the_bare_imports(
    what: str, benchmark: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    arguments, imports = CASES[what]
    reference_command = [sys.executable, "-c", imports]
    audit = [*_vpp(), "audit", *arguments, "--output", f"json:{tmp_path / 'report.json'}"]
    reference: list[float] = []
    processor: dict[str, list[float]] = {"audit": [], "reference": []}

    def timed_reference() -> None:  # pedantic's untimed setup: the bare import, each round
        start = time.perf_counter()
        processor["reference"].append(_run(reference_command))
        reference.append(time.perf_counter() - start)

    def timed_audit() -> None:
        processor["audit"].append(_run(audit, (0, 1)))

    _run(audit, (0, 1))  # compile and cache once, for both, as an installed package has
    _run(reference_command)
    benchmark.pedantic(timed_audit, setup=timed_reference, rounds=ROUNDS, iterations=1)
    subject = benchmark.stats.stats
    ratio_min = subject.min / min(reference)
    ratio_median = subject.median / statistics.median(reference)
    ratio_processor = (statistics.median(processor["audit"])
                       / statistics.median(processor["reference"]))
    benchmark.extra_info.update({
        "reference": imports,
        "reference_seconds": reference,
        "processor_seconds": processor,
        "ratio_min": round(ratio_min, 3),
        "ratio_median": round(ratio_median, 3),
        "ratio_processor_median": round(ratio_processor, 3),
    })
    with capsys.disabled():
        print(f"\nvpp audit of {what}: min {subject.min * 1000:.0f} ms, median "
              f"{subject.median * 1000:.0f} ms, processor median "
              f"{statistics.median(processor['audit']) * 1000:.0f} ms; python -c "
              f"{imports!r}: min {min(reference) * 1000:.0f} ms, median "
              f"{statistics.median(reference) * 1000:.0f} ms, processor median "
              f"{statistics.median(processor['reference']) * 1000:.0f} ms; ratio "
              f"{ratio_min:.2f}× (min), {ratio_median:.2f}× (median), {ratio_processor:.2f}× "
              f"(processor, median); goal ≤ 1.5×; load average "
              f"{os.getloadavg()[0]:.1f}")
