"""The Theory of Change graph and its four exports."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from vpp_core.cli.main import main
from vpp_core.model import Strategy
from vpp_core.model.toc import EXPORTS, NodeKind, build_graph, nodes_of_kind


def test_graph_runs_from_inputs_to_impact(thames_valley: Strategy) -> None:
    graph = build_graph(thames_valley)
    kinds = {kind: len(list(nodes_of_kind(graph, kind))) for kind in NodeKind}
    # 5 inputs, 5 strands, 11 interventions (10 funded + Speech & Language Therapy),
    # 5 outcomes, 5 success measures, 1 impact.
    assert kinds == {NodeKind.INPUT: 5, NodeKind.STRAND: 5, NodeKind.INTERVENTION: 11,
                     NodeKind.OUTCOME: 5, NodeKind.MEASURE: 5, NodeKind.IMPACT: 1}
    assert nx.is_directed_acyclic_graph(graph)
    assert nx.has_path(graph, "input:vru-core-grant", "intervention:school-navigators")
    assert nx.has_path(graph, "intervention:school-navigators", "impact")
    assert graph.edges["outcome:people-reached", "measure:interventions-managed"] == {
        "relation": "measured-by"}


def test_json_export_is_node_link_and_sorted(thames_valley: Strategy) -> None:
    data = json.loads(EXPORTS["json"](build_graph(thames_valley)))
    assert data["directed"] is True
    ids = [node["id"] for node in data["nodes"]]
    assert ids == sorted(ids) and "impact" in ids
    assert {"source": "outcome:people-reached", "target": "impact",
            "relation": "contributes-to"} in data["edges"]


def test_graphml_export_parses_with_every_node(thames_valley: Strategy) -> None:
    root = ET.fromstring(EXPORTS["graphml"](build_graph(thames_valley)))
    namespace = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", namespace)) == 32
    assert len(root.findall(".//g:edge", namespace)) == 49


def test_dot_and_mermaid_exports(thames_valley: Strategy) -> None:
    graph = build_graph(thames_valley)
    dot = EXPORTS["dot"](graph)
    assert dot.startswith("digraph theory_of_change {")
    assert '"strand:testing-interventions" -> "intervention:mash" [label="delivers"];' in dot
    mermaid = EXPORTS["mermaid"](graph)
    assert mermaid.startswith("flowchart LR\n")
    assert '["Less serious violence"]:::impact' in mermaid


@pytest.mark.parametrize("fmt", ["dot", "mermaid", "graphml", "json"])
def test_vpp_toc_prints_each_format(fmt: str, capsys: pytest.CaptureFixture[str],
                                    thames_valley: Strategy) -> None:
    assert main(["toc", "--example", "--format", fmt]) == 0
    assert capsys.readouterr().out == EXPORTS[fmt](build_graph(thames_valley))


def test_networkx_is_not_imported_to_start_the_cli() -> None:
    code = "import sys, vpp_core.cli.main; print('networkx' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
