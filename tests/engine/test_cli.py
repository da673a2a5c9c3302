"""The command line, run as a user would: ``vpp audit``, ``rules``, ``rule``, ``plugins``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.conftest import BROKEN, CORE, LOCAL, PLUGINS
from tests.engine.test_waivers import WAIVERS
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy


def vpp(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_with_no_strategy_and_none_here_exits_2_with_a_hint(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for command in ("audit", "show", "toc", "targets", "reach"):
        code, out, err = vpp(capsys, command)
        assert code == 2, command
        assert out == ""
        assert err == ("error: no STRATEGY given and no strategy.toml in this folder: name a "
                       "strategy file or folder, or run the bundled Thames Valley example "
                       "with --example\n")


def test_a_glob_that_matched_nothing_never_audits_the_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `vpp audit $(ls -d nomatch*)` in a shell passes no argument at all
    monkeypatch.chdir(tmp_path)
    code, out, err = vpp(capsys, "audit", "--output", "report.json")
    assert code == 2
    assert out == ""
    assert err.startswith("error: no STRATEGY given and no strategy.toml in this folder")
    assert not (tmp_path / "report.json").exists()


def test_audit_uses_the_strategy_toml_in_the_working_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copy(bundled_strategy(), tmp_path / "strategy.toml")
    monkeypatch.chdir(tmp_path)
    code, out, _ = vpp(capsys, "audit", "-q")
    assert code == 1
    statement, report = out.split("\n", 1)
    assert statement == "Internal report: exact counts, not for publication."
    assert report.startswith("Thames Valley VPP 2024-25: strategy.toml\n")  # not the example
    code, out, _ = vpp(capsys, "show")
    assert code == 0 and "Stated total (£1.51m)" in out


def test_audit_of_the_example_says_so_in_its_title(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    code, out, _ = vpp(capsys, "audit", "--example", "--output", str(tmp_path / "r.html"),
                         "--output", str(tmp_path / "r.md"), "--output",
                         str(tmp_path / "r.junit.xml"))
    assert code == 1
    assert "<title>Audit report: Thames Valley VPP 2024-25 (bundled example)</title>" in (
        tmp_path / "r.html").read_text(encoding="utf-8")
    assert "## Thames Valley VPP 2024-25 (bundled example)" in (
        tmp_path / "r.md").read_text(encoding="utf-8")
    assert '<testsuite name="Thames Valley VPP 2024-25 (bundled example)"' in (
        tmp_path / "r.junit.xml").read_text(encoding="utf-8")
    code, out, _ = vpp(capsys, "audit", "--example")
    report = out.split("\n", 1)[1]  # below the internal-or-published line
    assert report.startswith("Thames Valley VPP 2024-25 (bundled example) — Thames Valley "
                             "Violence Prevention Partnership\n")


def test_example_and_a_strategy_together_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = vpp(capsys, "show", str(bundled_strategy()), "--example")
    assert code == 2
    assert err == "error: --example: give either STRATEGY or --example, not both\n"


def test_installed_vpp_script_audits_the_bundled_example() -> None:
    script = Path(sys.executable).parent / "vpp"
    command = str(script) if script.exists() else shutil.which("vpp")
    assert command is not None, "the vpp script is not installed"
    done = subprocess.run([command, "audit", "--example"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "Thames Valley VPP 2024-25 (bundled example)" in done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--pack", CORE], 0),
        (["--pack", LOCAL], 1),
        (["--pack", LOCAL, "--select", "DEMO005"], 0),
        (["--pack", LOCAL, "--select", "DEMO005", "--fail-on", "warning"], 1),
        (["--pack", LOCAL, "--select", "DEMO005", "--fail-on", "warning", "--waivers",
          str(WAIVERS), "--as-of", "2025-01-31"], 0),
        (["--pack", LOCAL, "--select", "DEMO005", "--fail-on", "warning", "--waivers",
          str(WAIVERS), "--as-of", "2025-01-31", "--ignore-waivers"], 1),
        (["--pack", LOCAL, "--severity", "warning", "--ignore", "DEMO001"], 0),
        (["--pack", BROKEN], 3),
    ],
)
def test_audit_exit_codes(capsys: pytest.CaptureFixture[str], argv: list[str],
                          code: int) -> None:
    assert vpp(capsys, "audit", "--example", *argv)[0] == code


def test_audit_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = vpp(capsys, "audit", "--example", "--pack", LOCAL, "--format", "json")
    data = json.loads(out)
    assert code == data["exit_code"] == 1
    output = tmp_path / "report.json"
    assert vpp(capsys, "audit", "--example", "--pack", LOCAL, "--format", "json", "--output",
               str(output))[1] == ""
    assert json.loads(output.read_text(encoding="utf-8"))["counts"] == data["counts"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["audit", "--example", "--pack", "no-such.toml"], "error: no-such.toml: no such file"),
        (["audit", "--format", "xml"], "error: --format: unknown format 'xml' (available: "),
        (["audit", "--example", "--as-of", "tomorrow"],
         "error: --as-of: expected a date like 2025-03-31"),
        (["audit", "missing.toml"], "error: missing.toml: no such file"),
        (["--plugin", str(PLUGINS / "misspelt_hook.py"), "audit"],
         "error: plugin 'local:misspelt_hook'"),
        (["audit", "--example", "--records", "participants=absent.csv"],
         "error: absent.csv: no such records file"),
        (["rule", "NOPE001"], "error: NOPE001: no rule of this code in any pack found in "),
        (["rule", "NOPE001", "--pack", "default"],
         "error: vpp_rules/default.toml: no rule 'NOPE001' in this pack or those it extends"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                          argv: list[str], message: str) -> None:
    code, _, err = vpp(capsys, *argv)
    assert code == 2
    assert err.startswith(message), err
    assert "Traceback" not in err


def test_misspelt_hook_named_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = vpp(capsys, "--plugin", str(PLUGINS / "misspelt_hook.py"), "plugins")
    assert "vpp_register_chekcs" in err


def test_rules_shows_where_each_value_came_from(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = vpp(capsys, "rules", "--pack", LOCAL)
    assert code == 0
    assert ("    threshold = 2022-23: 0.10 [demo-core]; 2023-24: 0.20 [demo-core]; "
            "2024-25: 0.60 [demo-local]") in out
    assert "    severity: error  [demo-local]" in out
    assert "    switched off  [demo-local]" in out
    assert "    numerator = demo-budget-line:pilot-interventions  [demo-core]" in out


def test_rules_lists_available_packs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = vpp(capsys, "rules")
    assert code == 0
    assert out  # the packs found, or a line saying there are none


def test_rule_documentation(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = vpp(capsys, "rule", "DEMO001", "--pack", CORE)
    assert code == 0
    assert out.startswith("DEMO001 interventions-share-of-grant\n"
                          "At least 30% of the core grant is invested in interventions\n")
    assert "check: share-at-least" in out
    assert "  - VRU grant guidance 2024-25, Grant conditions, p.13" in out
    assert "  fail: Interventions £400,000 of a £1,510,000 grant" in out
    assert "  pass: Interventions £832,500" in out


def test_plugins_lists_name_version_origin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = vpp(capsys, "--plugin", str(PLUGINS / "demo_rules.py"), "plugins")
    assert code == 0
    assert "core-checks  0.1.0  core\n    checks: field-present, metric-at-least" in out
    assert "local:demo_rules  1.2  local file " in out
    assert "    metrics: demo-budget-line, demo-evaluated-count, demo-grant" in out


def test_plugins_lists_the_record_kinds_and_extensions_each_registers(
        capsys: pytest.CaptureFixture[str]) -> None:
    # A developer checking that their own record kind registered found no word of it here.
    code, out, _ = vpp(capsys, "plugins")
    assert code == 0
    assert "    record kinds: participants, training\n" in out
    assert "    record kinds: area-population, csp-offences, knife-offences," in out


def test_a_records_file_no_rule_reads_is_said_not_silently_left_out(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Evaluation milestones are read by the in-year spend pack alone: given to an audit of
    # the default packs, the file must not look checked.
    milestones = tmp_path / "milestones.csv"
    milestones.write_text("intervention,milestone,due,status\n"
                          "mash,Plan,2025-01-31,planned\n", encoding="utf-8")
    given = ["audit", str(bundled_strategy()), "--records",
             f"evaluation-milestones={milestones}", "-q"]
    assert main(given) == 1
    err = capsys.readouterr().err
    assert (f"note: {milestones}: no rule that ran reads evaluation-milestones records, so "
            "nothing in the report comes from it") in err
    assert main([*given, "--pack", "in-year-spend"]) == 0
    assert "note:" not in capsys.readouterr().err
