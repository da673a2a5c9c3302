"""Cohorts and age bands are the strategy's data: a VRU with 10–17 / 18–24 / 25+ bands and
professionals trained, end to end through `vpp targets` and `vpp audit`, with no code change.

The strategy is the made-up non-compliant example with its targets table replaced; every
expected count below is derived by hand from the rows written here.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.targets.conftest import PARTICIPANT_HEADER, TRAINING_HEADER, write_rows
from vpp_core import audit, load_strategy
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.errors import StrategyError
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.results import Status

PV, KT = "prison-visits", "knife-talks"
TARGETS: dict[str, Any] = {
    "window": {"start": "2024-04-01", "end": "2025-03-31"},
    "cohorts": [
        {"id": "10-to-17", "label": "10 to 17", "min_age": 10, "max_age": 17},
        {"id": "18-to-24", "label": "18 to 24", "min_age": 18, "max_age": 24},
        {"id": "25-plus", "label": "25 and over", "min_age": 25},
        {"id": "trained", "label": "professionals trained", "professionals": True},
    ],
    "stated_totals": [{"cohort": "10-to-17", "count": 11}, {"cohort": "18-to-24", "count": 4},
                      {"cohort": "25-plus", "count": 2}, {"cohort": "trained", "count": 3}],
    "rows": [
        {"label": "Prison visits", "intervention": PV,
         "targets": [{"cohort": "10-to-17", "count": 5}, {"cohort": "18-to-24", "count": 4},
                     {"cohort": "25-plus", "count": 2}]},
        {"label": "Knife talks", "intervention": KT,
         "targets": [{"cohort": "10-to-17", "count": 6}, {"cohort": "trained", "count": 3}]},
    ],
}

PARTICIPANTS = [
    "A,Prison Visits,2024-05-01,2010-05-01,,start,north",  # the name, not the id: 14
    "B,prison-visits,2024-06-01,2006-06-01,,start,north",  # turns 18 that day: 18 to 24
    "C,prison-visits,2024-06-01,2006-06-02,,start,north",  # 18 tomorrow: 10 to 17
    "D,PRISON-VISITS,2024-07-01,,30,session,north",  # 30: 25 and over
    "E,prison-visits,2024-07-01,2000-01-01,,referral,north",  # referred only, 24
    "F,knife-talks,2024-08-01,,9,start,south",  # 9: in no band, counted once in unique
    "G,knife talks,2024-09-01,,12,session,south",  # 10 to 17
    "A,knife-talks,2024-10-01,2010-05-01,,start,south",  # A again, new to knife talks
    "H,prison-visits,2024-03-01,2009-01-01,,start,north",  # before the window…
    "H,prison-visits,2024-05-01,2009-01-01,,session,north",  # …so continuing
]
TRAINING = [
    "P1,knife-talks,2024-05-01,South school,Knife awareness",
    "P2,Knife Talks,2024-06-01,South school,Knife awareness",
]


def three_bands(folder: Path, targets: dict[str, Any] = TARGETS) -> Path:
    """The made-up strategy with the three-band targets table, as a TOML file."""
    example = bundled_strategy().parent.parent / "non-compliant-example" / "strategy.toml"
    data = tomllib.loads(example.read_text(encoding="utf-8"))
    data["targets"] = targets
    path = folder / "strategy.toml"
    text = tomli_w.dumps(data).replace('"2024-04-01"', "2024-04-01").replace(
        '"2025-03-31"', "2025-03-31")
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, Path, Path]:
    strategy = three_bands(tmp_path)
    participants = write_rows(tmp_path / "participants.csv", PARTICIPANT_HEADER, PARTICIPANTS)
    training = write_rows(tmp_path / "training.csv", TRAINING_HEADER, TRAINING)
    return strategy, participants, training


def targets(made: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str],
            *arguments: str) -> tuple[int, str]:
    strategy, participants, training = made
    code = main(["targets", str(strategy), "--records", f"participants={participants}",
                 "--records", f"training={training}", *arguments])
    return code, capsys.readouterr().out


def test_three_age_bands_count_end_to_end_as_json(
    made: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = targets(made, capsys, "--format", "json")
    assert code == 0
    report = json.loads(out)
    lines = {(line["intervention"], line["cohort"]): line for line in report["lines"]}
    # Prison visits: A and C are 10 to 17, B 18 to 24 (turned 18 that day), D 25 and over;
    # H is continuing; E was only referred (24 on the day: 18 to 24).
    assert {key: (line["reached"], line["referred_only"]) for key, line in lines.items()} == {
        (PV, "10 to 17"): (2, 0),
        (PV, "18 to 24"): (1, 1),
        (PV, "25 and over"): (1, 0),
        (KT, "10 to 17"): (2, 0),  # G, and A new to knife talks; F (9) is in no band
        (KT, "professionals trained"): (2, None),  # P1, and P2 by the course name
    }
    # numbers are numbers: 2 of 5 is 40%
    assert lines[(PV, "10 to 17")]["percent"] == 40
    assert [(t["cohort"], t["target"], t["stated_target"], t["reached"])
            for t in report["totals"]] == [
        ("10 to 17", 11, 11, 4), ("18 to 24", 4, 4, 1), ("25 and over", 2, 2, 1),
        ("professionals trained", 3, 3, 2)]
    # Unique people: A, B, C, D, F, G; F (aged 9) in no band.
    assert report["unique_people"] == 6
    assert report["unique_by_cohort"] == [["10 to 17", 3], ["18 to 24", 1], ["25 and over", 1]]
    assert report["unique_outside_bands"] == 1
    # the last row is A's on 1 October: the records' last day, and the last counted
    assert (report["as_of"], report["as_of_note"]) == ("2024-10-01",
                                                       "the last day the records cover")


def test_three_age_bands_in_text_and_csv(
    made: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = targets(made, capsys)
    assert code == 0
    assert "Unique people across all interventions: 6 (10 to 17 3, 18 to 24 1, 25 and over 1; " \
           "1 in no age band)." in out
    code, out = targets(made, capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(row["intervention"], row["cohort"], row["reached"]) for row in rows
            if row["intervention"] == "total"] == [
        ("total", "10 to 17", "4"), ("total", "18 to 24", "1"), ("total", "25 and over", "1"),
        ("total", "professionals trained", "2")]


def test_the_audit_follows_the_strategys_cohorts(made: tuple[Path, Path, Path]) -> None:
    strategy, participants, training = made
    report = audit(strategy, records=[RecordSource("participants", participants),
                                      RecordSource("training", training)])
    by_subject = {(result.code, result.subject.id): result for result in report.results}
    # FUND006: every column adds up to its totals row
    for cohort in ("10-to-17", "18-to-24", "25-plus", "trained"):
        assert by_subject[("FUND006", cohort)].status is Status.PASS
    # TGT002 on 1 October: 2 of 5 expected pro rata for prison visits' 10 to 17
    line = by_subject[("TGT002", "prison-visits/10-to-17")]
    assert line.subject.label == "Prison visits, 10 to 17"
    assert "2 reached by 2024-10-01" in line.message
    assert by_subject[("TGT002", "prison-visits/18-to-24")].message.count("referred") == 0
    assert "1 referred only" in by_subject[("TGT001", "prison-visits/18-to-24")].message


def test_a_target_naming_an_undeclared_cohort_is_a_located_error(tmp_path: Path) -> None:
    path = three_bands(tmp_path)
    text = path.read_text(encoding="utf-8").replace('cohort = "25-plus", count = 2',
                                                    'cohort = "over-25", count = 2', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StrategyError) as raised:
        load_strategy(path)
    assert "targets.stated_totals[2].cohort: unknown cohort 'over-25'" in str(raised.value)


def test_overlapping_age_bands_are_a_located_error(tmp_path: Path) -> None:
    path = three_bands(tmp_path)
    text = path.read_text(encoding="utf-8").replace("max_age = 24", "max_age = 25", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StrategyError) as raised:
        load_strategy(path)
    assert ("targets.cohorts[2]: ages 25 and over overlap cohort '18-to-24' (18 to 25)"
            in str(raised.value))


def test_the_html_report_shows_the_strategys_bands(
    made: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strategy, participants, training = made
    page = tmp_path / "report.html"
    code = main(["audit", str(strategy), "--records", f"participants={participants}",
                 "--records", f"training={training}", "--as-of", "2025-03-31",
                 "--output", f"html:{page}"])
    capsys.readouterr()
    assert code in (0, 1)
    html = page.read_text(encoding="utf-8")
    assert "Progress against targets" in html
    for label in ("Prison visits, 10 to 17", "Prison visits, 18 to 24",
                  "Prison visits, 25 and over", "Knife talks, professionals trained"):
        assert label in html
    assert "24 and under" not in html


def test_essex_declares_its_own_bands() -> None:
    essex = load_strategy(bundled_strategy("essex-2024-25"))
    assert essex.targets is not None
    assert [(c.id, c.ages) for c in essex.targets.cohorts] == [
        ("10-to-17", "10 to 17"), ("18-to-24", "18 to 24"),
        ("professionals-trained", "professionals")]
    fund006 = [result for result in audit(essex).results if result.code == "FUND006"]
    assert {(result.subject.id, result.status) for result in fund006} == {
        ("10-to-17", Status.PASS), ("18-to-24", Status.PASS),
        ("professionals-trained", Status.PASS)}


@pytest.mark.parametrize(("place", "change", "message"), [
    (3, {"min_age": 3}, "targets.cohorts[3]: a professionals cohort has no age range"),
    (0, {"min_age": 20}, "targets.cohorts[0]: min_age 20 is above max_age 17"),
])
def test_a_malformed_cohort_is_a_located_error(
    tmp_path: Path, place: int, change: dict[str, int], message: str
) -> None:
    cohorts = [dict(cohort) for cohort in TARGETS["cohorts"]]
    cohorts[place].update(change)
    with pytest.raises(StrategyError) as raised:
        load_strategy(three_bands(tmp_path, {**TARGETS, "cohorts": cohorts}))
    assert message in str(raised.value)


def test_show_names_each_target_by_its_cohorts_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "10-to-17 5" read as a range and a count run together; the label and a colon do not.
    assert main(["show", str(three_bands(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "10 to 17: 5, 18 to 24: 4, 25 and over: 2" in out
    assert "10 to 17: 6, professionals trained: 3" in out


def test_a_window_past_the_year_says_its_people_after_it_are_in_no_quarter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Knife talks' professionals are counted to 30 September 2025; Q1–Q4 are 2024-25's, so
    # one trained in May 2025 is reached but in no quarter: the table says so.
    targets = json.loads(json.dumps(TARGETS))
    targets["rows"][1]["window"] = {"start": "2024-10-01", "end": "2025-09-30"}
    strategy = three_bands(tmp_path, targets)
    strategy.write_text(strategy.read_text(encoding="utf-8").replace(
        '"2024-10-01"', "2024-10-01").replace('"2025-09-30"', "2025-09-30"), encoding="utf-8")
    training = write_rows(tmp_path / "training.csv", TRAINING_HEADER,
                          ["P1,knife-talks,2025-05-01,South school,Knife awareness"])
    assert main(["targets", str(strategy), "--records", f"training={training}",
                 "--as-of", "2025-06-01"]) == 0
    out = capsys.readouterr().out
    assert "Knife talks                      professionals trained       3        1" in out
    assert ("Q1–Q4 are the quarters of 2024-25: people counted in Knife talks "
            "(2024-10-01 to 2025-09-30) outside that year are in its Reached, in no "
            "quarter.") in out
