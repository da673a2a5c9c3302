"""What keeps ``vpp audit`` and a batch fast, checked by what they import and give back:
an audit without records imports no graph library, campaign reader, command or file format
it does not use; the records commands (``vpp violence``, ``vpp targets``) import no audit,
batch or report; the Theory of Change checks walk a graph equal to networkx's; a batch gets
its reports back whole and can read its packs once."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from vpp_plugins.targets.generate import generate
from vpp_plugins.violence.generate import write_incidents

from vpp_core import audit, load_rules, make_plugins
from vpp_core.model import Strategy
from vpp_core.model.toc import Links, build_graph, build_links
from vpp_core.plugin_api.specs import lazy

NOT_FOR_A_PLAIN_AUDIT = (
    "networkx",  # the Theory of Change checks walk vpp_core.model.toc.Links
    "duckdb",
    "vpp_plugins.reach.load",  # the reach plugin reads records only when given some
    "vpp_plugins.reach.campaign",
    "vpp_plugins.reach.commands",  # commands are imported when they run
    "vpp_plugins.reach.generate",
    "vpp_plugins.targets.command",
    "vpp_plugins.targets.generate",
    "vpp_core.reports.formats.html",  # formats when a report is rendered in them
    "vpp_core.reports.formats.xlsx",
    "jinja2",  # the HTML templates, only when HTML is written
    "openpyxl",  # the workbook, only when xlsx is written
    "vpp_core.reports.compare",
    "vpp_core.loading.locations",
    "concurrent.futures",  # worker processes only for several strategies
    "importlib.metadata",  # entry points are read from the distributions' folders
    "email",
    "vpp_core.cli.rules_commands",  # vpp rules and vpp rule, when they run
    "vpp_core.rules.pack_diff",
    "vpp_core.testing.cases",  # the test harness, for a plugin's own tests
    "vpp_core.testing.examples",
    "vpp_plugins.spend.checks",  # the spend pack runs only when named
    "vpp_plugins.spend.ledger",
    "vpp_plugins.spend.metrics",
)


def test_an_audit_without_records_imports_nothing_it_does_not_use(
    thames_valley_path: Path, tmp_path: Path
) -> None:
    code = (
        "import sys\n"
        "from vpp_core.cli.main import main\n"
        f"main(['audit', {str(thames_valley_path)!r}, "
        f"'--output', 'json:' + {str(tmp_path / 'report.json')!r}])\n"
        f"print(' '.join(name for name in {NOT_FOR_A_PLAIN_AUDIT!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""
    assert (tmp_path / "report.json").is_file()


#: What a records command does not use: it audits nothing and writes no audit report.
NOT_FOR_A_RECORDS_COMMAND = (
    "vpp_core.api",
    "vpp_core.batch",
    "vpp_core.cli.audit_command",
    "vpp_core.rules.engine",
    "vpp_core.reports.report",
    "vpp_core.reports.formats.text",
    "vpp_core.reports.formats.json_report",
    "vpp_core.records.manifest_file",  # a records.toml, only when one is named
    "vpp_core.loading.extensions",
)
#: ``vpp violence`` reads no strategy: it builds none of the model's classes.
NOT_FOR_VPP_VIOLENCE = (
    *NOT_FOR_A_RECORDS_COMMAND,
    "vpp_core.model.strategy",
    "vpp_core.model.interventions",
    "vpp_core.model.partnership",
    "vpp_plugins.targets.counting",  # other plugins' checks, only when rules run
    "vpp_plugins.reach.checks",
    "vpp_plugins.reach.metrics",
    "vpp_core.rules.packs",
)


def _imported(arguments: list[str], names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` imported by ``vpp ARGUMENTS`` in a fresh process, which must
    succeed (exit 0)."""
    code = (
        "import sys, contextlib, io\n"
        "from vpp_core.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({arguments!r})\n"
        f"print(code, *(name for name in {names!r} if name in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    code_printed, *imported = done.stdout.split()
    assert code_printed == "0", done.stderr
    return imported


def test_vpp_violence_imports_no_audit_batch_report_or_strategy_model(
        tmp_path: Path) -> None:
    incidents = tmp_path / "incidents.parquet"
    write_incidents(incidents, 200, seed=1, areas=("North",))
    assert _imported(["violence", "--records", f"police-incidents={incidents}",
                      "--definition", "thames-valley", "--format", "json",
                      "--output", str(tmp_path / "counts.json")], NOT_FOR_VPP_VIOLENCE) == []
    assert (tmp_path / "counts.json").is_file()


def test_vpp_targets_imports_no_audit_batch_or_report(
        thames_valley: Strategy, thames_valley_path: Path, tmp_path: Path) -> None:
    records = generate(thames_valley, tmp_path, rows=1_000, training_rows=200, seed=1,
                       form="parquet").participants
    assert _imported(["targets", str(thames_valley_path), "--records",
                      f"participants={records}", "--as-of", "2025-03-31", "--format", "json"],
                     NOT_FOR_A_RECORDS_COMMAND) == []


def test_the_checks_graph_is_the_networkx_graph(thames_valley: Strategy) -> None:
    graph, links = build_graph(thames_valley), build_links(thames_valley)
    assert list(links.nodes) == list(graph.nodes)
    assert links.nodes == dict(graph.nodes(data=True))
    for node in graph.nodes:
        assert list(links.successors(node)) == list(graph.successors(node))
        assert links.in_degree(node) == graph.in_degree(node)
        assert links.out_degree(node) == graph.out_degree(node)
    assert (links.number_of_nodes(), links.number_of_edges()) == (32, 49)


def test_an_edge_to_a_node_not_yet_added_adds_it_without_data() -> None:
    links = Links()
    links.add_edge("strand:missing", "intervention:x", relation="delivers")
    assert links.nodes == {"strand:missing": {}, "intervention:x": {}}
    assert (links.out_degree("strand:missing"), links.in_degree("intervention:x")) == (1, 1)


def test_a_lazy_function_imports_its_module_when_called_and_reports_it_as_its_own() -> None:
    dumps = lazy("json:dumps")
    assert (dumps.__module__, dumps.__name__) == ("json", "dumps")
    assert dumps({"a": 1}) == '{"a": 1}'
    with pytest.raises(ValueError, match=r"expected 'package\.module:function'"):
        lazy("json.dumps")


def test_lazy_commands_are_listed_under_the_plugins_that_offer_them() -> None:
    commands = make_plugins().commands()
    assert {name: info.name for name, (_, info) in commands.items()
            if name in ("reach", "generate-campaign", "targets", "generate-records")} == {
        "reach": "reach", "generate-campaign": "reach",
        "targets": "targets", "generate-records": "targets"}


def test_a_report_comes_back_from_a_worker_equal(thames_valley_path: Path) -> None:
    report = audit(thames_valley_path)
    assert pickle.loads(pickle.dumps(report)) == report


def test_rules_loaded_once_audit_as_the_packs_they_came_from(thames_valley_path: Path) -> None:
    plugins = make_plugins()
    rules = load_rules(plugins)
    assert audit(thames_valley_path, plugins=plugins, rules=rules) == audit(
        thames_valley_path, plugins=plugins)
    with pytest.raises(ValueError, match="not both"):
        audit(thames_valley_path, packs=["default"], rules=rules)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_start_up_runs_without_the_collector_and_loses_no_garbage(enabled: bool) -> None:
    import gc
    import weakref

    from vpp_core.cli.main import main
    from vpp_core.plugin_api.collector import collector_paused

    seen: list[bool] = []
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with collector_paused():
            seen.append(gc.isenabled())
            garbage = weakref.ref(_Cycle())  # unreachable at once, but for its own cycle
        assert (seen, gc.isenabled()) == ([False], enabled)
        assert garbage() is not None  # not collected while paused
        gc.collect()
        assert garbage() is None  # collected afterwards: not frozen for good
        assert main(["--version"]) == 0 and gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_vpp_process_freezes_what_it_made_before_it_ends() -> None:
    # main, called in a process that goes on (as here), freezes nothing: the vpp command's
    # own entry freezes what main made, so that ending the process does not traverse it
    code = ("import gc, sys; from vpp_core.cli.main import process_main; "
            "code = process_main(['audit', '--example', '--format', 'json', '-q']); "
            "print(code, gc.get_freeze_count() > 10000, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stderr.splitlines()[-1] == "1 True"
    assert json.loads(done.stdout)["exit_code"] == 1
