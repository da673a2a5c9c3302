"""``vpp generate-incidents``: seeded synthetic police incident records, 1,000 to 10,000,000
rows, CSV or Parquet, written by DuckDB without building the rows in Python.

The mix is made up but shaped like recorded crime: mostly offences outside any definition,
assault with injury the largest violent class, homicide rare; the knife flag most common on
assault with intent, robbery and homicide; the county lines flag on drug trafficking. Every
value is a function of the row number and the seed, so a seed always gives the same file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vpp_core import UsageError, sql_literal

#: (offence code, share of rows in ten-thousandths, knife ‰, domestic abuse ‰, county lines ‰)
#: The first ten are classifications the bundled definitions name; the rest stand for the
#: offences no definition takes in.
MIX = (
    ("1", 3, 350, 100, 0),
    ("4.1", 1, 200, 100, 0),
    ("2", 8, 400, 100, 0),
    ("5D", 250, 300, 150, 10),
    ("8N", 2600, 50, 300, 5),
    ("34A", 40, 150, 0, 5),
    ("34B", 500, 150, 0, 10),
    ("10D", 300, 0, 0, 20),
    ("10A", 10, 0, 0, 50),
    ("92A", 300, 20, 0, 200),
    ("OTHER-1", 2000, 2, 100, 0),
    ("OTHER-2", 2000, 2, 100, 0),
    ("OTHER-3", 1688, 2, 50, 0),
)
FIRST_YEAR = 2023  # two financial years: 2023-24 and 2024-25
DAYS = 731


def _pick(expression: str, seed: int, salt: int, modulus: int) -> str:
    return f"(hash({expression}, {int(seed)}, {int(salt)}) % {int(modulus)})::BIGINT"


def incidents_sql(rows: int, seed: int, areas: tuple[str, ...]) -> str:
    """A SELECT of ``rows`` synthetic incidents."""
    total = sum(share for _, share, *_ in MIX)
    roll = _pick("i", seed, 1, total)

    def by_code(values: list[str]) -> str:
        """CASE giving, for the row's offence code, the value at the same place."""
        cases, high = [], 0
        for (_, share, *_), value in zip(MIX, values, strict=True):
            high += share
            cases.append(f"WHEN {roll} < {high} THEN {value}")
        return f"CASE {' '.join(cases)} END"

    codes = by_code([sql_literal(code) for code, *_ in MIX])
    knife, domestic, county = (by_code([str(row[place]) for row in MIX]) for place in (2, 3, 4))
    area_list = "[" + ", ".join(sql_literal(area) for area in areas) + "]"

    def flag(permille: str, salt: int) -> str:
        return f"CASE WHEN {_pick('i', seed, salt, 1000)} < {permille} THEN 'Y' ELSE 'N' END"

    return (
        "SELECT 'INC' || lpad(i::VARCHAR, 9, '0') AS incident_id, "
        f"(DATE '{FIRST_YEAR}-04-01' + {_pick('i', seed, 2, DAYS)}::INTEGER) AS offence_date, "
        f"{codes} AS offence_code, "
        f"{area_list}[1 + {_pick('i', seed, 3, len(areas))}] AS area, "
        f"{flag(knife, 4)} AS knife, "
        f"CASE WHEN {_pick('i', seed, 5, 1000)} < 3 THEN 'Y' ELSE 'N' END AS firearm, "
        f"{flag(domestic, 6)} AS domestic_abuse, "
        f"{flag(county, 7)} AS county_lines, "
        f"CASE WHEN {_pick('i', seed, 8, 10)} = 0 THEN NULL "
        f"ELSE 10 + {_pick('i', seed, 9, 70)} END AS victim_age, "
        f"CASE WHEN {_pick('i', seed, 10, 4)} = 0 THEN NULL "
        f"ELSE 10 + {_pick('i', seed, 11, 60)} END AS suspect_age "
        f"FROM range({int(rows)}) AS t(i)"
    )


def write_incidents(path: Path, rows: int, seed: int, areas: tuple[str, ...]) -> None:
    import duckdb

    if path.suffix not in {".csv", ".parquet"}:
        raise UsageError(f"{path}: write .csv or .parquet")
    options = "(FORMAT PARQUET)" if path.suffix == ".parquet" else "(HEADER, DELIMITER ',')"
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({incidents_sql(rows, seed, areas)}) TO "
                           f"{sql_literal(str(path))} {options}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("output", type=Path, help="the file to write (.csv or .parquet)")
    parser.add_argument("--rows", type=int, default=10_000, help="how many (default 10,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--areas", default="Area A,Area B,Area C,Area D",
                        help="comma-separated area names")
    parser.add_argument("--force", action="store_true", help="replace an existing file")


def run(options: argparse.Namespace) -> int:
    if not 1 <= options.rows <= 100_000_000:
        raise UsageError("vpp generate-incidents: --rows must be 1 to 100,000,000")
    if options.output.exists() and not options.force:
        raise UsageError(f"{options.output}: already exists (use --force to replace it)")
    areas = tuple(area.strip() for area in options.areas.split(",") if area.strip())
    if not areas:
        raise UsageError("vpp generate-incidents: --areas names no area")
    write_incidents(options.output, options.rows, options.seed, areas)
    return 0
