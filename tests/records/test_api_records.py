"""``audit(records=...)`` takes what ``--records`` takes: a manifest path, a folder, ``KIND=PATH``
(with a column mapping), one or a sequence of them; and a partner's file, mapped, counts
the same as ours."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from vpp_core import Report, VppError, audit, bundled_strategy
from vpp_core.cli.main import main

RECORDS = bundled_strategy().parent / "records"  # the bundled participant and training records
PARTICIPANTS = RECORDS / "participants.csv"
PACKS = ["targets"]


def _inputs(report: Report) -> dict[str, str]:
    return {item.role: Path(item.path).name for item in report.provenance.inputs}


def _reached(report: Report) -> dict[tuple[str, str], object]:
    return {(result.code, result.subject.id): result.evidence.numerator
            for result in report.results if result.code == "TGT001"}


@pytest.fixture(scope="module")
def expected() -> Report:
    return audit(bundled_strategy(), packs=PACKS, records=[RECORDS / "records.toml"])


@pytest.mark.parametrize("records", [
    str(RECORDS / "records.toml"),
    str(RECORDS),
    RECORDS,
    [str(RECORDS / "records.toml")],
    (f"participants={PARTICIPANTS}", f"training={RECORDS / 'training.csv'}"),
])
def test_audit_takes_records_as_the_command_line_does(
    records: Any, expected: Report
) -> None:
    report = audit(bundled_strategy(), packs=PACKS, records=records)
    assert _inputs(report) == _inputs(expected)
    assert _inputs(report)["records:participants"] == "participants.csv"
    assert _reached(report) == _reached(expected) != {}


def test_audit_takes_one_kind_equals_path_string() -> None:
    report = audit(bundled_strategy(), packs=PACKS, records=f"participants={PARTICIPANTS}")
    assert _inputs(report)["records:participants"] == "participants.csv"
    assert "records:training" not in _inputs(report)


def _partner_file(tmp_path: Path) -> Path:
    """The bundled participants as a partner sends them: own headers, own codes."""
    path = tmp_path / "partner.csv"
    with PARTICIPANTS.open(encoding="utf-8") as source, path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Client Ref", "Programme", "Date", "DOB", "Age", "Event", "Area"])
        for row in csv.DictReader(source):
            code = "HN" if row["intervention"] == "hospital-navigators" else row["intervention"]
            writer.writerow([row["person_id"], code, row["event_date"], row["date_of_birth"],
                             row["age_at_event"], row["event_type"], row["local_partnership"]])
    return path


MAPPING = ("person_id=Client Ref,intervention=Programme,event_date=Date,date_of_birth=DOB,"
           "age_at_event=Age,event_type=Event,local_partnership=Area")


def _lines(capsys: pytest.CaptureFixture[str], *records: str, code: int = 0
           ) -> list[dict[str, object]]:
    assert main(["targets", str(bundled_strategy()), "--format", "json",
                 *[f"--records={value}" for value in records]]) == code
    lines: list[dict[str, object]] = json.loads(capsys.readouterr().out)["lines"]
    return lines


def test_a_partner_file_counts_the_same_through_a_mapping_and_a_values_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = _lines(capsys, f"participants={PARTICIPANTS}")
    partner = _partner_file(tmp_path)
    manifest = tmp_path / "records.toml"
    columns = ", ".join(f'{a} = "{b}"' for a, b in (p.split("=") for p in MAPPING.split(",")))
    manifest.write_text(
        "[[sources]]\nkind = \"participants\"\npath = \"partner.csv\"\n"
        f"columns = {{ {columns} }}\nvalues.intervention = {{ hn = \"hospital-navigators\" }}\n",
        encoding="utf-8")
    assert _lines(capsys, str(manifest)) == ours
    # KIND=PATH maps the columns too; without the values table "HN" is not an intervention,
    # so more than 5% of the file is left out: the counts are printed, and the exit is 1
    mapped = _lines(capsys, f"participants={partner};{MAPPING}", code=1)
    navigators = [line for line in mapped if line["intervention"] == "hospital-navigators"]
    assert navigators and all(line["reached"] in (0, "0") for line in navigators)
    assert [line for line in mapped if line["intervention"] != "hospital-navigators"] == [
        line for line in ours if line["intervention"] != "hospital-navigators"]


def test_audit_takes_records_as_a_mapping_of_kind_to_path(expected: Report) -> None:
    # What a service holding its files by kind passes: no manifest, no KIND=PATH strings.
    report = audit(bundled_strategy(), packs=PACKS,
                   records={"participants": PARTICIPANTS,
                            "training": str(RECORDS / "training.csv")})
    assert _inputs(report) == _inputs(expected)
    assert _reached(report) == _reached(expected) != {}


def test_records_of_a_kind_or_a_type_not_taken_are_a_located_error() -> None:
    with pytest.raises(VppError) as raised:
        audit(bundled_strategy(), packs=PACKS, records={"participant": PARTICIPANTS})
    assert str(raised.value).startswith(
        "records['participant']: kind: unknown record kind 'participant' "
        "(did you mean 'participants'?)")
    with pytest.raises(VppError) as raised:
        audit(bundled_strategy(), packs=PACKS, records=[PARTICIPANTS.parent, 42])
    assert str(raised.value) == (
        "records[1]: expected a records manifest or folder, KIND=PATH, a RecordSource or a "
        "mapping of kind to path; got int")


def test_packs_given_as_one_name_or_none_at_all() -> None:
    # One pack by name, as records take one item: not read letter by letter ('d').
    one = audit(bundled_strategy(), packs="home-office-vru-core")
    assert [pack.name for pack in one.provenance.packs] == ["home-office-vru-core"]
    assert {result.code[:4] for result in one.results} == {"FUND"}
    # No pack at all would be an audit of nothing that exits 0: refused, saying why.
    with pytest.raises(VppError) as raised:
        audit(bundled_strategy(), packs=[])
    assert str(raised.value) == ("packs: no pack given (packs=None runs the packs marked "
                                 "default)")


def test_a_strategy_of_a_type_not_taken_or_none_at_all_is_refused_saying_why() -> None:
    # A dict is not read key by key as file names ("financial_year: no such file").
    with pytest.raises(VppError) as raised:
        audit({"financial_year": "2024-25"})
    assert str(raised.value) == (
        "strategy: expected a Strategy or the path of a strategy TOML file, or a sequence of "
        "them; got dict (load_strategy reads a file)")
    with pytest.raises(VppError) as raised:
        audit([bundled_strategy(), 42])  # type: ignore[list-item]
    assert str(raised.value).startswith("strategy[1]: expected a Strategy or the path")
    # No strategy at all would be an audit of nothing that exits 0.
    with pytest.raises(VppError) as raised:
        audit([])
    assert str(raised.value) == "strategy: none given"
