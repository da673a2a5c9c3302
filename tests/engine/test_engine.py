"""Running rules: local plugins, extends changing a result, isolation of a raising check,
misspelt hooks, selection, and metrics computed once per run."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from tests.engine.conftest import AS_OF, BROKEN, CORE, LOCAL, PLUGINS, by_code, one
from vpp_core import (
    AuditOptions,
    Measurement,
    MetricSpec,
    PluginError,
    PluginInfo,
    Report,
    Severity,
    Status,
    Strategy,
    Unit,
    VppError,
    audit,
    hookimpl,
    load_strategy,
    make_plugins,
)
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.context import MetricContext
from vpp_core.plugin_api.manager import Plugins
from vpp_core.rules.loaded_rules import NO_DEFAULT_PACKS


def test_local_plugin_adds_a_check_and_a_metric_a_pack_uses(run: Callable[..., Report]) -> None:
    report = run(packs=[CORE])
    plugin = next(info for info in report.provenance.plugins if info.name == "local:demo_rules")
    assert (plugin.version, plugin.origin.startswith("local file ")) == ("1.2", True)
    funding = by_code(report, "DEMO005")  # the plugin's own check, one result per intervention
    assert {result.plugin.name for result in funding} == {"local:demo_rules"}
    assert [r.subject.id for r in funding if r.status is Status.FAIL] == [
        "speech-and-language-therapy"]
    share = one(report, "DEMO001")  # a generic check over the plugin's metrics
    assert share.plugin.name == "core-checks"
    assert share.status is Status.PASS  # £832,500 of £1,510,000 is 55.13%
    assert "demo-grant:core-2024-25" in report.audits[0].metrics


def test_extending_pack_raises_the_threshold_and_the_result_changes(
    run: Callable[..., Report],
) -> None:
    options = AuditOptions(select=("DEMO001",), as_of=AS_OF)
    base = one(run(packs=[CORE], options=options), "DEMO001")
    local = one(run(packs=[LOCAL], options=options), "DEMO001")
    assert base.status is Status.PASS
    assert local.status is Status.FAIL
    assert local.evidence.threshold is not None
    assert local.evidence.threshold.value == Decimal("0.60")
    assert local.evidence.shortfall is not None
    assert local.evidence.shortfall.value == 73500  # 0.60 × 1,510,000 − 832,500


def test_a_raising_check_errors_its_rule_only(run: Callable[..., Report]) -> None:
    clean = run(packs=[CORE])
    broken = run(packs=[BROKEN])
    error = one(broken, "BROKE001")
    assert error.status is Status.ERROR
    assert error.message == ("the check raised RuntimeError: the monitoring service is down "
                             "(at raising_check.py:12)")
    assert error.plugin.name == "local:raising_check"
    others = [(r.code, r.subject, r.status) for r in broken.results if r.code != "BROKE001"]
    assert others == [(r.code, r.subject, r.status) for r in clean.results]
    assert broken.exit_code() == 3
    assert clean.exit_code() == 0  # the one failure is a warning; --fail-on is error


def test_misspelt_hook_is_refused_naming_it(vpp_make_plugins: Callable[..., Plugins]) -> None:
    with pytest.raises(PluginError) as caught:
        vpp_make_plugins(local=[PLUGINS / "misspelt_hook.py"])
    assert "vpp_register_chekcs" in str(caught.value)
    assert str(caught.value).startswith("plugin 'local:misspelt_hook' (local file ")


def test_a_local_plugin_with_no_hook_is_refused_naming_the_hooks(
        vpp_make_plugins: Callable[..., Plugins], tmp_path: Path) -> None:
    # Functions named after nothing vpp calls: loaded, it silently added nothing.
    plugin = tmp_path / "no_hooks.py"
    plugin.write_text("def register_checks():\n    return []\n", encoding="utf-8")
    with pytest.raises(PluginError) as caught:
        vpp_make_plugins(local=[plugin])
    assert str(caught.value) == (
        f"plugin 'local:no_hooks' (local file {plugin}): implements no vpp hook: name a "
        "function after one (vpp_register_checks, vpp_register_commands, "
        "vpp_register_extensions, vpp_register_metrics, vpp_register_pack_folders, "
        "vpp_register_record_kinds, vpp_register_reporters)")


@pytest.mark.parametrize(
    ("options", "codes"),
    [
        (AuditOptions(), ["DEMO001", "DEMO002", "DEMO003", "DEMO004", "DEMO005", "LOCAL001"]),
        (AuditOptions(select=("LOCAL",)), ["LOCAL001"]),
        (AuditOptions(select=("DEMO001,LOCAL001",)), ["DEMO001", "LOCAL001"]),
        (AuditOptions(ignore=("DEMO",)), ["LOCAL001"]),
        (AuditOptions(select=("DEMO001",), ignore=("DEMO",)), ["DEMO001"]),
        (AuditOptions(select=("DEMO",), ignore=("DEMO001",)),
         ["DEMO002", "DEMO003", "DEMO004", "DEMO005"]),
        (AuditOptions(severity=Severity.ERROR), ["DEMO001", "DEMO002", "LOCAL001"]),
        # the pack switched DEMO006 off; naming it on the command line runs it
        (AuditOptions(select=("DEMO006",)), ["DEMO006"]),
        (AuditOptions(select=("DEMO",)), ["DEMO001", "DEMO002", "DEMO003", "DEMO004",
                                          "DEMO005"]),
    ],
    ids=["pack", "select-prefix", "select-codes", "ignore-prefix", "code-beats-prefix",
         "ignore-code", "severity", "select-switched-off", "prefix-keeps-switched-off"],
)
def test_selection(run: Callable[..., Report], options: AuditOptions, codes: list[str]) -> None:
    report = run(packs=[LOCAL], options=options)
    assert sorted({result.code for result in report.results}) == codes


def test_metrics_are_computed_once_per_run(
    vpp_make_plugins: Callable[..., Plugins],
) -> None:
    calls: list[str | None] = []

    def grant(ctx: object, argument: str | None) -> Measurement:
        calls.append(argument)
        return Measurement(Decimal(1510000), Unit.GBP)

    class Counting:
        @staticmethod
        @hookimpl
        def vpp_register_metrics() -> list[MetricSpec]:
            return [MetricSpec("counted-grant", grant, Unit.GBP, "", takes_argument=True)]

    plugins = vpp_make_plugins(extra=[(Counting(), PluginInfo("counting", "1", "test"))])
    context = MetricContext(load_strategy(bundled_strategy()),
                            {name: spec for name, (spec, _) in plugins.metrics().items()})
    first = context.for_rule("A001", {})
    second = context.for_rule("A002", {})
    assert first.metric("counted-grant:x") is second.metric("counted-grant:x")
    assert calls == ["x"]
    assert "counted-grant:x" in context.computed()
    with pytest.raises(VppError, match="no pack given"):  # an audit of nothing would pass
        audit(bundled_strategy(), packs=[], plugins=plugins)


def test_results_are_sorted_and_runs_repeat(run: Callable[..., Report]) -> None:
    first, second = run(packs=[LOCAL]), run(packs=[LOCAL])
    keys = [(result.code, result.subject) for result in first.results]
    assert keys == sorted(keys)
    assert first.results == second.results


def test_default_packs_run_when_none_is_named(tmp_path: Path) -> None:
    import vpp_core.rules.generic_checks

    core = (vpp_core.rules.generic_checks, PluginInfo("core-checks", "0", "core"))
    empty = make_plugins(load_entry_points=False, extra=[core])
    report = audit(bundled_strategy(), plugins=empty)
    assert (report.results, report.notes) == ((), (NO_DEFAULT_PACKS,))

    (tmp_path / "default.toml").write_text(
        '[pack]\nname = "always"\nversion = "1"\nprefix = "ALW"\ndefault = true\n'
        '[[rules]]\ncode = "ALW001"\nname = "definition-present"\ntitle = "A definition"\n'
        'severity = "error"\ncheck = "field-present"\nparameters = { path = "definition" }\n',
        encoding="utf-8")
    (tmp_path / "optional.toml").write_text(
        '[pack]\nname = "optional"\nversion = "1"\nprefix = "OPT"\n', encoding="utf-8")

    class Folder:
        @staticmethod
        @hookimpl
        def vpp_register_pack_folders() -> list[Path]:
            return [tmp_path]

    plugins = make_plugins(load_entry_points=False,
                           extra=[core, (Folder(), PluginInfo("folder", "1", "test"))])
    report = audit(bundled_strategy(), plugins=plugins)
    assert [(r.code, r.status) for r in report.results] == [("ALW001", Status.PASS)]
    assert [pack.name for pack in report.provenance.packs] == ["always"]
    assert report.notes == ()


def test_several_strategies_in_one_report(run: Callable[..., Report],
                                          vpp_strategy: Strategy) -> None:
    second = attrs.evolve(vpp_strategy, definition=None)
    report = run([vpp_strategy, second], packs=[LOCAL],
                 options=AuditOptions(select=("LOCAL001",)))
    assert [[r.status for r in item.results] for item in report.audits] == [
        [Status.PASS], [Status.FAIL]]
    assert [item.strategy.source for item in report.audits] == ["(given as an object)"] * 2


WRONG_TYPES = '''\
from decimal import Decimal

from vpp_core import CheckSpec, Evidence, Finding, Quantity, Status, Subject, Unit, hookimpl


def gives_a_number(ctx):
    return 42


def gives_text(ctx):
    return ["all fine"]


def gives_an_error(ctx):
    yield Finding(Subject("strategy", "x"), Status.ERROR, "I decided")


def gives_a_float(ctx):
    yield Finding(Subject("strategy", "x"), Status.FAIL, "low", Evidence(
        measured=Quantity("share", 0.1, Unit.SHARE), operator=">=",
        threshold=Quantity("floor", Decimal("0.3"), Unit.SHARE)))


def gives_one_subject_twice(ctx):
    yield Finding(Subject("milestone", "m/2024-10-09", "Interim report"), Status.FAIL, "late")
    yield Finding(Subject("milestone", "m/2024-10-09", "Board paper"), Status.PASS, "done")


@hookimpl
def vpp_register_checks():
    return [CheckSpec("gives-a-number", gives_a_number, "a number"),
            CheckSpec("gives-text", gives_text, "text"),
            CheckSpec("gives-an-error", gives_an_error, "an error"),
            CheckSpec("gives-one-subject-twice", gives_one_subject_twice, "twice"),
            CheckSpec("gives-a-float", gives_a_float, "a float")]
'''


def test_a_check_giving_back_the_wrong_type_names_the_check_its_plugin_and_file(
        tmp_path: Path) -> None:
    plugin = tmp_path / "wrong_types.py"
    plugin.write_text(WRONG_TYPES, encoding="utf-8")
    pack = tmp_path / "pack.toml"
    pack.write_text('[pack]\nname = "wrong"\nversion = "1"\nprefix = "WR"\n' + "".join(
        f'[[rules]]\ncode = "WR00{n}"\nname = "{check}"\ntitle = "t"\nseverity = "error"\n'
        f'check = "{check}"\n'
        for n, check in enumerate(("gives-a-number", "gives-text", "gives-an-error",
                                    "gives-one-subject-twice", "gives-a-float"), 1)),
        encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)],
                   plugins=make_plugins(local=[plugin]))
    assert {r.code: r.message for r in report.results} == {
        "WR001": "check 'gives-a-number' of plugin 'local:wrong_types' returned int, not "
                 "findings (a list or generator of Finding) (check at wrong_types.py:6)",
        "WR002": "check 'gives-text' of plugin 'local:wrong_types' gave str, not a Finding "
                 "(check at wrong_types.py:10)",
        "WR003": "check 'gives-an-error' of plugin 'local:wrong_types' gave status 'error'; "
                 "only the engine gives error and waived (check at wrong_types.py:14)",
        # two labels, one subject as waivers and baselines name it: kind:id
        "WR004": "check 'gives-one-subject-twice' of plugin 'local:wrong_types' gave two "
                 "findings for milestone:m/2024-10-09 (check at wrong_types.py:24)",
        # a float in the evidence crashed every report format afterwards
        "WR005": "check 'gives-a-float' of plugin 'local:wrong_types' gave 'share' as float, "
                 "not a Decimal: figures are exact (check at wrong_types.py:18)",
    }
    assert {r.status for r in report.results} == {Status.ERROR}
    assert report.exit_code() == 3


def test_a_metric_giving_back_the_wrong_type_names_the_metric_and_its_file(
        tmp_path: Path) -> None:
    plugin = tmp_path / "bad_metric.py"
    plugin.write_text("from vpp_core import MetricSpec, Unit, hookimpl\n\n\n"
                      "def broken(ctx, argument):\n    return {'value': 3}\n\n\n"
                      "@hookimpl\ndef vpp_register_metrics():\n"
                      "    return [MetricSpec('our-count', broken, Unit.COUNT, 'a count')]\n",
                      encoding="utf-8")
    pack = tmp_path / "pack.toml"
    pack.write_text('[pack]\nname = "m"\nversion = "1"\nprefix = "MET"\n[[rules]]\n'
                    'code = "MET001"\nname = "count"\ntitle = "t"\nseverity = "error"\n'
                    'check = "metric-at-least"\n'
                    'parameters = { metric = "our-count", threshold = 1 }\n', encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], plugins=make_plugins(local=[plugin]))
    (result,) = report.results
    assert (result.status, result.message) == (
        Status.ERROR, "metric 'our-count' returned dict, not a Measurement (metric at "
                      "bad_metric.py:4)")
    plugin.write_text(plugin.read_text(encoding="utf-8").replace(
        "return {'value': 3}", "return Measurement(3.0, Unit.COUNT)").replace(
        "import MetricSpec", "import Measurement, MetricSpec"), encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], plugins=make_plugins(local=[plugin]))
    (result,) = report.results
    assert (result.status, result.message) == (
        Status.ERROR, "metric 'our-count' gave a float, not a Decimal: figures are exact "
                      "(metric at bad_metric.py:4)")
