"""Campaign records generated for a VRU other than Thames Valley name only its own areas."""

from __future__ import annotations

from pathlib import Path

import pytest
from vpp_plugins.reach.generate import Options, generate_campaign

from vpp_core.cli.main import main
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.records.manifest import record_sources

ESSEX = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"


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
