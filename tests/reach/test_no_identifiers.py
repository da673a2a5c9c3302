"""No person or device id from the input appears in any output: table, audit, errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from vpp_plugins.reach.generate import Options, generate_campaign

from vpp_core.cli.main import main
from vpp_core.model import Strategy


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, strategy: Strategy) -> Path:
    folder = tmp_path_factory.mktemp("campaign")
    generate_campaign(strategy, folder, Options(seed=11, exposures=600))
    return folder


def identifiers(folder: Path) -> set[str]:
    found = set()
    for name, column in (("exposures.csv", "device_id"), ("training.csv", "attendee_id")):
        with (folder / name).open(encoding="utf-8") as handle:
            found |= {row[column] for row in csv.DictReader(handle) if row[column]}
    return found


@pytest.mark.parametrize("argv", [
    ["reach", "--example", "--format", "text"],
    ["reach", "--example", "--format", "json"],
    ["reach", "--example", "--format", "csv"],
    ["reach", "--example", "--format", "text", "--published"],
    ["audit", "--example", "--select", "REACH", "--format", "text", "--verbose"],
    ["audit", "--example", "--select", "REACH", "--format", "json"],
])
def test_no_id_in_any_output(generated: Path, capsys: pytest.CaptureFixture[str],
                             argv: list[str]) -> None:
    ids = identifiers(generated)
    assert len(ids) > 500  # the test has something to find
    main([*argv, "--records", str(generated)])
    out, err = capsys.readouterr()
    assert "all channels" in out or "REACH001" in out
    leaked = sorted(i for i in ids if i in out or i in err)
    assert leaked == []
