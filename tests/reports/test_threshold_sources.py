"""Every threshold a result is judged against says which pack, version, rule, parameter and
year it came from, also when the check turns the parameter into another figure (a share of
the grant into pounds) or names it in other words (the share of rows left out)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.spend.conftest import profiled, write
from vpp_core import Status, audit
from vpp_core.cli.main import main

LOCAL = """[pack]
name = "north-local"
version = "2025.1"
prefix = "NTH"
extends = ["default"]

[[overrides]]
code = "FUND001"
parameters = { threshold = { "2025-26" = "0.30" } }

[[overrides]]
code = "FUND002"
parameters = { threshold = { "2025-26" = "0.10" } }

[[overrides]]
code = "FUND003"
parameters = { share = { "2025-26" = "0.25" } }
"""


def _fund003_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    strategy = tmp_path / "strategy.toml"
    assert main(["new-strategy", str(strategy), "--year", "2025-26"]) == 0
    pack = write(tmp_path, "local.toml", LOCAL)
    findings = tmp_path / "findings.csv"
    assert main(["audit", str(strategy), "--pack", str(pack), "-q",
                 "--output", f"csv:{findings}"]) == 1
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    [row] = [row for row in rows if row["code"] == "FUND003"]
    return row


def test_the_match_funding_required_names_the_local_pack_that_set_the_share(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = _fund003_row(tmp_path, capsys)
    assert row["status"] == "fail"
    assert row["threshold_value"] == "250000.00"  # 25% of the skeleton's £1m core grant
    assert row["threshold_source"] == "pack north-local 2025.1: FUND003 share (2025-26)"


def test_the_share_of_spend_rows_left_out_names_the_pack_that_allows_it(
        tmp_path: Path) -> None:
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/04/2024,core-2024-25,programme-team,1.000.000,cash\n"
                  "31/05/2024,core-2024-25,programme-team,2000,cash\n")
    report = audit(profiled(tmp_path, "programme-team", 100000), packs=["in-year-spend"],
                   records=[f"spend={spend}"])
    [result] = [r for r in report.results if r.code == "SPEND010"]
    assert result.status is Status.FAIL
    threshold = result.evidence.threshold
    assert threshold is not None
    assert str(threshold.value) == "0.05"
    assert threshold.source == "pack in-year-spend 2024.1: SPEND010 maximum_share_left_out"


def test_the_forecast_tolerance_names_the_pack_and_the_allocation_its_basis(
        tmp_path: Path) -> None:
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,100000,cash\n")
    report = audit(profiled(tmp_path, "programme-team", 100000), packs=["in-year-spend"],
                   records=[f"spend={spend}"])
    [result] = [r for r in report.results if r.code == "SPEND002"]
    threshold = result.evidence.threshold
    assert threshold is not None
    assert threshold.source == "pack in-year-spend 2024.1: SPEND002 tolerance (2024-25)"
    [allocation] = [part for part in result.evidence.parts if part.label == "allocation"]
    assert allocation.source == "the grant (£1.51m)"


def test_the_match_funding_evidenced_names_the_pack_that_set_the_share(
        tmp_path: Path) -> None:
    spend = write(tmp_path, "ledger.csv", "date,grant,line,amount,type\n"
                  "30/06/2024,core-2024-25,programme-team,100000,cash\n")
    match = write(tmp_path, "match.csv", "grant,partner,type,amount,fte,annual_cost,start,end,"
                  "evidence\ncore-2024-25,OPCC,cash,1000,,,2024-04-01,2025-03-31,Notice 1\n")
    report = audit(profiled(tmp_path, "programme-team", 100000), packs=["in-year-spend"],
                   records=[f"spend={spend}", f"match-funding={match}"])
    [result] = [r for r in report.results if r.code == "SPEND006"]
    threshold, grant = result.evidence.threshold, result.evidence.denominator
    assert threshold is not None and grant is not None
    assert (threshold.value, threshold.source) == (
        Decimal(302000), "pack in-year-spend 2024.1: SPEND006 share (2024-25)")
    assert (grant.value, grant.source) == (Decimal(1510000), "grants[2].amount")
