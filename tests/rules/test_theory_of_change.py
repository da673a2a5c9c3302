"""The Theory of Change family (TOC): a failing and a passing case for every rule."""

from __future__ import annotations

from vpp_plugins import theory_of_change

from tests.rules.conftest import NON_COMPLIANT, THAMES_VALLEY, Run, only, statuses, variant
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model.toc import build_graph
from vpp_core.plugin_api.context import CheckContext
from vpp_core.plugin_api.results import Status


def test_toc001_thames_valley_is_acyclic(run: Run) -> None:
    result = only(run("TOC001"))
    # 5 inputs + 5 strands + 11 interventions + 5 outcomes + 5 measures + the impact = 32
    assert result.status is Status.PASS
    assert "32 nodes" in result.message


def test_toc001_fails_a_graph_with_a_feedback_loop() -> None:
    # The model's graph runs one way by construction, so a cycle is made by adding a
    # feedback link (evidence base → evaluation strand) to the graph the check is given.
    strategy = load_strategy(THAMES_VALLEY)
    graph = build_graph(strategy)
    graph.add_edge("outcome:evidence-base", "strand:evaluating-what-works")
    ctx = CheckContext(strategy, {})
    ctx.memo(("theory-of-change", "graph"), lambda: graph)
    (finding,) = theory_of_change.acyclic(ctx)
    assert finding.status is Status.FAIL
    # The search meets the evaluation strand first, then (in sorted order) Speech & Language
    # Therapy, which the evidence-base outcome names: the loop closes back at the strand.
    assert finding.message == (
        "The Theory of Change has a cycle: strand:evaluating-what-works → "
        "intervention:speech-and-language-therapy → outcome:evidence-base → "
        "strand:evaluating-what-works")


def test_toc002_every_thames_valley_intervention_reaches_the_impact(run: Run) -> None:
    results = run("TOC002")
    assert len(results) == 10 and {r.status for r in results} == {Status.PASS}


def test_toc002_fails_an_intervention_no_outcome_names(run: Run) -> None:
    strategy = variant({"theory_of_change": {"outcomes": {"people-reached": {"interventions": [
        "hospital-navigators", "school-navigators", "custody-coaches", "focussed-deterrence",
        "sports-and-inclusion", "op-paramount", "stay-true-to-you", "send",
        "blue-light-mentoring"]}}}})
    found = statuses(run("TOC002", strategy))
    assert found.pop("intervention:mash") is Status.FAIL
    assert set(found.values()) == {Status.PASS}


def test_toc003_thames_valley_has_no_orphan(run: Run) -> None:
    assert only(run("TOC003")).status is Status.PASS


def test_toc003_names_each_orphan(run: Run) -> None:
    assert statuses(run("TOC003", NON_COMPLIANT)) == {
        "toc-input:volunteers": Status.FAIL,  # feeds nothing
        "toc-intervention:knife-talks": Status.FAIL,  # leads to no outcome
        "toc-intervention:youth-club": Status.FAIL,
        "toc-measure:board-meets": Status.FAIL,  # measures no outcome
    }


def test_toc004_every_thames_valley_outcome_is_measured(run: Run) -> None:
    results = run("TOC004")
    assert len(results) == 5 and {r.status for r in results} == {Status.PASS}


def test_toc004_fails_an_outcome_without_a_measure(run: Run) -> None:
    strategy = variant({"theory_of_change": {"outcomes": {"strong-partnership": {
        "measures": []}}}})
    found = statuses(run("TOC004", strategy))
    assert found.pop("toc-outcome:strong-partnership") is Status.FAIL
    assert set(found.values()) == {Status.PASS}
