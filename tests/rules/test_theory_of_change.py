"""The Theory of Change family (TOC): a failing and a passing case for every rule."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from vpp_plugins import theory_of_change

from tests.rules.conftest import NON_COMPLIANT, THAMES_VALLEY, Run, only, statuses, variant
from vpp_core import AuditOptions, Plugins, RecordSource, Result, Strategy, VppError, audit
from vpp_core.cli.main import main
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model.toc import build_graph
from vpp_core.plugin_api.context import CheckContext
from vpp_core.plugin_api.results import Status
from vpp_core.testing.cases import plugins_only


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


# TOC005: a success measure stated as a metric. The example incidents (rules/examples/) hold
# 8 knife crimes under Thames Valley's definition in 2024-25 (6 flagged, 2 possession of a
# blade, 10D), one unflagged assault, and one flagged crime in March 2024 (last year).
INCIDENTS = RecordSource("police-incidents", Path(__file__).parents[2] / "rules" / "examples"
                         / "knife-incidents.csv")
KNIFE = "serious-violence:thames-valley/knife"


@pytest.fixture(scope="module")
def plugins() -> Plugins:
    """The Theory of Change family and the violence plugin its metric comes from."""
    return plugins_only(("theory-of-change", "violence"))


def _measured(baseline: int, target: str, metric: str = KNIFE,
              year: str = "2023-24") -> Strategy:
    return variant({"success_measures": {"interventions-managed": {"measured_by": {
        "metric": metric, "baseline": baseline, "baseline_year": year,
        "target_change": target}}}})


def _toc005(strategy: Strategy | Path, plugins: Plugins,
            records: tuple[RecordSource, ...] = (INCIDENTS,)) -> Result:
    report = audit(strategy, packs=["theory-of-change"], records=records, plugins=plugins,
                   options=AuditOptions(select=("TOC005",)))
    (result,) = [r for r in report.results if r.code == "TOC005"]
    return result


def test_toc005_thames_valley_names_no_metric(plugins: Plugins) -> None:
    result = _toc005(THAMES_VALLEY, plugins)
    assert result.status is Status.NOT_APPLICABLE
    assert result.message == "No success measure names a metric to measure it by"


def test_toc005_passes_a_fall_past_the_target_with_its_interval(plugins: Plugins
                                                                ) -> None:
    result = _toc005(_measured(10, "-0.10"), plugins)
    # 8 against 10: −20%, past −10%. Ratio 0.8; ln 0.8 ± 1.96·√(1/8 + 1/10) gives
    # exp(−0.2231 ∓ 0.9297) = 0.316 to 2.027: could be noise.
    assert result.status is Status.PASS
    assert "10 in 2023-24 → 8 in 2024-25, -20%; target -10%: met" in result.message
    assert result.evidence.measured.value == Decimal("-0.2")
    assert result.evidence.numerator.value == 8 and result.evidence.denominator.value == 10
    assert result.evidence.notes == (
        "95% interval for the ratio 0.800: 0.316 to 2.027 (Poisson counts); could be noise",)
    assert {part.label: part.value for part in result.evidence.parts} == {
        "knife in Milton Keynes": 1, "knife in Oxford": 1, "knife in Reading": 4,
        "knife in Slough": 2}


def test_toc005_fails_short_of_the_target_and_says_by_how_much(plugins: Plugins
                                                               ) -> None:
    result = _toc005(_measured(8, "-0.10"), plugins)
    assert result.status is Status.FAIL  # 8 against 8: no change, 10 points short
    assert result.evidence.shortfall.value == Decimal("0.1")
    assert "target -10%: not met" in result.message


def test_toc005_exactly_the_target_passes_and_a_rise_is_judged_upward(
        plugins: Plugins) -> None:
    assert _toc005(_measured(10, "-0.20"), plugins).status is Status.PASS
    rise = _toc005(_measured(5, "0.50"), plugins)  # 8 against 5: +60% ≥ +50%
    assert rise.status is Status.PASS and rise.evidence.operator == ">="
    assert _toc005(_measured(8, "0.10"), plugins).status is Status.FAIL


def test_toc005_without_crime_records_is_not_applicable(plugins: Plugins) -> None:
    result = _toc005(_measured(10, "-0.10"), plugins, records=())
    assert result.status is Status.NOT_APPLICABLE
    assert "no crime records given" in result.message


def test_toc005_a_zero_baseline_is_not_judged(plugins: Plugins) -> None:
    result = _toc005(_measured(0, "-0.10"), plugins)
    assert result.status is Status.NOT_APPLICABLE and "baseline of 0" in result.message


@pytest.mark.parametrize(("metric", "said"), [
    ("serious-violence:thames-valley/knive", "thames-valley has no category 'knive'"),
    ("serious-violence:nowhere/knife", "nowhere: no such definition file"),
])
def test_toc005_an_unknown_definition_or_category_is_bad_input_at_the_measure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], metric: str, said: str) -> None:
    text = THAMES_VALLEY.read_text(encoding="utf-8").replace(
        'id = "interventions-managed"\n',
        'id = "interventions-managed"\nmeasured_by = { metric = "' + metric + '", '
        'baseline = 10, baseline_year = "2023-24", target_change = "-0.10" }\n')
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(text, encoding="utf-8")
    code = main(["audit", str(strategy), "--pack", "theory-of-change", "--records",
                 f"police-incidents={INCIDENTS.path}"])
    err = capsys.readouterr().err
    assert code == 2
    assert (f"error: {strategy}: success_measures[1].measured_by.metric "
            "(interventions-managed): ") in err
    assert said in err and "Traceback" not in err


def test_toc005_a_baseline_not_before_the_strategy_year_is_refused_at_load() -> None:
    with pytest.raises(VppError, match=r"success_measures\[1\]\.measured_by\.baseline_year: "
                                       "2024-25 is not before the strategy's year 2024-25"):
        _measured(10, "-0.10", year="2024-25")
