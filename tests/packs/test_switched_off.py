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
from vpp_core.reports.formats.junit import render_junit
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.report import report_schema
from vpp_core.reports.reporters import render_json, render_text

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
