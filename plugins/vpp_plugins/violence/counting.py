"""Serious violence counted under a definition: by category, area and period, from incident
records, the Home Office's CSP open data table or police.uk street-level files.

Person- and crime-level values stay in DuckDB; only counts leave. A category the source
cannot resolve (the CSP table has no flags; police.uk has only coarse crime types) is listed
with the reason, and, where the definition names the coarse types that hold it, their count
as an upper bound — never as the category's count.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core import (
    FinancialYear,
    LoadedTable,
    RecordsError,
    RecordSource,
    load_view,
    records_connection,
    scan_view,
    sql_literal,
    tally,
)
from vpp_plugins.violence.clauses import category_sql, exclusions_of
from vpp_plugins.violence.definition import Category, Criteria, Definition
from vpp_plugins.violence.sources import (
    AREA_POPULATION,
    CSP_OFFENCES,
    INCIDENTS,
    LSOA_LOOKUP,
    SCHEMAS,
    STREET_CRIME,
    with_published_headers,
)

if TYPE_CHECKING:
    import duckdb

ANY = "any"  # the pseudo-category: in at least one category, each record once
#: Why a row repeating an earlier row's crime reference is left out (never the reference).
DUPLICATE_INCIDENT = "duplicate incident id"
NO_AREA = "(no area)"
NOT_ANY = "'Any category' is not given: some categories cannot be resolved from this source."
#: LSOA codes named in a note before "and N more".
MAX_CODES = 10


class Granularity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@attrs.frozen(order=True)
class Cell:
    category: str
    area: str
    period: str
    count: int


#: :class:`Cell`'s order as a sort key: attrs' generated comparisons build two tuples for
#: each, some 70 times slower over the thousand cells of a year by month and area.
CELL_ORDER = operator.attrgetter("category", "area", "period", "count")


@attrs.frozen
class Unresolved:
    """A category the source cannot count, why, and the bounds it can give: at most the
    count of ``bound_types`` (coarse types holding it among other crimes), at least
    ``lower_bound`` (offences the source has of what the category takes in)."""

    category: str
    reason: str
    upper_bound: int | None = None
    bound_types: tuple[str, ...] = ()
    lower_bound: int | None = None


@attrs.frozen
class Counts:
    definition: Definition
    source_kind: str
    granularity: Granularity
    cells: tuple[Cell, ...]
    unresolved: tuple[Unresolved, ...] = ()
    files: tuple[str, ...] = ()
    rows_read: int = 0
    rows_used: int = 0
    left_out: tuple[tuple[str, str, int], ...] = ()
    listed: tuple[tuple[str, int, str], ...] = ()  # rows left out: file, row, reason
    empty_rows: int = 0  # CSV rows of empty cells, skipped as blank lines
    read_as: tuple[str, ...] = ()  # "FILE: read as Windows-1252 (not UTF-8)", per file so read
    residents: tuple[tuple[str, int, str], ...] = ()  # area, residents, source
    notes: tuple[str, ...] = ()
    #: The same counts by the source's own finest period (month, or quarter for the CSP
    #: table) where ``granularity`` is coarser: a change against last year is over these.
    fine: tuple[Cell, ...] = ()
    fine_granularity: Granularity | None = None

    def finest(self) -> Counts:
        """These counts by the finest period the source gives."""
        if self.fine_granularity is None or self.fine_granularity is self.granularity:
            return self
        return attrs.evolve(self, granularity=self.fine_granularity, cells=self.fine, fine=())

    def categories(self) -> tuple[str, ...]:
        resolved = {cell.category for cell in self.cells}
        return tuple(c.id for c in self.definition.categories if c.id in resolved) + (
            (ANY,) if ANY in resolved else ())

    def areas(self) -> tuple[str, ...]:
        return tuple(sorted({cell.area for cell in self.cells}))

    def periods(self) -> tuple[str, ...]:
        return tuple(sorted({cell.period for cell in self.cells}))

    # every total a report asks for, by (category, area or None, period or None): filled on
    # the first question (a report asks a few thousand)
    _totals: dict[tuple[str, str | None, str | None], int] = attrs.field(
        init=False, factory=dict, eq=False, repr=False)

    def count(self, category: str, area: str | None = None, period: str | None = None) -> int:
        if not self._totals:
            for cell in self.cells:
                for key in ((cell.category, cell.area, cell.period),
                            (cell.category, cell.area, None),
                            (cell.category, None, cell.period), (cell.category, None, None)):
                    self._totals[key] = self._totals.get(key, 0) + cell.count
        return self._totals.get((category, area, period), 0)


def _fy_start(date_sql: str) -> str:
    return f"(year({date_sql}) - CASE WHEN month({date_sql}) < 4 THEN 1 ELSE 0 END)"


def _fy_label(start_sql: str) -> str:
    return f"({start_sql})::VARCHAR || '-' || lpad((({start_sql} + 1) % 100)::VARCHAR, 2, '0')"


def period_sql(date_sql: str, granularity: Granularity) -> str:
    """SQL labelling a date's period: ``2024-05``, ``2024-25 Q2`` or ``2024-25``."""
    if granularity is Granularity.MONTH:
        return f"strftime({date_sql}, '%Y-%m')"
    year = _fy_label(_fy_start(date_sql))
    if granularity is Granularity.YEAR:
        return year
    return f"{year} || ' Q' || ((((month({date_sql}) + 8) % 12) // 3) + 1)::VARCHAR"


