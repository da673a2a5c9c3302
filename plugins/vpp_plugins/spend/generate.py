"""``vpp generate-spend``: a seeded synthetic spend ledger for a strategy, 1,000 to
10,000,000 rows, CSV or Parquet, written by DuckDB without building the rows in Python.

Each budget line with an amount (a part, or a line without parts) gets its share of the
rows, spread evenly over the financial year (a day or two of seeded jitter, never outside
it), all but the last at the same whole-penny amount and the last taking the remainder, so
the ledger adds up to the budget exactly: its true year-end is known. ``--profile`` also
writes the flat quarterly profile (a quarter of each line per quarter).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from vpp_core import (
    Strategy,
    UsageError,
    load_strategy,
    sql_literal,
)
from vpp_plugins._common import budget_lines, strategy_to_follow

PARTNERS = ("Provider A", "Provider B", "Local authority", "Police force", "Health partner")


def ledger_lines(strategy: Strategy) -> list[tuple[str, Decimal]]:
    """(line id, amount) for every budget line with an amount and no parts."""
    return [(line.id, line.amount.amount) for _, line in budget_lines(strategy)
            if line.amount is not None and not line.parts]


def spend_sql(strategy: Strategy, rows: int, seed: int) -> str:
    """A SELECT of ``rows`` synthetic ledger rows for the strategy's budget."""
    lines = ledger_lines(strategy)
    if not lines:
        raise UsageError("vpp generate-spend: the strategy's budget has no line with an amount")
    count = len(lines)
    year = strategy.financial_year
    values = ", ".join(f"({index}, {sql_literal(line)}, {amount})"
                       for index, (line, amount) in enumerate(lines))
    partners = "[" + ", ".join(sql_literal(p) for p in PARTNERS) + "]"
    days = year.period.days

    def pick(salt: int, modulus: int) -> str:
        return f"(hash(i, {int(seed)}, {salt}) % {modulus})::BIGINT"

    # n: the line's rows; each row floor(amount / n) to the penny, the last the remainder.
    return (
        f"WITH lines(k, line, amount) AS (VALUES {values}), "
        f"numbered AS (SELECT i, i % {count} AS k, i // {count} AS seq, "
        f"({int(rows)} - i % {count} + {count - 1}) // {count} AS n "
        f"FROM range({int(rows)}) AS t(i)) "
        f"SELECT (DATE '{year.start}' + LEAST({days - 1}, GREATEST(0, "
        f"(seq * {days}) // n + {pick(1, 3)} - 1))::INTEGER) AS date, "
        f"{sql_literal(strategy.budget.grant)} AS grant, lines.line, "
        f"CAST(CASE WHEN seq = n - 1 THEN lines.amount::DECIMAL(18,2) - (n - 1) * "
        f"(FLOOR(lines.amount * 100 / n) / 100)::DECIMAL(18,2) "
        f"ELSE (FLOOR(lines.amount * 100 / n) / 100)::DECIMAL(18,2) END AS DECIMAL(18,2)) "
        f"AS amount, "
        f"CASE WHEN {pick(2, 10)} = 0 THEN 'in-kind' ELSE 'cash' END AS type, "
        f"{partners}[1 + {pick(3, len(PARTNERS))}] AS partner, "
        f"'REF' || lpad(i::VARCHAR, 9, '0') AS reference "
        f"FROM numbered JOIN lines USING (k) ORDER BY i"
    )


def profile_sql(strategy: Strategy) -> str:
    """The flat quarterly profile of the strategy's budget lines."""
    year = strategy.financial_year
    rows = ", ".join(
        f"({sql_literal(strategy.budget.grant)}, {sql_literal(line)}, "
        f"'{year}-Q{quarter}', {amount / 4})"
        for line, amount in ledger_lines(strategy) for quarter in (1, 2, 3, 4))
    return f"SELECT * FROM (VALUES {rows}) AS p(grant, line, period, amount)"


def _copy(sql: str, path: Path) -> None:
    import duckdb

    if path.suffix not in {".csv", ".parquet"}:
        raise UsageError(f"{path}: write .csv or .parquet")
    options = "(FORMAT PARQUET)" if path.suffix == ".parquet" else "(HEADER, DELIMITER ',')"
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({sql}) TO {sql_literal(str(path))} {options}")


def write_spend(path: Path, strategy: Strategy, rows: int, seed: int,
                profile: Path | None = None) -> None:
    _copy(spend_sql(strategy, rows, seed), path)
    if profile is not None:
        _copy(profile_sql(strategy), profile)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", type=Path, help="the ledger to write (.csv or .parquet)")
    parser.add_argument("--strategy", type=Path, metavar="STRATEGY",
                        help="whose budget (default: ./strategy.toml if there is one, else the "
                             "bundled Thames Valley 2024-25)")
    parser.add_argument("--rows", type=int, default=10_000,
                        help="how many (1,000 to 10,000,000; default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also write the flat quarterly profile here")
    parser.add_argument("--force", action="store_true", help="replace existing files")


def run(options: argparse.Namespace) -> int:
    if not 1_000 <= options.rows <= 10_000_000:
        raise UsageError("vpp generate-spend: --rows must be 1,000 to 10,000,000")
    for path in (options.output, options.profile):
        if path is not None and path.exists() and not options.force:
            raise UsageError(f"{path}: already exists (use --force to replace it)")
    path, followed = strategy_to_follow(options.strategy)
    strategy = load_strategy(path)
    print(f"following {followed}", file=sys.stderr)
    write_spend(options.output, strategy, options.rows, options.seed, options.profile)
    return 0
