"""Records that end before every target's window begins (last year's file, say) are said
to be so: a table of "not started" lines with nothing counted is never left unexplained."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core.cli.main import main


def test_records_ending_before_the_windows_are_named_as_such(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "participants.csv"
    path.write_text("person_id,intervention,event_date,age_at_event,event_type\n"
                    "A1,hospital-navigators,2023-05-01,20,start\n", encoding="utf-8")
    assert main(["targets", "--example", "--records", f"participants={path}"]) == 0
    second = capsys.readouterr().out.splitlines()[1]
    assert second.startswith(
        "As of 2023-05-01 (the last day the records cover, before any target's window begins "
        "on 2024-04-01: no row of theirs can count).")
