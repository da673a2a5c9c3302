"""Serious violence from the Home Office's tables of offences involving knives or sharp
instruments (record kind ``knife-offences``).

Every row of the table counts offences that involved a knife or sharp instrument, for one
offence code, police force and quarter. That is all it can tell apart, so a category is
resolved from it only when each of its clauses asks for the knife flag and nothing else but
offence codes the table has rows for, and its exclusions are by offence code alone. Every
other category is listed with what it needs that the table lacks — offences without the knife
flag, other flags, ages, codes the collection does not cover (it covers selected offences
only) — and, where a clause takes in any knife-involved offence, the table's total as a lower
bound, never as the count. The table's finest area is the police force: counts are by force,
never by Community Safety Partnership.

The headers are our reading of the published layout, not confirmed against a downloaded
file (see :mod:`.sources`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from vpp_core import RecordsError, RecordSource, load_view
from vpp_plugins.violence.clauses import CODE_SQL, category_sql, criteria_sql, exclusions_of
from vpp_plugins.violence.counting import (
    ANY,
    CELL_ORDER,
    Cell,
    Counts,
    Granularity,
    Unresolved,
    account,
    period_sql,
)
from vpp_plugins.violence.definition import Category, Criteria, Definition, Flag
from vpp_plugins.violence.sources import KNIFE_OFFENCES, SCHEMAS, with_published_headers

if TYPE_CHECKING:
    import duckdb

FORCE_LEVEL = ("The knife table is by police force area: counts are by force, not by Community "
               "Safety Partnership.")

#: The first day of a financial quarter, as SQL over the table's year and quarter columns.
_QUARTER_START = (
    "make_date(CAST(left(financial_year, 4) AS INTEGER) + (financial_quarter = 4)::INTEGER, "
    "(((financial_quarter - 1) * 3 + 3) % 12) + 1, 1)")


def _clause_gaps(number: int, clause: Criteria, covered: frozenset[str]) -> list[str]:
    """What clause ``number`` needs that the knife table does not give."""
    if Flag.KNIFE not in clause.flags:
        return [f"clause {number} takes in offences without the knife flag, and the table "
                "counts only those with it"]
    gaps = []
    if len(clause.flags) > 1:
        others = ", ".join(flag.value for flag in clause.flags if flag is not Flag.KNIFE)
        gaps.append(f"clause {number} also takes in offences with the {others} flag")
    if clause.victim_age or clause.suspect_age:
        gaps.append(f"clause {number} needs ages")
    if not clause.offence_codes:
        gaps.append(f"clause {number} takes in every knife-involved offence, and the table "
                    "covers selected offences only")
    missing = [code for code in clause.offence_codes if code not in covered]
    if missing:
        gaps.append(f"clause {number} needs code{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)}, which the table has no rows for")
    return gaps


def _code_only(criteria: Criteria) -> bool:
    return bool(criteria.offence_codes) and not (
        criteria.flags or criteria.victim_age or criteria.suspect_age)


def knife_gaps(definition: Definition, category: Category,
               covered: frozenset[str]) -> list[str]:
    """Why ``category`` cannot be counted from a knife table covering ``covered`` codes
    (normalised); empty when it can."""
    gaps = [gap for number, clause in enumerate(category.clauses, 1)
            for gap in _clause_gaps(number, clause, covered)]
    gaps += [f"exclusion {exclusion.id!r} needs more than offence codes"
             for exclusion in exclusions_of(definition, category)
             if not _code_only(exclusion.criteria)]
    return gaps


def _lower_bound_sql(definition: Definition, category: Category) -> str | None:
    """SQL true for the rows that are surely in ``category`` — those meeting a clause that asks
    for the knife flag alone (with or without codes), less its exclusions by code — or None
    when no such clause exists or an exclusion needs more than codes (no bound holds)."""
    clauses = [clause for clause in category.clauses if clause.flags == (Flag.KNIFE,)
               and not clause.victim_age and not clause.suspect_age]
    exclusions = exclusions_of(definition, category)
    if not clauses or not all(_code_only(e.criteria) for e in exclusions):
        return None
    taken_in = " OR ".join(criteria_sql(clause) for clause in clauses)
    left_out = [criteria_sql(exclusion.criteria) for exclusion in exclusions]
    return f"({taken_in})" + (f" AND NOT ({' OR '.join(left_out)})" if left_out else "")


def count_knife_table(connection: duckdb.DuckDBPyConnection, definition: Definition,
                      sources: Sequence[RecordSource], granularity: Granularity) -> Counts:
    """Counts from knife tables: the categories they resolve, by force and period, and the
    rest listed as unresolved with the reason (and a lower bound where one holds)."""
    if granularity is Granularity.MONTH:
        raise RecordsError("the knife table is quarterly: count it --by quarter or year")
    table = load_view(connection, "knife", [with_published_headers(s) for s in sources],
                      SCHEMAS[KNIFE_OFFENCES])
    # Every row is knife-involved: the definition's knife flag holds on each.
    connection.execute("CREATE OR REPLACE TEMP VIEW knife_rows AS SELECT *, 'y' AS knife "
                       "FROM knife")
    covered = frozenset(str(code) for (code,) in connection.execute(
        f"SELECT DISTINCT {CODE_SQL} FROM knife_rows").fetchall())
    resolved: list[Category] = []
    unresolved: list[Unresolved] = []
    for category in definition.categories:
        gaps = knife_gaps(definition, category, covered)
        if not gaps:
            resolved.append(category)
            continue
        bound = _lower_bound_sql(definition, category)
        lower = None
        if bound is not None:
            found = connection.execute(
                f"SELECT coalesce(sum(number_of_offences), 0) FROM knife_rows WHERE {bound}"
            ).fetchone()
            lower = int(found[0]) if found else 0
        unresolved.append(Unresolved(category.id, "; ".join(gaps), lower_bound=lower))
    cells: tuple[Cell, ...] = ()
    if resolved:
        names = [category.id for category in resolved]
        sql = [category_sql(definition, category) for category in resolved]
        if not unresolved:  # "any category" only when every category is counted
            names.append(ANY)
            sql.append(" OR ".join(sql))
        sums = ", ".join(f"sum(CASE WHEN {condition} THEN number_of_offences ELSE 0 END)"
                         for condition in sql)
        rows = connection.execute(
            f"SELECT force_name, {period_sql(_QUARTER_START, granularity)}, {sums} "
            "FROM knife_rows GROUP BY ALL ORDER BY ALL").fetchall()
        cells = tuple(sorted((Cell(name, str(row[0]), str(row[1]), int(str(value)))
                              for row in rows
                              for name, value in zip(names, row[2:], strict=True)),
                             key=CELL_ORDER))
    notes = [FORCE_LEVEL]
    if unresolved:
        notes.append("'Any category' is not given: some categories cannot be resolved from "
                     "this source.")
    return Counts(definition, KNIFE_OFFENCES, granularity, cells, tuple(unresolved),
                  notes=tuple(notes), **account(table))
