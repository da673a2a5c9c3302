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
from datetime import date
from decimal import Decimal

import attrs

from vpp_core import (
    LEFT_OUT_RULE,
    Audience,
    DisclosurePolicy,
    LoadedTable,
    Strategy,
    file_problem,
)
from vpp_plugins.targets.counting import COUNTING_RULE, TargetCounts
from vpp_plugins.targets.lines import TargetLine, age_bands, cohorts, target_lines
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
    referred_only: str = ""  # people only referred: beside the target, never in it


@attrs.frozen
class Total:
    cohort: str
    target: int
    stated_target: int | None
    reached: str
    referred_only: str = ""


@attrs.frozen
class LeftOut:
    """Rows of one file left out for one reason, with the first row numbers."""

    kind: str
    file: str
    reason: str
    count: int
    rows: tuple[int, ...]


@attrs.frozen
class FileAccount:
    """One records file: rows read and used, and whether it can be counted from (TGT004)."""

    kind: str
    file: str
    read: int
    used: int
    problem: str  # empty when usable
    read_as: str = ""  # "FILE: read as Windows-1252 (not UTF-8)"; empty when read as UTF-8


@attrs.frozen
class TargetsReport:
    title: str
    financial_year: str
    as_of: str
    as_of_note: str
    records_end: str  # the last day any usable row records ("" without rows)
    last_counted: str  # the last day of an event that counts ("" without one)
    engagement_events: tuple[str, ...]
    window: str
    audience: str
    statement: str
    lines: tuple[Line, ...]
    totals: tuple[Total, ...]
    unique_people: str
    unique_by_cohort: tuple[tuple[str, str], ...]
    rows_read: tuple[tuple[str, int, int], ...]  # (kind, read, used)
    left_out: tuple[LeftOut, ...]
    files: tuple[FileAccount, ...] = ()
    unique_outside_bands: str = ""
    empty_rows: tuple[tuple[str, int], ...] = ()  # (kind, CSV rows of empty cells skipped)
    counting_rule: str = COUNTING_RULE
    left_out_rule: str = LEFT_OUT_RULE
    #: Q1–Q4 are the financial year's: which windows run outside it ("" when none does)
    quarters_note: str = ""

    @property
    def unusable_files(self) -> tuple[FileAccount, ...]:
        """Files no count can be trusted from: nothing usable, or too much left out."""
        return tuple(file for file in self.files if file.problem)


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


def _files(kind: str, table: LoadedTable | None, maximum: Decimal) -> list[FileAccount]:
    if table is None:
        return []
    return [FileAccount(kind, file, read, used, file_problem(read, used, maximum),
                        table.read_as(file)) for file, read, used in table.file_rows]


def build_report(
    strategy: Strategy,
    counts: TargetCounts,
    policy: DisclosurePolicy,
    *,
    amber_from: Decimal = DEFAULT_AMBER_FROM,
    green_from: Decimal = DEFAULT_GREEN_FROM,
    rows_listed: int = 20,
    maximum_left_out: Decimal = Decimal("0.05"),
) -> TargetsReport:
    """The table for ``strategy`` from ``counts``, shown as ``policy`` allows; a file left
    out more than ``maximum_left_out`` of its rows is named as unusable."""
    lines = [
        line for line in target_lines(strategy) if counts.has_records_for(line.cohort)
    ]
    reached = [counts.count(line.key, line.cohort.id) for line in lines]
    referred = [counts.referred_only(line.key, line.cohort.id) for line in lines]
    hidden_lines: set[int] = set()
    hidden_referred: set[int] = set()
    for cohort in cohorts(strategy):
        members = [index for index, line in enumerate(lines) if line.cohort == cohort]
        hide = _hidden([reached[index] for index in members], policy, set())
        hidden_lines |= {members[position] for position in hide}
        hide = _hidden([referred[index] for index in members], policy, set())
        hidden_referred |= {members[position] for position in hide}
    shown_lines = []
    for index, line in enumerate(lines):
        progress = Progress.of(line, reached[index], counts.as_of, referred[index])
        quarters = counts.quarters(line.key, line.cohort.id)
        hide = set(range(4)) if index in hidden_lines else _hidden(quarters, policy, set())
        shown = _line(line, progress, policy, index in hidden_lines, hide,
                      quarters, amber_from, green_from)
        if line.is_people:
            shown = attrs.evolve(shown, referred_only=_show(
                referred[index], policy, index in hidden_referred))
        shown_lines.append(shown)
    totals = _totals(strategy, lines, reached, referred, policy)
    unique_counts = [count for _, count in counts.unique_by_cohort]
    labels = {cohort.id: cohort.label for cohort in age_bands(strategy)}
    hide_unique = _hidden(unique_counts, policy, set())
    rows_read = tuple(
        (kind, table.rows_read, table.rows_used)
        for kind, table in (("participant", counts.participants), ("training", counts.training))
        if table is not None
    )
    year = strategy.financial_year.period
    outside = sorted({(line.label, str(line.window)) for line in lines
                      if line.window.start < year.start or line.window.end > year.end})
    quarters_note = (
        f"Q1–Q4 are the quarters of {strategy.financial_year}: people counted in "
        + "; ".join(f"{label} ({window})" for label, window in outside)
        + " outside that year are in its Reached, in no quarter." if outside else "")
    return TargetsReport(
        quarters_note=quarters_note,
        title=f"{strategy.partnership.name}: targets {strategy.financial_year}",
        financial_year=str(strategy.financial_year),
        as_of=str(counts.as_of),
        as_of_note=_as_of_note(counts, min((line.window.start for line in lines),
                                           default=None)),
        records_end=str(counts.records_end or ""),
        last_counted=str(counts.last_counted or ""),
        engagement_events=counts.engagement_events,
        window=str(strategy.targets.window if strategy.targets else strategy.financial_year.period),
        audience=policy.audience.value,
        statement=policy.statement,
        lines=tuple(shown_lines),
        totals=totals,
        unique_people=policy.show(counts.unique_people) if counts.participants else "–",
        unique_by_cohort=tuple(
            (labels.get(cohort, cohort), _show(count, policy, index in hide_unique))
            for index, (cohort, count) in enumerate(counts.unique_by_cohort)
        ) if counts.participants else (),
        rows_read=rows_read,
        empty_rows=tuple(
            (kind, table.empty_rows)
            for kind, table in (("participant", counts.participants), ("training", counts.training))
            if table is not None and table.empty_rows
        ),
        left_out=tuple(
            _left_out("participant", counts.participants, rows_listed)
            + _left_out("training", counts.training, rows_listed)
        ),
        files=tuple(_files("participant", counts.participants, maximum_left_out)
                    + _files("training", counts.training, maximum_left_out)),
        unique_outside_bands=(policy.show(counts.unique_outside_bands)
                              if counts.participants and counts.unique_outside_bands else ""),
        counting_rule=counts.rule,
    )


