"""Serious violence counted from a million incident records: ``vpp violence`` as a whole
process against the shortest DuckDB query an analyst would write for the same counts (no
row checks, no explanations), also as a whole process, in the same run.

Run (from the checkout, after ``pip install -e '.[test]'``)::

    .venv/bin/pytest benchmarks/test_violence_benchmark.py -s

``VPP_BENCHMARK_ROWS`` sets the size (default 1,000,000; ten million for the memory goal).
Each process runs ``ROUNDS`` times; the best wall time and the processor time of that round
are compared, and each process's peak resident memory (``VmHWM``) is printed. The test
asserts the two agree on every count, never on time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from vpp_plugins.violence.generate import write_incidents

from benchmarks.processes import ENVIRONMENT, floor, floor_line

ROWS = int(os.environ.get("VPP_BENCHMARK_ROWS", "1000000"))
ROUNDS = int(os.environ.get("VPP_BENCHMARK_ROUNDS", "3"))

PEAK = ("import pathlib, sys; s = pathlib.Path('/proc/self/status').read_text(); "
        "print(next(l.split()[1] for l in s.splitlines() if l.startswith('VmHWM')), "
        "file=sys.stderr)")

# What an analyst would write by hand for Thames Valley's definition, by area and quarter.
HAND_SQL = """
SELECT area,
  (year(offence_date) - CASE WHEN month(offence_date) < 4 THEN 1 ELSE 0 END) AS fy,
  ((month(offence_date) + 8) % 12) // 3 + 1 AS q,
  count(*) FILTER (WHERE code IN ('1', '4.1', '4.2', '4.10')) AS homicide,
  count(*) FILTER (WHERE code = '5D') AS gbh,
  count(*) FILTER (WHERE knife = 'Y' OR code = '10D') AS knife,
  count(*) FILTER (WHERE county_lines = 'Y') AS county_lines,
  count(*) FILTER (WHERE code IN ('1', '4.1', '4.2', '4.10', '5D', '10D')
                   OR knife = 'Y' OR county_lines = 'Y') AS any_category
FROM (SELECT *, replace(upper(offence_code), '/', '.') AS code FROM '{path}')
GROUP BY ALL ORDER BY ALL
"""

# As the vpp command runs it (process_main: main, then what it made frozen for the end).
OURS = ("from vpp_core.cli.main import process_main; "
        "code = process_main(['violence', '--records', 'police-incidents={path}', "
        "'--definition', 'thames-valley', '--format', 'json', '--output', '{out}']); " + PEAK)
REFERENCE = ("import duckdb, json; rows = duckdb.sql({sql!r}).fetchall(); "
             "open({out!r}, 'w').write(json.dumps([list(map(str, r)) for r in rows])); " + PEAK)


def _time(code: str) -> tuple[float, float, int]:
    """Best of ``ROUNDS``: (wall seconds, processor seconds, peak MiB) of one process."""
    best: tuple[float, float, int] | None = None
    for _ in range(ROUNDS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=ENVIRONMENT, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = int(done.stderr.strip().splitlines()[-1]) // 1024
        if best is None or wall < best[0]:
            best = (wall, cpu, peak)
    assert best is not None
    return best


@pytest.fixture(scope="module", params=["csv", "parquet"])
def incidents(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
              ) -> Path:
    path = tmp_path_factory.mktemp("violence") / f"incidents.{request.param}"
    write_incidents(path, ROWS, seed=2024, areas=tuple(f"Area {n:02d}" for n in range(12)))
    return path


def test_vpp_violence_against_hand_written_sql(incidents: Path, tmp_path: Path) -> None:
    ours_out, reference_out = tmp_path / "ours.json", tmp_path / "reference.json"
    ours = _time(OURS.format(path=incidents, out=ours_out))
    reference_code = REFERENCE.format(sql=HAND_SQL.format(path=incidents),
                                      out=str(reference_out))
    reference = _time(reference_code)
    least = _time(floor(reference_code))
    # The same counts: sum the hand-written rows by area and check against ours.
    mine = {area["area"]: area["counts"] for area in json.loads(ours_out.read_text())["areas"]}
    theirs: dict[str, list[int]] = {}
    for area, _, _, *values in json.loads(reference_out.read_text()):
        totals = theirs.setdefault(area, [0] * 5)
        theirs[area] = [t + int(v) for t, v in zip(totals, values, strict=True)]
    names = ("homicide", "grievous-bodily-harm", "knife", "county-lines", "any")
    assert {area: [counts[n] for n in names] for area, counts in mine.items()} == theirs
    print(f"\nvpp violence over {ROWS:,} incidents ({incidents.suffix}): {ours[0]:.2f} s "
          f"wall, {ours[1]:.2f} s processor, peak {ours[2]} MiB")
    print(f"hand-written DuckDB SQL: {reference[0]:.2f} s wall, {reference[1]:.2f} s "
          f"processor, peak {reference[2]} MiB")
    print(f"ratio: {ours[0] / reference[0]:.2f}x wall, {ours[1] / reference[1]:.2f}x processor")
    print(floor_line(1.3, reference[:2], least[:2]))