def _needs(criteria: Criteria) -> set[str]:
    needs = set()
    if criteria.offence_codes:
        needs.add("offence code")
    needs.update(f"{flag.value} flag" for flag in criteria.flags)
    if criteria.victim_age:
        needs.add("victim age")
    if criteria.suspect_age:
        needs.add("suspect age")
    return needs


def category_needs(definition: Definition, category: Category) -> set[str]:
    """What a source must carry to resolve ``category`` (its clauses and exclusions)."""
    needs: set[str] = set()
    for criteria in (*category.clauses, *(e.criteria for e in exclusions_of(definition, category))):
        needs |= _needs(criteria)
    return needs


def _load(connection: duckdb.DuckDBPyConnection, name: str,
          sources: Sequence[RecordSource]) -> LoadedTable:
    """The files of one kind as view ``name``: Parquet read where it is, CSV copied once."""
    sources = [with_published_headers(source) for source in sources]
    return load_view(connection, name, sources, SCHEMAS[sources[0].kind])


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _counts(definition: Definition, kind: str, granularity: Granularity,
            table: LoadedTable, cells: tuple[Cell, ...], *,
            finest: Granularity = Granularity.MONTH,
            unresolved: tuple[Unresolved, ...] = (), notes: tuple[str, ...] = ()) -> Counts:
    """The counts by ``granularity`` from ``cells`` by ``finest``, with the account of every
    file's rows."""
    return Counts(
        definition, kind, granularity, _relabel(cells, finest, granularity), unresolved,
        notes=notes, fine=cells if finest is not granularity else (),
        fine_granularity=finest, **account(table),
    )


def _period_of(period: str, finest: Granularity, granularity: Granularity) -> str:
    """A month (``2024-05``) or quarter (``2024-25 Q1``) as the period of ``granularity``."""
    if finest is granularity:
        return period
    if finest is Granularity.MONTH:
        day = date.fromisoformat(f"{period}-01")
        year = FinancialYear.containing(day)
        return str(year) if granularity is Granularity.YEAR else f"{year} Q{year.quarter_of(day)}"
    return period[:7]


def _relabel(cells: tuple[Cell, ...], finest: Granularity, granularity: Granularity
             ) -> tuple[Cell, ...]:
    """``cells`` by ``finest`` summed into the periods of ``granularity``."""
    if finest is granularity:
        return cells
    totals: dict[tuple[str, str, str], int] = {}
    for cell in cells:
        key = (cell.category, cell.area, _period_of(cell.period, finest, granularity))
        totals[key] = totals.get(key, 0) + cell.count
    return tuple(sorted((Cell(*key, count) for key, count in totals.items()), key=CELL_ORDER))


