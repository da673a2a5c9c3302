"""The YEF Toolkit family (YEF): reference data, a failing and a passing case for every rule,
and the high-impact share metric."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from vpp_plugins import yef
from vpp_plugins.funding.metrics import METRICS

from tests.rules.conftest import ESSEX, NON_COMPLIANT, Run, only, statuses, variant
from vpp_core.loading.errors import PluginError
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.plugin_api.context import CheckContext, MetricContext
from vpp_core.plugin_api.results import Status


def _context() -> MetricContext:
    return MetricContext(load_strategy(NON_COMPLIANT), {})


def test_the_shipped_edition_is_dated_and_sourced() -> None:
    context = _context()
    toolkit = yef.load_toolkit(context)
    assert (toolkit.edition, str(toolkit.compiled)) == ("2024", "2024-06-30")
    assert set(toolkit.bands) == set(yef.BANDS)
    bands = {a.id: a.band for a in toolkit.approaches.values()}
    assert bands["focused-deterrence"] == "high"
    assert bands["prison-awareness-programmes"] == "harmful"
    assert bands["knife-crime-education-programmes"] == "no-clear-evidence"
    assert bands["a-and-e-navigators"] is None  # not confirmed, so not recorded
    assert all(approach.source for approach in toolkit.approaches.values())
    # Read through the context, so the report's provenance holds the file's hash.
    assert list(context.data_files()) == ["vpp_plugins/data/yef-toolkit-2024.toml"]


def test_a_broken_reference_file_is_a_plugin_error(tmp_path: Path) -> None:
    broken = tmp_path / "toolkit.toml"
    broken.write_text('[toolkit]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(PluginError, match="not a YEF Toolkit reference file"):
        yef.load_toolkit(_context(), str(broken))


def test_yef001_thames_valley_maps_no_intervention(run: Run) -> None:
    results = run("YEF001")
    assert len(results) == 10
    assert {r.status for r in results} == {Status.FAIL}
    assert "records no Youth Endowment Fund Toolkit approach" in results[0].message


def test_yef001_passes_essex_and_fails_an_unknown_approach(run: Run) -> None:
    assert set(statuses(run("YEF001", ESSEX)).values()) == {Status.PASS}
    unknown = variant({"interventions": {"sport": {"yef_approach": "street-dance"}}}, base=ESSEX)
    result = only(run("YEF001", unknown), "intervention:sport")
    assert result.status is Status.FAIL
    assert "'street-dance', which is not an approach" in result.message


def test_yef002_fails_a_harmful_approach(run: Run) -> None:
    found = statuses(run("YEF002", NON_COMPLIANT))
    assert found == {"intervention:prison-visits": Status.FAIL,
                     "intervention:knife-talks": Status.PASS}


def test_yef002_passes_essex_and_is_not_applicable_to_thames_valley(run: Run) -> None:
    assert set(statuses(run("YEF002", ESSEX)).values()) == {Status.PASS}
    assert only(run("YEF002")).status is Status.NOT_APPLICABLE


def test_yef003_fails_knife_crime_education(run: Run) -> None:
    found = statuses(run("YEF003", ESSEX))
    assert found.pop("intervention:knife-crime-education") is Status.FAIL
    assert set(found.values()) == {Status.PASS} and len(found) == 4


def test_yef003_passes_when_no_funded_approach_lacks_evidence(run: Run) -> None:
    strategy = variant({"interventions": {"knife-crime-education": {
        "yef_approach": "mentoring"}}}, base=ESSEX)
    assert set(statuses(run("YEF003", strategy)).values()) == {Status.PASS}


def test_a_pack_can_name_another_edition(tmp_path: Path) -> None:
    edition = tmp_path / "yef-toolkit-test.toml"
    edition.write_text(
        '[toolkit]\nname = "Test Toolkit"\nedition = "test"\ncompiled = 2025-01-01\n'
        'source = "made up"\n[bands.harmful]\nlabel = "Harmful"\n'
        '[[approaches]]\nid = "mentoring"\nname = "Mentoring"\nband = "harmful"\n'
        'source = "made up"\n', encoding="utf-8")
    strategy = load_strategy(ESSEX)
    ctx = CheckContext(strategy, {}, params={"band": "harmful", "toolkit": str(edition)})
    found = {str(f.subject): f.status for f in yef.band_absent(ctx)}
    # Only "mentoring" is in this edition, and it is rated harmful there
    assert found == {"intervention:mentoring": Status.FAIL}


def test_high_impact_share_of_essex() -> None:
    strategy = load_strategy(ESSEX)
    metrics = {spec.name: spec for spec in (*METRICS, *yef.vpp_register_metrics())}
    share = MetricContext(strategy, metrics).metric("high-impact-share")
    # Focused deterrence £250,000 of £852,572 funded intervention spend = 0.29323…
    assert share.value == Decimal(250000) / Decimal(852572)
    assert [part.value for part in share.parts] == [Decimal(250000)]


def test_esx001_floor_passes_essex_and_fails_thames_valley(run: Run) -> None:
    from tests.rules.conftest import ESSEX_PACK, THAMES_VALLEY

    assert only(run("ESX001", ESSEX, packs=[ESSEX_PACK])).status is Status.PASS
    result = only(run("ESX001", THAMES_VALLEY, packs=[ESSEX_PACK]))
    # Thames Valley maps no intervention to an approach: 0% against a 25% floor
    assert result.status is Status.FAIL
    assert result.evidence.measured.value == 0
    assert result.evidence.shortfall.value == Decimal("0.25")
