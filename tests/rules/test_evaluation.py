"""The evaluation life-cycle family (EVAL): a failing and a passing case for every rule."""

from __future__ import annotations

from decimal import Decimal

from tests.rules.conftest import ESSEX, NON_COMPLIANT, Run, only, statuses, variant
from vpp_core.model import Strategy
from vpp_core.plugin_api.results import Status

FUNDED = ("hospital-navigators", "school-navigators", "custody-coaches", "focussed-deterrence",
          "sports-and-inclusion", "op-paramount", "stay-true-to-you", "mash", "send",
          "blue-light-mentoring")


def test_eval001_focussed_deterrence_has_no_gate(run: Run) -> None:
    results = run("EVAL001")
    # The ten funded interventions (Speech & Language Therapy has no budget line); the
    # document's gate column is empty for Focussed Deterrence only.
    assert statuses(results) == {
        f"intervention:{item}": Status.FAIL if item == "focussed-deterrence" else Status.PASS
        for item in FUNDED
    }
    assert "gate column is empty" in only(results, "intervention:focussed-deterrence").message


def test_eval001_fails_a_funded_intervention_without_evaluation(run: Run) -> None:
    assert statuses(run("EVAL001", NON_COMPLIANT))["intervention:youth-club"] is Status.FAIL


def test_eval002_thames_valley_gates_agree_with_designs(run: Run) -> None:
    found = statuses(run("EVAL002"))
    assert found.pop("intervention:focussed-deterrence") is Status.NOT_APPLICABLE
    assert len(found) == 10  # the other nine funded plus Speech & Language Therapy
    assert set(found.values()) == {Status.PASS}


def test_eval002_fails_a_running_trial_at_gate_1(run: Run) -> None:
    strategy = variant({"interventions": {"school-navigators": {"evaluation": {
        "gate": "gate-1"}}}})
    result = only(run("EVAL002", strategy), "intervention:school-navigators")
    assert result.status is Status.FAIL
    assert "under way since 2 October 2023" in result.message


def test_eval002_fails_rct_in_progress_for_another_design(run: Run) -> None:
    strategy = variant({"interventions": {"mash": {"evaluation": {"gate": "passed-gate-3"}}}})
    result = only(run("EVAL002", strategy), "intervention:mash")
    assert result.status is Status.FAIL
    assert "design of scoping" in result.message


def test_eval003_focussed_deterrence_has_no_end_nor_reason(run: Run) -> None:
    assert statuses(run("EVAL003")) == {
        "intervention:school-navigators": Status.PASS,  # projected end 31 July 2024
        "intervention:custody-coaches": Status.PASS,  # "No trial end-date yet set"
        "intervention:speech-and-language-therapy": Status.PASS,  # ends October 2024
        "intervention:focussed-deterrence": Status.FAIL,
    }


def test_eval003_fails_a_trial_without_a_start(run: Run) -> None:
    result = only(run("EVAL003", NON_COMPLIANT), "intervention:knife-talks")
    assert result.status is Status.FAIL
    assert "no start date" in result.message


def test_eval004_school_navigators_trial_runs_303_days(run: Run) -> None:
    results = run("EVAL004")
    school = only(results, "intervention:school-navigators")
    # 2 October 2023 → 31 July 2024: 29+30+31+31+29+31+30+31+30+31 = 303 days
    assert school.status is Status.PASS
    assert school.evidence.measured.value == Decimal(303)
    assert {str(r.subject) for r in results if r.status is Status.NOT_APPLICABLE} == {
        "intervention:custody-coaches", "intervention:focussed-deterrence"}


def test_eval004_applies_to_speech_and_language_therapys_projected_end(run: Run) -> None:
    # "commenced 2 October 2023" … "Projected trial end October 2024", a month only, so its
    # last day: 2 October 2023 → 2 October 2024 is 366 days (February 2024 has 29), +29 = 395
    result = only(run("EVAL004"), "intervention:speech-and-language-therapy")
    assert result.status is Status.PASS
    assert result.evidence.measured.value == Decimal(395)
    assert "projected to end 31 October 2024" in result.message


