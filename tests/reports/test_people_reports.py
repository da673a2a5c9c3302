"""The outputs people and code scanning read: SARIF with help, the xlsx workbook, the typed
CSV, ``--published`` in every format, ``--baseline`` and ``--template``."""

from __future__ import annotations

import csv
import io
import json
import tomllib
import xml.etree.ElementTree as ET
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import tomli_w
from openpyxl.utils import get_column_letter

from tests.reports.conftest import PACK, WAIVERS
from vpp_core import Report, audit
from vpp_core.batch import merge
from vpp_core.cli.main import main
from vpp_core.loading.bundled import fixtures_folder
from vpp_core.model.escaping import markdown_text
from vpp_core.reports.formats.csv_report import COLUMNS
from vpp_core.reports.formats.xlsx import MONEY, SHARE, render_xlsx
from vpp_core.reports.report import FailedAudit, report_schema

THAMES = fixtures_folder() / "thames-valley-2024-25"
FORMATS = {"json": "r.json", "sarif": "r.sarif", "csv": "r.csv", "html": "r.html",
           "markdown": "r.md", "junit": "r.xml", "xlsx": "r.xlsx"}


def _audit_to(tmp_path: Path, *arguments: str, formats: dict[str, str] = FORMATS) -> int:
    outputs = [f"--output={name}:{tmp_path / file}" for name, file in formats.items()]
    return main(["audit", "--as-of", "2025-03-31", *arguments, *outputs])


def _rows(sheet: Any) -> list[dict[str, Any]]:
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


# -------------------------------------------------------------------------
# SARIF
# -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_and_json(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any],
                                                                       dict[str, Any]]:
    out = tmp_path_factory.mktemp("sarif")
    code = _audit_to(out, str(THAMES), "--pack", "default", "--pack", "targets",
                     formats={"sarif": "r.sarif", "json": "r.json", "html": "r.html"})
    assert code == 1
    page = (out / "r.html").read_text(encoding="utf-8")
    # The page, too, sends a reader to the row.
    assert "<code>vpp_fixtures/thames-valley-2024-25/records/participants.csv, row 849</code>" \
        in page
    return (json.loads((out / "r.sarif").read_text(encoding="utf-8")),
            json.loads((out / "r.json").read_text(encoding="utf-8")))


