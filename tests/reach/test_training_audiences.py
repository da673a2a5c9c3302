"""A strategy states its own training audiences: the campaign-training records are checked
against them (ids or labels, loosely), and the figures name each by its label."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from vpp_plugins.reach.load import load_campaign

from tests.reach.conftest import campaign_sources, metric_specs
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.model import Strategy, TrainingAudience
from vpp_core.plugin_api.context import CheckContext

TRAINING = [
    ("a1", "Youth Workers", "2024-05-01"),  # a label, spelt loosely: counted as youth-workers
    ("a2", "teachers", "2024-06-01"),
    ("a3", "parent", "2024-06-02"),  # one of the default four, which this strategy does not train
]


@pytest.fixture
def other_vru(strategy: Strategy) -> Strategy:
    assert strategy.campaign is not None
    audiences = (TrainingAudience("teachers", "Teachers"),
                 TrainingAudience("youth-workers", "Youth workers"))
    return attrs.evolve(strategy, campaign=attrs.evolve(strategy.campaign, audiences=audiences))


def test_a_strategys_own_audiences_are_counted_and_an_unknown_one_left_out(
        tmp_path: Path, other_vru: Strategy) -> None:
    loaded = load_campaign(other_vru, campaign_sources(tmp_path, training=TRAINING))
    table = loaded.tables["campaign-training"]
    assert (table.rows_read, table.rows_used) == (3, 2)
    (rejected,) = table.rejected
    assert (rejected.file.endswith("training.csv"), rejected.row) == (True, 4)
    assert rejected.reason == 'unknown "audience"'

    ctx = CheckContext(other_vru, metric_specs(), tuple(campaign_sources(tmp_path,
                                                                          training=TRAINING)),
                       params={}, code="REACH900")
    every = ctx.metric("campaign-training-attendees:all")
    assert every.value == Decimal(2)
    assert [(part.label, part.value) for part in every.parts] == [
        ("Teachers", Decimal(1)), ("Youth workers", Decimal(1))]
    assert ctx.metric("campaign-training-attendees:Youth Workers").value == Decimal(1)
    assert ctx.metric("campaign-training-attendees:teachers").value == Decimal(1)


def test_without_audiences_of_its_own_a_strategy_trains_the_default_four(
        tmp_path: Path, strategy: Strategy) -> None:
    # Thames Valley states none: young-person, parent, practitioner and professional, as before.
    loaded = load_campaign(strategy, campaign_sources(tmp_path, training=TRAINING))
    table = loaded.tables["campaign-training"]
    assert (table.rows_read, table.rows_used) == (3, 1)
    ctx = CheckContext(strategy, metric_specs(), tuple(campaign_sources(tmp_path,
                                                                         training=TRAINING)),
                       params={}, code="REACH900")
    every = ctx.metric("campaign-training-attendees:all")
    assert [(part.label, part.value) for part in every.parts] == [
        ("young-person", Decimal(0)), ("parent", Decimal(1)), ("practitioner", Decimal(0)),
        ("professional", Decimal(0))]


def _strategy_and_records(tmp_path: Path, audiences: str) -> tuple[Path, Path]:
    """Thames Valley's strategy stating ``audiences = [...]``, and a folder of training
    records with its manifest."""
    text = bundled_strategy().read_text(encoding="utf-8").replace(
        'budget_line = "stay-true-to-you"\n',
        f'budget_line = "stay-true-to-you"\naudiences = [{audiences}]\n', 1)
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(text, encoding="utf-8")
    folder = tmp_path / "records"
    folder.mkdir()
    (source,) = campaign_sources(folder, training=TRAINING)
    (folder / "records.toml").write_text(
        f'[[sources]]\nkind = "campaign-training"\npath = "{source.path.name}"\n',
        encoding="utf-8")
    return strategy, folder


def test_vpp_reach_names_a_strategys_own_audiences_and_locates_the_row_left_out(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    strategy, folder = _strategy_and_records(
        tmp_path, '{ id = "teachers", label = "Teachers" }, '
                  '{ id = "youth-workers", label = "Youth workers" }')
    code = main(["reach", str(strategy), "--records", str(folder), "--format", "json"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["sections"]["training"] == [{"audience": "Teachers", "attendees": 1},
                                            {"audience": "Youth workers", "attendees": 1}]
    (note,) = [note for note in data["notes"] if note.startswith("campaign-training:")]
    assert note.startswith('campaign-training: 1 of 3 rows left out: ')
    assert 'training.csv: unknown "audience" (1: row 4)' in note
    # 1 row of 3 is more than the reach pack's 5% (REACH009): exit 1, said on its own line
    assert code == 1 and "training.csv: 1 of 3 rows left out" in err


def test_two_audiences_with_one_id_are_refused_at_their_field(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    strategy, _ = _strategy_and_records(
        tmp_path, '{ id = "teachers", label = "Teachers" }, '
                  '{ id = "teachers", label = "Teaching staff" }')
    assert main(["reach", str(strategy)]) == 2
    assert "campaign.audiences[1].id: duplicate id 'teachers'" in capsys.readouterr().err


def test_a_hostile_label_is_made_safe_in_text_and_csv(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    strategy, folder = _strategy_and_records(
        tmp_path, '{ id = "teachers", label = "=HYPERLINK(\\"http://x\\")" }, '
                  '{ id = "youth-workers", label = "Youth \\u001b[31mworkers" }')
    main(["reach", str(strategy), "--records", str(folder), "--format", "csv"])
    out = capsys.readouterr().out
    assert 'training,"\'=HYPERLINK(""http://x"")",attendees,1,people' in out  # never a formula
    main(["reach", str(strategy), "--records", str(folder)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Youth workers" in out
