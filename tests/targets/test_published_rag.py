"""A published targets table never lets a suppressed count be worked back from its RAG or
status: they are shown only when every count the suppression stands for gives the same."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from vpp_core.cli.main import main


def published_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                   *extra: str) -> dict[str, dict[str, str]]:
    path = tmp_path / "participants.csv"
    path.write_text("person_id,intervention,event_date,age_at_event,event_type\n"
                    "A1,hospital-navigators,2024-04-05,20,start\n"
                    "A2,hospital-navigators,2024-04-05,30,start\n", encoding="utf-8")
    assert main(["targets", "--example", "--records", f"participants={path}",
                 "--as-of", "2024-04-10", "--format", "csv", *extra]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {row["cohort"]: row for row in rows if row["intervention"] == "hospital-navigators"}


def test_a_rag_that_would_tell_a_suppressed_count_is_hidden(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # 25 and over: target 75, 10 of 365 days gone, 2.05 expected: red means fewer than 1.54
    # (that is, 1), amber or green 2 or more; 24 and under: 8.2 expected, red for 1 to 4
    internal = published_rows(tmp_path, capsys)
    assert [(row["reached"], row["rag"], row["status"]) for row in internal.values()] == [
        ("1", "red", "behind"), ("1", "red", "behind")]
    published = published_rows(tmp_path, capsys, "--published")
    assert [(row["reached"], row["rag"], row["status"]) for row in published.values()] == [
        ("<5", "red", "behind"), ("<5", "*", "*")]
