"""Whether a records file can be reported from: some row usable, at most a share left out.

A file every row of which is left out would give a table of zeros; one leaving out more than
a pack-set share gives figures nobody should trust. Both are errors, never a silent table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from vpp_core.plugin_api.formatting import format_share
from vpp_core.plugin_api.results import Evidence, Finding, Quantity, Status, Subject, Unit
from vpp_core.records.tables import LoadedTable

#: The share of a file's rows that may be left out when no pack sets one.
DEFAULT_MAXIMUM_LEFT_OUT = Decimal("0.05")


def file_problem(read: int, used: int, maximum: Decimal) -> str:
    """Why a file of ``read`` rows, ``used`` of them usable, cannot be reported from
    (``""`` when it can): no usable row, or more than ``maximum`` of its rows left out."""
    if not used:
        return "no row can be counted"
    if Decimal(read - used) / read > maximum:
        return f"more than {format_share(maximum)} of its rows are left out"
    return ""


def unusable_files(table: LoadedTable, maximum: Decimal) -> tuple[tuple[str, int, int, str], ...]:
    """The files of ``table`` that cannot be reported from: ``(file, read, used, problem)``."""
    return tuple((file, read, used, problem) for file, read, used in table.file_rows
                 if (problem := file_problem(read, used, maximum)))


def file_findings(kind: str, table: LoadedTable, maximum: Decimal) -> Iterator[Finding]:
    """One finding per file of ``table`` (records of ``kind``): it gives usable rows, with at
    most ``maximum`` of them left out, each reason it left rows out as a note."""
    for file, read, used in table.file_rows:
        problem = file_problem(read, used, maximum)
        share = Decimal(read - used) / read if read else Decimal(1)
        verdict = f"{problem}: every count from it would be 0" if not used else problem
        read_as = table.read_as(file)
        yield Finding(
            Subject("records-file", file),
            Status.FAIL if problem else Status.PASS,
            f"{kind} file {file}: {used:,} of {read:,} rows usable, {read - used:,} left out "
            f"({format_share(share)}): {verdict or 'usable'}"
            + (f"; {read_as.removeprefix(f'{file}: ')}" if read_as else ""),
            Evidence(
                measured=Quantity("share left out", share, Unit.SHARE, f"records:{kind}"),
                operator="<=",
                threshold=Quantity("maximum share left out", maximum, Unit.SHARE),
                parts=(Quantity("rows read", Decimal(read), Unit.COUNT),
                       Quantity("rows usable", Decimal(used), Unit.COUNT)),
                notes=(*((read_as,) if read_as else ()),
                       *(f"{reason}: {count}" for shown, reason, count in table.reasons
                         if shown == file)),
            ),
        )


def files_usable_findings(tables: Iterable[tuple[str, LoadedTable]],
                 params: Mapping[str, Any]) -> Iterator[Finding]:
    """:func:`file_findings` for each ``(kind, table)``, allowing the share the rule's
    ``maximum_share_left_out`` sets (:data:`DEFAULT_MAXIMUM_LEFT_OUT` where it sets none)."""
    maximum = Decimal(params.get("maximum_share_left_out", DEFAULT_MAXIMUM_LEFT_OUT))
    for kind, table in tables:
        yield from file_findings(kind, table, maximum)
