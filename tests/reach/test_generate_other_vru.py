"""Campaign records generated for a VRU other than Thames Valley name only its own areas."""

from __future__ import annotations

from pathlib import Path

import pytest
from vpp_plugins.reach.generate import Options, generate_campaign

from vpp_core.cli.main import main
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.records.manifest import record_sources

ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"
TV = ESSEX.parents[1] / "thames-valley-2024-25" / "strategy.toml"


def test_essex_campaign_records_name_essex_areas_only(tmp_path: Path) -> None:
    strategy = load_strategy(ESSEX)
    generate_campaign(strategy, tmp_path, Options(exposures=400))
    ours = {partnership.id for partnership in strategy.local_partnerships}
    for source in record_sources(tmp_path):
        text = source.path.read_text(encoding="utf-8")
        for thames_valley in ("reading", "oxfordshire", "slough", "Thames Valley"):
            assert thames_valley not in text, (source.path.name, thames_valley)
    exposures = (tmp_path / "exposures.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert {line.rsplit(",", 1)[1] for line in exposures} <= ours


def test_a_vru_with_one_area_gets_its_campaign_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One local partnership (as `vpp new-strategy` writes): every row in that area, where
    a one-area VRU got an internal error."""
    monkeypatch.chdir(tmp_path)
    assert main(["new-strategy", "strategy.toml"]) == 0
    assert main(["generate-campaign", "campaign", "--exposures", "300"]) == 0
    assert "exposures: 301 rows" in capsys.readouterr().out  # with one malformed row
    exposures = (tmp_path / "campaign" / "exposures.csv").read_text(encoding="utf-8")
    assert {line.rsplit(",", 1)[1] for line in exposures.splitlines()[1:]} == {"area-one"}


def test_an_area_id_or_folder_with_a_quote_is_data_never_sql(tmp_path: Path) -> None:
    """A local partnership id is written into the records as it is: a quote in it (or in
    the folder's name) never ends a SQL string, so it can neither fail the run nor run SQL."""
    text = ESSEX.read_text(encoding="utf-8")
    first = load_strategy(ESSEX).local_partnerships[0].id
    hostile = "o'brien'||(SELECT version())||'"
    path = tmp_path / "strategy.toml"
    path.write_text(text.replace(f'"{first}"', f'"{hostile}"'), encoding="utf-8")
    strategy = load_strategy(path)
    folder = tmp_path / "it's here"
    folder.mkdir()
    generate_campaign(strategy, folder, Options(exposures=400))
    exposures = (folder / "exposures.csv").read_text(encoding="utf-8").splitlines()[1:]
    areas = {line.rsplit(",", 1)[1] for line in exposures}
    assert areas <= {partnership.id for partnership in strategy.local_partnerships}
    assert hostile in areas


def _population(folder: Path) -> dict[tuple[str, str], int]:
    lines = (folder / "population.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {(area, band): int(people) for area, band, people, _ in
            (line.split(",", 3) for line in lines)}


def test_the_population_is_written_by_the_strategy_s_own_age_bands(tmp_path: Path) -> None:
    # Essex's people cohorts redrawn as 10 to 15 and 16 to 24: the population table has
    # those two bands in each area, and the same people in all (rounded down).
    text = ESSEX.read_text(encoding="utf-8")
    path = tmp_path / "strategy.toml"
    path.write_text(text.replace("max_age = 17", "max_age = 15")
                    .replace("min_age = 18", "min_age = 16"), encoding="utf-8")
    strategy = load_strategy(path)
    generate_campaign(strategy, tmp_path / "out", Options(exposures=300))
    population = _population(tmp_path / "out")
    areas = [partnership.id for partnership in strategy.local_partnerships]
    assert set(population) == {(area, band) for area in areas for band in ("10-15", "16-24")}
    # 20,000 aged 10-17 and 15,000 aged 18-24: 6/8 of the first; 2/8 of it and the second.
    assert population[(areas[0], "10-15")] == 15_000
    assert population[(areas[0], "16-24")] == 5_000 + 15_000


def test_thames_valley_s_population_keeps_its_bands_of_10_17_and_18_24(tmp_path: Path) -> None:
    # Its cohorts (24 and under, 25 and over) are open-ended: the illustrative figures for
    # 10-17 and 18-24 are written as they are.
    generate_campaign(load_strategy(TV), tmp_path, Options(exposures=300))
    population = _population(tmp_path)
    assert {band for _, band in population} == {"10-17", "18-24"}
    assert population[("reading", "10-17")] == 15_500
    assert population[("reading", "18-24")] == 19_000
    assert len(population) == 18
