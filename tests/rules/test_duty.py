"""The Serious Violence Duty family (SVD): a failing and a passing case for every rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import attrs

from tests.rules.conftest import ESSEX, NON_COMPLIANT, THAMES_VALLEY, Run, only, statuses, variant
from vpp_core import AuditOptions, audit, load_strategy
from vpp_core.plugin_api.results import Status

GM = Path(__file__).parents[2] / "fixtures" / "greater-manchester-2024-25"

TV_PARTNERSHIPS = {
    "bracknell-forest", "buckinghamshire", "milton-keynes", "oxfordshire", "reading",
    "slough", "west-berkshire", "windsor-and-maidenhead", "wokingham",
}


def every_tv_partnership(status: Status) -> dict[str, Status]:
    return {f"local-partnership:{lp}": status for lp in TV_PARTNERSHIPS}


def test_svd001_every_thames_valley_partnership_has_all_six_kinds(run: Run) -> None:
    assert statuses(run("SVD001")) == every_tv_partnership(Status.PASS)


def test_svd001_fails_a_partnership_without_probation(run: Run) -> None:
    result = only(run("SVD001", NON_COMPLIANT), "local-partnership:north")
    assert result.status is Status.FAIL
    assert result.evidence.notes == ("missing: probation",)
    assert len(result.evidence.parts) == 5  # the five holders it does record


def test_svd002_thames_valley_records_no_consultation(run: Run) -> None:
    results = run("SVD002")
    assert statuses(results) == every_tv_partnership(Status.FAIL)
    assert only(results, "local-partnership:reading").evidence.notes == (
        "education: no consultation recorded", "prison: no consultation recorded",
        "youth-custody: no consultation recorded")


def test_svd002_passes_essex_and_names_an_authority_not_consulted(run: Run) -> None:
    assert set(statuses(run("SVD002", ESSEX)).values()) == {Status.PASS}
    declined = variant({"local_partnerships": {"thurrock": {"relevant_authorities": [
        {"kind": "education", "name": "Schools", "consulted": True},
        {"kind": "prison", "name": "HMP Example", "consulted": False},
        {"kind": "youth-custody", "name": "YCS", "consulted": True},
    ]}}}, base=ESSEX)
    result = only(run("SVD002", declined), "local-partnership:thurrock")
    assert result.status is Status.FAIL
    assert result.evidence.notes == ("prison: recorded as not consulted",)


def test_svd003_thames_valley_needs_assessments_are_undated(run: Run) -> None:
    results = run("SVD003")
    assert statuses(results) == every_tv_partnership(Status.FAIL)
    assert "undated" in only(results, "local-partnership:slough").message


def test_svd003_passes_on_time_and_counts_days_late(run: Run) -> None:
    assert set(statuses(run("SVD003", ESSEX)).values()) == {Status.PASS}
    late = only(run("SVD003", NON_COMPLIANT), "local-partnership:north")
    # 31 January → 15 March 2024: 29 days of February (leap year) + 15 = 44 days late
    assert late.status is Status.FAIL
    assert late.evidence.shortfall.value == Decimal(44)


def test_svd004_thames_valley_local_plans_were_published_by_the_deadline(run: Run) -> None:
    results = run("SVD004")
    assert statuses(results) == every_tv_partnership(Status.PASS)
    # "published ... in January 2024": by 31 January 2024, 0 days after the deadline
    assert only(results, "local-partnership:oxfordshire").evidence.measured.value == 0


def test_svd004_fails_a_missing_or_late_local_plan(run: Run) -> None:
    assert statuses(run("SVD004", NON_COMPLIANT))["local-partnership:north"] is Status.FAIL
    late = variant({"local_partnerships": {"slough": {"local_plan": {
        "published_by": "2024-02-01"}}}})
    result = only(run("SVD004", late), "local-partnership:slough")
    assert result.status is Status.FAIL
    assert result.evidence.shortfall.value == 1


def test_svd005_thames_valley_records_no_refresh(run: Run) -> None:
    results = run("SVD005")
    assert statuses(results) == every_tv_partnership(Status.FAIL)
    assert "due by 31 March 2025" in only(results, "local-partnership:wokingham").message


def test_svd005_passes_refreshes_within_the_year(run: Run) -> None:
    # Essex: refreshed 31 December 2024 and 31 January 2025, both within 2024-25
    assert set(statuses(run("SVD005", ESSEX)).values()) == {Status.PASS}


def test_svd006_thames_valley_records_its_definition(run: Run) -> None:
    result = only(run("SVD006"))
    assert result.status is Status.PASS
    assert "agreed May 2023" in result.message and "4 types" in result.message


def test_svd006_fails_without_a_definition(run: Run) -> None:
    assert only(run("SVD006", NON_COMPLIANT)).status is Status.FAIL


def test_svd007_thames_valley_states_no_data_end_so_not_applicable(run: Run) -> None:
    results = run("SVD007")
    assert statuses(results) == every_tv_partnership(Status.NOT_APPLICABLE)
    assert "does not say when the data" in only(results, "local-partnership:reading").message


def test_svd007_fails_data_older_than_the_pack_allows(run: Run) -> None:
    results = run("SVD007", NON_COMPLIANT)
    # North: data to 31 March 2021; 24 months on is 31 March 2023 (730 days). As of 30 June
    # 2024 the data end is 1,096 (three years, one leap day) + 91 = 1,187 days back: 457 over.
    north = only(results, "local-partnership:north")
    assert north.status is Status.FAIL
    assert north.evidence.measured.value == 1187
    assert north.evidence.threshold.value == 730
    assert north.evidence.shortfall.value == 457
    assert "31 March 2023" in north.message
    # South: data to 30 September 2023, nine months before the audit date.
    assert only(results, "local-partnership:south").status is Status.PASS


def test_svd007_exactly_at_the_age_passes(run: Run) -> None:
    # 30 June 2022 + 24 months = 30 June 2024, the audit date: at the limit, a pass.
    at_limit = variant({"local_partnerships": {"reading": {"needs_assessment": {
        "data_to": "2022-06-30"}}}})
    assert only(run("SVD007", at_limit), "local-partnership:reading").status is Status.PASS
    day_over = variant({"local_partnerships": {"reading": {"needs_assessment": {
        "data_to": "2022-06-29"}}}})
    result = only(run("SVD007", day_over), "local-partnership:reading")
    assert result.status is Status.FAIL and result.evidence.shortfall.value == 1
    assert result.message.endswith("and the audit date is 30 June 2024: 1 day too old")


def test_svd004_a_plan_one_day_late_is_one_day_late(run: Run) -> None:
    late = variant({"local_partnerships": {"reading": {"local_plan": {
        "published_by": "2024-02-01"}}}})
    result = only(run("SVD004", late), "local-partnership:reading")
    assert result.status is Status.FAIL
    assert result.message.endswith("due by 31 January 2024: 1 day late")


def test_svd007_names_a_partnership_with_no_assessment(run: Run) -> None:
    strategy = load_strategy(THAMES_VALLEY)
    first, *rest = strategy.local_partnerships
    without = attrs.evolve(strategy, local_partnerships=(
        attrs.evolve(first, needs_assessment=None), *rest))
    result = only(run("SVD007", without), f"local-partnership:{first.id}")
    assert result.status is Status.FAIL
    assert f"{first.name}: no Strategic Needs Assessment is recorded" in result.message


def test_svd007_greater_manchester_synthetic_wigan_fails() -> None:
    # As of 1 April 2024 (the first day the strategy covers): the other nine boroughs' data
    # to 30 September 2023 are six months old.
    report = audit(str(GM / "strategy.toml"), packs=[str(GM / "greater-manchester.toml")],
                   options=AuditOptions(select=("SVD007",)))
    found = {r.subject.id: r.status for r in report.results if r.code == "SVD007"}
    assert found.pop("wigan") is Status.FAIL  # data to 31 December 2021, marked synthetic
    assert set(found.values()) == {Status.PASS} and len(found) == 9
