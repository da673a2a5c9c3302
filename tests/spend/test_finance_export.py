"""A ledger as a VRU's finance system exports it: lines and grants named as the strategy
names them, money written as finance writes it (£1,234.50, a credit in brackets, a refund
with a minus sign), dates day/month/year; each figure checked by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from tests.spend.conftest import profiled, write
from vpp_core import (
    AuditOptions,
    FinancialYear,
    Report,
    Result,
    Status,
    audit,
    dump_strategy,
    load_strategy,
)
from vpp_core.cli.main import main

PACK = "in-year-spend"


def _audit(strategy: Path, records: list[str], as_of: date, *codes: str) -> Report:
    return audit(strategy, packs=[PACK], records=records,
                 options=AuditOptions(as_of=as_of, select=codes))


#: The subject of the programme team's line of the 2024-25 core grant.
TEAM = "spend-line:core-2024-25/programme-team"


def _team(tmp_path: Path, quarterly: int, records: list[str], as_of: date,
          *codes: str) -> Report:
    """The audit of ``records`` with the programme team profiled ``quarterly``."""
    return _audit(profiled(tmp_path, "programme-team", quarterly), records, as_of, *codes)


#: Essex's strategy has no [[spend_profile]]: its profile comes as spend-profile records.
ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"


def _profiled_by_records(tmp_path: Path, rows: str) -> tuple[list[str], Path]:
    """£50,000 spent on the programme team on 30 June, and a profile of ``rows`` as
    spend-profile records: the records and the profile's path."""
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,50000,cash\n")
    profile = write(tmp_path, "p.csv", "grant,line,period,amount\n" + rows)
    return [f"spend={spend}", f"spend-profile={profile}"], profile


def _one(report: Report, code: str, subject: str) -> Result:
    found = [r for r in report.results if r.code == code and str(r.subject) == subject]
    assert len(found) == 1, [(str(r.subject), r.message) for r in report.results]
    return found[0]


def _return(tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, quarterly: int,
            form: str) -> tuple[int, str, str, Path]:
    """``vpp return`` for Q1 2024-25 of a ledger of ``rows``, the programme team profiled
    ``quarterly``: the exit code, standard output and error, and the ledger's path."""
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n" + rows)
    strategy = profiled(tmp_path, "programme-team", quarterly)
    code = main(["return", str(strategy), "--quarter", "2024-25-Q1", "--records",
                 f"spend={spend}", "--format", form])
    out, err = capsys.readouterr()
    return code, out, err, spend


def _written(tmp_path: Path, capsys: pytest.CaptureFixture[str], rows: str, quarterly: int,
             form: str) -> str:
    """The return :func:`_return` writes, which must exit 0."""
    code, out, _, _ = _return(tmp_path, capsys, rows, quarterly, form)
    assert code == 0
    return out


def test_lines_and_grants_named_as_the_strategy_names_them_are_read(tmp_path: Path) -> None:
    # "VPP programme team" is the line's label, "VRU core grant, Year 3" the grant's name:
    # £60,000 + £30,000 spent in Q1 against the £100,000 profiled: -£10,000, -10%.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "10/05/2024,VRU core grant Year 3,VPP Programme Team,60000,cash\n"
                  "10/06/2024,core-2024-25,vpp programme team,30000,Cash\n")
    report = _team(tmp_path, 100000, [f"spend={spend}"],
                   date(2024, 6, 30), "SPEND001", "SPEND009")
    line = _one(report, "SPEND001", TEAM)
    assert "£90,000 spent to 2024-06-30 against £100,000 profiled; variance -£10,000 (-10%)" \
        in line.message
    assert _one(report, "SPEND009", "records:spend").status is Status.PASS


def test_milestones_name_the_intervention_as_the_strategy_does(tmp_path: Path) -> None:
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "School Navigators,Final results,30/09/2024,in-progress,\n")
    report = audit(profiled(tmp_path, "programme-team", 100000), packs=[PACK],
                   records=[f"evaluation-milestones={milestones}"],
                   options=AuditOptions(as_of=date(2024, 10, 10), select=("SPEND007",)))
    late = _one(report, "SPEND007", "milestone:school-navigators/2024-09-30")
    assert late.status is Status.FAIL
    assert "10 days overdue" in late.message


