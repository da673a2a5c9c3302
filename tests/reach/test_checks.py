"""Each sanity check failing and passing, on rows whose outcome can be read off by eye."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest

from vpp_core.model import Strategy
from vpp_core.plugin_api.results import Finding, Status

Run = Callable[..., list[Finding]]
Row = Callable[..., dict[str, Any]]

ALL_CHECKS = (
    "campaign-reach-within-impressions", "campaign-reach-within-population",
    "campaign-reach-not-impressions", "campaign-activity-in-window",
    "campaign-spend-within-budget", "campaign-records-usable", "campaign-log-within-platform",
)


MONTHLY = {"by": ("channel", "area", "month")}
BY_AREA = {"by": ("channel", "area")}


def by_subject(findings: list[Finding]) -> dict[str, Finding]:
    return {finding.subject.id: finding for finding in findings}


@pytest.mark.parametrize("name", ALL_CHECKS)
def test_no_campaign_records_is_not_applicable_and_says_so(run_check: Run, name: str) -> None:
    [finding] = run_check(name)
    assert finding.status is Status.NOT_APPLICABLE
    assert "records given" in finding.message
    assert finding.subject.id == "stay-true-to-you"


def test_reach_above_impressions_fails_its_slice_only(run_check: Run, row: Row) -> None:
    findings = by_subject(run_check("campaign-reach-within-impressions", params=MONTHLY, delivery=[
        row("social", "reading", "2024-06-03", 1_000, 400),
        row("social", "reading", "2024-06-10", 900, 2_100),  # columns swapped
        row("social", "slough", "2024-06-03", 1_000, 1_000),  # equal: allowed here
        row("outdoor", "slough", "2024-06-03", 5_000),  # no reach: nothing to judge
    ]))
    failing = findings["channel=social,area=reading,month=2024-06"]
    assert failing.status is Status.FAIL
    assert "1 of 2 rows" in failing.message
    assert "reading row dated 2024-06-10, reach 2,100 against impressions 900" in failing.message
    assert failing.evidence.measured is not None
    assert failing.evidence.measured.value == Decimal(1)
    assert findings["channel=social,area=slough,month=2024-06"].status is Status.PASS
    assert findings["channel=outdoor,area=slough,month=2024-06"].status is Status.NOT_APPLICABLE


def test_grouping_follows_the_by_parameter(run_check: Run, row: Row) -> None:
    # By default, one finding per channel naming the worst row's area and date.
    findings = run_check("campaign-reach-within-impressions",
                         delivery=[row("social", "reading", "2024-06-03", 1_000, 400),
                                   row("social", "slough", "2024-07-03", 100, 400),
                                   row("radio", "slough", "2024-07-03", 100, 40)])
    assert [(f.subject.id, f.status) for f in findings] == [
        ("channel=radio", Status.PASS), ("channel=social", Status.FAIL)]
    assert "slough row dated 2024-07-03" in findings[1].message
    by_month = run_check("campaign-reach-within-impressions", params={"by": ("month",)},
                         delivery=[row("social", "reading", "2024-06-03", 1_000, 400),
                                   row("social", "slough", "2024-07-03", 100, 400)])
    assert [(f.subject.id, f.status) for f in by_month] == [
        ("month=2024-06", Status.PASS), ("month=2024-07", Status.FAIL)]


def test_reach_above_the_areas_population(run_check: Run, row: Row) -> None:
    # Reading: 600 + 400 = 1,000 people. A week reaching 1,001 is impossible; 1,000 is not.
    population = [("reading", "10-17", 600), ("reading", "18-24", 400)]
    findings = by_subject(run_check("campaign-reach-within-population", params=BY_AREA, delivery=[
        row("social", "reading", "2024-06-03", 5_000, 1_001),
        row("radio", "reading", "2024-06-03", 5_000, 1_000),
        row("radio", "slough", "2024-06-03", 5_000, 3_000),  # no population for Slough
    ], population=population))
    assert findings["channel=social,area=reading"].status is Status.FAIL
    assert "against population 1,000" in findings["channel=social,area=reading"].message
    assert findings["channel=radio,area=reading"].status is Status.PASS
    assert findings["channel=radio,area=slough"].status is Status.NOT_APPLICABLE


def test_population_check_needs_population_records(run_check: Run, row: Row) -> None:
    [finding] = run_check("campaign-reach-within-population",
                          delivery=[row("social", "reading", "2024-06-03", 5_000, 100)])
    assert finding.status is Status.NOT_APPLICABLE
    assert "no population records" in finding.message


def test_people_reached_equal_to_impressions_is_flagged(run_check: Run, row: Row) -> None:
    findings = by_subject(run_check("campaign-reach-not-impressions", params=MONTHLY, delivery=[
        row("video", "reading", "2024-10-07", 2_400, 2_400),  # impressions reported as reach
        row("video", "slough", "2024-10-07", 2_400, 1_500),
        row("video", "slough", "2024-11-04", 3, 3),  # three impressions, three people: fine
    ]))
    flagged = findings["channel=video,area=reading,month=2024-10"]
    assert flagged.status is Status.FAIL
    assert "equal to impressions" in flagged.message
    assert findings["channel=video,area=slough,month=2024-10"].status is Status.PASS
    assert findings["channel=video,area=slough,month=2024-11"].status is Status.NOT_APPLICABLE


def test_activity_outside_the_evaluation_window_is_reported(run_check: Run, row: Row) -> None:
    # Window 1 May 2024 – 31 March 2025: the 30 April row is one day early.
    findings = {str(f.subject): f for f in run_check("campaign-activity-in-window", delivery=[
        row("social", "reading", "2024-04-30", 700, 300, spend="12.50"),
        row("social", "reading", "2024-05-01", 800, 300, spend="10.00"),
        row("radio", "reading", "2025-03-31", 800, 300),
    ], exposures=[("d1", "web", "2025-04-01"), ("d2", "web", "2024-05-01")])}
    social = findings["campaign-delivery:social"]
    assert social.status is Status.FAIL
    assert "1 campaign-delivery rows dated outside the evaluation window" in social.message
    assert "700 impressions and £12.50 spend left out" in social.message
    assert findings["campaign-delivery:radio"].status is Status.PASS
    web = findings["exposures:web"]
    assert web.status is Status.FAIL
    assert "0 before, 1 after" in web.message


def test_training_is_judged_against_the_targets_window(run_check: Run) -> None:
    # Training counts from 1 April 2024 (the targets' window), not from 1 May.
    findings = by_subject(run_check("campaign-activity-in-window", training=[
        ("a1", "parent", "2024-04-01"), ("a2", "practitioner", "2024-03-31")]))
    assert findings["parent"].status is Status.PASS
    assert findings["practitioner"].status is Status.FAIL


def test_spend_against_the_budget_line(run_check: Run, row: Row) -> None:
    # Budget line Stay True to You: £20,000. Spend in 2024-25: £19,999.99 + £0.01 = £20,000.
    within = run_check("campaign-spend-within-budget", delivery=[
        row("social", "reading", "2024-04-15", 10, 5, spend="19999.99"),  # before the window
        row("social", "reading", "2024-06-03", 10, 5, spend="0.01"),
        row("social", "reading", "2025-04-07", 10, 5, spend="5000.00"),  # next year's money
    ])
    assert [f.status for f in within] == [Status.PASS]
    assert within[0].subject.id == "stay-true-to-you"
    over = run_check("campaign-spend-within-budget", delivery=[
        row("social", "reading", "2024-06-03", 10, 5, spend="15000.00"),
        row("radio", "slough", "2024-06-03", 10, None, spend="5000.01"),
    ])
    assert over[0].status is Status.FAIL
    assert "£0.01 over" in over[0].message
    assert over[0].evidence.shortfall is not None
    assert over[0].evidence.shortfall.value == Decimal("0.01")


def test_spend_share_threshold(run_check: Run, row: Row) -> None:
    # At most 50% of £20,000 = £10,000: £10,000.01 fails.
    findings = run_check("campaign-spend-within-budget", params={"threshold": Decimal("0.5")},
                         delivery=[row("social", "reading", "2024-06-03", 10, 5,
                                       spend="10000.01")])
    assert findings[0].status is Status.FAIL


def test_budget_line_without_an_amount_is_not_applicable(
        run_check: Run, row: Row, strategy: Strategy, context: Callable[..., Any]) -> None:
    assert strategy.campaign is not None
    no_line = attrs.evolve(strategy, campaign=attrs.evolve(strategy.campaign, budget_line=None))
    from vpp_plugins.reach.checks import spend_within_budget
    findings = list(spend_within_budget(context(
        strategy=no_line, delivery=[row("social", "reading", "2024-06-03", 10, 5, spend="1")])))
    assert findings[0].status is Status.NOT_APPLICABLE


def test_rows_left_out_are_listed_by_file_and_row(run_check: Run, row: Row) -> None:
    findings = by_subject(run_check(
        "campaign-records-usable",
        delivery=[row("social", "reading", "2024-06-03", 10, 5),
                  row("social", "atlantis", "2024-06-03", 10, 5),  # not a local partnership
                  row("social", "reading", "2024-06-31", 10, 5),  # no such day
                  row("social", "reading", "2024-06-03", -1, 5)],  # negative impressions
        population=[("reading", "all", 100)],
    ))
    delivery = findings["campaign-delivery"]
    assert delivery.status is Status.FAIL
    assert "3 of 4 rows left out" in delivery.message
    assert [note.rpartition("/")[2] for note in delivery.evidence.notes] == [
        'delivery.csv:3: unknown "area"', 'delivery.csv:4: bad date in "date"',
        "delivery.csv:5: negative impressions"]
    assert findings["population"].status is Status.PASS


def test_an_area_named_as_its_partnership_is_that_partnership(run_check: Run, row: Row) -> None:
    # Reading's partnership by name, spelt loosely: the row counts as Reading's; a name no
    # partnership has is still left out.
    findings = by_subject(run_check(
        "campaign-records-usable",
        delivery=[row("social", "reading", "2024-06-03", 10, 5),
                  row("social", "READING community-safety partnership", "2024-06-10", 10, 5),
                  row("social", "Atlantis Community Safety Partnership", "2024-06-03", 10, 5)],
        population=[("Reading Community Safety Partnership", "all", 100)],
    ))
    delivery = findings["campaign-delivery"]
    assert "1 of 3 rows left out" in delivery.message
    assert [note.rpartition("/")[2] for note in delivery.evidence.notes] == [
        'delivery.csv:4: unknown "area"']
    assert findings["population"].status is Status.PASS


def test_the_exposure_log_is_checked_against_the_platform_week_by_week(
        run_check: Run, row: Row) -> None:
    # web: the week of 3 June reports 2 impressions and the log holds 3 (d1, d2, d3): the
    # log cannot hold more. The week of 10 June agrees (1 and 1); over both weeks the log's
    # 4 impressions against the platform's 3 disagree too. app agrees in its only week.
    findings = by_subject(run_check("campaign-log-within-platform", delivery=[
        row("web", "reading", "2024-06-03", 2, 2), row("web", "reading", "2024-06-10", 1, 1),
        row("app", "reading", "2024-06-03", 5, 3),
    ], exposures=[("d1", "web", "2024-06-03"), ("d2", "web", "2024-06-04"),
                  ("d3", "web", "2024-06-05"), ("d1", "web", "2024-06-11"),
                  ("d1", "app", "2024-06-03"), ("d2", "app", "2024-06-03")]))
    web = findings["web"]
    assert web.status is Status.FAIL
    assert web.message.startswith("web: the exposure log and the platform disagree in 2 of 3 "
                                  "periods checked (week of 2024-06-03: log impressions above "
                                  "platform impressions; log reach above platform reach")
    app = findings["app"]  # 2 of 5 impressions logged (partial), 2 ids of 3 reached
    assert app.status is Status.PASS
    assert app.message == ("app: the exposure log (partial) agrees with the platform in its "
                           "one week and over the window")


def test_log_against_platform_needs_both(run_check: Run, row: Row) -> None:
    [finding] = run_check("campaign-log-within-platform",
                          delivery=[row("web", "reading", "2024-06-03", 2, 2)],
                          exposures=[("d1", "app", "2024-06-03")])
    assert finding.status is Status.NOT_APPLICABLE
    assert "no channel has both" in finding.message
