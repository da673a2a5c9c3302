"""The checks on the spend records themselves: every row usable, every file giving usable
rows, and no ledger row in two files (overlapping exports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from vpp_core import (
    CheckContext,
    Evidence,
    Finding,
    Quantity,
    Status,
    Subject,
    Unit,
    files_usable_findings,
    format_money,
)
from vpp_plugins.spend.checks import missing_records, spend_money
from vpp_plugins.spend.figures import canonical_lines, labels
from vpp_plugins.spend.kinds import SPEND
from vpp_plugins.spend.ledger import Repeated, spend_records


def rows_usable(context: CheckContext) -> Iterator[Finding]:
    """Every row of each spend kind given can be used: those left out are listed by file,
    row and reason (never by value)."""
    records = spend_records(context)
    if not records.accounts:
        yield missing_records("the spend records' rows", SPEND)
        return
    for kind, table in records.accounts:
        yield Finding(
            Subject("records", kind), Status.PASS if table.rows_rejected == 0 else Status.FAIL,
            f"{kind} records: {table.rows_rejected} of {table.rows_read} rows left out",
            Evidence(
                measured=Quantity("rows left out", Decimal(table.rows_rejected), Unit.COUNT,
                                  f"records:{kind}"),
                operator="<=", threshold=Quantity("allowed", Decimal(0), Unit.COUNT),
                parts=(Quantity("rows read", Decimal(table.rows_read), Unit.COUNT),),
                notes=(*(f"{file}: {reason}: {count}" for file, reason, count in table.reasons),
                       *(f"{row.file}: row {row.row}: {row.reason}"
                         for row in table.rejected[:20])),
            ),
        )


def files_usable(context: CheckContext) -> Iterator[Finding]:
    """Every file of each spend kind given gives usable rows, with at most a share of them
    left out: figures from a ledger most of whose rows were left out are not to be trusted."""
    records = spend_records(context)
    if not records.accounts:
        yield missing_records("the spend files", SPEND)
        return
    yield from files_usable_findings(records.accounts, context.params)


def rows_not_repeated(context: CheckContext) -> Iterator[Finding]:
    """No ledger row (date, grant, line, amount and reference) is in more than one spend
    file: overlapping exports (a quarter's, then the year to date) count it again."""
    records = spend_records(context)
    table = records.account(SPEND)
    if table is None:
        yield missing_records("spend given in two files", SPEND)
        return
    if not records.repeated:
        yield Finding(Subject("records", SPEND), Status.PASS,
                      f"no spend row is in more than one of the {len(table.files)} spend files"
                      if len(table.files) > 1 else "one spend file: no row can be in two")
        return
    named, line_of = labels(context.strategy), canonical_lines(context.strategy)
    groups: dict[tuple[str, str], list[Repeated]] = defaultdict(list)
    for row in records.repeated:
        groups[(row.grant, line_of.get(row.line, row.line))].append(row)
    for (grant, line), rows in sorted(groups.items()):
        label = f"{named.get(grant, grant)} / {named.get(line, line)}"
        total = sum((row.amount for row in rows), Decimal(0))
        files = ", ".join(sorted({file for row in rows for file in row.files}))
        yield Finding(
            Subject("spend-line", f"{grant}/{line}", label), Status.FAIL,
            f"{label}: {format_money(total)} in {len(rows)} rows dated "
            f"{min(row.day for row in rows)} to {max(row.day for row in rows)} is in more "
            f"than one spend file ({files}): counted more than once",
            Evidence(measured=spend_money("spend in more than one file", total), operator="==",
                     threshold=spend_money("allowed", Decimal(0), ""),
                     notes=("Rows are compared by date, grant, line, amount and reference; a "
                            "row without a reference, or repeated within one file, is not.",)),
        )
