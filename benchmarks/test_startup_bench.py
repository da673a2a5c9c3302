"""Start-up: one ``vpp audit`` of the bundled fixture as a whole process, against a bare
``python -c "import pluggy, attrs, cattrs, networkx"`` — alternated round by round so that
both see the same machine. Goal: the audit of the fixture at most 1.5× the bare import.

Two audits are timed: the fixture's ``strategy.toml`` (the goal), and ``vpp audit`` with
``--example``, which also counts the fixture's bundled delivery records (5,000 participant
and 1,200 training rows, with DuckDB) for the target rules — that one is real work, shown
for information. Byte-code caching is on in the processes timed (as for any installed
package), whatever this shell says.

Run on demand (not part of the test suite)::

    .venv/bin/pytest benchmarks/test_startup_bench.py --benchmark-columns=min,median,max

What the audit imports on the way: ``python -X importtime -m vpp_core.cli.main audit``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from vpp_core.loading.bundled import bundled_strategy

ROUNDS = 15
REFERENCE = [sys.executable, "-c", "import pluggy, attrs, cattrs, networkx"]
ENVIRONMENT = {key: value for key, value in os.environ.items()
               if key != "PYTHONDONTWRITEBYTECODE"}


def _vpp() -> list[str]:
    script = Path(sys.executable).with_name("vpp")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vpp_core.cli.main"]


def _run(command: list[str], codes: tuple[int, ...] = (0,)) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=ENVIRONMENT)
    assert done.returncode in codes, done.stderr[-2000:]


@pytest.mark.parametrize(
    "what", ["the fixture's strategy", "the fixture with its records (--example)"])
def test_vpp_audit_start_up_against_the_bare_imports(
    what: str, benchmark: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reference: list[float] = []

    def timed_reference() -> None:  # pedantic's untimed setup: the bare import, each round
        start = time.perf_counter()
        _run(REFERENCE)
        reference.append(time.perf_counter() - start)

    strategy = [str(bundled_strategy())] if what.startswith("the fixture's") else ["--example"]
    audit = [*_vpp(), "audit", *strategy, "--output", f"json:{tmp_path / 'report.json'}"]
    _run(audit, (0, 1))  # compile and cache once, for both, as an installed package has
    _run(REFERENCE)
    benchmark.pedantic(lambda: _run(audit, (0, 1)), setup=timed_reference, rounds=ROUNDS,
                       iterations=1)
    subject = benchmark.stats.stats
    ratio_min = subject.min / min(reference)
    ratio_median = subject.median / statistics.median(reference)
    benchmark.extra_info.update({
        "reference_seconds": reference,
        "ratio_min": round(ratio_min, 3),
        "ratio_median": round(ratio_median, 3),
    })
    with capsys.disabled():
        print(f"\nvpp audit of {what}: min {subject.min * 1000:.0f} ms; bare imports min "
              f"{min(reference) * 1000:.0f} ms; ratio {ratio_min:.2f}× (min), "
              f"{ratio_median:.2f}× (median); goal ≤ 1.5×")
