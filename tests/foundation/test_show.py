"""``vpp show``: a readable summary of the bundled fixture, as a new user first sees it."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy


def test_show_prints_partnerships_grants_budget_and_targets(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "--example"]) == 0
    out = capsys.readouterr().out
    assert "Local partnerships: 9 (12 Community Safety Partnerships, 3 Integrated Care Boards)" \
        in out
    assert "£1,510,000 (£1.51m)" in out
    lines = out.splitlines()
    assert any(line.startswith("Sum of the lines") and "£1,497,500" in line for line in lines)
    stated = next(line for line in lines if line.startswith("Stated total (£1.51m)"))
    assert stated.split()[-3:] == ["differs", "by", "£12,500"]
    totals = next(line for line in lines if line.startswith("Totals row as printed"))
    assert totals.split()[-3:] == ["823", "135", "1050"]
    sums = next(line for line in lines if line.startswith("Sum of the rows"))
    assert sums.split()[-3:] == ["843", "135", "1053"]
    assert any("Custody Coaches" in line and "Funded by 23/24 carry-over" in line
               for line in lines)


def test_show_gives_a_recorded_match_funding_amount(capsys: pytest.CaptureFixture[str]) -> None:
    # Essex records £320,000 against its 20% requirement, and no "met" or "not met"
    assert main(["show", str(bundled_strategy("essex-2024-25"))]) == 0
    core = next(line for line in capsys.readouterr().out.splitlines()
                if "VRU core grant 2024-25" in line)
    assert core.endswith("20% (£320,000 recorded)")
    assert "not recorded" not in core


def test_show_gives_each_years_match_funding_as_the_document_does(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "--example"]) == 0
    lines = capsys.readouterr().out.splitlines()
    shown = {year: next(line for line in lines if line.startswith(year) and "core" in line)
             for year in ("2022-23", "2023-24", "2024-25")}
    assert shown["2022-23"].endswith("10% (met)")  # "A 10% match-funding requirement was met"
    assert shown["2023-24"].endswith("15% (met)")  # "A 15% ... was met"
    assert shown["2024-25"].endswith("20% (nothing recorded)")  # only the requirement



def test_show_counts_one_partnership_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strategy = tmp_path / "strategy.toml"  # the skeleton: one partnership, one CSP, no ICB
    assert main(["new-strategy", str(strategy)]) == 0
    assert main(["show", str(strategy)]) == 0
    assert ("Local partnerships: 1 (1 Community Safety Partnership, 0 Integrated Care Boards)"
            in capsys.readouterr().out)


def test_show_names_each_interventions_stage_by_its_label(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["show", "--example"]) == 0
    lines = capsys.readouterr().out.splitlines()
    school = next(line for line in lines if line.startswith("School Navigators"))
    assert school.endswith("passed Gate 3 (RCT in progress)")
    # A VRU's own stages, with its own labels
    essex = bundled_strategy("essex-2024-25").read_text(encoding="utf-8")
    own = essex.replace('gate = "passed-gate-3"', 'gate = "efficacy-trial"').replace(
        "[[interventions]]",
        '[evaluation_life_cycle]\nstages = [{ id = "efficacy-trial", label = "efficacy trial '
        'under way", trial_under_way = true }]\n\n[[interventions]]', 1)
    for gate in ("passed-gate-2", "passed-gate-1", "gate-1"):
        own = own.replace(f'gate = "{gate}"', 'gate = "not-on-life-cycle"')
    path = tmp_path / "strategy.toml"
    path.write_text(own, encoding="utf-8")
    assert main(["show", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    deterrence = next(line for line in lines if line.startswith("Focused deterrence"))
    assert deterrence.endswith("efficacy trial under way")
    assert any(line.endswith("not on the life cycle") for line in lines)
