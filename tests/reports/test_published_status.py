"""A published audit never lets a suppressed count be worked back from a result's status,
message, evidence or threshold: a status is shown only where every count the "<5" may
stand for gives the same, as ``vpp targets --published`` does for its RAG."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from vpp_core import (
    Audience,
    DisclosurePolicy,
    Evidence,
    PluginInfo,
    Quantity,
    Result,
    Severity,
    Status,
    Subject,
    Unit,
    published_result,
)
from vpp_core.cli.main import main


def tgt002(tmp_path: Path, capsys: pytest.CaptureFixture[str],
           *extra: str) -> tuple[int, dict[str, dict[str, Any]]]:
    """One person of each cohort of Hospital Navigators, ten days into the year."""
    path = tmp_path / "participants.csv"
    path.write_text("person_id,intervention,event_date,age_at_event,event_type\n"
                    "A1,hospital-navigators,2024-04-05,20,start\n"
                    "A2,hospital-navigators,2024-04-05,30,start\n", encoding="utf-8")
    code = main(["audit", "--example", "--records", f"participants={path}", "--as-of",
                 "2024-04-10", "--pack", "targets", "--format", "json", *extra])
    results = json.loads(capsys.readouterr().out)["strategies"][0]["results"]
    return code, {result["subject"]["label"].split(", ")[1]: result for result in results
                  if result["code"] == "TGT002"
                  and result["subject"]["id"].startswith("hospital-navigators")}


def test_a_status_that_would_tell_a_suppressed_count_is_withheld(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 25 and over: 75% of 2.05 expected is 1.54: "fail" means exactly 1, 2 to 4 pass;
    # 24 and under: 75% of 8.22 expected is 6.16: 1 to 4 all fail alike
    internal_code, internal = tgt002(tmp_path, capsys)
    assert {cohort: result["status"] for cohort, result in internal.items()} == {
        "24 and under": "fail", "25 and over": "fail"}
    published_code, published = tgt002(tmp_path, capsys, "--published")
    assert {cohort: result["status"] for cohort, result in published.items()} == {
        "24 and under": "fail", "25 and over": "withheld"}
    older = published["25 and over"]
    assert older["message"] == (
        "Hospital Navigators, 25 and over: status withheld; counts of people suppressed for "
        "publication (fewer than 5)")
    assert older["evidence"]["notes"] == [  # no "RAG: red", no other figure from records
        "Figures counted from records are suppressed for publication: a count of 1 to 4 "
        "people."]
    assert older["waiver"] is None and older["evidence"]["shortfall"] is None
    assert published_code == internal_code  # the run's verdict rests on exact figures


def _result(status: Status, evidence: Evidence) -> Result:
    return Result("TST001", "t", "A test", Severity.ERROR, status, "3 of 4 reached",
                  Subject("target", "x", "X"), "c", PluginInfo("p", "1", "core"), evidence)


def _count(value: int) -> Quantity:
    return Quantity("reached", Decimal(value), Unit.PEOPLE, "records:participants")


PUBLISHED = DisclosurePolicy(Audience.PUBLISHED)


def test_a_status_every_hidden_count_gives_alike_is_kept() -> None:
    half = Quantity("needed", Decimal("0.5"), Unit.PEOPLE, "strategy")
    shown = published_result(_result(Status.PASS, Evidence(
        measured=_count(3), operator=">=", threshold=half)), PUBLISHED)
    assert (shown.status, shown.message) == (
        Status.PASS, "X: pass; counts of people suppressed for publication (fewer than 5)")


def test_a_status_resting_on_a_count_with_no_threshold_is_withheld() -> None:
    shown = published_result(_result(Status.FAIL, Evidence(parts=(_count(3),))), PUBLISHED)
    assert shown.status is Status.WITHHELD
    internal = published_result(_result(Status.FAIL, Evidence(parts=(_count(3),))),
                                DisclosurePolicy())
    assert (internal.status, internal.message) == (Status.FAIL, "3 of 4 reached")


def test_the_text_summary_says_withheld_results_are_not_counted_in_its_exit_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "participants.csv"
    path.write_text("person_id,intervention,event_date,age_at_event,event_type\n"
                    "A1,hospital-navigators,2024-04-05,30,start\n", encoding="utf-8")
    code = main(["audit", "--example", "--records", f"participants={path}", "--as-of",
                 "2024-04-10", "--pack", "targets", "--published", "--fail-on", "warning"])
    out = capsys.readouterr().out
    assert code == 1  # the command counts what the report withholds
    exit_line = " ".join(out.split("\n\n")[-1].split())
    assert "withheld for publication are not counted here (the command's exit code counts " \
           "them)" in exit_line
    assert exit_line.count("Exit code of the results shown:") == 1


def test_the_markdown_report_says_so_too(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "participants.csv"
    path.write_text("person_id,intervention,event_date,age_at_event,event_type\n"
                    "A1,hospital-navigators,2024-04-05,30,start\n", encoding="utf-8")
    report = tmp_path / "report.md"
    assert main(["audit", "--example", "--records", f"participants={path}", "--as-of",
                 "2024-04-10", "--pack", "targets", "--published", "--fail-on", "warning",
                 "-o", str(report)]) == 1
    text = report.read_text(encoding="utf-8")
    assert "Exit code of the results shown: " in text
    assert "withheld for publication are not counted here" in text
