"""The Thames Valley fixture holds the document's figures as published."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from vpp_core.model import Funding, Gate, GrantKind, Strategy
from vpp_core.model.periods import FinancialYear


def _line(strategy: Strategy, line_id: str):  # type: ignore[no-untyped-def]
    for line in strategy.budget.lines:
        if line.id == line_id:
            return line
        for part in line.parts:
            if part.id == line_id:
                return part
    raise KeyError(line_id)


def test_year_and_partnerships(thames_valley: Strategy) -> None:
    assert thames_valley.financial_year == FinancialYear(2024)
    assert len(thames_valley.local_partnerships) == 9
    oxfordshire = thames_valley.local_partnerships[0]
    assert oxfordshire.name == "Safer Oxfordshire Partnership Group"
    assert len(oxfordshire.community_safety_partnerships) == 4
    csps = sum(len(lp.community_safety_partnerships) for lp in thames_valley.local_partnerships)
    icbs = {icb for lp in thames_valley.local_partnerships for icb in lp.integrated_care_boards}
    assert (csps, len(icbs)) == (12, 3)


def test_core_grant_by_year_with_match_funding(thames_valley: Strategy) -> None:
    core = thames_valley.grants_of_kind(GrantKind.CORE)
    assert [(str(g.years[0]), g.amount.amount, g.match_funding.required_share)  # type: ignore[union-attr]
            for g in core] == [
        ("2022-23", Decimal(2_000_000), Decimal("0.10")),
        ("2023-24", Decimal(1_530_000), Decimal("0.15")),
        ("2024-25", Decimal(1_510_000), Decimal("0.20")),
    ]
    assert core[2].amount.as_printed == "£1.51m"


def test_burden_grant_and_uplift_are_separate_grants(thames_valley: Strategy) -> None:
    burden = thames_valley.grant("sv-duty-burden")
    assert burden.kind is GrantKind.DUTY_BURDEN
    assert burden.amount.amount == Decimal(756_000)
    assert [str(year) for year in burden.years] == ["2022-23", "2023-24", "2024-25"]
    assert thames_valley.grant("tvt-uplift").amount.amount == Decimal(100_000)


def test_budget_lines_and_stated_total_as_printed(thames_valley: Strategy) -> None:
    budget = thames_valley.budget
    assert _line(thames_valley, "programme-team").amount.amount == Decimal(390_000)
    assert _line(thames_valley, "evaluation").amount.amount == Decimal(140_000)
    assert _line(thames_valley, "pilot-interventions").amount.amount == Decimal(832_500)
    assert _line(thames_valley, "op-paramount").amount.amount == Decimal(7_500)
    custody = _line(thames_valley, "custody-coaches")
    assert (custody.amount, custody.funding) == (None, Funding.CARRY_OVER)
    # The lines add to £1,497,500; the document states £1.51m and the fixture keeps both.
    assert sum(line.amount.amount for line in budget.lines if line.amount) == Decimal(1_497_500)
    assert budget.stated_total is not None
    assert budget.stated_total.amount == Decimal(1_510_000)


def test_ten_funded_interventions_and_the_evaluation_table(thames_valley: Strategy) -> None:
    pilot = _line(thames_valley, "pilot-interventions")
    assert len(pilot.parts) == 10
    school = thames_valley.intervention("school-navigators")
    assert school.evaluation is not None and school.evaluation.trial is not None
    assert school.evaluation.gate is Gate.PASSED_GATE_3
    assert school.evaluation.trial.start == date(2023, 10, 2)
    assert school.evaluation.trial.projected_end == date(2024, 7, 31)
    deterrence = thames_valley.intervention("focussed-deterrence")
    assert deterrence.evaluation is not None
    assert deterrence.evaluation.gate is None  # the document's gate column is empty


def test_targets_table_with_its_totals_row_as_printed(thames_valley: Strategy) -> None:
    table = thames_valley.targets
    assert table is not None
    by_label = {row.label: row for row in table.rows}
    assert [(c.id, c.label, c.min_age, c.max_age, c.professionals) for c in table.cohorts] == [
        ("24-and-under", "24 and under", None, 24, False),
        ("25-and-over", "25 and over", 25, None, False),
        ("professionals-trained", "professionals trained", None, None, True),
    ]
    assert by_label["Hospital Navigators"].target("24-and-under") == 300
    assert by_label["Hospital Navigators"].target("25-and-over") == 75
    assert by_label["Sustainable Training"].target("professionals-trained") == 750
    school = by_label["School Navigators*"]
    assert school.window is not None and school.window.start == date(2024, 9, 1)
    stated = {t.cohort: t.count for t in table.stated_totals}
    assert stated == {"24-and-under": 823, "25-and-over": 135, "professionals-trained": 1050}
    sums = {c.id: sum(row.target(c.id) or 0 for row in table.rows) for c in table.cohorts}
    assert sums == {"24-and-under": 843, "25-and-over": 135, "professionals-trained": 1053}


def test_campaign_definition_and_success_measures(thames_valley: Strategy) -> None:
    campaign = thames_valley.campaign
    assert campaign is not None and campaign.name == "Stay True to You"
    assert (campaign.evaluation_window.start, campaign.evaluation_window.end) == (
        date(2024, 5, 1), date(2025, 3, 31))
    assert thames_valley.definition is not None
    assert thames_valley.definition.agreed == "May 2023"
    assert "county lines" in thames_valley.definition.text
    assert {m.strand for m in thames_valley.success_measures} == {
        s.id for s in thames_valley.strands}
