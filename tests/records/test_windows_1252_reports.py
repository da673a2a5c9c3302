"""Every command that accounts for records files says which it read as Windows-1252, and
counts such a file exactly as its UTF-8 twin: `vpp targets`, `vpp reach`, `vpp violence`,
`vpp return` and `vpp audit`, in text and JSON."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.violence.conftest import INCIDENTS
from vpp_core.cli.main import main

FIXTURE = Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25"
STRATEGY = str(FIXTURE / "strategy.toml")
NOTE = "read as Windows-1252 (not UTF-8)"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _ = capsys.readouterr()
    return code, out


def twins(tmp_path: Path, folder: str, name: str, edit: Callable[[str], str]) -> tuple[Path, Path]:
    """The fixture's ``folder`` twice, its file ``name`` edited to hold text beyond ASCII:
    saved as Windows-1252 in one, UTF-8 in the other."""
    made = []
    for encoding in ("cp1252", "utf-8"):
        copy = tmp_path / encoding.replace("-", "")
        shutil.copytree(FIXTURE / folder, copy)
        text = edit((copy / name).read_text(encoding="utf-8"))
        assert not text.isascii()
        (copy / name).write_bytes(text.encode(encoding))
        made.append(copy)
    return made[0], made[1]


def without_note(out: str, folder: Path) -> str:
    """``out`` with the folder read as ``DIR``, nothing naming the encoding, and its words
    alone (a longer message wraps otherwise)."""
    said = re.escape(NOTE)
    out = re.sub(f"; {said}", "", " ".join(out.replace(str(folder), "DIR").split()))
    return " ".join(re.sub(f"(- )?([\\w-]+: )?([^\\s>]+: )?{said}\\.?(; )?", "", out).split())


def compare(capsys: pytest.CaptureFixture[str], windows: Path, utf8: Path,
            argv: Callable[[Path], list[str]], code: int = 0) -> tuple[str, str]:
    """The text of a command over both twins: the same but for the line naming the file
    read as Windows-1252."""
    found, out = run(capsys, *argv(windows))
    assert found == code
    found, twin = run(capsys, *argv(utf8))
    assert found == code
    assert NOTE not in twin
    assert without_note(out, windows) == without_note(twin, utf8)
    return out, twin


def json_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    return json.loads(run(capsys, *argv, "--format", "json")[1])


def person_ids(text: str) -> str:  # an apostrophe in each id: every count depends on it
    return text.replace("\nTV", "\nTV’")


def test_targets(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    windows, utf8 = twins(tmp_path, "records", "participants.csv", person_ids)
    out, _ = compare(capsys, windows, utf8,
                     lambda folder: ["targets", STRATEGY, "--records", str(folder)])
    assert re.search(r"^  \S*participants.csv: read as Windows-1252 \(not UTF-8\)$", out,
                     re.MULTILINE)
    assert "not UTF-8: save the file" not in out
    data = json_of(capsys, ["targets", STRATEGY, "--records", str(windows)])
    assert [file["read_as"] for file in data["files"]] == [
        f"{windows / 'participants.csv'}: {NOTE}", ""]
    assert json_of(capsys, ["targets", STRATEGY, "--records", str(utf8)])["lines"] == data[
        "lines"]


def test_reach(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    windows, utf8 = twins(tmp_path, "campaign", "population.csv", lambda text: text.replace(
        "illustrative: rounded", "illustrative – King’s Fund, £ rounded"))
    out, _ = compare(capsys, windows, utf8,
                     lambda folder: ["reach", STRATEGY, "--records", str(folder)])
    assert "King’s Fund, £ rounded" in out
    assert f"population: {windows / 'population.csv'}: {NOTE}." in out
    data = json_of(capsys, ["reach", STRATEGY, "--records", str(windows)])
    assert f"population: {windows / 'population.csv'}: {NOTE}." in data["notes"]


def test_violence(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for encoding, folder in (("cp1252", tmp_path / "cp1252"), ("utf-8", tmp_path / "utf8")):
        folder.mkdir()
        (folder / "incidents.csv").write_bytes(
            INCIDENTS.replace("Reading", "King’s Lynn").encode(encoding))

    def argv(folder: Path) -> list[str]:
        return ["violence", "--records", f"police-incidents={folder / 'incidents.csv'}",
                "--definition", "thames-valley", "--by", "year"]

    out, _ = compare(capsys, tmp_path / "cp1252", tmp_path / "utf8", argv)
    assert re.search(r"^King’s Lynn +2 +2 +2 +1 +6$", out, re.MULTILINE)
    assert "Rows: 11 read, 10 used, 1 left out." in out
    assert f"Note: {tmp_path / 'cp1252' / 'incidents.csv'}: {NOTE}" in out
    data = json_of(capsys, argv(tmp_path / "cp1252"))
    assert f"{tmp_path / 'cp1252' / 'incidents.csv'}: {NOTE}" in data["notes"]


def pounds(text: str) -> str:  # every amount as Excel writes money: "£32,500.00"
    return re.sub(r",(\d+)(\d{3})\.(\d\d),", r',"£\1,\2.\3",', text).replace(
        "Thames Valley OPCC", "Thames Valley OPCC – Barnardo’s")


def test_return(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    windows, utf8 = twins(tmp_path, "spend", "spend.csv", pounds)
    out, _ = compare(capsys, windows, utf8, lambda folder: [
        "return", STRATEGY, "--quarter", "2024-25-Q3", "--records", str(folder)])
    assert f"{windows / 'spend.csv'}: {NOTE}" in out
    data = json_of(capsys, ["return", STRATEGY, "--quarter", "2024-25-Q3", "--records",
                            str(windows)])
    spend = next(row for row in data["records"] if row["kind"] == "spend")
    assert spend["left_out"][0] == f"{windows / 'spend.csv'}: {NOTE}"


def test_audit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    windows, utf8 = twins(tmp_path, "records", "participants.csv", person_ids)
    out, _ = compare(capsys, windows, utf8, lambda folder: [
        "audit", STRATEGY, "--records", str(folder), "-v"], code=1)
    said = (f"participants file {windows / 'participants.csv'}: 4,994 of 5,000 rows usable, "
            f"6 left out (0.12%): usable; {NOTE}")
    assert said in " ".join(out.split())
    data = json_of(capsys, ["audit", STRATEGY, "--records", str(windows)])
    messages = [result["message"] for strategy in data["strategies"]
                for result in strategy["results"] if result["code"] == "TGT004"]
    assert [message for message in messages if NOTE in message] == [said]