def account(table: LoadedTable) -> dict[str, Any]:
    """What :class:`Counts` says of the rows of ``table``: read, used and left out."""
    return {"files": table.files, "rows_read": table.rows_read, "rows_used": table.rows_used,
            "left_out": table.reasons, "empty_rows": table.empty_rows,
            "read_as": table.encoding_notes,
            "listed": tuple((row.file, row.row, row.reason) for row in table.rejected)}


def _residents(connection: duckdb.DuckDBPyConnection,
               sources: Sequence[RecordSource]) -> tuple[tuple[str, int, str], ...]:
    if not sources:
        return ()
    _load(connection, "residents", sources)
    rows = connection.execute(
        "SELECT area, sum(residents), string_agg(DISTINCT coalesce(source, ''), '; ') "
        "FROM residents GROUP BY area ORDER BY area").fetchall()
    return tuple((str(area), int(total), str(source)) for area, total, source in rows)


def _by_kind(sources: Sequence[RecordSource], kind: str) -> list[RecordSource]:
    return [source for source in sources if source.kind == kind]


def count(definition: Definition, sources: Sequence[RecordSource],
          granularity: Granularity = Granularity.QUARTER) -> Counts:
    """Count serious violence under ``definition`` from ``sources`` (one kind of crime data,
    plus an LSOA lookup and populations where given)."""
    kinds = {source.kind for source in sources} & {INCIDENTS, CSP_OFFENCES, STREET_CRIME}
    if len(kinds) != 1:
        raise RecordsError(
            "give crime records of one kind: police-incidents, csp-offences or street-crime"
            + (f" (given: {', '.join(sorted(kinds))})" if kinds else ""))
    kind = kinds.pop()
    with records_connection("vpp-violence-") as connection:
        residents = _residents(connection, _by_kind(sources, AREA_POPULATION))
        lookup = _by_kind(sources, LSOA_LOOKUP)
        if kind == INCIDENTS:
            counts = _count_incidents(connection, definition, _by_kind(sources, kind),
                                      lookup, granularity)
        elif kind == CSP_OFFENCES:
            counts = _count_csp(connection, definition, _by_kind(sources, kind), granularity)
        else:
            counts = _count_street(connection, definition, _by_kind(sources, kind),
                                   lookup, granularity)
    return attrs.evolve(counts, residents=residents)


def _area_sql(connection: duckdb.DuckDBPyConnection, lookup: Sequence[RecordSource],
              relation: str, *, own_area: bool = True) -> tuple[str, str]:
    """(FROM clause joining the LSOA lookup, SQL for the row's area): the record's own area
    where it has one, else its LSOA's."""
    areas = [f"{relation}.area"] if own_area else []
    if lookup:
        _load(connection, "lookup", lookup)
        _create(connection, "lsoa_areas",
                "SELECT lsoa_code, any_value(area) AS area FROM lookup GROUP BY lsoa_code")
        relation = f"{relation} LEFT JOIN lsoa_areas USING (lsoa_code)"
        areas.append("lsoa_areas.area")
    return relation, f"coalesce({', '.join([*areas, sql_literal(NO_AREA)])})"


def _create(connection: duckdb.DuckDBPyConnection, name: str, select: str) -> None:
    connection.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")


def _cells(rows: Sequence[tuple[object, ...]], names: Sequence[str]) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    for area, period, *values in rows:
        cells.extend(Cell(name, str(area), str(period), int(str(value)))
                     for name, value in zip(names, values, strict=True))
    return tuple(sorted(cells, key=CELL_ORDER))


#: An offence's month as one number (months since year 0), and that month's first day.
_MONTH = "year(offence_date) * 12 + month(offence_date) - 1"
_MONTH_START = "make_date(CAST(month // 12 AS INTEGER), CAST(month % 12 + 1 AS INTEGER), 1)"


