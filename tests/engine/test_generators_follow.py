"""Which strategy the generators follow: --strategy, else ./strategy.toml, else the bundled
Thames Valley example — and each says which on standard error."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from vpp_core.cli.main import main

ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"


def interventions(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as file:
        return {row["intervention"] for row in csv.DictReader(file)}


def test_the_generators_follow_the_strategy_in_the_working_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ESSEX, tmp_path / "strategy.toml")
    monkeypatch.chdir(tmp_path)
    assert main(["generate-records", "records", "--rows", "1000"]) == 0
    assert main(["generate-campaign", "campaign", "--exposures", "100"]) == 0
    assert main(["generate-spend", "spend.csv", "--rows", "1000"]) == 0
    err = capsys.readouterr().err  # a note, so standard output holds only what it made
    assert err.count("following strategy.toml\n") == 3
    assert "hospital-navigators" not in interventions(Path("records/participants.csv"))
    assert "mentoring" in interventions(Path("records/participants.csv"))  # Essex's


def test_with_no_strategy_here_they_say_they_follow_the_bundled_example(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["generate-records", "records", "--rows", "1000"]) == 0
    assert capsys.readouterr().err == "following the bundled Thames Valley 2024-25 example\n"
    assert "hospital-navigators" in interventions(Path("records/participants.csv"))
