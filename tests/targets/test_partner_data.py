"""Partner data as it arrives: names for ids, every problem on a row, referrals, the as-of
day, files that give nothing to count (TGT004) and the counting events as a pack parameter.

Against the bundled Thames Valley strategy; every expected count is derived by hand.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import duckdb
import pytest
from vpp_plugins.targets.checks import check_specs
from vpp_plugins.targets.metrics import metric_specs

from tests.targets.conftest import PARTICIPANT_HEADER, TRAINING_HEADER, Count, write_rows
from vpp_core import AuditOptions, audit
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import dump_strategy, load_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import CheckContext, RecordSource
from vpp_core.plugin_api.results import Finding, Status
from vpp_core.records.tables import RejectedRow

HN, YOUNG = "hospital-navigators", "24-and-under"
CHECKS = {spec.name: spec for spec in check_specs()}
METRICS = {spec.name: spec for spec in metric_specs()}


def p(person: str, intervention: str, day: str, kind: str = "start") -> str:
    return f"{person},{intervention},{day},2010-01-01,,{kind},reading"


def test_interventions_named_as_the_strategy_names_them_count(count: Count) -> None:
    counts = count([
        p("A", "Hospital Navigators", "2024-05-01"),  # the strategy's name
        p("B", " hospital navigators ", "2024-05-01"),  # spaced, lower case
        p("C", "HOSPITAL_NAVIGATORS", "2024-05-01"),  # upper case, other punctuation
        p("D", "Hospital-Navigators.", "2024-05-01"),
        p("E", "Hospital Navigator", "2024-05-01"),  # not a spelling of it: left out
    ])
    assert counts.count(HN, YOUNG) == 4
    assert counts.participants is not None
    assert [row.reason for row in counts.participants.rejected] == ['unknown "intervention"']


def test_every_problem_on_a_row_is_reported(count: Count) -> None:
    counts = count([
        "A,youth-club,2024-13-01,2010-01-01,,phone-call,reading",  # line 2: three problems
        ",hospital-navigators,2024-05-01,,,start,reading",  # line 3: no id, no age
    ])
    assert counts.participants is not None
    file = counts.participants.files[0]
    assert counts.participants.rejected == (
        RejectedRow(file, 2, 'unknown "intervention"; bad date in "event_date"; '
                             'unknown "event_type"'),
        RejectedRow(file, 3, 'missing "person_id"; missing "date_of_birth" or "age_at_event"'),
    )


def test_people_only_referred_are_counted_beside_the_target(count: Count) -> None:
    counts = count([
        p("A", HN, "2024-05-01", "referral"),  # referred only
        p("B", HN, "2024-05-01", "referral"),  # referred, then engaged: counted
        p("B", HN, "2024-05-20"),
        p("C", HN, "2024-05-01"),  # engaged: counted
        p("D", HN, "2024-03-01"),  # continuing, referred again in the window: neither
        p("D", HN, "2024-05-01", "referral"),
        p("E", HN, "2024-03-01", "referral"),  # referred before the window only: neither
    ], as_of=date(2025, 3, 31))
    assert counts.count(HN, YOUNG) == 2
    assert counts.referred_only(HN, YOUNG) == 1


def test_the_as_of_day_is_the_last_day_the_records_cover(count: Count) -> None:
    counts = count([p("A", HN, "2024-05-01"), p("B", HN, "2024-06-30", "referral")])
    # The last row is a referral on 30 June: that is the last day the records cover; the
    # last counting event is A's start on 1 May.
    assert (counts.as_of, counts.records_end, counts.last_counted) == (
        date(2024, 6, 30), date(2024, 6, 30), date(2024, 5, 1))


def test_targets_text_names_both_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", HN, "2024-05-01"), p("B", HN, "2024-06-30", "referral")])
    assert main(["targets", str(bundled_strategy()), "--records", f"participants={path}"]) == 0
    out = capsys.readouterr().out
    assert ("As of 2024-06-30 (the last day the records cover). The records cover to "
            "2024-06-30; the last engagement counted (start, session, exit) was on "
            "2024-05-01.") in out


def test_the_last_engagement_counted_is_never_after_the_as_of_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A start after the targets' window (and a training day after it) is not counted, so it
    # is not "the last engagement counted": that is A's start on 1 May.
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", HN, "2024-05-01"), p("B", HN, "2025-04-10")])
    training = write_rows(tmp_path / "training.csv", TRAINING_HEADER,
                          [f"T1,{HN},2025-05-01,,"])
    assert main(["targets", str(bundled_strategy()), "--records", f"participants={path}",
                 "--records", f"training={training}"]) == 0
    out = capsys.readouterr().out
    assert ("The records cover to 2025-05-01; the last engagement counted (start, session, "
            "exit) was on 2024-05-01.") in out
    assert main(["targets", str(bundled_strategy()), "--records", f"participants={path}",
                 "--as-of", "2024-04-30"]) == 0
    assert ("As of 2024-04-30 (as given). The records cover to 2025-04-10; they hold no "
            "engagement that counts by 2024-04-30.") in capsys.readouterr().out


def test_na_and_nan_from_r_and_pandas_are_blanks_not_bad_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # R writes a gap as NA, pandas (and Parquet float columns) as NaN: a row with the other
    # of date of birth and age is counted; one with neither is missing both, not "bad".
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER, [
        f"A,{HN},2024-05-01,2010-01-01,NA,start,NA",
        f"B,{HN},2024-05-01,NA,15,start,",
        f"C,{HN},2024-05-01,2010-01-01,NaN,start,",
        f"D,{HN},2024-05-01,,nan,start,",
    ])
    parquet = tmp_path / "participants.parquet"
    duckdb.sql(f"SELECT * FROM (VALUES ('E', '{HN}', DATE '2024-05-01', DATE '2010-01-01', "
               f"'nan'::DOUBLE, 'start'), ('F', '{HN}', DATE '2024-05-01', NULL, "
               f"'nan'::DOUBLE, 'start')) t(person_id, intervention, event_date, "
               "date_of_birth, age_at_event, event_type)").write_parquet(str(parquet))
    assert main(["targets", str(bundled_strategy()), "--records", f"participants={path}",
                 "--records", f"participants={parquet}", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    line = next(line for line in data["lines"]
                if line["intervention"] == HN and line["cohort"] == "24 and under")
    assert line["reached"] == 4  # A, B, C, E
    assert [(Path(row["file"]).name, row["reason"], row["rows"])
            for row in data["left_out"]] == [
        ("participants.csv", 'missing "date_of_birth" or "age_at_event"', [5]),
        ("participants.parquet", 'missing "date_of_birth" or "age_at_event"', [2]),
    ]


def run(check: str, strategy: Strategy, path: Path, **params: object) -> dict[str, Finding]:
    context = CheckContext(strategy, METRICS, (RecordSource("participants", path),),
                           date(2025, 3, 31), params=params)
    return {finding.subject.id: finding for finding in CHECKS[check].function(context)}


def test_tgt004_fails_a_file_with_no_usable_row(strategy: Strategy, tmp_path: Path) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", "Navigators", "2024-05-01"), p("B", "HN", "2024-05-01")])
    finding = run("records-files-usable", strategy, path)[str(path)]
    assert finding.status is Status.FAIL
    assert "0 of 2 rows usable, 2 left out (100%): no row can be counted" in finding.message


def test_tgt004_fails_a_file_leaving_out_more_than_its_share(
    strategy: Strategy, tmp_path: Path
) -> None:
    rows = [p(f"P{n}", HN, "2024-05-01") for n in range(19)]
    # 1 of 20 left out is 5%: at the limit, which passes
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [*rows, p("X", "elsewhere", "2024-05-01")])
    assert run("records-files-usable", strategy, path)[str(path)].status is Status.PASS
    # 2 of 21 is 9.5%: fails
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [*rows, p("X", "elsewhere", "2024-05-01"), p("Y", HN, "someday")])
    finding = run("records-files-usable", strategy, path)[str(path)]
    assert finding.status is Status.FAIL
    assert "more than 5% of its rows are left out" in finding.message
    # a pack may allow more
    finding = run("records-files-usable", strategy, path,
                  maximum_share_left_out=Decimal("0.10"))[str(path)]
    assert finding.status is Status.PASS


def test_vpp_targets_exits_1_and_names_a_file_with_no_usable_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", "HN", "2024-05-01"), p("B", "HN", "2024-05-02")])
    code = main(["targets", str(bundled_strategy()), "--records", f"participants={path}",
                 "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        f"error: {path}: 2 of 2 rows left out: no row can be counted; its counts cannot be "
        "trusted (TGT004)"
    ]
    report = json.loads(captured.out)
    assert report["files"] == [{"kind": "participant", "file": str(path), "read": 2, "used": 0,
                                "problem": "no row can be counted", "read_as": ""}]


def test_the_audit_fails_at_error_severity_on_a_file_with_no_usable_row(
    tmp_path: Path
) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", "HN", "2024-05-01")])
    report = audit(bundled_strategy(), packs=["targets"],
                   records=[RecordSource("participants", path)])
    tgt004 = [result for result in report.results if result.code == "TGT004"]
    assert [(result.status, result.severity.value) for result in tgt004] == [
        (Status.FAIL, "error")]
    assert report.exit_code() == 1


def test_engagement_events_are_a_pack_parameter(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER, [
        p("A", "op-paramount", "2024-05-01", "referral"),
        p("B", "op-paramount", "2024-05-01"),
    ])
    pack = tmp_path / "referrals-count.toml"
    pack.write_text(
        '[pack]\nname = "referrals-count"\nversion = "1"\nprefix = "RC"\n'
        'extends = ["targets"]\n\n[[overrides]]\ncode = "TGT001"\n'
        'parameters = { engagement_events = ["referral", "start", "session", "exit"] }\n',
        encoding="utf-8")
    records = [RecordSource("participants", path)]

    def op_paramount(packs: list[str]) -> str:
        report = audit(bundled_strategy(), packs=packs, records=records,
                       options=AuditOptions(as_of=date(2025, 3, 31)))
        return next(result.message for result in report.results if result.code == "TGT001"
                    and result.subject.id == "op-paramount/24-and-under")

    # By default A was only referred: 1 reached, 1 referred only.
    assert "1 of 50 new people reached" in op_paramount(["targets"])
    assert "1 referred only" in op_paramount(["targets"])
    # A pack that counts referrals counts A.
    assert "2 of 50 new people reached" in op_paramount([str(pack)])
    assert "0 referred only" in op_paramount([str(pack)])


def test_a_strategy_with_no_targets_table_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not an empty table and exit 0, "as of the end of the targets' windows" there are none of.
    plain = tmp_path / "strategy.toml"
    plain.write_text(dump_strategy(attrs.evolve(load_strategy(bundled_strategy()),
                                                targets=None)), encoding="utf-8")
    path = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER,
                      [p("A", HN, "2024-05-01")])
    assert main(["targets", str(plain), "--records", f"participants={path}"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"error: vpp targets: {plain} states no targets (no [targets] table): "
                   "there are no targets to count the records against\n")
