"""``vpp compare`` over the audits of every bundled VRU, in text, CSV, HTML and xlsx."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import openpyxl
import pytest

from vpp_core.cli.main import main
from vpp_core.loading.bundled import fixtures_folder

BUNDLED = sorted(path.parent for path in fixtures_folder().glob("*/strategy.toml"))


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the JSON report of every bundled VRU's audit, with its records."""
    folder = tmp_path_factory.mktemp("reports")
    # Greater Manchester's folder pack names its own plugin: audited only when trusted.
    plugin = fixtures_folder() / "greater-manchester-2024-25" / "plugin" / "gm_vru_rules.py"
    trust = folder / "trust.toml"
    trust.write_text(f'[[plugins]]\npath = "{plugin}"\n'
                     f'sha256 = "{hashlib.sha256(plugin.read_bytes()).hexdigest()}"\n',
                     encoding="utf-8")
    for vru in BUNDLED:
        assert main(["audit", str(vru), "--as-of", "2025-03-31", "--trust", str(trust),
                     "--output", f"json:{folder / vru.name}.json"]) in (0, 1)
    return folder


def _failures(report: Path) -> dict[str, int]:
    data = json.loads(report.read_text(encoding="utf-8"))
    counts = dict.fromkeys(("error", "warning", "info"), 0)
    for result in data["strategies"][0]["results"]:
        if result["status"] == "fail":
            counts[result["severity"]] += 1
    return counts


