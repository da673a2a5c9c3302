"""Every format of the Thames Valley audit, each read back the way its consumer reads it."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.reports.conftest import AS_OF, PACK, WAIVERS
from vpp_core import AuditOptions, Report, audit
from vpp_core.batch import merge
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.reports.formats.csv_report import COLUMNS, render_csv
from vpp_core.reports.formats.json_report import laid_out, render_json
from vpp_core.reports.formats.junit import render_junit
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.formats.sarif import render_sarif
from vpp_core.reports.formats.text import render_text
from vpp_core.reports.report import FailedAudit, report_data, report_schema


def _with_failures(report: Report) -> Report:
    """The audit plus a strategy that could not be read and one that timed out."""
    return merge([
        report,
        FailedAudit("vru/broken/strategy.toml", "input",
                    "vru/broken/strategy.toml:3:1: expected '=' after a key",
                    ("vru/broken/strategy.toml:3:1: expected '=' after a key",), 2),
        FailedAudit("vru/slow/strategy.toml", "timeout",
                    "vru/slow/strategy.toml: not finished after the 5 s time limit", (), 3),
    ])


# -------------------------------------------------------------------------
# JSON
# -------------------------------------------------------------------------


def test_the_schema_ships_in_the_package_and_is_a_valid_schema() -> None:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema_version"] == {"const": 1}


@pytest.mark.parametrize("failures", [False, True], ids=["one-strategy", "batch-with-failures"])
def test_json_validates_against_its_schema(thames_valley_report: Report, failures: bool) -> None:
    report = _with_failures(thames_valley_report) if failures else thames_valley_report
    data = json.loads(render_json(report, {}))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert data == json.loads(json.dumps(report_data(report)))
    if failures:
        assert [item["reason"] for item in data["failed"]] == ["input", "timeout"]
        assert data["exit_code"] == 3


def test_json_lays_out_the_upper_levels_one_member_per_line() -> None:
    data = {"b": [{"deep": {"x": [1, 2]}, "text": "é \"q\""}], "a": {}, "c": [[[[[[1]]]]]]}
    text = laid_out(data)
    assert json.loads(text) == data
    assert text.splitlines() == [
        "{",
        '  "a": {},',
        '  "b": [',
        "    {",
        '      "deep": {',
        '        "x": [',
        "          1,",
        "          2",
        "        ]",
        "      },",
        '      "text": "é \\"q\\""',
        "    }",
        "  ],",
        '  "c": [',
        "    [",
        "      [",
        "        [",
        "          [[1]]",  # the sixth level and below: on one line
        "        ]",
        "      ]",
        "    ]",
        "  ]",
        "}",
    ]


def test_the_schema_refuses_what_it_does_not_describe(thames_valley_report: Report) -> None:
    data = report_data(thames_valley_report)
    data["strategies"][0]["results"][0]["status"] = "maybe"
    with pytest.raises(jsonschema.ValidationError, match="maybe"):
        jsonschema.validate(data, report_schema())
    data = report_data(thames_valley_report)
    data["surprise"] = 1
    with pytest.raises(jsonschema.ValidationError, match="surprise"):
        jsonschema.validate(data, report_schema())
    data = report_data(thames_valley_report)
    waived = next(result for result in data["strategies"][0]["results"]
                  if result["status"] == "waived")
    waived["waiver"] = None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_schema())


# -------------------------------------------------------------------------
# SARIF
# -------------------------------------------------------------------------


def _sarif(report: Report, schema: dict[str, Any]) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render_sarif(report, {"sarif_all": True}))
    jsonschema.Draft7Validator(schema).validate(log)
    return log


def test_sarif_validates_and_points_at_the_strategy_file_and_line(
    thames_valley_report: Report, sarif_schema: dict[str, Any], thames_valley_path: Any
) -> None:
    log = _sarif(thames_valley_report, sarif_schema)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "RPT001", "RPT002", "RPT003", "RPT004", "RPT005", "RPT006", "RPT007"]
    lines = thames_valley_path.read_text(encoding="utf-8").splitlines()
    by_rule = {result["ruleId"]: result for result in run["results"]}
    failure = by_rule["RPT001"]
    assert failure["kind"] == "fail"
    assert failure["level"] == "error"
    assert "£73,500 short" in failure["message"]["text"]
    location = failure["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == \
        "vpp_fixtures/thames-valley-2024-25/strategy.toml"
    line = location["region"]["startLine"]
    assert lines[line - 1] == "[[grants]]"
    assert lines[line] == 'id = "core-2024-25"'
    assert failure["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == \
        "grant:core-2024-25"
    # A finding about the whole strategy points at the field its evidence came from.
    waived = by_rule["RPT002"]
    assert waived["suppressions"][0]["kind"] == "external"
    assert "Grant variation letter" in waived["suppressions"][0]["justification"]
    total_line = waived["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert lines[total_line - 1].startswith("stated_total = { amount = 1510000")
    assert by_rule["RPT003"]["level"] == "warning"
    assert by_rule["RPT004"]["kind"] == "pass"
    assert by_rule["RPT007"]["kind"] == "notApplicable"
    # The rule that errored is a tool notification, not a finding.
    assert "RPT005" not in by_rule
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["associatedRule"]["id"] == "RPT005"
    assert "ConnectionError" in notification["message"]["text"]
    assert run["artifacts"][0]["hashes"]["sha-256"] == \
        thames_valley_report.provenance.inputs[0].sha256


def test_sarif_of_a_batch_notes_the_strategies_it_could_not_audit(
    thames_valley_report: Report, sarif_schema: dict[str, Any]
) -> None:
    log = _sarif(_with_failures(thames_valley_report), sarif_schema)
    notifications = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    failed = [item for item in notifications if "descriptor" in item]
    assert [item["descriptor"]["id"] for item in failed] == ["input", "timeout"]
    assert failed[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "vru/broken/strategy.toml"
    # Each message names the strategy once, as the command line's error line does.
    assert [item["message"]["text"] for item in failed] == [
        "vru/broken/strategy.toml:3:1: expected '=' after a key",
        "vru/slow/strategy.toml: not finished after the 5 s time limit"]


def test_the_copied_sarif_schema_refuses_an_invalid_log(
    thames_valley_report: Report, sarif_schema: dict[str, Any]
) -> None:
    log = json.loads(render_sarif(thames_valley_report, {}))
    log["runs"][0]["results"][0]["level"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(sarif_schema).validate(log)


# -------------------------------------------------------------------------
# JUnit
# -------------------------------------------------------------------------


def test_junit_has_a_case_per_rule_and_subject(thames_valley_report: Report) -> None:
    root = ET.fromstring(render_junit(_with_failures(thames_valley_report), {}))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == [
        "Thames Valley VPP 2024-25 (bundled example)", "vru/broken/strategy.toml",
        "vru/slow/strategy.toml"]
    thames = suites[0]
    # two rules fail, RPT001 (error) and RPT003 (warning): only the error is a failure
    # under --fail-on error, as only it sets the exit code
    assert (thames.get("tests"), thames.get("failures"), thames.get("errors"),
            thames.get("skipped")) == ("7", "1", "1", "2")
    cases = {case.get("name"): case for case in thames.findall("testcase")}
    assert len(cases) == 7
    failing = cases["RPT001 interventions-share-of-grant [grant:core-2024-25]"]
    failure = failing.find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert "£73,500 short" in (failure.text or "")
    assert "VRU grant guidance 2024-25, Grant conditions, p.13" in (failure.text or "")
    assert failing.get("file") == "vpp_fixtures/thames-valley-2024-25/strategy.toml"
    skipped = cases["RPT002 budget-total-equals-lines [strategy:2024-25]"].find("skipped")
    assert skipped is not None
    assert skipped.get("message", "").startswith("waived: The Home Office uplift")
    not_applicable = cases["RPT007 custody-coaches-on-track [intervention:custody-coaches]"]
    assert "no participants records" in (not_applicable.find("skipped").get("message")  # type: ignore[union-attr]
                                         or "")
    error = cases["RPT005 monitoring-answers [strategy:2024-25]"].find("error")
    assert error is not None and "ConnectionError" in (error.get("message") or "")
    passing = cases["RPT006 definition-present [strategy:2024-25]"]
    assert list(passing) == []
    broken = suites[1].find("testcase/error")
    assert broken is not None and broken.get("type") == "input"
    assert root.get("tests") == "9" and root.get("errors") == "3"


# -------------------------------------------------------------------------
# CSV
# -------------------------------------------------------------------------


def test_csv_reads_back_one_row_per_result(thames_valley_report: Report) -> None:
    text = render_csv(_with_failures(thames_valley_report), {})
    rows = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(thames_valley_report.results) + 2
    failing = next(row for row in rows if row["code"] == "RPT001")
    assert failing["status"] == "fail"
    assert failing["shortfall"] == "£73,500"
    assert failing["shortfall_value"] == "73500.00"
    assert failing["shortfall_unit"] == "GBP"
    assert failing["measured"] == "55.13%"
    assert failing["subject_id"] == "core-2024-25"
    assert failing["line"] == "255"
    assert failing["references"].startswith("VRU grant guidance 2024-25, Grant conditions, p.13")
    waived = next(row for row in rows if row["code"] == "RPT002")
    assert waived["status"] == "waived"
    assert waived["waiver_reference"] == "Grant variation letter, 12 July 2024"
    assert [row["status"] for row in rows[-2:]] == ["error", "error"]
    assert rows[-2]["source"] == "vru/broken/strategy.toml"
    assert rows[-2]["code"] == ""


def test_csv_cells_are_never_run_as_formulas(thames_valley_report: Report) -> None:
    sneaky = FailedAudit("=HYPERLINK(\"http://x\")", "input", "-1+2", (), 2)
    text = render_csv(merge([thames_valley_report, sneaky]), {})
    row = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))[-1]
    assert row["source"].startswith("'=")
    assert row["message"] == "'-1+2"


# -------------------------------------------------------------------------
# Markdown and text
# -------------------------------------------------------------------------


def test_markdown_has_the_summary_and_every_finding_with_evidence(
    thames_valley_report: Report
) -> None:
    text = render_markdown(_with_failures(thames_valley_report), {})
    assert "| Thames Valley VPP 2024-25 (bundled example) | 7 | 2 | 2 | 1 | 1 | 1 |" in text
    assert "#### FAIL: RPT001 At least 60% of the core grant is invested in interventions" in text
    assert "- **To comply:** £73,500 short" in text
    assert ("- **Source:** [VRU grant guidance 2024-25, Grant conditions, p.13]"
            "(https://www.gov.uk/government/publications/violence-reduction-unit-grant-guidance)"
            ) in text
    assert "| rpt-target-progress:hospital-navigators | 64% |" in text
    assert "- `vru/slow/strategy.toml` (timeout):" in text
    # Every table row has as many cells as its header.
    for block in text.split("\n\n"):
        table = [line for line in block.splitlines() if line.startswith("|")]
        if table:
            assert len({line.replace("\\|", "").count("|") for line in table}) == 1, table


def test_text_is_coloured_only_when_asked(thames_valley_report: Report) -> None:
    plain = render_text(thames_valley_report, {})
    coloured = render_text(thames_valley_report, {"color": True})
    assert "\x1b[" not in plain
    assert "\x1b[1;31mFAIL\x1b[0m   error   RPT001" in coloured
    assert "\nFAIL   error   RPT001   At least 60% of the core grant" in plain
    assert plain.rstrip().endswith(
        "Exit code 3: a rule errored, or a strategy's audit crashed or ran out of time")


def test_text_puts_what_needs_attention_first(thames_valley_report: Report) -> None:
    text = render_text(thames_valley_report, {})
    order = [text.index(f"\n{line}") for line in (
        "ERROR  info    RPT005", "FAIL   error   RPT001", "FAIL   warning RPT003",
        "WAIVED warning RPT002", "Not applicable (1 result), by reason:",
        "Passed: 2 results of 2 rules (shown with -v)")]
    assert order == sorted(order)
    # a not-applicable result gives its reason in one line without --verbose
    assert ("\n  RPT007 (intervention:custody-coaches): rpt-target-progress:custody-coaches has "
            "no value: no\n      participants records for this intervention\n") in text
    assert "PASS" not in text
    assert text.endswith("2 failures in 2 rules: 1 error, 1 warning, 0 info\n"
                         "2 passed, 1 not applicable, 1 waived, 1 rule error\n"
                         "Exit code 3: a rule errored, or a strategy's audit crashed or ran out "
                         "of time\n")
    verbose = render_text(thames_valley_report, {"verbose": True})
    assert "\nPASS   " in verbose and "\nMetrics\n" in verbose


def test_text_quiet_lists_each_rule_once(thames_valley_report: Report) -> None:
    quiet = render_text(thames_valley_report, {"quiet": True})
    assert quiet == (
        "Thames Valley VPP 2024-25 (bundled example): "
        "vpp_fixtures/thames-valley-2024-25/strategy.toml\n"
        "ERROR  info    RPT005   The monitoring service confirms the returns\n"
        "                        strategy:2024-25\n"
        "FAIL   error   RPT001   At least 60% of the core grant is invested in interventions\n"
        "                        grant:core-2024-25\n"
        "FAIL   warning RPT003   Hospital Navigators have reached at least 70% of their target\n"
        "WAIVED warning RPT002   The stated budget total equals the sum of its lines\n"
        "                        strategy:2024-25\n"
        "\n"
        "Waivers:\n"
        "  applied: waiver of RPT002 for every subject applied (Grant variation letter, 12 July "
        "2024)\n"
        "2 failures in 2 rules: 1 error, 1 warning, 0 info\n"
        "2 passed, 1 not applicable, 1 waived, 1 rule error\n"
        "Exit code 3: a rule errored, or a strategy's audit crashed or ran out of time\n")


def test_every_format_is_offered_by_a_core_plugin() -> None:
    reporters = make_plugins().reporters()
    for name in ("csv", "html", "json", "junit", "markdown", "sarif", "text"):
        spec, plugin = reporters[name]
        assert plugin.origin == "core", name
        assert spec.extension


def test_two_audits_give_the_same_bytes_in_every_format(thames_valley_report: Report) -> None:
    from vpp_core.reports.formats.html import render_html

    again = audit(bundled_strategy(), packs=[str(PACK)], waivers=str(WAIVERS),
                  options=AuditOptions(as_of=AS_OF), plugins=make_plugins())
    for render in (render_json, render_sarif, render_junit, render_csv, render_markdown,
                   render_html, render_text):
        assert render(thames_valley_report, {}) == render(again, {}), render


def test_the_default_audit_of_thames_valley_in_every_format(
    tmp_path: Path, sarif_schema: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """``vpp audit`` as a new user runs it (the default packs, the bundled records), every
    format in one run, each read back."""
    names = {"json": "r.json", "sarif": "r.sarif", "junit": "r.xml", "csv": "r.csv",
             "html": "r.html", "markdown": "r.md", "text": "r.txt"}
    arguments = [f"--output={name}:{tmp_path / file}" for name, file in names.items()]
    code = main(["audit", "--example", "--as-of", "2025-03-31", *arguments])
    assert capsys.readouterr().out == ""
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(report_schema()).validate(data)
    assert code == data["exit_code"]
    results = data["strategies"][0]["results"]
    assert results, "the default packs ran no rule"
    sarif = json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(sarif_schema).validate(sarif)
    # Code scanning shows what needs attention: failures (waived ones suppressed).
    assert len(sarif["runs"][0]["results"]) == len(
        [result for result in results if result["status"] in ("fail", "waived")])
    junit = ET.parse(tmp_path / "r.xml").getroot()
    assert junit.get("tests") == str(len(results))
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "r.csv").read_text(encoding="utf-8-sig"))))
    assert [(row["code"], row["subject_id"], row["status"]) for row in rows] == [
        (result["code"], result["subject"]["id"], result["status"]) for result in results]
    assert "## Thames Valley VPP 2024-25 (bundled example)" in (tmp_path / "r.md").read_text(
        encoding="utf-8")
    assert "<svg" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith(
        "Thames Valley VPP 2024-25 (bundled example) — Thames Valley Violence Prevention "
        "Partnership\n")


def test_text_of_a_batch_lists_what_needs_attention(thames_valley_report: Report) -> None:
    batch = _with_failures(thames_valley_report)
    brief = render_text(batch, {})
    assert "\nFAIL   error   RPT001   At least 60%" in brief
    assert "\nERROR  info    RPT005" in brief and "\nWAIVED warning RPT002" in brief
    assert "PASS" not in brief
    assert "\nStrategies\n" in brief
    assert max(len(line) for line in brief.splitlines()) <= 100
    full = render_text(batch, {"verbose": True})
    assert "\nPASS   error   RPT006" in full and "to comply: shortfall £73,500" in full
