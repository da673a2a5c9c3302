"""The Theory of Change as a directed graph, and its exports.

inputs → strands → interventions → outcomes → impact, with success measures hanging off the
outcomes they measure. This is the only module that imports networkx; import it only where
a graph is needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum

import networkx as nx

from vpp_core.model import Strategy


class NodeKind(StrEnum):
    INPUT = "input"
    STRAND = "strand"
    INTERVENTION = "intervention"
    OUTCOME = "outcome"
    MEASURE = "measure"
    IMPACT = "impact"


IMPACT = "impact"


def node_id(kind: NodeKind, item_id: str) -> str:
    """A graph node's id: ``kind:id`` (the impact node is just ``impact``)."""
    return IMPACT if kind is NodeKind.IMPACT else f"{kind.value}:{item_id}"


def build_graph(strategy: Strategy) -> nx.DiGraph:
    """The strategy's Theory of Change; every node has ``kind`` and ``label`` attributes.

    Interventions hang off their strand; an outcome is reached from the strands and
    interventions it names; every outcome leads to the impact; measures measure outcomes.
    A strategy without a Theory of Change gives strands and interventions only.
    """
    graph = nx.DiGraph()

    def add(kind: NodeKind, item_id: str, label: str) -> str:
        name = node_id(kind, item_id)
        graph.add_node(name, kind=kind.value, label=label)
        return name

    for strand in strategy.strands:
        add(NodeKind.STRAND, strand.id, strand.name)
    for intervention in strategy.interventions:
        add(NodeKind.INTERVENTION, intervention.id, intervention.name)
        graph.add_edge(node_id(NodeKind.STRAND, intervention.strand),
                       node_id(NodeKind.INTERVENTION, intervention.id), relation="delivers")
    for measure in strategy.success_measures:
        add(NodeKind.MEASURE, measure.id, measure.text)
    toc = strategy.theory_of_change
    if toc is None:
        return graph
    impact = add(NodeKind.IMPACT, IMPACT, toc.impact)
    for source in toc.inputs:
        name = add(NodeKind.INPUT, source.id, source.name)
        graph.nodes[name]["input_kind"] = source.kind.value
        for strand_id in source.feeds:
            graph.add_edge(name, node_id(NodeKind.STRAND, strand_id), relation="feeds")
    for outcome in toc.outcomes:
        name = add(NodeKind.OUTCOME, outcome.id, outcome.name)
        for strand_id in outcome.strands:
            graph.add_edge(node_id(NodeKind.STRAND, strand_id), name, relation="leads-to")
        for intervention_id in outcome.interventions:
            graph.add_edge(node_id(NodeKind.INTERVENTION, intervention_id), name,
                           relation="leads-to")
        for measure_id in outcome.measures:
            graph.add_edge(name, node_id(NodeKind.MEASURE, measure_id), relation="measured-by")
        graph.add_edge(name, impact, relation="contributes-to")
    return graph


def _sorted_nodes(graph: nx.DiGraph) -> list[tuple[str, dict[str, str]]]:
    return sorted(graph.nodes(data=True))


def _sorted_edges(graph: nx.DiGraph) -> list[tuple[str, str, dict[str, str]]]:
    return sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1]))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT, left to right, one shape per node kind."""
    shapes = {"input": "folder", "strand": "box", "intervention": "component",
              "outcome": "ellipse", "measure": "note", "impact": "doubleoctagon"}
    lines = ["digraph theory_of_change {", "  rankdir=LR;"]
    for name, data in _sorted_nodes(graph):
        lines.append(f"  {_quote(name)} [label={_quote(data['label'])}, "
                     f"shape={shapes[data['kind']]}, kind={_quote(data['kind'])}];")
    for source, target, data in _sorted_edges(graph):
        lines.append(f"  {_quote(source)} -> {_quote(target)} "
                     f"[label={_quote(data.get('relation', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_ids(graph: nx.DiGraph) -> dict[str, str]:
    return {name: f"n{index}" for index, (name, _) in enumerate(_sorted_nodes(graph))}


def to_mermaid(graph: nx.DiGraph) -> str:
    """A Mermaid flowchart, nodes grouped by kind in class definitions."""
    ids = _mermaid_ids(graph)
    lines = ["flowchart LR"]
    for name, data in _sorted_nodes(graph):
        label = data["label"].replace('"', "#quot;")
        lines.append(f'  {ids[name]}["{label}"]:::{data["kind"]}')
    for source, target, data in _sorted_edges(graph):
        lines.append(f"  {ids[source]} -->|{data.get('relation', '')}| {ids[target]}")
    for kind in NodeKind:
        lines.append(f"  classDef {kind.value} stroke-width:2px")
    return "\n".join(lines) + "\n"


def to_graphml(graph: nx.DiGraph) -> str:
    """GraphML, as networkx writes it."""
    ordered = nx.DiGraph()
    ordered.add_nodes_from(_sorted_nodes(graph))
    ordered.add_edges_from(_sorted_edges(graph))
    return "\n".join(nx.generate_graphml(ordered)) + "\n"


def to_json(graph: nx.DiGraph) -> str:
    """JSON node-link data (``nodes``, ``edges``), sorted so two runs diff clean."""
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda node: node["id"])
    data["edges"] = sorted(data["edges"], key=lambda edge: (edge["source"], edge["target"]))
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


EXPORTS = {"dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml, "json": to_json}


def nodes_of_kind(graph: nx.DiGraph, kind: NodeKind) -> Iterator[str]:
    """The names of the graph's nodes of one kind, sorted."""
    return iter(sorted(name for name, data in graph.nodes(data=True) if data["kind"] == kind))