def _count_incidents(connection: duckdb.DuckDBPyConnection, definition: Definition,
                     sources: Sequence[RecordSource], lookup: Sequence[RecordSource],
                     granularity: Granularity) -> Counts:
    # read where they are: one scan checks every record and counts the usable ones
    # a crime reference given twice is one crime: the repeat is a row left out
    scan = scan_view(connection, "records",
                     [with_published_headers(source) for source in sources], SCHEMAS[INCIDENTS],
                     unique=("incident_id", DUPLICATE_INCIDENT))
    relation, area = _area_sql(connection, lookup, "records")
    names = [category.id for category in definition.categories]
    flags = [f"{category_sql(definition, category)} AS {_quote(category.id)}"
             for category in definition.categories]
    any_of = " OR ".join(_quote(name) for name in names)
    sums = ", ".join(f"sum({_quote(name)}::INTEGER) AS {_quote(name)}" for name in names)
    totals = ", ".join(f"sum({_quote(name)})" for name in [*names, ANY, "rows"])
    # counted by month as a number, then labelled: a label built for every record costs
    # more than reading it
    found, table = tally(connection, scan, (
        f"SELECT _file, _reject, area, {period_sql(_MONTH_START, Granularity.MONTH)} AS period, "
        f"{totals} FROM (SELECT _file, _reject, area, month, {sums}, "
        f"sum(({any_of})::INTEGER) AS {ANY}, count(*) AS rows "
        f"FROM (SELECT _file, _reject, {area} AS area, {_MONTH} AS month, {', '.join(flags)} "
        f"FROM {relation}) GROUP BY ALL) GROUP BY ALL ORDER BY ALL"))
    no_area = sum(int(row[-1]) for row in found if row[0] == NO_AREA)
    notes = (f"{no_area} records have no area (no area given and no LSOA found in the "
             f"lookup): counted under {NO_AREA}.",) if no_area else ()
    return _counts(definition, INCIDENTS, granularity, table,
                   _cells([row[:-1] for row in found], [*names, ANY]), notes=notes)


def _fy_from_text(text_sql: str) -> str:
    """The start year of a financial year written ``2023/24`` or ``2023-24``."""
    return f"CAST(left({text_sql}, 4) AS INTEGER)"


def _coarse_period(start_sql: str, quarter_sql: str | None, month_sql: str | None,
                   granularity: Granularity) -> str:
    if granularity is Granularity.MONTH and month_sql is not None:
        return month_sql
    year = _fy_label(start_sql)
    if granularity is Granularity.YEAR:
        return year
    assert quarter_sql is not None
    return f"{year} || ' Q' || ({quarter_sql})::VARCHAR"


def _count_csp(connection: duckdb.DuckDBPyConnection, definition: Definition,
               sources: Sequence[RecordSource], granularity: Granularity) -> Counts:
    if granularity is Granularity.MONTH:
        raise RecordsError("the CSP open data table is quarterly: count it --by quarter or year")
    table = _load(connection, "csp", sources)
    resolved, unresolved = [], []
    for category in definition.categories:
        missing = category_needs(definition, category) - {"offence code"}
        if missing:
            unresolved.append(Unresolved(
                category.id, f"needs {', '.join(sorted(missing))}, which the CSP open data "
                "table does not carry (it counts offences by code only)"))
        else:
            resolved.append(category)
    period = _coarse_period(_fy_from_text("financial_year"), "financial_quarter", None,
                            Granularity.QUARTER)
    cells: tuple[Cell, ...] = ()
    if resolved:
        # A code-only category is a set of codes; exclusions by code take codes out.
        sums = ", ".join(
            f"sum(CASE WHEN {category_sql(definition, category)} "
            f"THEN number_of_offences ELSE 0 END)" for category in resolved)
        names = [category.id for category in resolved]
        if not unresolved:  # "any category" only when every category is counted
            any_of = " OR ".join(category_sql(definition, category) for category in resolved)
            sums += f", sum(CASE WHEN {any_of} THEN number_of_offences ELSE 0 END)"
            names.append(ANY)
        rows = connection.execute(
            f"SELECT csp_name AS area, {period} AS period, {sums} "
            "FROM csp GROUP BY ALL ORDER BY ALL").fetchall()
        cells = _cells(rows, names)
    notes = (NOT_ANY,) if unresolved else ()
    return _counts(definition, CSP_OFFENCES, granularity, table, cells,
                   finest=Granularity.QUARTER, unresolved=tuple(unresolved), notes=notes)


