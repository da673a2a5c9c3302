"""A rule a pack switches off is listed in every report as switched off, by which pack."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from vpp_core import AuditOptions, Report, audit
from vpp_core.batch import BatchSettings, collect, run_batch
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.reports.formats.csv_report import render_csv
from vpp_core.reports.formats.html import render_html
from vpp_core.reports.formats.json_report import render_json
from vpp_core.reports.formats.junit import render_junit
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.formats.text import render_text
from vpp_core.reports.report import report_schema

LOCAL = str(Path(__file__).parent / "data" / "local-voice.toml")
TITLE = "Activity funded by carry-over from the previous year is stated with its amount"


@pytest.fixture(scope="module")
def report() -> Report:
    return audit(bundled_strategy(), packs=[LOCAL], plugins=make_plugins(),
                 options=AuditOptions())


def test_the_report_lists_the_rule_and_the_pack(report: Report) -> None:
    assert not any(result.code == "FUND008" for result in report.results)
    assert [(item.code, item.name, item.title, item.pack) for item in report.switched_off] == [
        ("FUND008", "carry-over-amount-stated", TITLE, "local-voice")]


def test_selecting_a_switched_off_rule_runs_it_and_no_longer_lists_it() -> None:
    report = audit(bundled_strategy(), packs=[LOCAL], plugins=make_plugins(),
                   options=AuditOptions(select=("FUND008",)))
    assert [result.code for result in report.results] == ["FUND008"]
    assert report.switched_off == ()


def test_text_markdown_and_html_show_it(report: Report) -> None:
    line = f"FUND008 carry-over-amount-stated ({TITLE}): switched off by pack 'local-voice'"
    assert line in " ".join(render_text(report, {}).split())  # wrapped at 100 columns
    assert "\nSwitched off: FUND008 (by local-voice)\n" in render_text(report, {"quiet": True})
    assert f"## Switched off\n\n- {line}" in render_markdown(report, {})
    html = render_html(report, {})
    assert "Rules switched off" in html and "<code>FUND008</code>" in html
    assert "local-voice" in html


def test_json_carries_it_and_still_validates(report: Report) -> None:
    data = json.loads(render_json(report, {}))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert data["switched_off"] == [{"code": "FUND008", "name": "carry-over-amount-stated",
                                     "title": TITLE, "pack": "local-voice"}]


def test_csv_has_a_row_for_it(report: Report) -> None:
    text = render_csv(report, {}).removeprefix("\ufeff")
    rows = [row for row in csv.DictReader(io.StringIO(text)) if row["code"] == "FUND008"]
    assert [(row["status"], row["message"]) for row in rows] == [
        ("switched-off", "switched off by pack 'local-voice'")]


def test_junit_shows_it_as_skipped(report: Report) -> None:
    root = ET.fromstring(render_junit(report, {}).split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    case = next(item for item in suite.iter("testcase") if item.get("name", "").startswith(
        "FUND008"))
    skipped = case.find("skipped")
    assert skipped is not None
    assert "switched off by pack 'local-voice'" in skipped.get("message", "")
    assert int(suite.get("skipped", "0")) >= 1
    assert int(suite.get("tests", "0")) == len(report.results) + 1


def test_a_batch_keeps_it(tmp_path: Path) -> None:
    settings = BatchSettings(packs=(LOCAL,))
    report = run_batch(collect([bundled_strategy()]), settings, jobs=1)
    assert [item.code for item in report.switched_off] == ["FUND008"]


def test_vpp_audit_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", str(bundled_strategy()), "--pack", LOCAL])
    assert "switched off by pack 'local-voice'" in capsys.readouterr().out


def _switched_off_cases(suite: ET.Element) -> list[str]:
    """The JUnit test cases of ``suite`` skipped because a pack switched them off."""
    names = []
    for case in suite.iter("testcase"):
        skipped = case.find("skipped")
        if skipped is not None and "switched off" in skipped.get("message", ""):
            names.append(case.get("name", ""))
    return names


def test_a_batch_lists_it_only_for_the_strategy_whose_packs_switched_it_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two VRUs in one batch: Thames Valley's folder holds the pack switching FUND008 off,
    # Essex's runs the default packs, where FUND008 runs.
    thames, essex = tmp_path / "a-thames", tmp_path / "b-essex"
    thames.mkdir()
    essex.mkdir()
    (thames / "strategy.toml").write_bytes(bundled_strategy().read_bytes())
    (thames / "local-voice.toml").write_bytes(Path(LOCAL).read_bytes())
    (essex / "strategy.toml").write_bytes(
        (bundled_strategy().parents[1] / "essex-2024-25" / "strategy.toml").read_bytes())
    out = tmp_path / "out"
    main(["audit", str(tmp_path), "-o", f"json:{out}.json", "-o", f"csv:{out}.csv",
          "-o", f"xlsx:{out}.xlsx", "-o", f"junit:{out}.xml", "-o", f"text:{out}.txt"])
    capsys.readouterr()
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert [[item["code"] for item in strategy["switched_off"]]
            for strategy in data["strategies"]] == [["FUND008"], []]
    assert [item["code"] for item in data["switched_off"]] == ["FUND008"]
    assert [
        [result["code"] for result in strategy["results"]].count("FUND008")
        for strategy in data["strategies"]] == [0, 1]
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    off = [(row["strategy"], row["code"]) for row in rows if row["status"] == "switched-off"]
    thames_name = data["strategies"][0]["strategy"]["partnership"]
    assert off == [(thames_name, "FUND008")]
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "out.xlsx", read_only=True)
    cells = list(book["Findings"].iter_rows(values_only=True))
    book.close()
    status, code = cells[0].index("status"), cells[0].index("code")
    assert [(row[0], row[code]) for row in cells[1:] if row[status] == "switched-off"] == off
    suites = ET.parse(tmp_path / "out.xml").getroot().findall("testsuite")
    assert [_switched_off_cases(suite) for suite in suites] == [
        ["FUND008 carry-over-amount-stated"], []]
    text = " ".join((tmp_path / "out.txt").read_text(encoding="utf-8").split())
    assert "FUND008 (by local-voice for Thames Valley VPP 2024-25)" in text
