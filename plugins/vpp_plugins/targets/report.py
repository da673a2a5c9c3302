"""The targets table an analyst sends the Home Office, as data, with disclosure applied.

:func:`build_report` turns the counts into rows of display values: exact for an internal
report, through a :class:`~vpp_core.records.disclosure.DisclosurePolicy` for a published one. A
published table also hides what could be worked back from the totals (secondary
suppression): where one cell of a column, a line's quarters or the unique-people split
is hidden, the next smallest is hidden too, and a hidden line hides its quarters.
Renderers for text, JSON and CSV are in :mod:`vpp_plugins.targets.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from vpp_core import LEFT_OUT_RULE, Audience, Cohort, DisclosurePolicy, LoadedTable, Strategy
from vpp_plugins.targets.counting import COUNTING_RULE, TargetCounts
from vpp_plugins.targets.lines import COHORT_LABELS, TargetLine, target_lines
from vpp_plugins.targets.progress import (
    DEFAULT_AMBER_FROM,
    DEFAULT_GREEN_FROM,
    Progress,
    people,
    percent,
)

HIDDEN = "*"  # a cell hidden so that a suppressed one cannot be worked back


@attrs.frozen
class Line:
    """One row of the printed table; counts are display strings."""

    intervention: str
    label: str
    cohort: str
    window: str
    target: int
    reached: str
    percent: str
    expected: str
    rag: str
    status: str
    quarters: tuple[str, str, str, str]


@attrs.frozen
class Total:
    cohort: str
    target: int
    stated_target: int | None
    reached: str


@attrs.frozen
class LeftOut:
    """Rows of one file left out for one reason, with the first row numbers."""

    kind: str
    file: str
    reason: str
    count: int
    rows: tuple[int, ...]


@attrs.frozen
class TargetsReport:
    title: str
    financial_year: str
    as_of: str
    as_of_note: str
    window: str
    audience: str
    statement: str
    lines: tuple[Line, ...]
    totals: tuple[Total, ...]
    unique_people: str
    unique_by_cohort: tuple[tuple[str, str], ...]
    rows_read: tuple[tuple[str, int, int], ...]  # (kind, read, used)
    left_out: tuple[LeftOut, ...]
    counting_rule: str = COUNTING_RULE
    left_out_rule: str = LEFT_OUT_RULE


def _hidden(counts: Sequence[int], policy: DisclosurePolicy, hidden: set[int]) -> set[int]:
    """Cells to hide in a group whose total is shown: the suppressed ones, and when only
    one is hidden, the smallest other non-zero one as well."""
    if policy.audience is Audience.INTERNAL:
        return set()
    hide = set(hidden) | {
        index for index, count in enumerate(counts) if policy.is_suppressed(count)
    }
    if len(hide) == 1:
        others = [(count, index) for index, count in enumerate(counts)
                  if index not in hide and count > 0]
        if others:
            hide.add(min(others)[1])
    return hide


def _show(count: int, policy: DisclosurePolicy, hidden: bool) -> str:
    if hidden and not policy.is_suppressed(count):
        return HIDDEN
    return policy.show(count)


def _shown_percent(count: int, target: int, policy: DisclosurePolicy, hidden: bool) -> str:
    """The percentage of the shown (rounded) count; none for a hidden one."""
    shown = _show(count, policy, hidden)
    if not shown.isdigit() or not target:
        return percent(None)
    return percent(Decimal(int(shown)) / Decimal(target))


def _status(progress: Progress, amber_from: Decimal) -> str:
    if progress.window_over:
        return "met" if progress.met else "not met"
    if not progress.started:
        return "not started"
    share = progress.share_of_trajectory
    return "on trajectory" if share is None or share >= amber_from else "behind"


def _left_out(kind: str, table: LoadedTable | None, limit: int) -> list[LeftOut]:
    if table is None:
        return []
    return [
        LeftOut(kind, file, reason, count, tuple(
            row.row for row in table.rejected if row.file == file and row.reason == reason
        )[:limit])
        for file, reason, count in table.reasons
    ]


def build_report(
    strategy: Strategy,
    counts: TargetCounts,
    policy: DisclosurePolicy,
    *,
    amber_from: Decimal = DEFAULT_AMBER_FROM,
    green_from: Decimal = DEFAULT_GREEN_FROM,
    rows_listed: int = 20,
) -> TargetsReport:
    """The table for ``strategy`` from ``counts``, shown as ``policy`` allows."""
    lines = [
        line for line in target_lines(strategy) if counts.has_records_for(line.cohort)
    ]
    reached = [counts.count(line.key, line.cohort) for line in lines]
    hidden_lines: set[int] = set()
    for cohort in Cohort:
        members = [index for index, line in enumerate(lines) if line.cohort is cohort]
        hide = _hidden([reached[index] for index in members], policy, set())
        hidden_lines |= {members[position] for position in hide}
    shown_lines = []
    for index, line in enumerate(lines):
        progress = Progress.of(line, reached[index], counts.as_of)
        quarters = counts.quarters(line.key, line.cohort)
        hide = set(range(4)) if index in hidden_lines else _hidden(quarters, policy, set())
        shown_lines.append(_line(line, progress, policy, index in hidden_lines, hide,
                                 quarters, amber_from, green_from))
    totals = _totals(strategy, lines, reached, policy)
    unique_counts = [count for _, count in counts.unique_by_cohort]
    hide_unique = _hidden(unique_counts, policy, set())
    rows_read = tuple(
        (kind, table.rows_read, table.rows_used)
        for kind, table in (("participant", counts.participants), ("training", counts.training))
        if table is not None
    )
    return TargetsReport(
        title=f"{strategy.partnership.name}: targets {strategy.financial_year}",
        financial_year=str(strategy.financial_year),
        as_of=str(counts.as_of),
        as_of_note="as given" if counts.as_of_given else "the last day the records cover",
        window=str(strategy.targets.window if strategy.targets else strategy.financial_year.period),
        audience=policy.audience.value,
        statement=policy.statement,
        lines=tuple(shown_lines),
        totals=totals,
        unique_people=policy.show(counts.unique_people) if counts.participants else "–",
        unique_by_cohort=tuple(
            (COHORT_LABELS[cohort], _show(count, policy, index in hide_unique))
            for index, (cohort, count) in enumerate(counts.unique_by_cohort)
        ) if counts.participants else (),
        rows_read=rows_read,
        left_out=tuple(
            _left_out("participant", counts.participants, rows_listed)
            + _left_out("training", counts.training, rows_listed)
        ),
    )


def _line(line: TargetLine, progress: Progress, policy: DisclosurePolicy, hidden: bool,
          hidden_quarters: set[int], quarters: tuple[int, int, int, int],
          amber_from: Decimal, green_from: Decimal) -> Line:
    shown_quarters = [
        _show(count, policy, number in hidden_quarters) for number, count in enumerate(quarters)
    ]
    return Line(
        intervention=line.key,
        label=line.label,
        cohort=COHORT_LABELS[line.cohort],
        window=str(line.window),
        target=line.target,
        reached=_show(progress.reached, policy, hidden),
        percent=(percent(progress.share_of_target) if policy.audience is Audience.INTERNAL
                 else _shown_percent(progress.reached, line.target, policy, hidden)),
        expected=people(progress.expected),
        rag=progress.rag(amber_from, green_from).value,
        status=_status(progress, amber_from),
        quarters=(shown_quarters[0], shown_quarters[1], shown_quarters[2], shown_quarters[3]),
    )


def _totals(strategy: Strategy, lines: Sequence[TargetLine], reached: Sequence[int],
            policy: DisclosurePolicy) -> tuple[Total, ...]:
    stated = {target.cohort: target.count
              for target in (strategy.targets.stated_totals if strategy.targets else ())}
    totals = []
    for cohort in Cohort:
        members = [index for index, line in enumerate(lines) if line.cohort is cohort]
        if not members:
            continue
        totals.append(Total(
            cohort=COHORT_LABELS[cohort],
            target=sum(lines[index].target for index in members),
            stated_target=stated.get(cohort),
            reached=policy.show(sum(reached[index] for index in members)),
        ))
    return tuple(totals)