def test_a_credit_in_brackets_and_a_refund_reduce_spend(tmp_path: Path) -> None:
    # £1,234.50 + £60,000 - £120 (a credit note, in brackets) - £250 (a refund) = £60,864.50
    # against £100,000 profiled in Q1: -£39,135.50, -39.14%.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  '20/05/2024,core-2024-25,programme-team,"£1,234.50",cash\n'
                  '31/05/2024,core-2024-25,programme-team,"£60,000.00",cash\n'
                  "31/05/2024,core-2024-25,programme-team,(120.00),cash\n"
                  '15/06/2024,core-2024-25,programme-team,"(£250.00)",cash\n')
    report = _team(tmp_path, 100000, [f"spend={spend}"],
                   date(2024, 6, 30), "SPEND001", "SPEND009")
    line = _one(report, "SPEND001", TEAM)
    assert ("£60,864.50 spent to 2024-06-30 against £100,000 profiled; "
            "variance -£39,135.50 (-39.14%)") in line.message
    assert _one(report, "SPEND009", "records:spend").status is Status.PASS


def test_spend_dated_after_the_grant_year_is_flagged_in_the_year_end_return(
        tmp_path: Path) -> None:
    # An invoice dated 15 April 2025 on the 2024-25 grant, audited as of 31 March 2025: it
    # is after the as-of day but also after the grant's only year, so it needs a reason.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,100000,cash\n"
                  '15/04/2025,core-2024-25,programme-team,"£3,000.00",cash\n')
    report = _team(tmp_path, 100000, [f"spend={spend}"],
                   date(2025, 3, 31), "SPEND003")
    late = _one(report, "SPEND003", "spend-line:core-2024-25/programme-team")
    assert late.status is Status.FAIL
    assert late.message.endswith("£3,000 dated outside the grant's years, 2024-04-01 to "
                                 "2025-03-31 (spent on 2025-04-15); £3,000 not covered by a "
                                 "recorded carry-over")


def test_a_ledger_most_of_whose_rows_cannot_be_used_is_an_error(tmp_path: Path) -> None:
    # Amounts written the continental way ("2.000,00") are bad numbers: every row with one
    # is left out. Figures from the one row left are not to be trusted.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/04/2024,core-2024-25,programme-team,1000,cash\n"
                  '31/05/2024,core-2024-25,programme-team,"2.000,00",cash\n'
                  '30/06/2024,core-2024-25,programme-team,"3.000,00",cash\n')
    report = _team(tmp_path, 100000, [f"spend={spend}"],
                   date(2024, 6, 30), "SPEND010")
    (result,) = report.results
    assert result.status is Status.FAIL
    assert result.severity.value == "error"
    assert result.message.startswith(
        f"spend file {spend}: 1 of 3 rows usable, 2 left out (66.67%): more than 5% of its "
        "rows are left out")
    assert report.exit_code() == 1


