"""Spend to date, profile, variance, both forecasts and the underspend, derived by hand on a
small ledger; spend outside its grant's year against a carry-over; match funding by source;
overdue milestones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.spend.conftest import profiled, write
from vpp_core import AuditOptions, RecordsError, Report, Result, Status, audit, bundled_strategy

PACK = "in-year-spend"


def _audit(records: list[str], as_of: date, *codes: str,
           strategy: Path | None = None) -> Report:
    return audit(strategy or bundled_strategy(), packs=[PACK], records=records,
                 options=AuditOptions(as_of=as_of, select=codes))


def _one(report: Report, code: str, subject: str) -> Result:
    found = [r for r in report.results if r.code == code and str(r.subject) == subject]
    assert len(found) == 1, [str(r.subject) for r in report.results if r.code == code]
    return found[0]


def test_spend_to_date_profile_and_variance_at_the_end_of_q2(
        small_ledger: list[str], small_strategy: Path) -> None:
    # Spend £60,000 + £90,000 = £150,000; profile Q1 + Q2 = £200,000 (Q2 ends 30 September);
    # variance -£50,000, -25% of the profile: red (beyond ±10%).
    report = _audit(small_ledger, date(2024, 9, 30), "SPEND001", strategy=small_strategy)
    line = _one(report, "SPEND001", "spend-line:core-2024-25/programme-team")
    assert line.status is Status.FAIL
    assert line.message == ("VRU core grant, Year 3 / VPP programme team: £150,000 spent to "
                            "2024-09-30 against £200,000 profiled; variance -£50,000 (-25%), red")
    assert line.evidence.threshold is not None
    assert line.evidence.threshold.source == "spend_profile"  # the strategy's own profile
    assert "The profile is the strategy's [[spend_profile]]." in line.evidence.notes


def test_the_running_quarter_is_profiled_pro_rata_by_days(
        small_ledger: list[str], small_strategy: Path) -> None:
    # 15 August: Q1 £100,000 in full, Q2 46 of its 92 days = £50,000; spent £60,000:
    # variance -£90,000, -60%.
    report = _audit(small_ledger, date(2024, 8, 15), "SPEND001", strategy=small_strategy)
    line = _one(report, "SPEND001", "spend-line:core-2024-25/programme-team")
    assert "£60,000 spent to 2024-08-15 against £150,000 profiled; variance -£90,000 (-60%)" \
        in line.message


def test_both_forecasts_and_the_underspend_they_imply(
        small_ledger: list[str], small_strategy: Path) -> None:
    # Profile-based: £150,000 + (£400,000 - £200,000) = £350,000.
    # Run-rate: £150,000 × 365 / 183 days (1 April to 30 September) = £299,180.33.
    # The core grant is £1,510,000: underspends £1,160,000 and £1,210,819.67.
    report = _audit(small_ledger, date(2024, 9, 30), "SPEND002", strategy=small_strategy)
    grant = _one(report, "SPEND002", "grant:core-2024-25")
    assert grant.status is Status.FAIL
    assert ("year-end forecast £299,180.33 to £350,000 (profile-based £350,000, run-rate "
            "£299,180.33) against £1,510,000; profile-based underspend £1,160,000; run-rate "
            "underspend £1,210,819.67") in grant.message
    assert grant.evidence.threshold is not None
    assert grant.evidence.threshold.value == 75500  # 5% of the grant


def test_a_forecast_within_tolerance_passes(tmp_path: Path) -> None:
    spend = write(tmp_path, "s.csv", "date,grant,line,amount,type\n"
                  "2024-06-30,core-2024-25,programme-team,377500,cash\n"
                  "2024-09-30,core-2024-25,programme-team,377500,cash\n")
    report = _audit([f"spend={spend}"], date(2024, 9, 30), "SPEND002",
                    strategy=profiled(tmp_path, "programme-team", 377500))
    # profile-based £1,510,000 exactly; run-rate £755,000 × 365/183 = £1,505,874.32.
    grant = _one(report, "SPEND002", "grant:core-2024-25")
    assert grant.status is Status.PASS
    assert "profile-based £1,510,000, run-rate £1,505,874.32" in grant.message


def test_spend_outside_the_grant_year_is_covered_only_up_to_the_carry_over(
        small_ledger: list[str], small_strategy: Path) -> None:
    report = _audit(small_ledger, date(2024, 9, 30), "SPEND003", strategy=small_strategy)
    late = _one(report, "SPEND003", "spend-line:core-2023-24/custody-coaches")
    assert late.status is Status.FAIL
    assert late.message == ("core-2023-24 / custody-coaches: £15,000 dated outside the "
                            "grant's years, 2023-04-01 to 2024-03-31 (spent on 2024-05-15); "
                            "£5,000 not covered by a recorded carry-over")
    assert late.evidence.notes == ("Letter 1 (approved by Home Office)",)


def test_a_line_the_grant_does_not_fund_is_flagged(tmp_path: Path) -> None:
    spend = write(tmp_path, "s.csv", "date,grant,line,amount,type\n"
                  "2024-06-30,tvt-uplift,mash,2500,cash\n"
                  "2024-06-30,core-2024-25,mash,2500,cash\n")
    report = _audit([f"spend={spend}"], date(2024, 9, 30), "SPEND003")
    assert [(str(r.subject), r.status) for r in report.results] == [
        ("spend-line:tvt-uplift/mash", Status.FAIL)]


def test_match_funding_counts_each_source_for_its_days_in_the_year(tmp_path: Path) -> None:
    # 1.0 FTE × £50,000 from 1 October: 182 of 365 days = £24,931.51; £100,000 of cash over
    # 1 January 2024 to 31 December 2024: 275 of its 366 days in 2024-25 = £75,136.61.
    evidence = write(tmp_path, "m.csv",
                     "grant,partner,type,amount,fte,annual_cost,start,end,evidence\n"
                     "core-2024-25,Police,secondment,,1.0,50000,2024-10-01,2025-03-31,SA-1\n"
                     "core-2024-25,Council,cash,100000,,,2024-01-01,2024-12-31,Letter-2\n")
    report = _audit([f"match-funding={evidence}"], date(2024, 12, 31), "SPEND006")
    grant = _one(report, "SPEND006", "grant:core-2024-25")
    assert grant.status is Status.FAIL
    assert [(p.label, str(p.value)) for p in grant.evidence.parts] == [
        ("Council (cash)", "75136.61"), ("Police (secondment)", "24931.51")]
    assert grant.message == ("2024-25: £100,068.12 evidenced from 2 sources against £302,000 "
                             "required (20% of £1,510,000); £201,931.88 short")


def test_overdue_milestones_fail_as_of_a_day(tmp_path: Path) -> None:
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "school-navigators,Final results,2024-09-30,in-progress,\n"
                       "hospital-navigators,Report,2024-06-30,complete,2024-06-20\n"
                       "mash,Plan,2025-01-31,planned,\n")
    report = _audit([f"evaluation-milestones={milestones}"], date(2024, 10, 10), "SPEND007")
    assert {str(r.subject): r.status for r in report.results} == {
        "milestone:hospital-navigators/2024-06-30": Status.PASS,
        "milestone:school-navigators/2024-09-30": Status.FAIL,
        "milestone:mash/2025-01-31": Status.NOT_APPLICABLE}
    late = _one(report, "SPEND007", "milestone:school-navigators/2024-09-30")
    assert "10 days overdue" in late.message



def test_a_milestone_due_on_the_as_of_day_is_not_yet_overdue_and_one_done_early_passes(
        tmp_path: Path) -> None:
    # As of 31 March 2025: a plan due that day is not overdue (and not "due after" it); a
    # report due then and already complete passes, as one completed after its day does.
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "mash,Plan,2025-03-31,planned,\n"
                       "hospital-navigators,Report,2025-03-31,complete,2025-03-01\n")
    report = _audit([f"evaluation-milestones={milestones}"], date(2025, 3, 31), "SPEND007")
    plan = _one(report, "SPEND007", "milestone:mash/2025-03-31")
    assert plan.status is Status.NOT_APPLICABLE
    assert plan.message == ("MASH: 'Plan' is due 2025-03-31 and not overdue as of 2025-03-31 "
                            "(planned)")
    done = _one(report, "SPEND007", "milestone:hospital-navigators/2025-03-31")
    assert done.status is Status.PASS

def test_milestones_may_name_interventions_by_name_as_the_evaluation_table_does(
        tmp_path: Path) -> None:
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "School Navigators,Final results,2024-09-30,in-progress,\n"
                       "hospital navigators,Report,2024-06-30,complete,2024-06-20\n")
    report = _audit([f"evaluation-milestones={milestones}"], date(2024, 10, 10),
                    "SPEND007", "SPEND009")
    assert {str(r.subject): r.status for r in report.results if r.code == "SPEND007"} == {
        "milestone:hospital-navigators/2024-06-30": Status.PASS,
        "milestone:school-navigators/2024-09-30": Status.FAIL}
    assert _one(report, "SPEND009", "records:evaluation-milestones").status is Status.PASS


def test_two_milestones_due_the_same_day_are_two_subjects(tmp_path: Path) -> None:
    # A waiver or a baseline names a finding by its subject: one open and one complete
    # milestone of one evaluation due the same day must not share one.
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status\n"
                       "school-navigators,Interim report,2024-10-09,planned\n"
                       "school-navigators,Board paper,2024-10-09,complete\n")
    report = _audit([f"evaluation-milestones={milestones}"], date(2024, 10, 10), "SPEND007")
    assert {str(r.subject): r.status for r in report.results} == {
        "milestone:school-navigators/2024-10-09/interim-report": Status.FAIL,
        "milestone:school-navigators/2024-10-09/board-paper": Status.PASS}
    late = _one(report, "SPEND007", "milestone:school-navigators/2024-10-09/interim-report")
    assert late.message == ("School Navigators: 'Interim report' was due 2024-10-09 and is "
                            "planned as of 2024-10-10 (1 day overdue)")  # by name, as people read
    assert late.subject.label == "School Navigators: Interim report"


def test_without_spend_records_the_rules_are_not_applicable() -> None:
    report = audit(bundled_strategy(), packs=[PACK])
    assert {r.status for r in report.results} == {Status.NOT_APPLICABLE}


def test_a_profile_as_records_serves_a_strategy_without_one(tmp_path: Path) -> None:
    # Essex's strategy has no [[spend_profile]]: its profile comes as spend-profile records.
    essex = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"
    spend = write(tmp_path, "s.csv", "date,grant,line,amount,type\n"
                  "2024-06-30,core-2024-25,programme-team,50000,cash\n")
    profile = write(tmp_path, "p.csv", "grant,line,period,amount\n"
                    "core-2024-25,programme-team,2024-25-Q1,40000\n")
    report = _audit([f"spend={spend}", f"spend-profile={profile}"], date(2024, 6, 30),
                    "SPEND001", strategy=essex)
    line = _one(report, "SPEND001", "spend-line:core-2024-25/programme-team")
    assert "£50,000 spent to 2024-06-30 against £40,000 profiled; variance £10,000 (25%)" \
        in line.message
    assert line.evidence.threshold is not None
    assert line.evidence.threshold.source == "records:spend-profile"
    assert "The profile is the spend-profile records (the strategy has none)." \
        in line.evidence.notes


def test_a_profile_in_the_strategy_and_as_records_is_refused(
        small_ledger: list[str], small_strategy: Path, tmp_path: Path) -> None:
    profile = write(tmp_path, "p.csv", "grant,line,period,amount\n"
                    "core-2024-25,programme-team,2024-25-Q1,1\n")
    with pytest.raises(RecordsError, match=r"p\.csv: spend-profile records given, but the "
                       r"strategy has its own spend profile \(4 entries in "
                       r"\[\[spend_profile\]\]\): give the profile in one place only"):
        _audit([*small_ledger, f"spend-profile={profile}"], date(2024, 9, 30), "SPEND001",
               strategy=small_strategy)


def test_spend_without_any_profile_is_not_applicable(tmp_path: Path) -> None:
    essex = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"
    spend = write(tmp_path, "s.csv", "date,grant,line,amount,type\n"
                  "2024-06-30,core-2024-25,programme-team,50000,cash\n")
    report = _audit([f"spend={spend}"], date(2024, 6, 30), "SPEND001", strategy=essex)
    (result,) = report.results
    assert result.status is Status.NOT_APPLICABLE
    assert "no spend profile (the strategy's [[spend_profile]] or spend-profile records)" \
        in result.message


def test_spend_rules_as_of_a_day_before_the_year_begins_are_not_applicable(
        small_ledger: list[str], small_strategy: Path) -> None:
    # As of 31 March 2024 the 2024-25 year has not begun: no spend to date, and no run-rate
    # forecast of £0 that fails SPEND002.
    report = _audit(small_ledger, date(2024, 3, 31), "SPEND001", "SPEND002",
                    strategy=small_strategy)
    assert {(r.code, r.status, r.message) for r in report.results} == {
        (code, Status.NOT_APPLICABLE, "as of 2024-03-31, before 2024-25 begins on 2024-04-01: "
         "no spend to date to measure") for code in ("SPEND001", "SPEND002")}
    assert report.exit_code() == 0


def test_actual_spend_shares_as_of_a_day_before_the_year_begins_are_not_applicable(
        small_ledger: list[str], small_strategy: Path) -> None:
    # SPEND004/005 measure shares of the year's spend to date: none before 1 April 2024.
    report = _audit(small_ledger, date(2024, 3, 31), "SPEND004", "SPEND005",
                    strategy=small_strategy)
    before = "as of 2024-03-31, before 2024-25 begins on 2024-04-01: no spend to date to measure"
    assert {(r.code, r.status, r.message) for r in report.results} == {
        ("SPEND004", Status.NOT_APPLICABLE, f"intervention-spend-actual has no value: {before}"),
        ("SPEND005", Status.NOT_APPLICABLE, f"line-spend-actual:evaluation has no value: {before}"),
    }
    assert report.exit_code() == 0
