"""Target checks: one finding per line of the targets table (intervention × cohort)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from vpp_core import (
    DEFAULT_MAXIMUM_LEFT_OUT,
    CheckContext,
    CheckSpec,
    Evidence,
    Finding,
    LoadedTable,
    ParameterSpec,
    Quantity,
    Status,
    Subject,
    Unit,
    files_usable_findings,
)
from vpp_plugins.targets.counting import TargetCounts, counts_for, engagement_events
from vpp_plugins.targets.lines import TargetLine, target_lines
from vpp_plugins.targets.metrics import line_parts, progress_of
from vpp_plugins.targets.progress import (
    DEFAULT_AMBER_FROM,
    DEFAULT_GREEN_FROM,
    Progress,
    cents,
    people,
    percent,
)
from vpp_plugins.targets.schemas import ENGAGEMENTS, PARTICIPANTS, TRAINING


def _notes(counts: TargetCounts) -> tuple[str, ...]:
    return (
        f"New people: first engagement ({', '.join(counts.engagement_events) or 'none'}) in "
        "the window; continuing people not counted; cohort by age at first engagement; "
        "people only referred shown beside the target, not in it. Exact counts; no person "
        "id reported.",
    )


def subject(line: TargetLine) -> Subject:
    return Subject("target", line.reference, f"{line.label}, {line.cohort.label}")


def _referred(progress: Progress) -> str:
    if not progress.line.is_people:
        return ""
    return f"; {progress.referred_only} referred only, not counted"


def _lines(
    context: CheckContext,
) -> Iterator[tuple[TargetLine, Progress | None, TargetCounts | None]]:
    """Each target line with its progress, or ``None`` where its records were not given."""
    counts: TargetCounts | None = None
    for line in target_lines(context.strategy):
        kind = PARTICIPANTS if line.is_people else TRAINING
        if not context.records_of(kind):
            yield line, None, None
            continue
        counts = counts or counts_for(context, engagement_events(context.params))
        yield line, progress_of(line, counts), counts


def _not_supplied(line: TargetLine) -> Finding:
    kind = PARTICIPANTS if line.is_people else TRAINING
    return Finding(
        subject(line), Status.NOT_APPLICABLE,
        f"{line.label} ({line.cohort.label}): {kind} records were not supplied, "
        f"so the target of {line.target} cannot be checked",
    )


def _evidence(progress: Progress, counts: TargetCounts, threshold: Quantity,
              shortfall: int, *notes: str) -> Evidence:
    return Evidence(
        measured=Quantity("reached", Decimal(progress.reached), Unit.PEOPLE,
                          f"records:{PARTICIPANTS if progress.line.is_people else TRAINING}"),
        operator=">=",
        threshold=threshold,
        parts=line_parts(progress, counts),
        shortfall=Quantity("people short", Decimal(shortfall), Unit.PEOPLE) if shortfall else None,
        notes=(*notes, *_notes(counts)),
    )


def met_by_year_end(context: CheckContext) -> Iterator[Finding]:
    """Each target reached by the end of its window (not applicable before it ends)."""
    for line, progress, counts in _lines(context):
        if progress is None or counts is None:
            yield _not_supplied(line)
            continue
        what = f"{line.label} ({line.cohort.label})"
        target = Quantity("target", Decimal(line.target), Unit.PEOPLE, line.path)
        if not progress.window_over:
            yield Finding(
                subject(line), Status.NOT_APPLICABLE,
                f"{what}: the window runs to {line.window.end}; as of {progress.as_of}, "
                f"{progress.reached} of {line.target} reached{_referred(progress)}",
                _evidence(progress, counts, target, 0),
            )
            continue
        shortfall = max(0, line.target - progress.reached)
        status = Status.PASS if progress.met else Status.FAIL
        verdict = "met" if progress.met else f"not met, {shortfall} short"
        yield Finding(
            subject(line), status,
            f"{what}: {progress.reached} of {line.target} new people reached in "
            f"{line.window} ({percent(progress.share_of_target)}): {verdict}"
            f"{_referred(progress)}",
            _evidence(progress, counts, target, shortfall),
        )


def on_trajectory(context: CheckContext) -> Iterator[Finding]:
    """Each target at least ``minimum_share_of_trajectory`` of its pro-rata expectation."""
    minimum = Decimal(context.params.get("minimum_share_of_trajectory", DEFAULT_AMBER_FROM))
    green = Decimal(context.params.get("green_share_of_trajectory", DEFAULT_GREEN_FROM))
    for line, progress, counts in _lines(context):
        if progress is None or counts is None:
            yield _not_supplied(line)
            continue
        what = f"{line.label} ({line.cohort.label})"
        needed = progress.expected * minimum
        threshold = Quantity(f"{percent(minimum)} of expected", cents(needed), Unit.PEOPLE,
                             f"{line.target} × {progress.elapsed_days}/{progress.window_days}"
                             f" days × {minimum}")
        if not progress.started:
            yield Finding(
                subject(line), Status.NOT_APPLICABLE,
                f"{what}: the window starts {line.window.start}, after {progress.as_of}",
            )
            continue
        rag = progress.rag(minimum, green)
        shortfall = progress.shortfall(minimum)
        status = Status.PASS if progress.reached >= needed else Status.FAIL
        yield Finding(
            subject(line), status,
            f"{what}: {progress.reached} reached by {progress.as_of} against "
            f"{people(progress.expected)} expected pro rata "
            f"({percent(progress.share_of_trajectory)} of trajectory, {rag.value})"
            + (f"; {shortfall} short of {percent(minimum)}" if shortfall else ""),
            _evidence(progress, counts, threshold, shortfall, f"RAG: {rag.value} (green from "
                      f"{percent(green)} of trajectory, amber from {percent(minimum)})"),
        )


def _tables(context: CheckContext) -> Finding | list[tuple[str, LoadedTable]]:
    """The participant and training tables read, by kind; a not-applicable finding when
    neither kind of record was given."""
    if not any(context.records_of(kind) for kind in (PARTICIPANTS, TRAINING)):
        return Finding(Subject("records", "targets"), Status.NOT_APPLICABLE,
                       "participant and training records were not supplied")
    counts = counts_for(context, engagement_events(context.params))
    return [(kind, table) for kind, table in ((PARTICIPANTS, counts.participants),
                                              (TRAINING, counts.training)) if table is not None]


def rows_usable(context: CheckContext) -> Iterator[Finding]:
    """Rows left out of the counts (bad dates, unknown interventions…) at most a share."""
    maximum = Decimal(context.params.get("maximum_share_left_out", Decimal(0)))
    tables = _tables(context)
    if isinstance(tables, Finding):
        yield tables
        return
    for kind, table in tables:
        share = Decimal(table.rows_rejected) / table.rows_read if table.rows_read else Decimal(0)
        status = Status.PASS if share <= maximum else Status.FAIL
        reasons = tuple(f"{file}: {reason}: {count}" for file, reason, count in table.reasons)
        first = tuple(f"{row.file}: row {row.row}: {row.reason}" for row in table.rejected[:20])
        yield Finding(
            Subject("records", kind), status,
            f"{kind} records: {table.rows_rejected} of {table.rows_read} rows left out "
            f"of the counts ({share * 100:.2f}%)",
            Evidence(
                measured=Quantity("share left out", share, Unit.SHARE, f"records:{kind}"),
                operator="<=",
                threshold=Quantity("maximum share left out", maximum, Unit.SHARE),
                parts=(Quantity("rows read", Decimal(table.rows_read), Unit.COUNT),
                       Quantity("rows left out", Decimal(table.rows_rejected), Unit.COUNT)),
                notes=(*reasons, *first),
            ),
        )


def files_usable(context: CheckContext) -> Iterator[Finding]:
    """Each participant and training file gives usable rows, with at most a share left out."""
    tables = _tables(context)
    yield from [tables] if isinstance(tables, Finding) else files_usable_findings(
        tables, context.params)


_EVENTS = ParameterSpec(
    "engagement_events", "strings",
    "Event types that count as an engagement; people with only other events (a referral) "
    "are shown as referred only.", required=False, default=ENGAGEMENTS)


def check_specs() -> list[CheckSpec]:
    return [
        CheckSpec("targets-met-by-year-end", met_by_year_end,
                  "Each target in the targets table is reached by the end of its window.",
                  parameters=(_EVENTS,)),
        CheckSpec(
            "targets-on-trajectory", on_trajectory,
            "Each target has reached at least a share of its pro-rata expectation to date.",
            parameters=(
                _EVENTS,
                ParameterSpec("minimum_share_of_trajectory", "decimal",
                              "Below this share of the expectation a line fails (red).",
                              required=False, default=DEFAULT_AMBER_FROM),
                ParameterSpec("green_share_of_trajectory", "decimal",
                              "From this share of the expectation a line is green.",
                              required=False, default=DEFAULT_GREEN_FROM),
            ),
        ),
        CheckSpec(
            "records-rows-usable", rows_usable,
            "At most a share of participant and training rows is left out of the counts.",
            parameters=(
                ParameterSpec("maximum_share_left_out", "decimal",
                              "The largest share of rows that may be left out.",
                              required=False, default=Decimal(0)),
                _EVENTS,
            ),
        ),
        CheckSpec(
            "records-files-usable", files_usable,
            "Every participant and training file gives usable rows, with at most a share of "
            "them left out: never a silent table of zeros.",
            parameters=(
                ParameterSpec("maximum_share_left_out", "decimal",
                              "The largest share of a file's rows that may be left out.",
                              required=False, default=DEFAULT_MAXIMUM_LEFT_OUT),
                _EVENTS,
            ),
        ),
    ]