def test_vpp_return_exits_1_after_writing_a_return_from_an_unusable_ledger(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err, spend = _return(
        tmp_path, capsys, "30/04/2024,core-2024-25,programme-team,1.000.000,cash\n"
        "31/05/2024,core-2024-25,programme-team,2000,cash\n", 100000, "json")
    assert code == 1
    assert json.loads(out)["quarter"] == "2024-25-Q1"  # the return is written all the same
    assert err == (f"error: spend file {spend}: 1 of 2 rows usable, 1 left out (50%): more "
                   "than 5% of its rows are left out; its figures cannot be trusted "
                   "(SPEND010)\n")


def test_a_return_without_match_funding_or_milestone_records_says_none_were_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _written(tmp_path, capsys, "30/04/2024,core-2024-25,programme-team,2000,"
                   "cash\n", 100000, "markdown")
    assert ("## Match funding: no match-funding records given; £302,000 required (20% of the "
            "core grant)\n\nNo match-funding records given.\n") in out
    assert "## Evaluation milestones\n\nNo evaluation-milestones records given.\n" in out
    assert "£0 evidenced" not in out


def test_in_kind_and_secondment_rows_are_shown_within_spend_to_date(tmp_path: Path) -> None:
    # £37,500 cash, £5,000 in-kind (a hospital's room) and £12,000 of a seconded officer's
    # time, all charged to the line: £54,500 spent, of which £17,000 not cash.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,37500,cash\n"
                  "30/06/2024,core-2024-25,programme-team,5000,In-Kind\n"
                  "30/06/2024,core-2024-25,programme-team,12000,Secondment\n")
    report = _team(tmp_path, 50000, [f"spend={spend}"],
                   date(2024, 6, 30), "SPEND001")
    line = _one(report, "SPEND001", TEAM)
    assert ("£54,500 spent (of it £5,000 in-kind, £12,000 secondment) to 2024-06-30 against "
            "£50,000 profiled; variance £4,500 (9%)") in line.message
    assert [(p.label, str(p.value)) for p in line.evidence.parts][-2:] == [
        ("of which in-kind", "5000.0000"), ("of which secondment", "12000.0000")]


def test_the_return_shows_the_in_kind_and_secondment_part_of_spend(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _written(tmp_path, capsys,
                   "30/06/2024,core-2024-25,programme-team,37500,cash\n"
                   "30/06/2024,core-2024-25,programme-team,5000,in-kind\n",
                   50000, "markdown")
    assert ("| VRU core grant, Year 3 / VPP programme team | £42,500 | £50,000 | -£7,500 | -15% "
            "| red | £200,000 | £5,000 |") in out


def test_the_json_return_gives_money_as_exact_decimals_and_shares_as_numbers(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # £42,500.50 spent in Q1 against £50,000: -£7,499.50, -14.999%; run-rate
    # £42,500.50 × 365 / 91 = £170,469.04; profile-based £42,500.50 + £150,000.
    out = _written(tmp_path, capsys,
                   "30/06/2024,core-2024-25,programme-team,42500.50,cash\n",
                   50000, "json")
    data = json.loads(out)
    (line,) = data["spend_against_profile"]["lines"]
    assert (line["spend_to_date"], line["profile_to_date"], line["variance"],
            line["variance_share"], line["not_cash"]) == (
        "42500.50", "50000.00", "-7499.50", -0.14999, "0.00")
    forecast = data["forecasts"][0]
    assert (forecast["forecast_run_rate"], forecast["forecast_profile_based"],
            forecast["range"], forecast["allocation"]) == (
        "170469.04", "192500.50", ["170469.04", "192500.50"], "1510000.00")
    assert data["match_funding"]["required"] == "302000.00"
    assert data["match_funding"]["required_share"] == 0.2


def test_a_ledger_without_a_type_column_is_all_cash(tmp_path: Path) -> None:
    # A finance system's export has no cash / in-kind / secondment column: every row is
    # cash, as is a row whose type is left blank.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount\n"
                  "31/05/2024,core-2024-25,programme-team,60000\n"
                  "30/06/2024,core-2024-25,programme-team,30000\n")
    blank = write(tmp_path, "blank.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,1000,\n")
    report = _team(tmp_path, 100000, [f"spend={spend}", f"spend={blank}"], date(2024, 6, 30),
                   "SPEND001", "SPEND009")
    line = _one(report, "SPEND001", TEAM)
    assert "£91,000 spent to 2024-06-30 against £100,000 profiled; variance -£9,000 (-9%)" \
        in line.message
    assert _one(report, "SPEND009", "records:spend").status is Status.PASS


def test_coded_values_are_matched_ignoring_spaces_and_punctuation(tmp_path: Path) -> None:
    # "In Kind" is in-kind; a milestone "In Progress" past its day is overdue, not a row
    # left out (which let SPEND007 pass).
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,40000,Cash\n"
                  "30/06/2024,core-2024-25,programme-team,5000,In Kind\n")
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "School Navigators,Final results,31/05/2024,In Progress,\n")
    report = _team(tmp_path, 50000, [f"spend={spend}", f"evaluation-milestones={milestones}"],
                   date(2024, 6, 30), "SPEND001", "SPEND007", "SPEND009")
    line = _one(report, "SPEND001", TEAM)
    assert "£45,000 spent (of it £5,000 in-kind) to 2024-06-30" in line.message
    late = _one(report, "SPEND007", "milestone:school-navigators/2024-05-31")
    assert late.status is Status.FAIL and "is in-progress as of 2024-06-30" in late.message
    assert {str(r.subject): r.status for r in report.results if r.code == "SPEND009"} == {
        "records:spend": Status.PASS, "records:evaluation-milestones": Status.PASS}


