"""The seeded spend generator: a ledger whose true year-end is known, and the forecasts
made part-way through the year from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from vpp_plugins.spend.figures import YearSpend
from vpp_plugins.spend.ledger import read_spend_records

from vpp_core import RecordSource, Strategy
from vpp_core.cli.main import main

TRUE_YEAR_END = Decimal("1497500")  # the Thames Valley budget lines with an amount


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("generated")
    ledger, profile = folder / "spend.parquet", folder / "profile.csv"
    assert main(["generate-spend", str(ledger), "--rows", "20000", "--seed", "7",
                 "--profile", str(profile)]) == 0
    return ledger, profile


def _grant(strategy: Strategy, files: tuple[Path, Path], as_of: date) -> YearSpend:
    """The generated ledger against the generated flat profile (as records, in place of the
    strategy's own)."""
    ledger, profile = files
    strategy = attrs.evolve(strategy, spend_profile=())
    records = read_spend_records(strategy, [RecordSource("spend", ledger),
                                            RecordSource("spend-profile", profile)])
    table = records.account("spend")
    assert table is not None and table.rows_used == 20000
    return YearSpend.of(strategy, records, as_of)


def test_the_whole_year_adds_up_to_the_budget_exactly(
        thames_valley: Strategy, generated: tuple[Path, Path]) -> None:
    (grant,) = _grant(thames_valley, generated, date(2025, 3, 31)).grants()
    assert grant.actual == TRUE_YEAR_END
    assert grant.forecast_profile == grant.forecast_run_rate == TRUE_YEAR_END


@pytest.mark.parametrize("as_of", [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31)])
def test_both_forecasts_part_way_through_are_near_the_true_year_end(
        thames_valley: Strategy, generated: tuple[Path, Path], as_of: date) -> None:
    (grant,) = _grant(thames_valley, generated, as_of).grants()
    for forecast in (grant.forecast_profile, grant.forecast_run_rate):
        assert abs(forecast - TRUE_YEAR_END) / TRUE_YEAR_END < Decimal("0.01")
    assert grant.underspend(grant.forecast_run_rate) == \
        Decimal("1510000") - grant.forecast_run_rate


def test_the_same_seed_gives_the_same_ledger(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["generate-spend", str(first), "--rows", "1000", "--seed", "3"]) == 0
    assert main(["generate-spend", str(second), "--rows", "1000", "--seed", "3"]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text().splitlines()) == 1001


def test_rows_outside_the_range_are_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate-spend", str(tmp_path / "x.csv"), "--rows", "999"]) == 2
    assert "--rows must be 1,000 to 10,000,000" in capsys.readouterr().err