def test_sarif_rules_carry_the_rule_documentation_as_help(
    sarif_and_json: tuple[dict[str, Any], dict[str, Any]], sarif_schema: dict[str, Any]
) -> None:
    log, _ = sarif_and_json
    jsonschema.Draft7Validator(sarif_schema).validate(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    budget = rules["FUND004"]
    assert budget["fullDescription"]["text"].startswith(
        "The budget's stated total against the sum of its lines")
    markdown = budget["help"]["markdown"]
    assert markdown.startswith("**FUND004 budget-lines-equal-stated-total**: "
                               "The budget's lines add up to the total it states")
    assert ("- fail: Stated total £1,510,000; the five lines add up to £1,497,500: £12,500 "
            "unexplained.") in markdown
    assert "`vpp rule FUND004`" in markdown
    assert "Examples:\n- fail: Stated total" in budget["help"]["text"]
    for rule in rules.values():
        assert rule["help"]["text"] and rule["fullDescription"]["text"]
        assert rule.get("helpUri", "https://").startswith(("https://", "http://"))


def test_sarif_shows_failures_only_each_with_a_line(
    sarif_and_json: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    log, data = sarif_and_json
    results = log["runs"][0]["results"]
    failing = [result for result in data["strategies"][0]["results"]
               if result["status"] in ("fail", "waived")]
    assert len(results) == len(failing) == 64
    assert {result["kind"] for result in results} == {"fail"}
    assert [result for result in results
            if "region" not in result["locations"][0]["physicalLocation"]] == []
    assert log["runs"][0]["properties"]["audience"] == "internal"


def test_sarif_record_findings_point_at_the_records_file_and_row(
    sarif_and_json: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    log, _ = sarif_and_json
    [rows] = [result for result in log["runs"][0]["results"]
              if result["properties"]["subject"] == "records:participants"]
    location = rows["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == \
        "vpp_fixtures/thames-valley-2024-25/records/participants.csv"
    line = location["region"]["startLine"]
    text = (THAMES / "records" / "participants.csv").read_text(encoding="utf-8")
    assert "2024-02-30" in text.splitlines()[line - 1]  # the row with the bad date
    # A target counted from records points at the target's line and names the records.
    [target] = [result for result in log["runs"][0]["results"]
                if result["ruleId"] == "TGT001"
                and result["properties"]["subject"] == "target:hospital-navigators/24-and-under"]
    assert target["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "strategy.toml")
    assert target["relatedLocations"][0]["physicalLocation"]["artifactLocation"][
        "uri"].endswith("records/participants.csv")


def test_sarif_all_gives_every_result(tmp_path: Path, sarif_schema: dict[str, Any]) -> None:
    assert _audit_to(tmp_path, str(THAMES / "strategy.toml"), "--sarif-all",
                     formats={"sarif": "r.sarif"}) == 1
    log = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(sarif_schema).validate(log)
    kinds = {result["kind"] for result in log["runs"][0]["results"]}
    assert kinds >= {"pass", "fail"}


# -------------------------------------------------------------------------
# The workbook and the CSV
# -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(thames_valley_report: Report) -> Any:
    data = render_xlsx(thames_valley_report, {})
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_workbook_has_its_sheets_with_frozen_headers_and_filters(workbook: Any) -> None:
    assert workbook.sheetnames == ["Summary", "Findings", "Targets", "Reach", "Rules",
                                   "Provenance"]
    findings = workbook["Findings"]
    assert tuple(cell.value for cell in findings[1]) == COLUMNS
    assert findings.freeze_panes == "A2"
    assert findings.auto_filter.ref == \
        f"A1:{get_column_letter(len(COLUMNS))}{findings.max_row}"
    summary = {row[0].value: row[1].value for row in workbook["Summary"].iter_rows()
               if row[0].value}
    assert summary["Report"] == "internal"
    assert summary["Headline"] == ("1 rule could not run; 1 error to resolve before the "
                                   "return; 1 warning to review")
    rules = _rows(workbook["Rules"])
    assert [row["Code"].value for row in rules] == [
        "RPT001", "RPT002", "RPT003", "RPT004", "RPT005", "RPT006", "RPT007"]


def test_the_workbook_cells_are_typed(workbook: Any) -> None:
    rows = _rows(workbook["Findings"])
    failing = next(row for row in rows if row["code"].value == "RPT001")
    assert failing["shortfall_value"].value == 73500
    assert failing["shortfall_value"].number_format == MONEY
    assert failing["measured_value"].value == pytest.approx(0.551325)
    assert failing["measured_value"].number_format == SHARE
    assert failing["line"].value == 255
    waived = next(row for row in rows if row["code"].value == "RPT002")
    assert waived["waiver_expires"].is_date
    assert waived["waiver_expires"].value == datetime(2025, 3, 31)
    assert waived["waiver_reference"].value == "Grant variation letter, 12 July 2024"


def test_workbook_text_is_never_a_formula(thames_valley_report: Report) -> None:
    sneaky = FailedAudit('=HYPERLINK("http://x","y")', "input", "@SUM(1+1)*cmd", (), 2)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(merge([thames_valley_report,
                                                                 sneaky]), {})))
    last = _rows(book["Findings"])[-1]
    assert last["source"].value == '=HYPERLINK("http://x","y")'
    assert last["source"].data_type == "s"
    assert last["message"].value == "@SUM(1+1)*cmd"
    assert last["message"].data_type == "s"


def test_the_csv_has_typed_columns_and_the_waiver_split(thames_valley_report: Report,
                                                        tmp_path: Path) -> None:
    from vpp_core.reports.formats.csv_report import render_csv

    rows = list(csv.DictReader(io.StringIO(render_csv(thames_valley_report, {})
                                           .removeprefix("\ufeff"))))
    failing = next(row for row in rows if row["code"] == "RPT001")
    assert (failing["shortfall_value"], failing["shortfall_unit"]) == ("73500.00", "GBP")
    assert (failing["measured_value"], failing["measured_unit"]) == ("0.551325", "share")
    assert failing["threshold_unit"] == "share"
    assert failing["line"] == "255"
    assert failing["report"] == "internal"
    waived = next(row for row in rows if row["code"] == "RPT002")
    assert (waived["waiver_reason"], waived["waiver_approved_by"],
            waived["waiver_expires"]) == (
        "The Home Office uplift is held outside the core budget table",
        "Home Office VRU programme team", "2025-03-31")


def test_a_binary_format_is_never_written_to_the_terminal(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(THAMES / "strategy.toml"), "--format", "xlsx"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "error: --format xlsx: a binary format; write it to a file with --output " \
        "xlsx:PATH" in captured.err


# -------------------------------------------------------------------------
# --published
# -------------------------------------------------------------------------


def _every_output(folder: Path) -> dict[str, str]:
    texts = {name: (folder / file).read_text(encoding="utf-8-sig")
             for name, file in FORMATS.items() if name != "xlsx"}
    book = openpyxl.load_workbook(folder / FORMATS["xlsx"])
    texts["xlsx"] = "\n".join(str(cell.value) for sheet in book for row in sheet.iter_rows()
                              for cell in row if cell.value is not None)
    return texts


@pytest.mark.parametrize("published", [False, True])
def test_published_applies_disclosure_control_to_every_format(
    tmp_path: Path, published: bool
) -> None:
    """Blue Light Mentoring trained 2 professionals against a target of 3: a count a
    published report never shows, in any format; every format says which report it is."""
    flag = ["--published"] if published else []
    assert _audit_to(tmp_path, str(THAMES), "--pack", "targets", "--sarif-all", *flag) == 0
    texts = _every_output(tmp_path)
    statement = "Published report: counts from 1 to 4 are shown as <5." if published else \
        "Internal report: exact counts, not for publication."
    shown = {"html": escape(statement, quote=False), "markdown": markdown_text(statement),
             "junit": escape(statement, quote=False)}
    for name, text in texts.items():
        if name != "csv":
            assert shown.get(name, statement) in text, name
    audience = "published" if published else "internal"
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert {row["report"] for row in rows} == {audience}
    data = json.loads(texts["json"])
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert data["audience"] == audience
    [trained] = [result for result in data["strategies"][0]["results"]
                 if result["code"] == "TGT001"
                 and result["subject"]["id"] == "blue-light-mentoring/professionals-trained"]
    small = "Blue Light Mentoring (professionals trained): 2 of 3"
    if published:
        assert trained["evidence"]["measured"] is None
        assert trained["status"] == "withheld"  # "fail" beside a target of 3: 1 or 2
        assert "counts of people suppressed for publication (fewer than 5)" in \
            trained["message"]
        for name, text in texts.items():
            assert small not in text, name
    else:
        assert trained["evidence"]["measured"]["value"] == "2"
        assert small in texts["json"] and small in texts["html"]


# -------------------------------------------------------------------------
# --baseline
# -------------------------------------------------------------------------


def _changed_strategy(folder: Path) -> Path:
    """Thames Valley a year on: match funding recorded (FUND003 fixed), the local definition
    dropped (SVD006 new)."""
    data = tomllib.loads((THAMES / "strategy.toml").read_text(encoding="utf-8"))
    [grant] = [grant for grant in data["grants"] if grant["id"] == "core-2024-25"]
    grant["match_funding"]["recorded"] = 320000
    del data["definition"]
    path = folder / "strategy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_baseline_marks_findings_new_unchanged_and_fixed(tmp_path: Path,
                                                         sarif_schema: dict[str, Any]) -> None:
    before = tmp_path / "before"
    before.mkdir()
    assert _audit_to(before, str(THAMES / "strategy.toml"), formats={"json": "r.json"}) == 1
    after = tmp_path / "after"
    after.mkdir()
    strategy = _changed_strategy(after)
    code = _audit_to(after, str(strategy), "--baseline", str(before / "r.json"))
    assert code == 1
    data = json.loads((after / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    states = data["baseline"]["states"]
    partnership = "Thames Valley Violence Prevention Partnership"
    assert states[f"{partnership} SVD006:strategy:2024-25"] == "new"
    assert [state for state in states.values() if state == "new"] == ["new"]
    assert states[f"{partnership} FUND004:strategy:2024-25"] == "unchanged"
    assert [(item["code"], item["subject"]) for item in data["baseline"]["fixed"]] == [
        ("FUND003", "grant:core-2024-25")]
    # SARIF uses the same fingerprints and marks the baseline state.
    log = json.loads((after / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(sarif_schema).validate(log)
    by_print = {result["partialFingerprints"]["vppSubject/v1"]: result["baselineState"]
                for result in log["runs"][0]["results"]}
    assert by_print["SVD006:strategy:2024-25"] == "new"
    assert by_print["FUND004:strategy:2024-25"] == "unchanged"
    assert by_print["FUND003:grant:core-2024-25"] == "absent"
    # The people's formats say the same.
    rows = list(csv.DictReader(io.StringIO((after / "r.csv").read_text(encoding="utf-8-sig"))))
    assert {row["baseline"] for row in rows if row["code"] == "SVD006"} == {"new"}
    page = (after / "r.html").read_text(encoding="utf-8")
    assert "1 new,\n" in page and "1 fixed." in page
    assert "FUND003 Match funding recorded is at least 20% of the year" in page


def test_a_baseline_that_is_not_a_report_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "previous.json"
    broken.write_text('{"schema_version": 1, "strategies": [{"strategy": {}}]}',
                      encoding="utf-8")
    assert main(["audit", str(THAMES / "strategy.toml"), "--baseline", str(broken)]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == \
        f"error: {broken}: strategies[0].strategy: missing 'partnership'"


# -------------------------------------------------------------------------
# --template
# -------------------------------------------------------------------------


def test_a_vru_restyles_the_page_with_its_own_templates(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "theme.css").write_text(":root { --accent: #5b2c6f; }</style><b>", "utf-8")
    (theme / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    (theme / "provenance.html.j2").write_text(
        "<section><h2 id=provenance>Made by {{ report.provenance.engine_version }} for "
        "{{ title }}</h2></section>", "utf-8")
    assert _audit_to(tmp_path, str(THAMES / "strategy.toml"), "--template", str(theme),
                     formats={"html": "r.html"}) == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert ":root { --accent: #5b2c6f; }<\\/style><b>" in page  # kept inside the style sheet
    assert 'src="data:image/svg+xml;base64,' in page
    assert "Made by " in page
    assert "for Audit report: Thames Valley VPP 2024-25 (bundled example)</h2>" in page
    assert "Rule packs</caption>" not in page  # the shipped provenance section replaced


def test_html_escapes_what_it_shows_from_a_strategy(tmp_path: Path) -> None:
    data = tomllib.loads((THAMES / "strategy.toml").read_text(encoding="utf-8"))
    data["partnership"]["short_name"] = "<script>alert(1)</script>"
    path = tmp_path / "strategy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    from vpp_core.reports.formats.html import render_html

    page = render_html(audit(path, packs=[str(PACK)], waivers=str(WAIVERS)), {})
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_junit_says_which_report_it_is(thames_valley_report: Report) -> None:
    from vpp_core.reports.formats.junit import render_junit

    root = ET.fromstring(render_junit(thames_valley_report, {}))
    values = {item.get("name"): item.get("value") for item in root.iter("property")}
    assert values["report"] == "internal"
    assert values["disclosure"] == "Internal report: exact counts, not for publication."


def test_published_rounds_other_counts_when_asked(tmp_path: Path) -> None:
    """With --round-to 5, counts of 5 or more are rounded and the message says so; the
    exact count is not shown."""
    for name, flags in (("internal", []), ("published", ["--published", "--round-to", "5"])):
        folder = tmp_path / name
        folder.mkdir()
        assert _audit_to(folder, str(THAMES), "--pack", "targets", *flags,
                         formats={"json": "r.json"}) == 0
    exact, rounded = ({(result["code"], result["subject"]["id"]): result
                       for result in json.loads((tmp_path / name / "r.json").read_text(
                           encoding="utf-8"))["strategies"][0]["results"]}
                      for name in ("internal", "published"))
    shown = [(key, result) for key, result in rounded.items()
             if key[0] == "TGT001" and result["evidence"]["measured"] is not None]
    assert shown, "no target count large enough to show"
    for key, result in shown:
        count = int(exact[key]["evidence"]["measured"]["value"])
        assert result["evidence"]["measured"]["value"] == str((count + 2) // 5 * 5), key
        assert result["message"].endswith("(counts of people rounded to the nearest 5)")
        if count % 5:
            assert f" {count} " not in result["message"] + " "
    data = json.loads((tmp_path / "published" / "r.json").read_text(encoding="utf-8"))
    assert data["disclosure"] == ("Published report: counts from 1 to 4 are shown as <5; "
                                  "other counts rounded to the nearest 5.")


def test_html_groups_findings_by_rule_errors_first_and_open(thames_valley_report: Report
                                                             ) -> None:
    import re

    from vpp_core.reports.formats.html import render_html

    page = render_html(thames_valley_report, {})
    assert ('<p class="headline">1 rule could not run; 1 error to resolve before the return; '
            "1 warning to review.</p>") in page
    groups = re.findall(r'<details class="group group-(\w+)"( open)?>\n<summary><span '
                        r'class="sev sev-\w+">([^<]+)</span> <h4>(\w+)', page)
    assert [(kind, bool(opened), word, code) for kind, opened, word, code in groups] == [
        ("errored", True, "Rule could not run", "RPT005"),
        ("error", True, "Error", "RPT001"),
        ("warning", False, "Warning", "RPT003"),
        ("waived", False, "Waived", "RPT002"),
    ]
