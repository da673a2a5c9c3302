"""A batch auditor's questions of a batch report: which packs each strategy ran, and why each
strategy that was not audited was not."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import openpyxl
import pytest

from vpp_core.cli.main import main
from vpp_core.loading.bundled import fixtures_folder
from vpp_core.reports.report import report_schema


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def vrus(tmp_path: Path) -> Path:
    """Essex with its own pack, the non-compliant example with the default packs."""
    root = tmp_path / "vrus"
    shutil.copytree(fixtures_folder() / "essex-2024-25", root / "essex")
    shutil.copytree(fixtures_folder() / "non-compliant-example", root / "example")
    return root


def test_each_strategy_of_a_batch_names_the_packs_it_ran_with_version_and_hash(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    assert main(["audit", str(vrus), "--jobs", "2", "-q", "--output", f"json:{out}"]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, report_schema())
    packs = {Path(item["strategy"]["source"]).parent.name:
             {entry["role"]: entry for entry in item["inputs"]
              if entry["role"].startswith("pack:")}
             for item in data["strategies"]}
    essex = packs["essex"]["pack:essex-vvu@2024.1"]
    assert essex["path"] == str(vrus / "essex" / "essex.toml")
    assert essex["sha256"] == _sha256(vrus / "essex" / "essex.toml")
    assert "pack:essex-vvu@2024.1" not in packs["example"]
    assert "pack:default@2024.1" in packs["example"]
    assert "pack:home-office-vru-core@2024.1" in packs["essex"]  # the packs it extends too


def test_a_strategy_not_audited_for_a_reason_in_another_file_is_named_beside_it(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A 2025-26 strategy: the reason it is not audited lies in the national pack's file,
    # and a batch's reader must still see which strategy it is about.
    later = vrus / "kent"
    later.mkdir()
    assert main(["new-strategy", str(later / "strategy.toml"), "--year", "2025-26"]) == 0
    capsys.readouterr()
    out = tmp_path / "report.json"
    assert main(["audit", str(vrus), "-q", "--output", f"json:{out}"]) == 2
    stderr = capsys.readouterr().err
    source = str(later / "strategy.toml")
    fund001 = [line for line in stderr.splitlines()
               if line.startswith("error: ") and "rule FUND001" in line]
    assert fund001 and all(line.endswith(f"(auditing {source})") for line in fund001)
    [failed] = json.loads(out.read_text(encoding="utf-8"))["failed"]
    assert failed["source"] == source
    assert any("rule FUND001" in problem for problem in failed["problems"])
    # The text report's table of strategies names it beside each reason too.
    text = tmp_path / "report.txt"
    assert main(["audit", str(vrus), "-q", "--output", f"text:{text}"]) == 2
    assert "rule FUND003: parameter 'share' has no value for 2025-26" in text.read_text(
        encoding="utf-8").replace("\n    ", " ")
    assert f"(auditing {source})" in text.read_text(encoding="utf-8").replace("\n    ", " ")


def test_html_and_xlsx_of_a_batch_say_which_strategy_ran_a_pack_and_read_a_file(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page, book = tmp_path / "report.html", tmp_path / "report.xlsx"
    assert main(["audit", str(vrus), "-q", "--output", f"html:{page}",
                 "--output", f"xlsx:{book}"]) == 1
    html = page.read_text(encoding="utf-8")
    pack = str(vrus / "essex" / "essex.toml")
    assert f"<td><code>{pack}</code> (for Essex VVU 2024-25)</td>" in html
    strategy = str(vrus / "example" / "strategy.toml")
    assert f"<code>{strategy}</code> (for Example VRU 2024-25)</th>" in html
    # A pack every strategy ran is not labelled.
    assert "home-office-vru-core.toml</code></td>" in html
    sheet = openpyxl.load_workbook(book)["Provenance"]
    rows = {(row[0], row[1]): row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[("pack", "essex-vvu")][5] == "Essex VVU 2024-25"
    assert rows[("input", strategy)][5] == "Example VRU 2024-25"
    assert rows[("pack", "home-office-vru-core")][5] in (None, "")


def test_each_csv_row_says_where_its_figures_and_its_strategy_came_from(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = tmp_path / "findings.csv"
    assert main(["audit", str(vrus), "-q", "--output", f"csv:{findings}"]) == 1
    rows = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    [esx001] = [row for row in rows if row["code"] == "ESX001"]
    assert esx001["source_sha256"] == _sha256(vrus / "essex" / "strategy.toml")
    assert esx001["threshold_source"] == "pack essex-vvu 2024.1: ESX001 threshold"
    assert esx001["measured_source"] == "budget.lines"
    example = {row["source_sha256"] for row in rows
               if row["source"] == str(vrus / "example" / "strategy.toml")}
    assert example == {_sha256(vrus / "example" / "strategy.toml")}


def test_each_junit_suite_names_the_files_and_packs_its_strategy_was_audited_with(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "junit.xml"
    assert main(["audit", str(vrus), "-q", "--output", f"junit:{junit}"]) == 1
    suites = {suite.get("name"): {item.get("name"): item.get("value")
                                  for item in suite.iter("property")}
              for suite in ET.parse(junit).getroot().iter("testsuite")}
    essex = suites["Essex VVU 2024-25"]
    pack = vrus / "essex" / "essex.toml"
    assert essex["input:pack:essex-vvu@2024.1"] == f"{pack} sha256:{_sha256(pack)}"
    strategy = vrus / "essex" / "strategy.toml"
    assert essex["input:strategy"] == f"{strategy} sha256:{_sha256(strategy)}"
    assert "input:pack:essex-vvu@2024.1" not in suites["Example VRU 2024-25"]


def test_each_strategy_of_a_markdown_report_names_its_packs_and_file_hashes(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.md"
    assert main(["audit", str(vrus), "-q", "--output", f"markdown:{page}"]) == 1
    text = page.read_text(encoding="utf-8")
    essex = text[text.index("## Essex VVU 2024-25"):text.index("## Example VRU 2024-25")]
    pack = vrus / "essex" / "essex.toml"
    assert f"- `pack:essex-vvu@2024.1` `{pack}` SHA-256 `{_sha256(pack)}`" in essex
    strategy = vrus / "essex" / "strategy.toml"
    assert f"- `strategy` `{strategy}` SHA-256 `{_sha256(strategy)}`" in essex
    assert "pack:essex-vvu" not in text[text.index("## Example VRU 2024-25"):]


def test_a_broken_waivers_file_stops_a_batch_before_it_runs_with_one_line(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waivers]]\ncode = "FUND001"\nsubject = "strategy:2024-25"\n'
                       'reason = "r"\napproved_by = "a"\n', encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["audit", str(vrus), "--waivers", str(waivers), "-q",
                 "--output", f"json:{out}"]) == 2
    err = capsys.readouterr().err
    assert sorted(err.splitlines()) == [
        f"error: {waivers}: waivers[0].expires: required field missing",
        f"error: {waivers}: waivers[0].reference: required field missing"]
    assert not out.exists()


def test_each_strategy_artifact_of_sarif_names_the_packs_it_ran(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "report.sarif"
    assert main(["audit", str(vrus), "-q", "--output", f"sarif:{log}"]) == 1
    artifacts = {Path(item["location"]["uri"]).parent.name: item
                 for item in json.loads(log.read_text(encoding="utf-8"))["runs"][0]["artifacts"]}
    essex = artifacts["essex"]
    assert essex["hashes"]["sha-256"] == _sha256(vrus / "essex" / "strategy.toml")
    assert {"name": "essex-vvu", "version": "2024.1",
            "sha-256": _sha256(vrus / "essex" / "essex.toml")} in essex["properties"]["packs"]
    assert all(pack["name"] != "essex-vvu" for pack in artifacts["example"]["properties"]["packs"])


def test_the_text_report_names_under_each_strategy_the_packs_it_ran(
    vrus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(vrus), "-v"]) == 1
    out = capsys.readouterr().out
    essex = out[out.index("Essex VVU 2024-25 — "):out.index("Example VRU 2024-25 — ")]
    assert "  packs: essex-vvu 2024.1, " in essex.replace("\n    ", " ")
    example = out[out.index("Example VRU 2024-25 — "):]
    heading = example[:example.index("\n\n")]
    assert "default 2024.1, " in heading and "essex-vvu" not in heading


def test_a_waiver_for_one_partnership_waives_nothing_in_another_of_the_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two VRUs with the same grant id: a waiver agreed with one must not waive the other's.
    text = (fixtures_folder() / "non-compliant-example" / "strategy.toml").read_text(
        encoding="utf-8")
    vrus = tmp_path / "vrus"
    for folder, name in (("a", "Example Violence Reduction Unit"), ("b", "Other VRU")):
        (vrus / folder).mkdir(parents=True)
        (vrus / folder / "strategy.toml").write_text(
            text.replace("Example Violence Reduction Unit", name), encoding="utf-8")
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waivers]]\ncode = "FUND003"\nsubject = "grant:core-2024-25"\n'
                       'partnership = "Example Violence Reduction Unit"\nreason = "r"\n'
                       'approved_by = "a"\nreference = "Letter to A"\nexpires = 2099-03-31\n',
                       encoding="utf-8")
    out = tmp_path / "report.json"
    assert main(["audit", str(vrus), "--waivers", str(waivers), "-q",
                 "--output", f"json:{out}"]) == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    status = {item["strategy"]["partnership"]: [result["status"] for result in item["results"]
                                                if result["code"] == "FUND003"]
              for item in data["strategies"]}
    assert status == {"Example Violence Reduction Unit": ["waived"], "Other VRU": ["fail"]}
    [note] = data["waivers"]
    assert note["state"] == "applied"
    assert "of Example Violence Reduction Unit" in note["message"]