def _as_of_note(counts: TargetCounts, first_start: date | None) -> str:
    """What the as-of day is, truly: given, the records' last day (saying so when that is
    before any target's window begins on ``first_start``), or the windows' end."""
    if counts.as_of_given:
        return "as given"
    if counts.records_end is None:
        return "the end of the targets' windows: the records hold no usable row"
    if counts.records_end > counts.as_of:
        return "the end of the targets' windows, which the records run past"
    if first_start is not None and counts.records_end < first_start:
        return (f"the last day the records cover, before any target's window begins on "
                f"{first_start}: no row of theirs can count")
    return "the last day the records cover"


def _line(line: TargetLine, progress: Progress, policy: DisclosurePolicy, hidden: bool,
          hidden_quarters: set[int], quarters: tuple[int, int, int, int],
          amber_from: Decimal, green_from: Decimal) -> Line:
    shown_quarters = [
        _show(count, policy, number in hidden_quarters) for number, count in enumerate(quarters)
    ]
    return Line(
        intervention=line.key,
        label=line.label,
        cohort=line.cohort.label,
        window=str(line.window),
        target=line.target,
        reached=_show(progress.reached, policy, hidden),
        percent=(percent(progress.share_of_target) if policy.audience is Audience.INTERNAL
                 else _shown_percent(progress.reached, line.target, policy, hidden)),
        expected=people(progress.expected),
        **_rag_and_status(progress, policy, hidden, amber_from, green_from),
        quarters=(shown_quarters[0], shown_quarters[1], shown_quarters[2], shown_quarters[3]),
    )


def _rag_and_status(progress: Progress, policy: DisclosurePolicy, hidden: bool,
                    amber_from: Decimal, green_from: Decimal) -> dict[str, str]:
    """A line's RAG and status; for a hidden count, only what every count it may stand for
    (1 to the threshold, for a suppressed one) gives alike, else hidden too, so that
    neither tells the count ("red" may mean exactly 1)."""
    def told(reached: int) -> tuple[str, str]:
        shown = attrs.evolve(progress, reached=reached)
        return shown.rag(amber_from, green_from).value, _status(shown, amber_from)

    if not hidden or policy.audience is Audience.INTERNAL:
        rag, status = told(progress.reached)
    else:
        alike = ({told(count) for count in range(1, policy.threshold)}
                 if policy.is_suppressed(progress.reached) else set())
        rag, status = alike.pop() if len(alike) == 1 else (HIDDEN, HIDDEN)
    return {"rag": rag, "status": status}


def _totals(strategy: Strategy, lines: Sequence[TargetLine], reached: Sequence[int],
            referred: Sequence[int], policy: DisclosurePolicy) -> tuple[Total, ...]:
    stated = {target.cohort: target.count
              for target in (strategy.targets.stated_totals if strategy.targets else ())}
    totals = []
    for cohort in cohorts(strategy):
        members = [index for index, line in enumerate(lines) if line.cohort == cohort]
        if not members:
            continue
        totals.append(Total(
            cohort=cohort.label,
            target=sum(lines[index].target for index in members),
            stated_target=stated.get(cohort.id),
            reached=policy.show(sum(reached[index] for index in members)),
            referred_only=("" if cohort.professionals
                           else policy.show(sum(referred[index] for index in members))),
        ))
    return tuple(totals)
