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


def vpp(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_with_no_arguments_prints_a_readable_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = vpp(capsys, "audit")
    assert code in (0, 1)
    assert out.startswith("Thames Valley Violence Prevention Partnership — 2024-25\n")
    assert "Summary: " in out
    assert "Exit code " in out
    assert "audited the bundled fixture vpp_fixtures/thames-valley-2024-25/strategy.toml" in err


def test_installed_vpp_script_audits_the_bundled_fixture() -> None:
    script = Path(sys.executable).parent / "vpp"
    command = str(script) if script.exists() else shutil.which("vpp")
    assert command is not None, "the vpp script is not installed"
    done = subprocess.run([command, "audit"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    assert "Thames Valley Violence Prevention Partnership — 2024-25" in done.stdout
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
    assert vpp(capsys, "audit", *argv)[0] == code


def test_audit_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = vpp(capsys, "audit", "--pack", LOCAL, "--format", "json")
    data = json.loads(out)
    assert code == data["exit_code"] == 1
    output = tmp_path / "report.json"
    assert vpp(capsys, "audit", "--pack", LOCAL, "--format", "json", "--output",
               str(output))[1] == ""
    assert json.loads(output.read_text(encoding="utf-8"))["counts"] == data["counts"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["audit", "--pack", "no-such.toml"], "error: no-such.toml: no such file"),
        (["audit", "--format", "xml"], "error: --format: unknown format 'xml' (available: "),
        (["audit", "--as-of", "tomorrow"], "error: --as-of: expected a date like 2025-03-31"),
        (["audit", "missing.toml"], "error: missing.toml: no such file"),
        (["--plugin", str(PLUGINS / "misspelt_hook.py"), "audit"],
         "error: plugin 'local:misspelt_hook'"),
        (["audit", "--records", "participants=absent.csv"],
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
