"""Spend against profile and the year-end forecasts from a million ledger rows: ``vpp audit``
of the SPEND001 and SPEND002 rules as a whole process against the DuckDB query an analyst
would write by hand for the same figures (spend to date and profile to date per grant line,
both forecasts per grant; no row checks), also as a whole process, in the same run. The
profile is the bundled strategy's ``[[spend_profile]]``: both processes read it from there.

Run (from the checkout, after ``pip install -e '.[test]'``)::

    .venv/bin/pytest benchmarks/test_spend_benchmark.py -s

``VPP_BENCHMARK_ROWS`` sets the size (default 1,000,000). Each process runs ``ROUNDS`` times;
the best wall time and the processor time of that round are compared. The test asserts the
two agree on every figure, never on time.
"""

from __future__ import annotations

import compileall
import json
import os
from decimal import Decimal
from pathlib import Path

import pytest
import vpp_plugins
from vpp_plugins.spend.generate import write_spend

import vpp_core
from benchmarks.processes import floor, floor_line
from benchmarks.test_violence_benchmark import PEAK, _time
from vpp_core import bundled_strategy, load_strategy

ROWS = int(os.environ.get("VPP_BENCHMARK_ROWS", "1000000"))
AS_OF = "2024-12-31"
ELAPSED, DAYS = 275, 365  # 1 April to 31 December 2024, of a 365-day year

HAND_SQL = """
WITH s AS (SELECT "grant", line, sum(amount) AS to_date FROM read_parquet('{spend}')
           WHERE "date" BETWEEN DATE '2024-04-01' AND DATE '{as_of}' GROUP BY ALL),
     p AS (SELECT "grant", line, sum(amount) FILTER (WHERE period <= '2024-25-Q3') AS planned,
                  sum(amount) AS year FROM profile GROUP BY ALL)
SELECT "grant", line, coalesce(to_date, 0) AS to_date, coalesce(planned, 0) AS planned,
       coalesce(to_date, 0) - coalesce(planned, 0) AS variance,
       coalesce(to_date, 0) + coalesce(year, 0) - coalesce(planned, 0) AS forecast_profile,
       round(coalesce(to_date, 0) * {days} / {elapsed}, 2) AS forecast_run_rate
FROM s FULL JOIN p USING ("grant", line) ORDER BY ALL
"""

STRATEGY = str(bundled_strategy())
# As the vpp command runs it (process_main: main, then what it made frozen for the end).
OURS = ("import sys; from vpp_core.cli.main import process_main; "
        "code = process_main(['audit', " + repr(STRATEGY) + ", '--pack', 'in-year-spend', "
        "'--select', 'SPEND001,SPEND002', '--records', 'spend={spend}', "
        "'--as-of', '" + AS_OF + "', '--output', 'json:{out}']); " + PEAK
        + "; sys.exit(code)")
# The analyst reads the profile from the strategy too (its [[spend_profile]] entries), and
# queries the ledger where it lies.
REFERENCE = ("import duckdb, json, tomllib; "
             "plan = tomllib.load(open(" + repr(STRATEGY) + ", 'rb'))['spend_profile']; "
             "con = duckdb.connect(); "
             "con.execute('CREATE TABLE profile (\"grant\" VARCHAR, line VARCHAR, "
             "period VARCHAR, amount DECIMAL(18, 2))'); "
             "con.executemany('INSERT INTO profile VALUES (?, ?, ?, ?)', "
             "[(p['grant'], p['line'], p['period'], str(p['amount'])) for p in plan]); "
             "rows = con.sql({sql!r}).fetchall(); "
             "open({out!r}, 'w').write(json.dumps([list(map(str, r)) for r in rows])); " + PEAK)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Like an installed wheel, our modules run from compiled bytecode (as DuckDB's do), also
    # where PYTHONDONTWRITEBYTECODE would have every process compile them again.
    for package in (vpp_core, vpp_plugins):
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    folder = tmp_path_factory.mktemp("spend")
    spend = folder / "spend.parquet"
    strategy = load_strategy(bundled_strategy())
    write_spend(spend, strategy, ROWS, seed=2024)
    write_spend(folder / "small.parquet", strategy, 1000, seed=2024)
    return spend


def test_vpp_spend_rules_against_hand_written_sql(ledger: Path, tmp_path: Path) -> None:
    spend = ledger
    ours_out, reference_out = tmp_path / "ours.json", tmp_path / "reference.json"
    ours = _time(OURS.format(spend=spend, out=ours_out))
    sql = HAND_SQL.format(spend=spend, as_of=AS_OF, days=DAYS, elapsed=ELAPSED)
    reference_code = REFERENCE.format(sql=sql, out=str(reference_out))
    reference = _time(reference_code)
    least = _time(floor(reference_code))
    results = json.loads(ours_out.read_text())["strategies"][0]["results"]
    mine = {r["subject"]["id"]: (Decimal(r["evidence"]["measured"]["value"]),
                                 Decimal(r["evidence"]["threshold"]["value"]))
            for r in results if r["code"] == "SPEND001" and r["subject"]["kind"] == "spend-line"}
    theirs = {f"{g}/{line}": (Decimal(to_date), Decimal(planned))
              for g, line, to_date, planned, *_ in json.loads(reference_out.read_text())}
    assert mine == theirs
    forecasts = {r["subject"]["id"]: (Decimal(r["evidence"]["parts"][1]["value"]),
                                      round(Decimal(r["evidence"]["parts"][2]["value"]), 2))
                 for r in results if r["code"] == "SPEND002"}
    rows = json.loads(reference_out.read_text())
    by_grant = {grant: [r for r in rows if r[0] == grant] for grant in forecasts}
    assert forecasts == {  # the grants of the year: their lines' figures summed
        grant: (sum((Decimal(r[5]) for r in found), Decimal(0)),
                round(sum((Decimal(r[2]) for r in found), Decimal(0)) * DAYS / ELAPSED, 2))
        for grant, found in by_grant.items()}
    assert set(forecasts) == {"core-2024-25", "tvt-uplift"}
    print(f"\nSPEND001–002 over {ROWS:,} ledger rows: {ours[0]:.2f} s wall, {ours[1]:.2f} s "
          f"processor, peak {ours[2]} MiB")
    print(f"hand-written DuckDB SQL: {reference[0]:.2f} s wall, {reference[1]:.2f} s "
          f"processor, peak {reference[2]} MiB")
    print(f"ratio: {ours[0] / reference[0]:.2f}x wall, {ours[1] / reference[1]:.2f}x processor")
    print(floor_line(1.3, reference[:2], least[:2]))
    # Where the difference goes: the same command over 1,000 rows is its fixed cost (start-up,
    # plugins, strategy, packs, the report), the rest is reading and summing the ledger.
    small = _time(OURS.format(spend=spend.parent / "small.parquet",
                              out=tmp_path / "small.json"))
    print(f"the same over 1,000 rows: {small[0]:.2f} s wall, {small[1]:.2f} s processor; "
          f"the million rows' own cost {ours[0] - small[0]:.2f} s wall")
