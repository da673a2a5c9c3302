"""Case folders for rule authors: named plugins and packs, every installed plugin by
default, ``KIND=PATH`` records; the pytest fixtures document themselves."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from vpp_core import Report
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
