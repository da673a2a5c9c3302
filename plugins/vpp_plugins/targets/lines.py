"""The lines of a strategy's targets table: one per row and cohort, with its window.

The cohorts are the strategy's own (``[[targets.cohorts]]``): age bands counted from
participant records, and professionals trained counted from training records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from vpp_core import Cohort, Period, UsageError

if TYPE_CHECKING:
    from vpp_core import Strategy


@attrs.frozen
class TargetLine:
    """One cell of the targets table: a row's target for one cohort, over its window.

    ``key`` is the intervention id, or the strand id for a strand's own row (sustainable
    training); ``path`` is the field path of the target in the strategy.
    """

    key: str
    label: str
    cohort: Cohort
    target: int
    window: Period
    path: str

    @property
    def reference(self) -> str:
        """``key/cohort``: how metrics name this line."""
        return f"{self.key}/{self.cohort.id}"

    @property
    def is_people(self) -> bool:
        """Counted from participant records (not training)."""
        return not self.cohort.professionals


def cohorts(strategy: Strategy) -> tuple[Cohort, ...]:
    """The targets table's cohorts, in its order (none without a table)."""
    return strategy.targets.cohorts if strategy.targets else ()


def age_bands(strategy: Strategy) -> tuple[Cohort, ...]:
    """The cohorts people are placed in by age."""
    return strategy.targets.people_cohorts if strategy.targets else ()


def band_of(strategy: Strategy, age: int) -> Cohort | None:
    """The age band holding ``age``, if any (bands never overlap)."""
    return next((band for band in age_bands(strategy) if band.holds(age)), None)


def target_lines(strategy: Strategy) -> tuple[TargetLine, ...]:
    """Every target the table sets, in its order (row, then cohort as printed)."""
    table = strategy.targets
    if table is None:
        return ()
    lines = []
    for row_index, row in enumerate(table.rows):
        key = row.intervention or row.strand
        if key is None:
            continue
        for target_index, target in enumerate(row.targets):
            cohort = table.cohort(target.cohort)
            if cohort is None:  # loading refuses this; a strategy built in code may not
                raise UsageError(f"targets.rows[{row_index}].targets[{target_index}].cohort: "
                                 f"unknown cohort {target.cohort!r}")
            lines.append(
                TargetLine(
                    key=key,
                    label=row.label.rstrip("*").strip(),
                    cohort=cohort,
                    target=target.count,
                    window=row.window or table.window,
                    path=f"targets.rows[{row_index}].targets[{target_index}]",
                )
            )
    return tuple(lines)


def windows(strategy: Strategy, keys: frozenset[str]) -> dict[str, Period]:
    """The monitoring window for each intervention or strand key: its row's, else the table's."""
    default = strategy.targets.window if strategy.targets else strategy.financial_year.period
    found = dict.fromkeys(keys, default)
    for line in target_lines(strategy):
        if line.key in found:
            found[line.key] = line.window
    return found


def find_line(strategy: Strategy, reference: str) -> TargetLine:
    """The line named ``INTERVENTION/COHORT``; a :class:`UsageError` if the table has none."""
    key, _, cohort = reference.partition("/")
    for line in target_lines(strategy):
        if line.key == key and line.cohort.id == cohort:
            return line
    known = ", ".join(line.reference for line in target_lines(strategy)) or "none"
    raise UsageError(f"no target {reference!r} in the targets table (targets: {known})")
