"""The Theory of Change as a directed graph, and its exports.

inputs → strands → interventions → outcomes → impact, with success measures hanging off the
outcomes they measure. This is the only module that imports networkx, and it does so only
when a networkx graph is built or exported. The Theory of Change checks walk a
:class:`Links` graph instead, built the same way: they need a node's data, its successors
and its degrees, and importing networkx would take about a third of an audit's time.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from vpp_core.model import Strategy
from vpp_core.model.escaping import dot_string, json_document, mermaid_label, xml_text

if TYPE_CHECKING:
    import networkx as nx


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


class _Graph(Protocol):
    """What the builder needs of a graph: a networkx ``DiGraph`` or a :class:`Links`."""

    def add_node(self, name: str, /, **data: str) -> None: ...

    def add_edge(self, source: str, target: str, /, **data: str) -> None: ...


class Links:
    """A directed graph as dictionaries, with the part of networkx's ``DiGraph`` interface the
    checks use: ``nodes[name]`` (the node's data), ``successors``, ``in_degree``,
    ``out_degree``, ``number_of_nodes``, ``number_of_edges``. As in networkx, an edge to a
    node not yet added adds it, without data."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, str]] = {}
        self._successors: dict[str, dict[str, dict[str, str]]] = {}
        self._predecessors: dict[str, set[str]] = {}

    def add_node(self, name: str, /, **data: str) -> None:
        self.nodes.setdefault(name, {}).update(data)
        self._successors.setdefault(name, {})
        self._predecessors.setdefault(name, set())

    def add_edge(self, source: str, target: str, /, **data: str) -> None:
        self.add_node(source)
        self.add_node(target)
        self._successors[source].setdefault(target, {}).update(data)
        self._predecessors[target].add(source)

    def successors(self, name: str) -> Iterator[str]:
        return iter(self._successors[name])

    def in_degree(self, name: str) -> int:
        return len(self._predecessors[name])

    def out_degree(self, name: str) -> int:
        return len(self._successors[name])

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return sum(len(targets) for targets in self._successors.values())


G = TypeVar("G", bound=_Graph)


def _build(strategy: Strategy, graph: G) -> G:
    """Add the strategy's Theory of Change to ``graph``; every node has ``kind`` and
    ``label`` attributes (an input also ``input_kind``), every edge a ``relation``.

    Interventions hang off their strand; an outcome is reached from the strands and
    interventions it names; every outcome leads to the impact; measures measure outcomes.
    A strategy without a Theory of Change gives strands and interventions only.
    """

    def add(kind: NodeKind, item_id: str, label: str, **extra: str) -> str:
        name = node_id(kind, item_id)
        graph.add_node(name, kind=kind.value, label=label, **extra)
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
        name = add(NodeKind.INPUT, source.id, source.name, input_kind=source.kind.value)
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


def build_graph(strategy: Strategy) -> nx.DiGraph:
    """The strategy's Theory of Change as a networkx ``DiGraph`` (see :func:`_build`)."""
    import networkx as nx  # imported when a graph is built, not when this module is

    return _build(strategy, nx.DiGraph())


def build_links(strategy: Strategy) -> Links:
    """The same graph as :func:`build_graph`, as :class:`Links`: no networkx needed."""
    return _build(strategy, Links())


def _sorted_nodes(graph: nx.DiGraph) -> list[tuple[str, dict[str, str]]]:
    return sorted(graph.nodes(data=True))


def _sorted_edges(graph: nx.DiGraph) -> list[tuple[str, str, dict[str, str]]]:
    return sorted(graph.edges(data=True), key=lambda edge: (edge[0], edge[1]))


def to_dot(graph: nx.DiGraph) -> str:
    """Graphviz DOT, left to right, one shape per node kind."""
    shapes = {"input": "folder", "strand": "box", "intervention": "component",
              "outcome": "ellipse", "measure": "note", "impact": "doubleoctagon"}
    lines = ["digraph theory_of_change {", "  rankdir=LR;"]
    for name, data in _sorted_nodes(graph):
        lines.append(f"  {dot_string(name)} [label={dot_string(data['label'])}, "
                     f"shape={shapes[data['kind']]}, kind={dot_string(data['kind'])}];")
    for source, target, data in _sorted_edges(graph):
        lines.append(f"  {dot_string(source)} -> {dot_string(target)} "
                     f"[label={dot_string(data.get('relation', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_ids(graph: nx.DiGraph) -> dict[str, str]:
    return {name: f"n{index}" for index, (name, _) in enumerate(_sorted_nodes(graph))}


def to_mermaid(graph: nx.DiGraph) -> str:
    """A Mermaid flowchart, nodes grouped by kind in class definitions."""
    ids = _mermaid_ids(graph)
    lines = ["flowchart LR"]
    for name, data in _sorted_nodes(graph):
        lines.append(f'  {ids[name]}[{mermaid_label(data["label"])}]:::{data["kind"]}')
    for source, target, data in _sorted_edges(graph):
        lines.append(f"  {ids[source]} -->|{data.get('relation', '')}| {ids[target]}")
    for kind in NodeKind:
        lines.append(f"  classDef {kind.value} stroke-width:2px")
    return "\n".join(lines) + "\n"


def _xml_data(data: dict[str, str]) -> dict[str, str]:
    return {key: xml_text(value) for key, value in data.items()}


def to_graphml(graph: nx.DiGraph) -> str:
    """GraphML, as networkx writes it, with the characters XML forbids replaced."""
    import networkx as nx

    ordered = nx.DiGraph()
    ordered.add_nodes_from((xml_text(name), _xml_data(data)) for name, data in _sorted_nodes(graph))
    ordered.add_edges_from((xml_text(source), xml_text(target), _xml_data(data))
                           for source, target, data in _sorted_edges(graph))
    return "\n".join(nx.generate_graphml(ordered)) + "\n"


def to_json(graph: nx.DiGraph) -> str:
    """JSON node-link data (``nodes``, ``edges``), sorted so two runs diff clean."""
    import networkx as nx

    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda node: node["id"])
    data["edges"] = sorted(data["edges"], key=lambda edge: (edge["source"], edge["target"]))
    return json_document(data, sort_keys=True)


EXPORTS = {"dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml, "json": to_json}


def nodes_of_kind(graph: nx.DiGraph | Links, kind: NodeKind) -> Iterator[str]:
    """The names of the graph's nodes of one kind, sorted."""
    return iter(sorted(name for name in graph.nodes if graph.nodes[name]["kind"] == kind))


def graph_data(
    graph: nx.DiGraph,
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The graph as plain sorted data, for drawing without networkx:
    nodes as ``(name, kind, label)`` and edges as ``(source, target, relation)``."""
    nodes = [(name, data["kind"], data["label"]) for name, data in _sorted_nodes(graph)]
    edges = [(source, target, data.get("relation", ""))
             for source, target, data in _sorted_edges(graph)]
    return nodes, edges
