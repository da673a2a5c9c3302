"""Progress, metrics and checks on the targets, as a pack would run them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from vpp_plugins.targets.checks import check_specs
from vpp_plugins.targets.lines import find_line
from vpp_plugins.targets.metrics import metric_specs
from vpp_plugins.targets.progress import Progress, Rag

from tests.targets.conftest import PARTICIPANT_HEADER, write_rows
from vpp_core.loading.errors import UsageError
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import CheckContext, MetricContext, RecordSource
from vpp_core.plugin_api.results import Finding, Status

METRICS = {spec.name: spec for spec in metric_specs()}
CHECKS = {spec.name: spec for spec in check_specs()}


def op_paramount(reached: int, tmp_path: Path) -> RecordSource:
    """``reached`` new people for Op Paramount (target 50, 24 and under), first seen in May."""
    rows = [f"P{n},op-paramount,2024-05-01,2010-01-01,,start," for n in range(reached)]
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER, rows)
    return RecordSource("participants", path)


def run(check: str, strategy: Strategy, records: tuple[RecordSource, ...], as_of: date | None,
        **params: Decimal) -> dict[str, Finding]:
    context = CheckContext(strategy, METRICS, records, as_of, params=params)
    return {finding.subject.id: finding for finding in CHECKS[check].function(context)}


def test_progress_is_pro_rata_over_the_windows_days(strategy: Strategy) -> None:
    line = find_line(strategy, "op-paramount/24-and-under")  # target 50 over 365 days
    # 30 June 2024 is day 91 of 365 (April 30 + May 31 + June 30): expected 50 × 91/365.
    progress = Progress.of(line, 10, date(2024, 6, 30))
    assert progress.expected == Decimal(50 * 91) / Decimal(365)  # 12.47 people
    # 10 of 12.47 is 80% of trajectory: amber (from 75%), 3 people short of 100%.
    assert progress.rag() is Rag.AMBER
    assert progress.shortfall() == 3
    assert Progress.of(line, 9, date(2024, 6, 30)).rag() is Rag.RED  # 72%
    assert Progress.of(line, 13, date(2024, 6, 30)).rag() is Rag.GREEN
    assert Progress.of(line, 0, date(2024, 3, 31)).rag() is Rag.NOT_STARTED


def test_met_by_year_end_fails_short_of_the_target(strategy: Strategy, tmp_path: Path) -> None:
    findings = run("targets-met-by-year-end", strategy, (op_paramount(49, tmp_path),),
                   date(2025, 3, 31))
    finding = findings["op-paramount/24-and-under"]
    assert finding.status is Status.FAIL
    assert "49 of 50" in finding.message
    assert finding.evidence.shortfall is not None
    assert finding.evidence.shortfall.value == 1
    # Every line of the table has a finding: 14 in Thames Valley's; training lines are
    # not applicable without training records.
    assert len(findings) == 14
    assert findings["sustainable-training/professionals-trained"].status is Status.NOT_APPLICABLE
    assert "training records were not supplied" in (
        findings["sustainable-training/professionals-trained"].message
    )


def test_met_by_year_end_passes_at_the_target(strategy: Strategy, tmp_path: Path) -> None:
    findings = run("targets-met-by-year-end", strategy, (op_paramount(50, tmp_path),),
                   date(2025, 3, 31))
    assert findings["op-paramount/24-and-under"].status is Status.PASS


def test_met_by_year_end_waits_for_the_window_to_end(strategy: Strategy, tmp_path: Path) -> None:
    findings = run("targets-met-by-year-end", strategy, (op_paramount(5, tmp_path),),
                   date(2024, 6, 30))
    finding = findings["op-paramount/24-and-under"]
    assert finding.status is Status.NOT_APPLICABLE
    assert "the window runs to 2025-03-31" in finding.message


def test_on_trajectory_fails_below_the_minimum_share(strategy: Strategy, tmp_path: Path) -> None:
    # Expected by 30 June: 12.47; 75% of it is 9.35, so 9 fails and 10 passes.
    records = (op_paramount(9, tmp_path),)
    finding = run("targets-on-trajectory", strategy, records, date(2024, 6, 30),
                  minimum_share_of_trajectory=Decimal("0.75"))["op-paramount/24-and-under"]
    assert finding.status is Status.FAIL
    assert "red" in finding.message
    assert finding.evidence.shortfall is not None
    assert finding.evidence.shortfall.value == 1
    records = (op_paramount(10, tmp_path),)
    finding = run("targets-on-trajectory", strategy, records, date(2024, 6, 30),
                  minimum_share_of_trajectory=Decimal("0.75"))["op-paramount/24-and-under"]
    assert finding.status is Status.PASS
    assert "amber" in finding.message


def test_without_records_every_check_is_not_applicable(strategy: Strategy) -> None:
    for check in CHECKS:
        findings = run(check, strategy, (), None)
        assert findings
        assert {finding.status for finding in findings.values()} == {Status.NOT_APPLICABLE}
        assert all("not supplied" in finding.message for finding in findings.values())


def test_rows_usable_fails_when_rows_are_left_out(strategy: Strategy, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      ["A,op-paramount,2024-05-01,2010-01-01,,start,",
                       "B,op-paramount,someday,2010-01-01,,start,"])
    findings = run("records-rows-usable", strategy, (RecordSource("participants", path),), None,
                   maximum_share_left_out=Decimal(0))
    finding = findings["participants"]
    assert finding.status is Status.FAIL
    assert "1 of 2 rows left out" in finding.message
    assert any('row 3: bad date in "event_date"' in note for note in finding.evidence.notes)


def test_metrics_share_one_count_and_name_the_line(strategy: Strategy, tmp_path: Path) -> None:
    context = MetricContext(strategy, METRICS, (op_paramount(20, tmp_path),), date(2025, 3, 31))
    assert context.metric("target-reached:op-paramount/24-and-under").value == 20
    assert context.metric("target-progress:op-paramount/24-and-under").value == Decimal("0.4")
    assert context.metric("target-expected:op-paramount/24-and-under").value == 50
    assert context.metric("target-reached-in-quarter:op-paramount/24-and-under/Q1").value == 20
    assert context.metric("targets-total-reached:24-and-under").value == 20
    assert context.metric("unique-people-reached").value == 20
    assert context.metric("records-rows-left-out:participants").value == 0
    assert context.metric("target-reached:sustainable-training/professionals-trained").value is None
    with pytest.raises(UsageError, match="no target 'op-paramount/25-and-over'"):
        context.metric("target-reached:op-paramount/25-and-over")


def test_rows_usable_passes_when_every_row_counts(strategy: Strategy, tmp_path: Path) -> None:
    findings = run("records-rows-usable", strategy, (op_paramount(3, tmp_path),), None,
                   maximum_share_left_out=Decimal(0))
    assert findings["participants"].status is Status.PASS
    assert "0 of 3 rows left out" in findings["participants"].message
