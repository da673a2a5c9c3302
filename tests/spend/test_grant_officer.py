"""A grant officer comparing a VRU's years: ``vpp rules diff`` between two versions of a
local pack kept side by side, and what the diff says of a rule switched off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.spend.conftest import write
from vpp_core.cli.main import main

LOCAL = """[pack]
name = "wealdmoor"
version = "{version}"
prefix = "WEALD"
extends = ["default", "in-year-spend"]

[[rules]]
code = "{code}"
name = "training-share"
title = "At least {{threshold:%}} of the core grant goes on training"
severity = "warning"
check = "share-at-least"
[rules.parameters]
numerator = "budget-line:sustainable-training"
denominator = "core-grant-amount"
threshold = {{ "2024-25" = "0.05" }}
{extra}"""
OFF = '\n[[overrides]]\ncode = "SPEND008"\nenabled = false\n'


def _diff(capsys: pytest.CaptureFixture[str], old: Path | str, new: Path | str) -> list[str]:
    code = main(["rules", "diff", str(old), str(new)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out.splitlines()


def test_two_versions_of_a_local_pack_in_one_folder_are_diffed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write(tmp_path, "wealdmoor-2024.toml",
                LOCAL.format(version="2024.1", code="WEALD001", extra=OFF))
    new = write(tmp_path, "wealdmoor-2025.toml",
                LOCAL.format(version="2025.1", code="WEALD002", extra=""))
    assert _diff(capsys, old, new) == [
        "--- wealdmoor 2024.1",
        "+++ wealdmoor 2025.1",
        "added    WEALD002 (warning) At least 5% of the core grant goes on training",
        "removed  WEALD001 (warning) At least 5% of the core grant goes on training",
        "changed  SPEND008 Spend per person reached is at most £3,000",
        "           switched: off → on",
    ]


def test_a_sibling_named_twice_is_an_error_only_when_looked_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for version in ("2024.1", "2025.1"):
        write(tmp_path, f"base-{version}.toml",
              f'[pack]\nname = "base"\nversion = "{version}"\nprefix = "BASE"\n')
    child = write(tmp_path, "child.toml",
                  '[pack]\nname = "child"\nversion = "1"\nprefix = "CHILD"\nextends = ["base"]\n')
    assert main(["rules", "--pack", str(child)]) == 2
    _, err = capsys.readouterr()
    assert "pack name 'base' is also used by" in err


def test_a_rule_added_switched_off_says_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = write(tmp_path, "wealdmoor.toml",
                  LOCAL.format(version="2024.1", code="WEALD001", extra=OFF))
    lines = _diff(capsys, "default", local)
    assert "added    SPEND008 (info, switched off) Spend per person reached is at most £3,000" \
        in lines
    assert "added    SPEND001 (warning) Spend to date is within 10% of the profile to date" \
        in lines
    assert "removed  SPEND008 (info, switched off) Spend per person reached is at most £3,000" \
        in _diff(capsys, local, "default")


def test_an_unknown_metric_in_a_local_rule_names_the_metrics_there_are(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    local = write(tmp_path, "wealdmoor.toml", LOCAL.format(
        version="2024.1", code="WEALD001", extra="").replace(
        "budget-line:sustainable-training", "line-amount:sustainable-training"))
    assert main(["rules", "--pack", str(local)]) == 2
    err = capsys.readouterr().err
    assert "rule WEALD001: parameter 'numerator': unknown metric 'line-amount' (did you " \
        "mean 'grant-amount'?); allowed: budget-line, budget-lines-total," in err
