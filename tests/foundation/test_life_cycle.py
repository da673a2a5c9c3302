"""A strategy states its own evaluation life cycle; without one, Gate 1 to results apply."""

from __future__ import annotations

from typing import Any

import pytest

from vpp_core import Gate, StrategyError, load_strategy
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.testing.cases import strategy_with

ESSEX = bundled_strategy("essex-2024-25")
STAGES = [
    {"id": "planned", "label": "planned"},
    {"id": "commissioned", "label": "commissioned"},
    {"id": "fieldwork", "label": "fieldwork", "trial_under_way": True},
    {"id": "reporting", "label": "reporting"},
    {"id": "published", "label": "published"},
]
GATES = {"focused-deterrence": "fieldwork", "mentoring": "commissioned",
         "a-and-e-navigators": "planned", "sport": "planned",
         "knife-crime-education": "not-on-life-cycle"}


def _stated(stages: list[dict[str, Any]], gates: dict[str, str] = GATES) -> dict[str, Any]:
    return {"evaluation_life_cycle": {"stages": stages},
            "interventions": {item: {"evaluation": {"gate": gate}}
                              for item, gate in gates.items()}}


def _problems(overrides: dict[str, Any]) -> tuple[str, ...]:
    with pytest.raises(StrategyError) as caught:
        strategy_with(overrides, base=ESSEX)
    return tuple(line.removeprefix(f"{ESSEX}: ") for line in caught.value.problems)


def test_a_strategy_without_the_table_has_gate_1_to_results() -> None:
    life_cycle = load_strategy(ESSEX).life_cycle
    assert life_cycle.ids == ("not-on-life-cycle", "gate-1", "passed-gate-1", "passed-gate-2",
                              "passed-gate-3", "results")
    assert life_cycle.label("passed-gate-2") == "passed Gate 2 (feasible research project)"
    assert life_cycle.trial_stage is not None
    assert life_cycle.trial_stage.id == "passed-gate-3"


def test_thames_valley_states_the_same_stages_it_used_to_have_built_in() -> None:
    stated = load_strategy(bundled_strategy()).evaluation_life_cycle
    assert stated is not None
    assert stated == load_strategy(ESSEX).life_cycle


def test_a_vrus_own_stages_have_their_order_and_labels() -> None:
    strategy = strategy_with(_stated(STAGES), base=ESSEX)
    life_cycle = strategy.life_cycle
    assert [life_cycle.order(stage) for stage in ("planned", "fieldwork", "published")] == [
        0, 2, 4]
    assert life_cycle.order("not-on-life-cycle") is None
    assert life_cycle.label("not-on-life-cycle") == "not on the life cycle"
    evaluation = strategy.intervention("mentoring").evaluation
    assert evaluation is not None
    assert evaluation.gate == "commissioned"


def test_a_stage_of_the_default_life_cycle_is_still_a_gate() -> None:
    # Plugins written against Gate keep comparing by identity.
    evaluation = load_strategy(ESSEX).intervention("focused-deterrence").evaluation
    assert evaluation is not None
    assert evaluation.gate is Gate.PASSED_GATE_3


def test_an_unknown_stage_is_one_located_line_exiting_2(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ESSEX.read_text(encoding="utf-8").replace('gate = "gate-1", design = "scoping"',
                                                     'gate = "fieldwork", design = "scoping"')
    path = tmp_path / "strategy.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["show", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {path}: interventions[4].evaluation.gate: unknown stage 'fieldwork' (stages: "
        "not-on-life-cycle, gate-1, passed-gate-1, passed-gate-2, passed-gate-3, results)\n")


def test_a_gate_of_the_default_life_cycle_is_unknown_on_a_vrus_own() -> None:
    gates = {**GATES, "sport": "gate-1"}
    assert _problems(_stated(STAGES, gates)) == (
        "interventions[3].evaluation.gate: unknown stage 'gate-1' (stages: not-on-life-cycle, "
        "planned, commissioned, fieldwork, reporting, published)",)


def test_stages_are_unique_named_and_at_most_one_marked_for_a_trial() -> None:
    stages = [*STAGES, {"id": "planned", "label": "again", "trial_under_way": True},
              {"id": "not-on-life-cycle", "label": "off"}]
    assert _problems(_stated(stages)) == (
        "evaluation_life_cycle.stages[5].id: duplicate id 'planned'",
        "evaluation_life_cycle.stages[5].trial_under_way: a second stage marked (the first is "
        "evaluation_life_cycle.stages[2]); mark one",
        "evaluation_life_cycle.stages[6].id: 'not-on-life-cycle' is the choice off the life "
        "cycle, not a stage",
    )


def test_a_stated_life_cycle_has_stages() -> None:
    gates = dict.fromkeys(GATES, "not-on-life-cycle")
    assert _problems(_stated([], gates)) == (
        "evaluation_life_cycle.stages: no stages (state them in order, first to last)",)
