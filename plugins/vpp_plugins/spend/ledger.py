"""Read the spend records of a run once: the ledger summed by grant, line and day,
the profile, carry-overs, match-funding sources and milestones, with every row left out
counted (through the shared records reader).

The profile is the strategy's ``[[spend_profile]]``, or ``spend-profile`` records for a
strategy without one; both at once is an error, never a mix.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from vpp_core import (
    LoadedTable,
    MetricContext,
    RecordsError,
    RecordSource,
    Strategy,
    display_path,
    load_table,
    load_view,
    month_or_quarter,
    records_connection,
)
from vpp_plugins.spend.kinds import (
    CARRY_OVER,
    KINDS,
    MATCH_FUNDING,
    MILESTONES,
    PROFILE,
    SPEND,
)


class Spent(NamedTuple):
    """Spend on one grant and line on one day, summed over the ledger's rows, with the
    in-kind and secondment spend within it (``None``: none); a tuple: a large ledger gives
    thousands."""

    grant: str
    line: str
    day: date
    amount: Decimal
    in_kind: Decimal | None = None
    secondment: Decimal | None = None


class Repeated(NamedTuple):
    """A ledger row (date, grant, line, amount and reference) found in several spend
    files: each counts it again."""

    grant: str
    line: str
    day: date
    amount: Decimal
    files: tuple[str, ...]


#: Rows with a reference given alike in more than one spend file (``_file``: which file).
REPEATED_SQL = (
    'SELECT "grant"::VARCHAR, line::VARCHAR, "date", amount, '
    'list(DISTINCT _file ORDER BY _file) FROM {t} WHERE reference IS NOT NULL '
    'GROUP BY "grant", line, "date", amount, reference HAVING count(DISTINCT _file) > 1 '
    'ORDER BY ALL')


@attrs.frozen
class Planned:
    """Planned spend for a grant and line over a period (a month or a quarter)."""

    grant: str
    line: str
    period: str
    start: date
    end: date
    amount: Decimal


@attrs.frozen
class CarryOver:
    grant: str
    line: str | None
    spend_until: date
    amount: Decimal
    approved_by: str
    reference: str


@attrs.frozen
class MatchSource:
    """One evidenced source of match funding; ``amount`` or ``fte`` × ``annual_cost``."""

    grant: str
    partner: str
    type: str
    amount: Decimal | None
    fte: Decimal | None
    annual_cost: Decimal | None
    start: date
    end: date
    evidence: str


@attrs.frozen
class Milestone:
    intervention: str
    milestone: str
    due: date
    status: str
    completed: date | None


@attrs.frozen
class SpendRecords:
    """Everything read from the spend kinds, and the account of each kind's rows."""

    spent: tuple[Spent, ...] = ()
    planned: tuple[Planned, ...] = ()
    carry_overs: tuple[CarryOver, ...] = ()
    match_sources: tuple[MatchSource, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    #: Spend rows given in more than one spend file (compared only when there are several).
    repeated: tuple[Repeated, ...] = ()
    accounts: tuple[tuple[str, LoadedTable], ...] = ()
    #: ``spend_profile`` (the strategy's), ``records:spend-profile``, or "" (none given).
    profile_source: str = ""

    def account(self, kind: str) -> LoadedTable | None:
        return dict(self.accounts).get(kind)

    def given(self, kind: str) -> bool:
        return self.account(kind) is not None

    @property
    def has_profile(self) -> bool:
        return bool(self.profile_source)

    @property
    def last_day(self) -> date | None:
        return max((row.day for row in self.spent), default=None)


#: Where the profile came from, as evidence names it.
FROM_STRATEGY = "spend_profile"
FROM_RECORDS = f"records:{PROFILE}"


def planned(grant: str, line: str, period: str, amount: Decimal) -> Planned:
    days = month_or_quarter(period)
    return Planned(grant, line, period, days.start, days.end, amount)


#: Spend columns no figure uses (free text): left unread, so a large ledger reads faster;
#: the reference is read where there are several spend files, to find a row given twice.
UNREAD = frozenset({"partner", "reference"})


def _without(source: RecordSource, columns: frozenset[str]) -> RecordSource:
    return attrs.evolve(source, columns={ours: theirs for ours, theirs in source.columns.items()
                                         if ours not in columns})


def _refuse_overlaps(plans: Sequence[Planned], sources: Sequence[RecordSource]) -> None:
    """A :class:`RecordsError` where profile records plan one grant and line twice over
    some days (a month and its quarter), as the strategy's [[spend_profile]] refuses."""
    last: dict[tuple[str, str], Planned] = {}
    for plan in sorted(plans, key=lambda p: (p.grant, p.line, p.start, p.end)):
        before = last.get((plan.grant, plan.line))
        if before is not None and plan.start <= before.end:
            files = ", ".join(display_path(source.path) for source in sources)
            raise RecordsError(f"{files}: spend-profile records: {plan.grant} / {plan.line}: "
                               f"{plan.period} overlaps {before.period}; give each period's "
                               "plan once")
        last[(plan.grant, plan.line)] = plan


def read_spend_records(strategy: Strategy, sources: Sequence[RecordSource]) -> SpendRecords:
    """Load every spend kind among ``sources`` (those not given stay empty), in a
    connection capped in memory that spills to disk (a ledger may hold millions of rows)."""
    by_kind = {kind: [s for s in sources if s.kind == kind] for kind in KINDS}
    if strategy.spend_profile and by_kind[PROFILE]:
        files = ", ".join(display_path(source.path) for source in by_kind[PROFILE])
        raise RecordsError(
            f"{files}: spend-profile records given, but the strategy has its own spend profile "
            f"({len(strategy.spend_profile)} entries in [[spend_profile]]): give the profile "
            "in one place only")
    accounts: list[tuple[str, LoadedTable]] = []
    found: dict[str, list[tuple[Any, ...]]] = {}
    repeated: list[Repeated] = []
    queries = {
        # grouped by the coded values as stored (cheaper than by their text), then spelled
        # a row with no type (a finance export has no such column) is cash
        SPEND: 'SELECT "grant"::VARCHAR, line::VARCHAR, "date", amount, in_kind, secondment '
               'FROM (SELECT "grant", line, "date", sum(amount) AS amount, '
               'sum(amount) FILTER ("type" = \'in-kind\') AS in_kind, '
               'sum(amount) FILTER ("type" = \'secondment\') AS secondment '
               'FROM {t} GROUP BY ALL) ORDER BY ALL',
        PROFILE: 'SELECT "grant"::VARCHAR, line::VARCHAR, period, sum(amount) '
                 'FROM {t} GROUP BY ALL ORDER BY ALL',
        CARRY_OVER: 'SELECT "grant"::VARCHAR, line::VARCHAR, spend_until, amount, approved_by, '
                    'reference FROM {t} ORDER BY ALL',
        MATCH_FUNDING: 'SELECT "grant"::VARCHAR, partner, "type"::VARCHAR, amount, fte, '
                       'annual_cost, start, "end", evidence FROM {t} ORDER BY ALL',
        MILESTONES: 'SELECT intervention::VARCHAR, milestone, due, status::VARCHAR, completed '
                    'FROM {t} ORDER BY due, intervention, milestone',
    }
    with records_connection("vpp-spend-") as connection:
        for kind, chosen in by_kind.items():
            if not chosen:
                continue
            read = load_view if kind == SPEND else load_table  # a ledger is large: in place
            name = kind.replace("-", "_")
            schema = KINDS[kind].schema_for(strategy)
            several = kind == SPEND and len(chosen) > 1
            if kind == SPEND:  # the free-text columns no figure uses are not read
                unread = UNREAD - {"reference"} if several else UNREAD
                chosen = [_without(source, unread) for source in chosen]
                schema = attrs.evolve(schema, columns=tuple(
                    c for c in schema.columns if c.name not in unread))
            table = read(connection, name, chosen, schema)
            accounts.append((kind, table))
            found[kind] = connection.execute(queries[kind].format(t=name)).fetchall()
            if several:
                repeated = [Repeated(grant, line, day, amount,
                                     tuple(table.files[index] for index in files))
                            for grant, line, day, amount, files in connection.execute(
                                REPEATED_SQL.format(t=name)).fetchall()]
    if strategy.spend_profile:
        plans = [planned(e.grant, e.line, e.period, e.amount) for e in strategy.spend_profile]
        source = FROM_STRATEGY
    else:
        plans = [planned(*row) for row in found.get(PROFILE, [])]
        source = FROM_RECORDS if PROFILE in found else ""
        _refuse_overlaps(plans, by_kind[PROFILE])
    return SpendRecords(
        spent=tuple(map(Spent._make, found.get(SPEND, []))),
        planned=tuple(plans),
        carry_overs=tuple(CarryOver(*row) for row in found.get(CARRY_OVER, [])),
        match_sources=tuple(MatchSource(*row) for row in found.get(MATCH_FUNDING, [])),
        milestones=tuple(Milestone(*row) for row in found.get(MILESTONES, [])),
        repeated=tuple(repeated),
        accounts=tuple(accounts),
        profile_source=source,
    )


#: Spend records a caller read for the audit it runs within :func:`records_read` (``vpp
#: return`` reads them for its own sections too), so the audit does not read them again.
_ALREADY_READ: ContextVar[tuple[Strategy, list[RecordSource], SpendRecords] | None] = (
    ContextVar("vpp_spend_records_read", default=None))


@contextmanager
def records_read(strategy: Strategy, sources: Sequence[RecordSource],
                 records: SpendRecords) -> Iterator[None]:
    """Within this block, an audit of ``strategy`` with these spend ``sources`` takes
    ``records`` (already read from them) instead of reading them again."""
    token = _ALREADY_READ.set((strategy, list(sources), records))
    try:
        yield
    finally:
        _ALREADY_READ.reset(token)


def spend_records(context: MetricContext) -> SpendRecords:
    """The run's spend records, read once and shared by every check and metric."""
    def read() -> SpendRecords:
        sources = [s for s in context.records if s.kind in KINDS]
        given = _ALREADY_READ.get()
        if given is not None and given[0] == context.strategy and given[1] == sources:
            return given[2]
        return read_spend_records(context.strategy, sources)

    return context.memo(("spend-records",), read)
