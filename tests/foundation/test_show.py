"""``vpp show``: a readable summary of the bundled fixture, as a new user first sees it."""

from __future__ import annotations

import pytest

from vpp_core.cli.main import main


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