def test_compare_gives_one_row_per_vru_as_csv(reports: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert len(BUNDLED) >= 3
    assert main(["compare", str(reports), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert len(rows) == len(BUNDLED)
    by_name = {Path(row["report"]).stem: row for row in rows}
    thames = by_name["thames-valley-2024-25"]
    # The figures derived by hand from the document (README).
    assert thames["share_of_grant_on_interventions"] == "0.551325"
    assert thames["share_of_grant_on_interventions_status"] == "pass"
    assert thames["evaluation_share"] == "0.168168"
    assert (thames["match_funding_recorded"], thames["match_funding_recorded_status"]) == \
        ("", "fail")  # none recorded: an empty cell, never a zero
    assert thames["error_failures"] == "11"
    essex = by_name["essex-2024-25"]
    assert (essex["match_funding_recorded"], essex["match_funding_recorded_unit"]) == \
        ("320000", "GBP")
    assert essex["targets_met"] == ""  # no records: not counted, not zero
    for name, row in by_name.items():
        counts = _failures(reports / f"{name}.json")
        assert [int(row[f"{severity}_failures"]) for severity in counts] == \
            list(counts.values()), name
        assert row["audience"] == "internal"


def test_compare_as_text_html_and_xlsx(reports: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(path) for path in reports.glob("*.json"))
    assert main(["compare", *files]) == 0
    text = capsys.readouterr().out
    [thames] = [line for line in text.splitlines() if line.startswith("Thames Valley VPP")]
    assert "55.13% (pass)" in thames and "16.82% (pass)" in thames and "none (fail)" in thames
    assert main(["compare", str(reports), "--output", str(tmp_path / "c.html")]) == 0
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<th scope=\"row\">Thames Valley VPP</th><td>2024-25</td><td>55.13% (pass)</td>" \
        in page
    assert main(["compare", str(reports), "--output", str(tmp_path / "c.xlsx")]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx")["Comparison"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: dict(zip(header, row, strict=False))
            for row in sheet.iter_rows(min_row=2)}
    share = rows["Thames Valley VPP"]["share of grant on interventions"]
    assert share.value == pytest.approx(0.551325)
    assert share.number_format == "0.00%"
    assert rows["Essex VVU"]["match funding recorded"].value == 320000
    assert sheet.freeze_panes == "A2"


def test_compare_refuses_what_is_not_a_report(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "notes.json"
    other.write_text("[1, 2", encoding="utf-8")
    assert main(["compare", str(other)]) == 2
    assert capsys.readouterr().err.splitlines()[-1].startswith(
        f"error: {other}: line 1: not JSON")
    assert main(["compare", str(tmp_path), "--format", "xlsx"]) == 2


def test_compare_names_the_packs_each_row_was_audited_with(
    reports: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Essex's own pack measures evaluation against the whole budget: a reader comparing
    # its row with Thames Valley's must see that the rows came from different packs.
    assert main(["compare", str(reports), "--format", "csv"]) == 0
    rows = {Path(row["report"]).stem: row for row in csv.DictReader(io.StringIO(
        capsys.readouterr().out.removeprefix("\ufeff")))}
    assert "essex-vvu@2024.1" in rows["essex-2024-25"]["packs"].split(", ")
    assert "essex-vvu" not in rows["thames-valley-2024-25"]["packs"]
    assert "default@2024.1" in rows["thames-valley-2024-25"]["packs"].split(", ")
    # A report saved before strategies named their packs: one strategy's are the report's;
    # a batch's are not known per strategy, so the cell is empty rather than a guess.
    data = json.loads((reports / "essex-2024-25.json").read_text(encoding="utf-8"))
    for item in data["strategies"]:
        item["inputs"] = [entry for entry in item["inputs"]
                          if not entry["role"].startswith("pack:")]
    (tmp_path / "older.json").write_text(json.dumps(data), encoding="utf-8")
    data["strategies"] = data["strategies"] * 2
    (tmp_path / "older-batch.json").write_text(json.dumps(data), encoding="utf-8")
    assert main(["compare", str(tmp_path / "older.json"), str(tmp_path / "older-batch.json"),
                 "--format", "csv"]) == 0
    packs = [row["packs"] for row in csv.DictReader(io.StringIO(
        capsys.readouterr().out.removeprefix("\ufeff")))]
    assert "essex-vvu@2024.1" in packs[0].split(", ")
    assert packs[1:] == ["", ""]


def test_compare_lists_the_strategies_a_report_could_not_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vrus = tmp_path / "vrus"
    (vrus / "broken").mkdir(parents=True)
    (vrus / "broken" / "strategy.toml").write_text("x = [\n", encoding="utf-8")
    (vrus / "example").mkdir()
    (vrus / "example" / "strategy.toml").write_bytes(
        (fixtures_folder() / "non-compliant-example" / "strategy.toml").read_bytes())
    report = tmp_path / "batch.json"
    assert main(["audit", str(vrus), "-q", "--output", f"json:{report}"]) == 2
    capsys.readouterr()
    assert main(["compare", str(report), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert [row["strategy"] for row in rows] == [
        "Example VRU", f"{vrus / 'broken' / 'strategy.toml'} (not audited: input)"]
    # Nothing was measured: every figure and count is empty, never a zero.
    assert {key: value for key, value in rows[1].items()
            if key not in ("strategy", "report", "audience")} == dict.fromkeys(
        [key for key in rows[1] if key not in ("strategy", "report", "audience")], "")
    assert main(["compare", str(report)]) == 0
    assert "(not audited: input)" in capsys.readouterr().out


#: The smallest report ``vpp compare`` reads: one strategy, one failed result.
MINIMAL: dict[str, object] = {
    "schema_version": 1, "audience": "internal", "failed": [], "provenance": {"packs": []},
    "strategies": [{
        "strategy": {"partnership": "P", "short_name": "P", "financial_year": "2024-25",
                     "source": "s.toml"},
        "results": [{"code": "FUND001", "name": "n", "title": "t", "severity": "error",
                     "status": "fail", "subject": {"kind": "grant", "id": "g"},
                     "evidence": {"measured": {"value": "0.5", "unit": "share"}}}],
        "metrics": {}, "inputs": [{"role": "pack:default@1"}]}],
}


def _crafted(place: str, value: object) -> str:
    """``MINIMAL`` as JSON with ``value`` at ``place`` (keys and indexes, dotted)."""
    data = json.loads(json.dumps(MINIMAL))
    *parents, last = [int(part) if part.isdigit() else part for part in place.split(".")]
    target = data
    for part in parents:
        target = target[part]
    target[last] = value
    return json.dumps(data)


def test_a_minimal_report_is_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    (tmp_path / "r.json").write_text(json.dumps(MINIMAL), encoding="utf-8")
    assert main(["compare", str(tmp_path / "r.json"), "--format", "csv"]) == 0
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert (row["strategy"], row["error_failures"], row["packs"]) == ("P", "1", "default@1")


@pytest.mark.parametrize(("text", "message"), [
    (_crafted("strategies.0.results.0.evidence", [1, 2]),
     "strategies[0].results[0].evidence: expected an object"),
    (_crafted("strategies.0.results.0.evidence", "x"),
     "strategies[0].results[0].evidence: expected an object"),
    (_crafted("strategies.0.inputs", 5), "strategies[0].inputs: expected a list"),
    (_crafted("failed", 5), "failed: expected a list"),
    (_crafted("failed", "abc"), "failed: expected a list"),
    (_crafted("provenance", {"packs": 7}), "provenance.packs: expected a list"),
    ('{"schema_version": 1, "strategies": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "not JSON (nested too deeply)"),
    ('{"schema_version": ' + "9" * 5000 + "}", "not JSON (a number too long)"),
    (_crafted("strategies.0.results.0.status", "zzz"),
     "strategies[0].results[0].status: 'zzz' is not one of 'pass', 'fail', 'not-applicable', "
     "'error', 'waived', 'withheld'"),
    (_crafted("strategies.0.results.0.severity", "fatal"),
     "strategies[0].results[0].severity: 'fatal' is not one of 'error', 'warning', 'info'"),
    (json.dumps(MINIMAL).replace('"0.5"', "NaN"), "not JSON (NaN is not a JSON number)"),
], ids=["evidence-a-list", "evidence-a-string", "inputs-a-number", "failed-a-number",
        "failed-a-string", "packs-a-number", "nested-too-deeply", "number-too-long",
        "status-unknown", "severity-unknown", "not-a-number"])
def test_a_crafted_report_is_a_located_input_error(
        text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "r.json"
    report.write_text(text, encoding="utf-8")
    assert main(["compare", str(report)]) == 2
    assert capsys.readouterr().err == f"error: {report}: {message}\n"


def test_a_pipe_named_as_a_report_is_refused_not_waited_on(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "r.json"
    os.mkfifo(pipe)
    assert main(["compare", str(tmp_path)]) == 2  # found in the folder, never opened
    assert capsys.readouterr().err == f"error: {pipe}: is not a regular file\n"


def test_compare_counts_the_failures_a_waiver_set_aside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Thames Valley fails FUND003; waived, it is no error failure, but the row still says
    # one failure was set aside, so a year whose failures were all waived is not clean.
    waivers = tmp_path / "waivers.toml"
    waivers.write_text('[[waivers]]\ncode = "FUND003"\nreason = "Evidenced"\n'
                       'approved_by = "Home Office"\nreference = "L1"\nexpires = 2025-03-31\n',
                       encoding="utf-8")
    report = tmp_path / "tv.json"
    assert main(["audit", "--example", "--as-of", "2025-03-31", "--waivers", str(waivers),
                 "-q", "--output", f"json:{report}"]) == 1
    capsys.readouterr()
    assert main(["compare", str(report), "--format", "csv"]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert (row["match_funding_recorded_status"], row["error_failures"], row["waived"]) == (
        "waived", "10", "1")
    assert main(["compare", str(report)]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert "info failures  waived  report" in header
