"""``vpp new-plugin`` writes a plugin package whose own tests pass; ``vpp new-strategy``
writes a skeleton strategy that loads and audits."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.distributions import install
from vpp_core import Status, audit, load_strategy
from vpp_core.cli.main import main


def test_a_new_plugin_passes_its_own_tests(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-plugin", "our-rules", "--dir", str(tmp_path)]) == 0
    assert "pip install -e . && pytest" in capsys.readouterr().out
    project = tmp_path / "our-rules"
    data = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["entry-points"]["vpp"] == {"our-rules": "our_rules"}
    for part in ("our_rules/__init__.py", "our_rules/py.typed", "our_rules/packs/our-rules.toml",
                 "tests/test_our_rules.py", "tests/cases/evaluation-cut/case.toml"):
        assert (project / part).is_file(), part
    site = tmp_path / "site"
    install(project, site, "our-rules", "our_rules")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(project)])}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=project, env=env,
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7 passed" in run.stdout


def test_new_plugin_refuses_a_bad_name_and_never_overwrites(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-plugin", "Our_Rules", "--dir", str(tmp_path)]) == 2
    assert "error: new-plugin: 'Our_Rules' is not a kebab-case name" in capsys.readouterr().err
    (tmp_path / "taken").mkdir()
    assert main(["new-plugin", "taken", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert list((tmp_path / "taken").iterdir()) == []


@pytest.mark.parametrize(("name", "taken"), [
    ("funding", "the name of the installed plugin 'funding' (core)"),
    ("default", "the name of the rule pack 'default' (vpp_rules/default.toml)"),
])
def test_new_plugin_refuses_a_name_vpp_already_uses(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, taken: str) -> None:
    # Installed, a plugin named 'funding' made every vpp command fail ("plugin 'funding' is
    # registered twice"); a pack named 'default' would clash with the national one.
    assert main(["new-plugin", name, "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: new-plugin: {name!r} is {taken}")
    assert "choose another name" in err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize(("name", "why"), [
    ("import", "'import' is a Python keyword"),
    ("json", "the standard library's 'json'"),
    ("vpp-core", "vpp-core's own 'vpp_core'"),
    ("vpp-plugins", "vpp-core's own 'vpp_plugins'"),
])
def test_new_plugin_refuses_a_name_whose_package_could_not_be_imported_as_itself(
        name: str, why: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A package named after a keyword cannot be imported; one named after a standard
    # library module or vpp-core's own packages is shadowed by it, or shadows it.
    assert main(["new-plugin", name, "--dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: new-plugin: {name!r}: its package would be ")
    assert why in err
    assert list(tmp_path.iterdir()) == []


def test_a_new_strategy_loads_and_audits(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "strategy.toml"
    assert main(["new-strategy", str(path), "--year", "2024-25",
                 "--partnership", "Example VRU"]) == 0
    assert capsys.readouterr().err == ""  # the packs state every 2024-25 value
    text = path.read_text(encoding="utf-8")
    assert text.count("\n#") >= 10  # commented throughout
    strategy = load_strategy(path)
    assert str(strategy.financial_year) == "2024-25"
    assert strategy.partnership.name == "Example VRU"
    report = audit(path)
    statuses = {result.status for result in report.results}
    assert Status.ERROR not in statuses and Status.PASS in statuses
    assert report.exit_code() in (0, 1)
    # every pointer of the default packs into the strategy's own document finds a section
    unlisted = {reference.section for result in report.results
                for reference in result.references if "(no section" in reference.section}
    assert unlisted == set()
    assert main(["new-strategy", str(path)]) == 2  # never overwritten


@pytest.mark.parametrize("name", [
    'Fenland "North" VRU',  # a quote would have ended the TOML string
    "C:\\VRU\\ name",  # a backslash would have started an escape
    "Fenland VRU\nfinancial_year = \"1999-00\"",  # a line break would have written a key
    "Fenland \x1b[31mVRU\x7f",  # control characters are not allowed raw in TOML
])
def test_any_partnership_name_gives_a_strategy_that_loads_with_that_name(
        tmp_path: Path, name: str) -> None:
    path = tmp_path / "strategy.toml"
    assert main(["new-strategy", str(path), "--year", "2025-26", "--partnership", name]) == 0
    strategy = load_strategy(path)
    assert strategy.partnership.name == name
    assert strategy.document.title == f"{name} Response Strategy 2025-26"
    assert str(strategy.financial_year) == "2025-26"


def test_a_year_the_national_packs_have_no_values_for_says_every_missing_value_and_how(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A 2025-26 strategy: every value the national packs lack is named at once, with the
    pack of one's own that states it; that pack then audits (no figure is made up here)."""
    monkeypatch.chdir(tmp_path)
    assert main(["new-strategy", "strategy.toml", "--year", "2025-26"]) == 0
    assert capsys.readouterr().err == (
        "note: the default packs state no 2025-26 value for FUND001 threshold, FUND002 "
        "threshold, FUND003 share: vpp audit needs them stated in a pack of your own that "
        "extends default (see \"A year the national packs do not cover\" in the README)\n")
    assert main(["audit", "-q"]) == 2
    out, err = capsys.readouterr()
    assert " ".join(out.split()).count("has no value for 2025-26") == 3  # the report says all
    assert main(["audit", "-o", "report.md", "-o", "report.sarif"]) == 2
    for report in ("report.md", "report.sarif"):
        assert Path(report).read_text(encoding="utf-8").count("has no value for 2025-26") == 3
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert [line.split(": rule ")[1][:7] for line in lines] == ["FUND001", "FUND002", "FUND003"]
    assert {line.split(": rule ")[0] for line in lines} == {
        "error: vpp_rules/home-office-vru-core.toml"}  # the same on every machine
    assert lines[2].endswith(
        "rule FUND003: parameter 'share' has no value for 2025-26 (it has 2022-23, 2023-24, "
        "2024-25): 'home-office-vru-core' does not state it; state the year's value in a pack of "
        "your own that extends it, given with --pack (in packs from Python): an "
        "[[overrides]] entry with "
        'code = "FUND003" and parameters = { share = { "2025-26" = "…" } }')
    overrides = "".join(
        f'[[overrides]]\ncode = "{code}"\nparameters = {{ {name} = {{ "2025-26" = "{value}" }} }}\n'
        for code, name, value in (("FUND001", "threshold", "0.30"),
                                  ("FUND002", "threshold", "0.10"),
                                  ("FUND003", "share", "0.20")))
    Path("local.toml").write_text(
        '[pack]\nname = "our-2025-26"\nversion = "2025.1"\nprefix = "OUR"\n'
        f'extends = ["default"]\n\n{overrides}', encoding="utf-8")
    assert main(["audit", "--pack", "local.toml", "--format", "json"]) in (0, 1)
    assert '"code": "FUND001"' in capsys.readouterr().out
