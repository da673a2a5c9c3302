"""``vpp audit`` as ruff and pytest users expect it: a short text report, short flags,
``--exit-zero``, formats from file extensions, a config file, shell completion."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.engine.conftest import BROKEN
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

ERROR_FAILURES = {"EVAL001", "FUND003", "SVD003"}  # the Thames Valley audit's, by hand


def vpp(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -------------------------------------------------------------------------
# 1. The text report
# -------------------------------------------------------------------------


def test_quiet_thames_valley_fits_a_screen_and_lists_every_error_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = vpp(capsys, "audit", "--example", "-q")
    lines = out.splitlines()
    assert code == 1
    assert len(lines) <= 40
    assert max(len(line) for line in lines) <= 100
    data = json.loads(vpp(capsys, "audit", "--example", "--format", "json")[1])
    failing = {(result["code"], result["subject"]["kind"] + ":" + result["subject"]["id"])
               for strategy in data["strategies"] for result in strategy["results"]
               if result["status"] == "fail" and result["severity"] == "error"}
    assert {code for code, _ in failing} == ERROR_FAILURES
    flat = " ".join(out.split())
    for rule, subject in failing:  # each rule once, each of its subjects listed
        assert out.count(f" error   {rule} ") == 1
        assert subject in flat
    assert "PASS" not in out and "N/A" not in out
    counts = data["counts"]
    results = [result for strategy in data["strategies"] for result in strategy["results"]]
    by_severity = [sum(1 for result in results if result["status"] == "fail"
                       and result["severity"] == severity)
                   for severity in ("error", "warning", "info")]
    rules = len({result["code"] for result in results if result["status"] == "fail"})
    assert lines[-3:] == [
        f"{counts['fail']} failures in {rules} rules: {by_severity[0]} error, "
        f"{by_severity[1]} warning, {by_severity[2]} info",
        f"{counts['pass']} passed, {counts['not-applicable']} not applicable, 0 waived, "
        "0 rule errors",
        f"Exit code 1: {by_severity[0]} failures at or above --fail-on error; "
        f"{by_severity[1] + by_severity[2]} below it are reported but do not count"]


def test_default_text_puts_failures_first_and_fits_100_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = vpp(capsys, "audit", "--example")
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 100
    headers = [line for line in out.splitlines() if line.startswith("FAIL ")]
    severities = [line.split()[1] for line in headers]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert len(headers) == 14  # each failing rule once
    # nothing cut: a long message is all there, wrapped
    assert ("Royal Borough of Windsor & Maidenhead Community Safety Partnership: the Strategic "
            "Needs Assessment is recorded but undated") in " ".join(out.split())
    # REACH rules say why they did not run, without --verbose
    reach = [line for line in " ".join(out.split()).split("  ") if "REACH001" in line]
    assert re.search(r"REACH001, REACH002, [A-Z0-9, ]+\(campaign:stay-true-to-you\): no "
                     r"campaign-delivery records given", " ".join(out.split())), reach
    assert "\nPassed: " in out and "\nPASS " not in out
    # a note all nine subjects of SVD003 share is printed once, not nine times
    assert out.count("the strategy says: 'all nine local partnership areas") == 1
    assert "\n  every subject: the strategy says: 'all nine local partnership areas" in out
    assert "\nPASS " in vpp(capsys, "audit", "--example", "-v")[1]


def test_short_flags(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = vpp(capsys, "-V")
    assert code == 0 and out.startswith("vpp-core ")
    report = tmp_path / "r.json"
    code, out, err = vpp(capsys, "audit", "--example", "-j", "1", "-o", str(report), "-q")
    assert code == 1 and out == ""
    assert json.loads(report.read_text(encoding="utf-8"))["exit_code"] == 1
    assert err.endswith("do not count\n")
    code, _, err = vpp(capsys, "audit", "--example", "-q", "-v")
    assert code == 2 and "not allowed with argument" in err


def test_every_command_summary_reads_alike(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    listing = capsys.readouterr().out.split("COMMAND\n", 1)[1].split("\noptions:", 1)[0]
    summaries = [line.strip() for line in listing.splitlines()]
    first_words = [line.split()[1] for line in listing.splitlines()
                   if line.startswith("    ") and not line.startswith("     ")
                   and len(line.split()) > 1]
    assert first_words and all(word[0].islower() for word in first_words), first_words
    assert not any(line.endswith(".") for line in summaries)


def test_every_command_that_writes_a_file_takes_o_for_output(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--help"]) == 0
    listing = capsys.readouterr().out.split("COMMAND\n", 1)[1].split("\noptions:", 1)[0]
    writers, without = [], []
    for name in re.findall(r"^    (\S+)", listing, flags=re.MULTILINE):
        assert main([name, "--help"]) == 0
        usage = capsys.readouterr().out
        if "--output" in usage:
            writers.append(name)
            if not re.search(r"-o [A-Z\[]", usage):
                without.append(name)
    assert {"audit", "compare", "reach", "return", "violence"} <= set(writers)
    assert without == []


# -------------------------------------------------------------------------
# 3. CI conventions
# -------------------------------------------------------------------------


def test_exit_zero_writes_everything_and_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    report = tmp_path / "r.json"
    code, _, err = vpp(capsys, "audit", "--example", "--exit-zero", "-o", str(report))
    assert code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["exit_code"] == 1
    assert "Exit code 0 (--exit-zero; else 1): 11 failures at or above" in err


@pytest.mark.parametrize(("argv", "code"), [
    (["--pack", "no-such.toml"], 2),                    # bad input still exits 2
    (["--pack", BROKEN], 3),                            # a rule that raised: 3
])
def test_exit_zero_keeps_input_and_rule_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int,
) -> None:
    assert vpp(capsys, "audit", "--example", "--exit-zero", *argv)[0] == code


def test_output_format_comes_from_the_extension(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    names = ["r.json", "r.sarif", "r.xml", "r.junit.xml", "r.csv", "r.html", "r.md", "r.txt"]
    arguments = [f"--output={tmp_path / name}" for name in names]
    assert vpp(capsys, "audit", "--example", *arguments)[0] == 1
    text = {name: (tmp_path / name).read_text(encoding="utf-8-sig") for name in names}
    assert json.loads(text["r.json"])["schema_version"] == 1
    assert json.loads(text["r.sarif"])["version"] == "2.1.0"
    assert ET.fromstring(text["r.xml"]).tag == ET.fromstring(text["r.junit.xml"]).tag \
        == "testsuites"
    assert text["r.csv"].startswith("strategy,")
    assert text["r.html"].startswith("<!DOCTYPE html>")
    assert text["r.md"].startswith("# ")
    assert text["r.txt"].startswith("Thames Valley VPP 2024-25 (bundled example)")
    # FORMAT:PATH still works, and an unknown extension is refused, not written as text
    assert vpp(capsys, "audit", "--example", f"-o=json:{tmp_path / 'r.out'}")[0] == 1
    assert json.loads((tmp_path / "r.out").read_text(encoding="utf-8"))
    code, _, err = vpp(capsys, "audit", "--example", "-o", str(tmp_path / "r.pdf"))
    assert code == 2
    assert err.startswith(f"error: --output {tmp_path / 'r.pdf'}: cannot tell the format")
    assert not (tmp_path / "r.pdf").exists()


def test_audit_help_names_every_extension_a_bare_output_takes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    assert vpp(capsys, "audit", "--example", "-o", str(tmp_path / "r.xlsx"))[0] == 1
    assert (tmp_path / "r.xlsx").read_bytes().startswith(b"PK")  # a workbook is a zip
    assert main(["audit", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for extension in (".json", ".sarif", ".xml", ".junit.xml", ".csv", ".html", ".md", ".txt",
                      ".xlsx"):
        assert f"{extension}," in help_text or f"{extension})" in help_text, extension


def test_junit_failures_agree_with_the_exit_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    junit = tmp_path / "r.xml"
    for fail_on, failures in (("error", "11"), ("warning", "61"), ("info", "64")):
        code, _, _ = vpp(capsys, "audit", "--example", "--fail-on", fail_on, "-o", str(junit))
        assert code == 1
        root = ET.parse(junit).getroot()
        assert root.get("failures") == failures
    vpp(capsys, "audit", "--example", "-o", str(junit))
    cases = {case.get("name"): case for case in ET.parse(junit).getroot().iter("testcase")}
    below = cases["FUND004 budget-lines-equal-stated-total [strategy:2024-25]"]
    assert below.find("failure") is None  # a warning under --fail-on error: reported...
    assert (below.findtext("system-out") or "").startswith(
        "warning finding, below --fail-on error: ")  # ...but not a failure


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "strategy.toml").write_bytes(bundled_strategy().read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_vpp_toml_sets_what_the_command_line_can_override(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _project(tmp_path, monkeypatch)
    (folder / "vpp.toml").write_text(
        'packs = ["home-office-vru-core"]\nselect = ["FUND00"]\nignore = ["FUND008"]\n'
        'fail-on = "warning"\noutputs = ["out/report.json"]\n', encoding="utf-8")
    (folder / "out").mkdir()
    code, out, _ = vpp(capsys, "audit")
    assert code == 1 and out == ""
    data = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    codes = {result["code"] for result in data["strategies"][0]["results"]}
    assert codes == {"FUND001", "FUND002", "FUND003", "FUND004", "FUND005", "FUND006",
                     "FUND007", "FUND009"}  # FUND00 selected, FUND008 ignored
    assert data["options"]["fail_on"] == "warning"
    # the command line beats the file
    code, out, _ = vpp(capsys, "audit", "--select", "FUND001", "--fail-on", "error",
                       "-o", "out/other.json")
    assert code == 0
    other = json.loads((folder / "out" / "other.json").read_text(encoding="utf-8"))
    assert {r["code"] for r in other["strategies"][0]["results"]} == {"FUND001"}


def test_pyproject_tool_vpp_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = _project(tmp_path, monkeypatch)
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.vpp]\nselect = ["FUND001"]\n', encoding="utf-8")
    code, out, _ = vpp(capsys, "audit", "--format", "json")
    assert code == 0
    assert {r["code"] for r in json.loads(out)["strategies"][0]["results"]} == {"FUND001"}


@pytest.mark.parametrize("output", ["text:{victim}", "markdown:../victim.md",
                                    "json:inner/../../victim.json", "json:away/victim.json"])
def test_a_config_writes_only_below_its_own_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    output: str,
) -> None:
    # A folder sent in may hold a vpp.toml: its outputs never overwrite a file elsewhere
    # (an absolute path, a way up, or a link to a folder outside).
    (tmp_path / "sent").mkdir()
    folder = _project(tmp_path / "sent", monkeypatch)
    victim = tmp_path / "victim.rc"
    victim.write_text("precious\n", encoding="utf-8")
    (folder / "away").symlink_to(tmp_path, target_is_directory=True)
    shown = output.format(victim=victim)
    (folder / "vpp.toml").write_text(f'outputs = ["{shown}"]\n', encoding="utf-8")
    code, out, err = vpp(capsys, "audit")
    assert (code, out) == (2, "")
    assert err == (f"error: vpp.toml: outputs[0]: {shown.partition(':')[2]} is outside the "
                   "folder of vpp.toml (its outputs are written below it; write elsewhere "
                   "with --output)\n")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["sent", "victim.rc"]


@pytest.mark.parametrize(("file", "text", "message"), [
    ("vpp.toml", 'fail_on = "warning"\n',
     "error: vpp.toml: fail_on: unknown key 'fail_on' (did you mean 'fail-on'?); allowed: "
     "fail-on, ignore, outputs, packs, records, select\n"),
    ("pyproject.toml", '[tool.vpp]\npack = ["default"]\n',
     "error: pyproject.toml: tool.vpp.pack: unknown key 'pack' (did you mean 'packs'?); "
     "allowed: fail-on, ignore, outputs, packs, records, select\n"),
    ("vpp.toml", 'fail-on = "high"\n',
     "error: vpp.toml: fail-on: expected one of error, warning, info, got 'high'\n"),
])
def test_a_bad_config_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    file: str, text: str, message: str,
) -> None:
    folder = _project(tmp_path, monkeypatch)
    (folder / file).write_text(text, encoding="utf-8")
    code, out, err = vpp(capsys, "audit")
    assert (code, out, err) == (2, "", message)


def test_bash_completion_offers_commands_options_and_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, script, _ = vpp(capsys, "completion", "bash")
    assert code == 0

    def complete(*words: str) -> list[str]:
        line = " ".join(f"'{word}'" for word in words)
        done = subprocess.run(
            ["bash", "-c", f'{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; '
                           '_vpp_complete; printf "%s\\n" "${COMPREPLY[@]}"'],
            capture_output=True, text=True, check=True, timeout=30)
        return done.stdout.split()

    assert complete("vpp", "au") == ["audit"]
    assert complete("vpp", "audit", "--exi") == ["--exit-zero"]
    assert complete("vpp", "audit", "--fail-on", "") == ["error", "warning", "info"]
    assert "sarif" in complete("vpp", "audit", "--format", "")
    assert complete("vpp", "toc", "--format", "m") == ["mermaid"]
    code, zsh, _ = vpp(capsys, "completion", "zsh")
    assert code == 0 and zsh.startswith("# vpp completion for zsh")
    assert "bashcompinit" in zsh