def test_the_return_says_what_each_forecast_is_measured_against(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _written(tmp_path, capsys,
                   "30/06/2024,core-2024-25,programme-team,50000,cash\n",
                   50000, "markdown")
    assert ("| grant | spend to date | forecast, profile-based | forecast, run-rate | range | "
            "allocation | allocation is | underspend (profile-based) | underspend (run-rate) |"
            ) in out
    assert "| £1,510,000 | the grant (£1.51m) |" in out


def test_spend_outside_the_days_counted_is_said_to_be_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A full-year ledger, returned for Q1: £2,000 dated before 1 April and £3,000 after 30
    # June are not in spend to date, and the return and SPEND001 say so.
    rows = ("28/03/2024,core-2024-25,programme-team,2000,cash\n"
            "30/06/2024,core-2024-25,programme-team,50000,cash\n"
            "15/08/2024,core-2024-25,programme-team,3000,cash\n")
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n" + rows)
    report = _team(tmp_path, 50000, [f"spend={spend}"], date(2024, 6, 30), "SPEND001")
    note = ("Not counted in spend to date: £2,000 dated before 2024-04-01 and £3,000 dated "
            "after 2024-06-30.")
    assert note in _one(report, "SPEND001", TEAM).evidence.notes
    assert ("- **Not counted in spend to date**: £2,000 dated before 2024-04-01 and £3,000 "
            "dated after 2024-06-30\n") in _written(tmp_path, capsys, rows, 50000, "markdown")


def test_a_row_given_in_two_ledger_files_is_an_error(tmp_path: Path) -> None:
    # The Q1 export and then the year-to-date export, both given: Q1's rows are in both,
    # so each would be counted twice. A row with no reference, or in one file, is not
    # compared.
    q1 = write(tmp_path, "q1.csv", "date,grant,line,amount,type,reference\n"
               "30/04/2024,core-2024-25,programme-team,27500,cash,JNL-1\n"
               "31/05/2024,core-2024-25,programme-team,27500,cash,JNL-2\n"
               "31/05/2024,core-2024-25,evaluation,1000,cash,\n")
    ytd = write(tmp_path, "ytd.csv", "date,grant,line,amount,type,reference\n"
                "30/04/2024,core-2024-25,programme-team,27500,cash,JNL-1\n"
                "31/05/2024,core-2024-25,programme-team,27500,cash,JNL-2\n"
                "31/05/2024,core-2024-25,evaluation,1000,cash,\n"
                "30/06/2024,core-2024-25,programme-team,27500,cash,JNL-3\n")
    report = _team(tmp_path, 100000, [f"spend={q1}", f"spend={ytd}"], date(2024, 6, 30),
                   "SPEND011")
    (result,) = report.results
    assert (result.status, result.severity.value) == (Status.FAIL, "error")
    assert result.message == (
        "VRU core grant, Year 3 / VPP programme team: £55,000 in 2 rows dated 2024-04-30 to "
        f"2024-05-31 is in more than one spend file ({q1}, {ytd}): counted more than once")
    single = _team(tmp_path, 100000, [f"spend={ytd}"], date(2024, 6, 30), "SPEND011")
    assert [r.status for r in single.results] == [Status.PASS]


def test_vpp_return_exits_1_on_overlapping_ledger_exports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q1 = write(tmp_path, "q1.csv", "date,grant,line,amount,type,reference\n"
               "30/04/2024,core-2024-25,programme-team,27500,cash,JNL-1\n")
    ytd = write(tmp_path, "ytd.csv", "date,grant,line,amount,type,reference\n"
                "30/04/2024,core-2024-25,programme-team,27500,cash,JNL-1\n")
    strategy = profiled(tmp_path, "programme-team", 100000)
    code = main(["return", str(strategy), "--quarter", "2024-25-Q1", "--records",
                 f"spend={q1}", "--records", f"spend={ytd}", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and json.loads(out)["quarter"] == "2024-25-Q1"
    assert err.endswith(f"is in more than one spend file ({q1}, {ytd}): counted more than "
                        "once; its figures cannot be trusted (SPEND011)\n")


def test_a_section_whose_rule_a_local_pack_switched_off_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = write(tmp_path, "local.toml", '[pack]\nname = "local"\nversion = "1"\n'
                  'prefix = "LOCAL"\nextends = ["in-year-spend"]\n\n'
                  '[[overrides]]\ncode = "SPEND008"\nenabled = false\n')
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,50000,cash\n")
    strategy = profiled(tmp_path, "programme-team", 50000)
    assert main(["return", str(strategy), "--quarter", "2024-25-Q1", "--records",
                 f"spend={spend}", "--pack", str(local), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "## Value for money\n\nSPEND008 is switched off (by local).\n" in out


def test_actual_spend_metrics_say_how_much_is_in_kind(tmp_path: Path) -> None:
    # The 30% rule on actual spend counts a line's in-kind spend: its metric says so.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,hospital-navigators,30000,cash\n"
                  "30/06/2024,core-2024-25,hospital-navigators,5000,in-kind\n"
                  "30/06/2024,core-2024-25,programme-team,50000,cash\n")
    report = _team(tmp_path, 50000, [f"spend={spend}"], date(2024, 6, 30), "SPEND004")
    (audited,) = report.audits
    actual = audited.metrics["intervention-spend-actual"]
    assert actual.value == 35000
    assert actual.note.startswith("actual spend on core-2024-25, lines paying for "
                                  "interventions, 1 April to 2024-06-30 (of it £5,000 in-kind)")


def test_a_carry_over_written_as_a_credit_is_a_row_left_out(tmp_path: Path) -> None:
    # "(£10,000.00)" reads as -10,000: an approval of a negative amount is no approval.
    carry = write(tmp_path, "carry.csv", "grant,line,spend_until,amount,approved_by,reference\n"
                  'core-2023-24,custody-coaches,30/06/2024,"(£10,000.00)",Home Office,L-1\n')
    report = _team(tmp_path, 50000, [f"carry-over={carry}"], date(2024, 6, 30), "SPEND009")
    (result,) = report.results
    assert result.status is Status.FAIL
    assert f"{carry}: row 2: a negative amount" in result.evidence.notes


def test_a_negative_profile_row_is_left_out_as_in_the_strategy(tmp_path: Path) -> None:
    # The strategy's [[spend_profile]] refuses a negative amount; so do spend-profile records.
    records, profile = _profiled_by_records(
        tmp_path, "core-2024-25,programme-team,2024-25-Q1,40000\n"
        'core-2024-25,programme-team,2024-25-Q2,"(£1,000.00)"\n')
    report = _audit(ESSEX, records, date(2024, 6, 30), "SPEND009")
    result = _one(report, "SPEND009", "records:spend-profile")
    assert f"{profile}: row 3: a negative amount" in result.evidence.notes


def test_spend_to_date_stops_at_the_year_end_when_the_ledger_runs_on(tmp_path: Path) -> None:
    # No --as-of: the last day of the records is 15 April 2025, after the year; the £3,000
    # of that day is not the year's spend, and spend to date runs to 31 March.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,100000,cash\n"
                  "15/04/2025,core-2024-25,programme-team,3000,cash\n")
    report = audit(profiled(tmp_path, "programme-team", 25000), packs=[PACK],
                   records=[f"spend={spend}"], options=AuditOptions(select=("SPEND001",)))
    line = _one(report, "SPEND001", TEAM)
    assert ("£100,000 spent to 2025-03-31 against £100,000 profiled; variance £0 (0%), green"
            in line.message)
    assert "Not counted in spend to date: £3,000 dated after 2025-03-31." in line.evidence.notes


def test_milestones_without_a_day_to_judge_them_say_what_is_missing(tmp_path: Path) -> None:
    # Milestones given, but no --as-of and no spend records to take a day from: they were
    # supplied, and the finding says what is missing instead.
    milestones = write(tmp_path, "ms.csv", "intervention,milestone,due,status,completed\n"
                       "School Navigators,Final results,31/05/2024,in-progress,\n")
    report = audit(profiled(tmp_path, "programme-team", 25000), packs=[PACK],
                   records=[f"evaluation-milestones={milestones}"],
                   options=AuditOptions(select=("SPEND007",)))
    (result,) = report.results
    assert result.status is Status.NOT_APPLICABLE
    assert result.message == ("no day to judge the milestones against: give --as-of (or "
                              "spend records, whose last day is taken)")


def test_a_ledger_with_no_usable_row_and_no_as_of_is_no_rule_error(tmp_path: Path) -> None:
    # Every row left out and no --as-of: no day to measure to. The spend rules say so (the
    # check raised AssertionError, a rule error and exit 3); SPEND010 names the file.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/04/2024,no-such-grant,programme-team,100,cash\n")
    report = audit(profiled(tmp_path, "programme-team", 25000), packs=[PACK],
                   records=[f"spend={spend}"],
                   options=AuditOptions(select=("SPEND001", "SPEND002", "SPEND003")))
    assert {(r.code, r.status) for r in report.results} == {
        ("SPEND001", Status.NOT_APPLICABLE), ("SPEND002", Status.NOT_APPLICABLE),
        ("SPEND003", Status.NOT_APPLICABLE)}
    assert {r.message for r in report.results} == {
        "no usable spend row and no --as-of: no day to measure spend to"}
    assert report.exit_code() == 0


def test_a_return_without_a_ledger_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # Only participants and training records: a return of "£0 spent" on every line would
    # be no return at all.
    code = main(["return", "--example", "--quarter", "2024-25-Q3", "--records",
                 str(Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25"
                     / "records" / "records.toml")])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err == ("error: vpp return: no spend records among those given (a ledger of kind "
                   "spend: see vpp records kinds spend)\n")


@pytest.mark.parametrize("which", ["ledger", "strategy"])
def test_a_return_never_writes_over_one_of_its_inputs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], which: str) -> None:
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,50000,cash\n")
    strategy = profiled(tmp_path, "programme-team", 50000)
    target = {"ledger": spend, "strategy": strategy}[which]
    before = target.read_bytes()
    code = main(["return", str(strategy), "--quarter", "2024-25-Q1", "--records",
                 f"spend={spend}", "--format", "markdown", "--output", str(target)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"error: --output {target}: this is an input (")
    assert err.endswith("); an output never replaces an input\n")
    assert target.read_bytes() == before


def test_overlapping_profile_records_are_refused_as_in_the_strategy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # April by month and Q1 by quarter for one line: summed, the profile to date doubled.
    records, profile = _profiled_by_records(
        tmp_path, "core-2024-25,programme-team,2024-04,27500\n"
        "core-2024-25,programme-team,2024-25-Q1,82500\n")
    code = main(["audit", str(ESSEX), "--pack", PACK, "--records", records[0],
                 "--records", records[1], "--as-of", "2024-06-30", "-q"])
    err = capsys.readouterr().err
    assert code == 2
    assert (f"error: {profile}: spend-profile records: core-2024-25 / programme-team: "
            "2024-25-Q1 overlaps 2024-04; give each period's plan once") in err


def test_profile_records_for_another_year_are_said_not_to_be_counted(tmp_path: Path) -> None:
    # A typo in the finance export's period (2025-26-Q1 for 2024-25-Q1): that plan is not
    # this year's, so Q1 shows nothing profiled, and SPEND001 says why.
    records, _ = _profiled_by_records(
        tmp_path, "core-2024-25,programme-team,2025-26-Q1,40000\n"
        "core-2024-25,programme-team,2024-25-Q2,40000\n")
    report = _audit(ESSEX, records, date(2024, 6, 30), "SPEND001")
    line = _one(report, "SPEND001", TEAM)
    assert "Not in the 2024-25 profile: £40,000 planned for 2025-26-Q1." in line.evidence.notes


def test_spend_outside_a_grant_over_years_names_the_grants_years_and_the_days_spent(
        tmp_path: Path) -> None:
    # The Serious Violence Duty burden grant runs 2022-23 to 2024-25 and funds no programme
    # team: spend on it on 31 March 2025 is in its years but on a line it does not fund;
    # on 1 and 2 April 2025 it is after its years. One finding says both (two findings for
    # one line were a rule error, exit 3). The core grant's spend on 1 April 2024 is fine.
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "01/04/2024,core-2024-25,programme-team,100000,cash\n"
                  "31/03/2025,sv-duty-burden,programme-team,1000,cash\n"
                  "01/04/2025,sv-duty-burden,programme-team,2000,cash\n"
                  "02/04/2025,sv-duty-burden,programme-team,500,cash\n")
    report = _team(tmp_path, 100000, [f"spend={spend}"], date(2025, 3, 31), "SPEND003")
    [late] = report.results
    assert str(late.subject) == "spend-line:sv-duty-burden/programme-team"
    assert late.status is Status.FAIL
    assert late.message == (
        "sv-duty-burden / programme-team: £2,500 dated outside the grant's years, 2022-04-01 "
        "to 2025-03-31 (spent 2025-04-01 to 2025-04-02); £1,000 on a line the grant does not "
        "fund (spent on 2025-03-31); £3,500 not covered by a recorded carry-over")
    assert report.exit_code() == 1


def test_match_funding_of_a_core_grant_over_two_years_is_a_share_of_one_year(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The core grant £3,020,000 over 2024-25 and 2025-26: the year's core grant is
    # £1,510,000, so 20% is £302,000 (not £604,000), and £302,000 evidenced meets it.
    strategy = load_strategy(profiled(tmp_path, "programme-team", 100000))
    grants = tuple(attrs.evolve(grant, years=(grant.years[0], FinancialYear(2025)),
                                amount=attrs.evolve(grant.amount, amount=Decimal(3020000)))
                   if grant.id == "core-2024-25" else grant for grant in strategy.grants)
    path = write(tmp_path, "strategy.toml", dump_strategy(attrs.evolve(strategy, grants=grants)))
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,100000,cash\n")
    match = write(tmp_path, "match.csv", "grant,partner,type,amount,fte,annual_cost,start,end,"
                  "evidence\ncore-2024-25,OPCC,cash,302000,,,2024-04-01,2025-03-31,Notice 1\n")
    records = [f"spend={spend}", f"match-funding={match}"]
    result = _one(_audit(path, records, date(2025, 3, 31), "SPEND006"), "SPEND006",
                  "grant:core-2024-25")
    assert result.status is Status.PASS
    assert result.message == ("2024-25: £302,000 evidenced from 1 sources against £302,000 "
                              "required (20% of £1,510,000)")
    assert main(["return", str(path), "--quarter", "2024-25-Q4", "--format", "json",
                 *(arg for record in records for arg in ("--records", record))]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert data["match_funding"]["required"] == "302000.00"
