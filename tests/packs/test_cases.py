"""Case folders for rule authors: named plugins and packs, every installed plugin by
default, ``KIND=PATH`` records; the pytest fixtures document themselves."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from vpp_core import Report
from vpp_core.loading.errors import UsageError
from vpp_core.testing.cases import Case, collect_cases, read_case

CASES = Path(__file__).parent / "data" / "cases"


@pytest.mark.parametrize("case", collect_cases(CASES), ids=str)
def test_case_folders_run(case: Case, vpp_run_case: Callable[[Case], Report]) -> None:
    vpp_run_case(case)


def test_a_case_runs_with_every_installed_plugin_unless_it_names_some(
        vpp_run_case: Callable[[Case], Report]) -> None:
    everything = vpp_run_case(read_case(CASES / "extends-national" / "case.toml"))
    assert {"funding", "targets", "reach"} <= {info.name for info in
                                              everything.provenance.plugins}
    named = vpp_run_case(read_case(CASES / "named-plugins" / "case.toml"))
    names = {info.name for info in named.provenance.plugins}
    assert "funding" in names and "reach" not in names


def test_records_kind_path_is_read_relative_to_the_case_folder() -> None:
    case = read_case(CASES / "records-kind-path" / "case.toml")
    assert case.records == (f"participants={CASES / 'records-kind-path' / 'participants.csv'}",)


def test_every_fixture_has_a_docstring() -> None:
    out = subprocess.run([sys.executable, "-m", "pytest", "--fixtures", "-q",
                          str(Path(__file__))], capture_output=True, text=True, check=False,
                         cwd=Path(__file__).parent).stdout
    fixtures = ["vpp_make_plugins", "vpp_plugins", "vpp_make_strategy", "vpp_strategy",
                "vpp_run_case", "vpp_run_example"]
    for name in fixtures:
        assert f"\n{name} -- " in out, name
        block = out.split(f"\n{name} -- ", 1)[1].split("\n\n", 1)[0]
        assert "no docstring available" not in block, name


def test_one_records_pack_or_plugin_given_as_a_string_is_one_value(tmp_path: Path) -> None:
    folder = tmp_path / "one-file"
    folder.mkdir()
    (folder / "case.toml").write_text(
        'packs = "local.toml"\nplugins = "local_rules.py"\n'
        'records = "participants=participants.csv"\n', encoding="utf-8")
    case = read_case(folder / "case.toml")
    assert case.records == (f"participants={folder / 'participants.csv'}",)
    assert case.packs == (str(folder / "local.toml"),)
    assert case.plugins == (folder / "local_rules.py",)


@pytest.mark.parametrize(("text", "message"), [
    ("records = 3\n", "case.toml: records: expected a string or a list of strings, got 3"),
    ('packs = ["a.toml", 1]\n', "case.toml: packs[1]: expected a string, got 1"),
    ("[[expect]]\nstatus = 'fail'\n", "case.toml: expect[0]: 'code' is required"),
    ("[[expect]]\ncode = 'X001'\nstatus = 'failed'\n",
     "case.toml: expect[0].status: 'failed' is not one of "),
])
def test_a_bad_case_value_is_named_by_its_place(tmp_path: Path, text: str,
                                                  message: str) -> None:
    (tmp_path / "case.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        read_case(tmp_path / "case.toml")
    assert message in str(raised.value)
