"""``vpp return --pack``: a VRU's own pack states what the national packs do not (a later
year's values, its own thresholds), so a 2025-26 strategy gets its return."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main

#: The values the bundled packs state only up to 2024-25, stated by the VRU for 2025-26.
VALUES = (("FUND001", "threshold", "0.35"), ("FUND002", "threshold", "0.10"),
          ("FUND003", "share", "0.20"), ("SPEND001", "green_tolerance", "0.05"),
          ("SPEND001", "amber_tolerance", "0.10"), ("SPEND002", "tolerance", "0.05"),
          ("SPEND004", "threshold", "0.35"), ("SPEND005", "threshold", "0.10"),
          ("SPEND006", "share", "0.20"), ("SPEND008", "benchmark", "3000"))


def test_a_2025_26_return_runs_with_the_year_stated_in_a_pack_of_ones_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new-strategy", "strategy.toml", "--year", "2025-26"]) == 0
    Path("spend.csv").write_text("date,grant,line,amount,type\n"
                                 "2025-05-01,core,programme-team,1000,cash\n", encoding="utf-8")
    arguments = ["return", "--quarter", "2025-26-Q1", "--format", "json",
                 "--records", "spend=spend.csv"]
    capsys.readouterr()
    assert main(arguments) == 2
    errors = capsys.readouterr().err.splitlines()
    assert len(errors) == len(VALUES)
    assert all("given with --pack" in line for line in errors)
    Path("ours.toml").write_text(
        '[pack]\nname = "ours"\nversion = "2025.1"\nprefix = "OURS"\n'
        'extends = ["default", "in-year-spend"]\n\n' + "".join(
            f'[[overrides]]\ncode = "{code}"\n'
            f'parameters = {{ {name} = {{ "2025-26" = "{value}" }} }}\n'
            for code, name, value in VALUES), encoding="utf-8")
    assert main([*arguments, "--pack", "ours.toml"]) == 0
    data = json.loads(capsys.readouterr().out)
    fund001 = next(row for row in data["conditions"] if row["code"] == "FUND001")
    assert fund001["message"].endswith("at least 35% required")
    # The return says which packs, at which versions, set the thresholds it was judged by.
    assert "ours 2025.1 (ours.toml)" in data["packs"]
    assert "home-office-vru-core 2024.1" in {pack.split(" (")[0] for pack in data["packs"]}
    assert main([*arguments[:-4], "--format", "markdown", "--records", "spend=spend.csv",
                 "--pack", "ours.toml"]) == 0
    markdown = capsys.readouterr().out
    [line] = [line for line in markdown.splitlines() if line.startswith("- **Packs**: ")]
    assert "ours 2025.1 (ours.toml)" in line