def test_eval004_fails_an_end_before_the_start(run: Run) -> None:
    result = only(run("EVAL004", NON_COMPLIANT), "intervention:prison-visits")
    # 1 February 2024 → 1 January 2024: −31 days
    assert result.status is Status.FAIL
    assert result.evidence.measured.value == Decimal(-31)


# A VRU that states its own life cycle (scoping → feasibility → pilot → efficacy trial →
# published, a trial under way being at the efficacy-trial stage): Essex's five
# interventions placed on it.
OWN_STAGES = {"stages": [
    {"id": "scoping", "label": "scoping"},
    {"id": "feasibility", "label": "feasibility study"},
    {"id": "pilot", "label": "pilot"},
    {"id": "efficacy-trial", "label": "efficacy trial", "trial_under_way": True},
    {"id": "published", "label": "findings published"},
]}
ESSEX_GATES = {"focused-deterrence": "efficacy-trial", "mentoring": "pilot",
               "a-and-e-navigators": "feasibility", "sport": "scoping",
               "knife-crime-education": "scoping"}


def _own_stages(**gates: str | None) -> Strategy:
    chosen = {**ESSEX_GATES, **{item.replace("_", "-"): gate for item, gate in gates.items()}}
    return variant({"evaluation_life_cycle": OWN_STAGES, "interventions": {
        item: {"evaluation": {"gate": gate}} for item, gate in chosen.items()}}, base=ESSEX)


def test_eval001_names_a_vrus_own_stage(run: Run) -> None:
    results = run("EVAL001", _own_stages())
    assert set(statuses(results).values()) == {Status.PASS}
    assert only(results, "intervention:focused-deterrence").message.endswith(": efficacy trial")
    assert only(results, "intervention:a-and-e-navigators").message.endswith(
        ": feasibility study")


def test_eval001_fails_an_intervention_off_a_vrus_own_stages(run: Run) -> None:
    result = only(run("EVAL001", _own_stages(sport=None)), "intervention:sport")
    assert result.status is Status.FAIL
    assert "records no place on the research life cycle" in result.message


def test_eval002_passes_a_trial_at_the_stage_a_vru_marks_for_it(run: Run) -> None:
    results = run("EVAL002", _own_stages())
    assert set(statuses(results).values()) == {Status.PASS}
    assert only(results, "intervention:focused-deterrence").message == (
        "Focused deterrence: efficacy trial, design randomised-controlled-trial: consistent")


def test_eval002_fails_a_trial_under_way_before_a_vrus_marked_stage(run: Run) -> None:
    result = only(run("EVAL002", _own_stages(focused_deterrence="pilot")),
                  "intervention:focused-deterrence")
    assert result.status is Status.FAIL
    assert result.message.endswith(
        "is recorded at pilot; a trial in progress has reached efficacy trial")


def test_eval002_fails_a_later_stage_of_a_vrus_own_for_another_design(run: Run) -> None:
    result = only(run("EVAL002", _own_stages(mentoring="published")), "intervention:mentoring")
    assert result.status is Status.FAIL
    assert result.message == ("Mentoring: findings published, design process-evaluation: "
                              "findings published is recorded for a design of process-evaluation")


def test_eval002_is_not_applicable_when_no_stage_is_marked_for_a_trial(run: Run) -> None:
    unmarked = {"stages": [{**stage, "trial_under_way": False} for stage in OWN_STAGES["stages"]]}
    strategy = variant({"evaluation_life_cycle": unmarked, "interventions": {
        item: {"evaluation": {"gate": gate}} for item, gate in ESSEX_GATES.items()}}, base=ESSEX)
    assert set(statuses(run("EVAL002", strategy)).values()) == {Status.NOT_APPLICABLE}
