"""Which strategy ``vpp return`` reports on: the one named, else ./strategy.toml, else the
bundled Thames Valley example only with ``--example`` — never Thames Valley silently."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.spend.conftest import SPEND_HEADER, write
from vpp_core.cli.main import main

ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"


def test_the_strategy_in_the_working_folder_is_the_one_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ESSEX, tmp_path / "strategy.toml")
    write(tmp_path, "spend.csv", SPEND_HEADER + "2024-05-10,core-2024-25,mentoring,100,cash,,\n")
    monkeypatch.chdir(tmp_path)
    code = main(["return", "--quarter", "2024-25-Q1", "--format", "json",
                 "--records", "spend=spend.csv"])
    out, _ = capsys.readouterr()
    assert code == 0
    data = json.loads(out)
    assert data["partnership"] == "Essex Violence and Vulnerability Unit"
    assert "Thames Valley" not in out


def test_with_no_strategy_here_it_exits_2_unless_the_example_is_asked_for(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["return", "--quarter", "2024-25-Q3", "--format", "json"]) == 2
    assert capsys.readouterr() == ("", (
        "error: no STRATEGY given and no strategy.toml in this folder: name a strategy file "
        "or folder, or run the bundled Thames Valley example with --example\n"))
    assert main(["return", "--example", "--quarter", "2024-25-Q3", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["partnership"] == (
        "Thames Valley Violence Prevention Partnership")