def _count_street(connection: duckdb.DuckDBPyConnection, definition: Definition,
                  sources: Sequence[RecordSource], lookup: Sequence[RecordSource],
                  granularity: Granularity) -> Counts:
    table = _load(connection, "records", sources)
    relation, area = _area_sql(connection, lookup, "records", own_area=False)
    period = "month"  # YYYY-MM, checked by the reader
    resolved: list[Category] = []
    unresolved: list[Unresolved] = []
    for category in definition.categories:
        if category.coarse_exact:
            resolved.append(category)
            continue
        bound = None
        if category.coarse_within:
            types = ", ".join(sql_literal(kind) for kind in category.coarse_within)
            found = connection.execute(
                f"SELECT count(*) FROM records WHERE crime_type IN ({types})").fetchone()
            bound = int(found[0]) if found else 0
        unresolved.append(Unresolved(
            category.id, "police.uk gives only coarse crime types, none of which holds "
            "exactly this category", bound, category.coarse_within))
    cells: tuple[Cell, ...] = ()
    names = [category.id for category in resolved]
    if resolved:
        kinds = [[sql_literal(kind) for kind in c.coarse_exact] for c in resolved]
        if not unresolved:  # "any category" only when every category is counted
            kinds.append(sorted({kind for each in kinds for kind in each}))
            names.append(ANY)
        sums = ", ".join(f"sum((crime_type IN ({', '.join(each)}))::INTEGER)"
                         for each in kinds)
        rows = connection.execute(
            f"SELECT {area} AS area, {period} AS period, {sums} FROM {relation} "
            f"GROUP BY ALL ORDER BY ALL").fetchall()
        cells = _cells(rows, names)
    notes = _street_areas(connection, bool(lookup))
    if unresolved:
        notes += (NOT_ANY,)
    return _counts(definition, STREET_CRIME, granularity, table, cells,
                   unresolved=tuple(unresolved), notes=notes)


def _street_areas(connection: duckdb.DuckDBPyConnection, lookup: bool) -> tuple[str, ...]:
    """Why street-level rows have no area: no LSOA code, or one the lookup lacks (the codes
    named: an LSOA is an area of about 1,500 people, never a person)."""
    missing = ("lsoa_code NOT IN (SELECT lsoa_code FROM lsoa_areas)" if lookup else "true")
    found = connection.execute(
        "SELECT count(*) FILTER (WHERE lsoa_code IS NULL), "
        f"count(*) FILTER (WHERE lsoa_code IS NOT NULL AND {missing}), "
        f"list(DISTINCT lsoa_code ORDER BY lsoa_code) FILTER (WHERE lsoa_code IS NOT NULL "
        f"AND {missing}) FROM records").fetchone()
    assert found is not None
    blank, unknown, codes = int(found[0]), int(found[1]), list(found[2] or [])
    if not blank and not unknown:
        return ()
    parts = []
    if blank:
        parts.append(f"{blank:,} {'has' if blank == 1 else 'have'} no LSOA code")
    if unknown:
        shown = ", ".join(codes[:MAX_CODES]) + (
            f" and {len(codes) - MAX_CODES:,} more" if len(codes) > MAX_CODES else "")
        parts.append(f"{unknown:,} {'has' if unknown == 1 else 'have'} an LSOA code the "
                     f"lookup does not hold ({len(codes):,} code"
                     f"{'' if len(codes) == 1 else 's'}: {shown})" if lookup else
                     f"{unknown:,} {'has' if unknown == 1 else 'have'} an LSOA code and no "
                     "lsoa-lookup was given to roll it up")
    return (f"{blank + unknown:,} records have no area, counted under {NO_AREA}: "
            f"{'; '.join(parts)}.",)
