"""``vpp targets`` and ``vpp generate-records`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.targets.conftest import PARTICIPANT_HEADER, write_rows
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy


def test_targets_on_the_bundled_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "--example"]) == 0
    out = capsys.readouterr().out
    assert "Internal report: exact counts" in out
    assert "School Navigators: 2024-09-01 to 2025-03-31" in out
    assert "Totals (as the table adds them)" in out
    assert "Unique people across all interventions:" in out
    assert "Participant records: 5000 rows read" in out


def test_targets_published_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "--example", "--published", "--format", "json",
                 "--as-of", "2024-09-30"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["audience"] == "published"
    assert report["as_of"] == "2024-09-30"
    assert report["as_of_note"] == "as given"


def test_targets_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "--example", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("intervention,label,cohort,window,target,reached")
    assert any(line.startswith("total,") for line in lines)


def test_an_unreadable_file_is_exit_2_with_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "participants.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not a csv")
    code = main(["targets", str(bundled_strategy()), "--records", f"participants={sheet}"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"error: {sheet}: not a CSV or Parquet file (expected .csv or .parquet)"
    ]


def test_a_file_without_a_mapped_column_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_rows(tmp_path / "people.csv", PARTICIPANT_HEADER, [])
    manifest = tmp_path / "records.toml"
    manifest.write_text('[[sources]]\nkind = "participants"\npath = "people.csv"\n'
                        'columns = { person_id = "Client Ref" }\n', encoding="utf-8")
    assert main(["targets", str(bundled_strategy()), "--records", str(manifest)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: {data}: no column 'Client Ref' (mapped from person_id) "
                           "(its columns: person_id, ")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--example", "--records", "participants=absent.csv"],
         "absent.csv: no such records file"),
        (["--as-of", "31/03/2025"], "expected a date as YYYY-MM-DD"),
        (["STRATEGY"], "no records given"),
    ],
)
def test_bad_requests_are_exit_2(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [str(bundled_strategy()) if item == "STRATEGY" else item for item in arguments]
    assert main(["targets", *arguments]) == 2
    assert message in capsys.readouterr().err


def test_generate_records_then_count_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "records"
    assert main(["generate-records", str(folder), "--rows", "2000", "--seed", "7"]) == 0
    assert "wrote 2000 participant rows" in capsys.readouterr().out
    assert main(["targets", str(bundled_strategy()), "--records", str(folder)]) == 0
    assert "Participant records: 2000 rows read" in capsys.readouterr().out


def test_generate_records_refuses_a_size_out_of_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate-records", str(tmp_path), "--rows", "10"]) == 2
    assert "--rows: must be from 1,000 to 10,000,000" in capsys.readouterr().err


def test_audit_runs_the_target_rules_on_the_bundled_records(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["audit", "--example", "--select", "TGT", "--format", "json"]) == 0
    captured = capsys.readouterr()
    results = {(item["code"], item["subject"]["id"]): item["status"]
               for item in _results(json.loads(captured.out))}
    # Hospital Navigators reached 219 of 300 in the bundled records; School Navigators 151 of 140.
    assert results[("TGT001", "hospital-navigators/24-and-under")] == "fail"
    assert results[("TGT001", "school-navigators/24-and-under")] == "pass"
    assert results[("TGT003", "participants")] == "fail"  # six rows left out


def test_audit_without_records_finds_the_target_rules_not_applicable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["audit", str(bundled_strategy()), "--select", "TGT", "--format", "json"])
    assert code == 0
    statuses = {item["status"] for item in _results(json.loads(capsys.readouterr().out))}
    assert statuses == {"not-applicable"}


def _results(report: object) -> list[dict[str, object]]:
    """Every result in a JSON report, wherever the report nests them."""
    found: list[dict[str, object]] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "code" in value and "status" in value and "subject" in value:
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    return found


def test_rows_of_empty_cells_are_said_to_be_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "participants.csv"
    path.write_text(f"{PARTICIPANT_HEADER}\n"
                    "A,hospital-navigators,2024-05-01,2010-01-01,,start,reading\n"
                    ",,,,,,\n,,,,,,\n", encoding="utf-8")
    assert main(["targets", str(bundled_strategy()), "--records", f"participants={path}"]) == 0
    assert ("Participant records: 1 row read (2 rows of empty cells skipped, as blank lines), "
            "1 used, 0 left out.") in capsys.readouterr().out
