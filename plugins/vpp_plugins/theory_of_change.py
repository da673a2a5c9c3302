"""The Theory of Change family (pack ``theory-of-change``, codes TOC): the graph is acyclic,
every funded intervention has a path to the impact, no node is orphaned, and every outcome
has a success measure.

The graph comes from :func:`vpp_core.model.toc.build_links` (inputs → strands → interventions →
outcomes → impact, measures hanging off outcomes), the same graph as ``build_graph`` without
networkx; this module walks it through the methods the two share.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from vpp_core import (
    IMPACT,
    CheckContext,
    CheckSpec,
    Evidence,
    Finding,
    NodeKind,
    Status,
    Subject,
    build_links,
    hookimpl,
    node_id,
    nodes_of_kind,
    whole_strategy,
)
from vpp_plugins._common import (
    NO_FUNDED,
    funded_interventions,
    intervention_subject,
    or_not_applicable,
)

_NO_TOC = "The strategy records no Theory of Change"


def _graph(ctx: CheckContext) -> Any:
    return ctx.memo(("theory-of-change", "graph"), lambda: build_links(ctx.strategy))


def _node_subject(graph: Any, name: str) -> Subject:
    data = graph.nodes[name]
    return Subject(f"toc-{data['kind']}", name.partition(":")[2] or name, data["label"])


def find_cycle(graph: Any) -> list[str] | None:
    """One cycle in the graph as a list of node names (first node repeated last), or None."""
    colour: dict[str, int] = {}  # 1 on the current path, 2 finished
    for root in sorted(graph.nodes):
        if root in colour:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph.successors(root))))]
        path = [root]
        colour[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                colour[node] = 2
                stack.pop()
                path.pop()
            elif colour.get(child) == 1:
                return [*path[path.index(child):], child]
            elif child not in colour:
                colour[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.successors(child)))))
    return None


def _reaches(graph: Any, start: str, goal: str) -> bool:
    seen = {start}
    frontier = [start]
    while frontier:
        node = frontier.pop()
        if node == goal:
            return True
        for child in graph.successors(node):
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return False


def acyclic(ctx: CheckContext) -> Iterator[Finding]:
    """The Theory of Change has no cycle: nothing leads, through its effects, back to itself."""
    subject = whole_strategy(ctx.strategy)
    if ctx.strategy.theory_of_change is None:
        yield Finding(subject, Status.NOT_APPLICABLE, _NO_TOC)
        return
    graph = _graph(ctx)
    cycle = find_cycle(graph)
    size = f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links"
    if cycle is None:
        yield Finding(subject, Status.PASS, f"The Theory of Change is acyclic ({size})")
    else:
        yield Finding(subject, Status.FAIL,
                      f"The Theory of Change has a cycle: {' → '.join(cycle)}",
                      Evidence(notes=(size,)))


@or_not_applicable(NO_FUNDED)
def interventions_reach_impact(ctx: CheckContext) -> Iterator[Finding]:
    """Every funded intervention leads, through outcomes, to the impact."""
    graph = _graph(ctx)
    toc = ctx.strategy.theory_of_change
    for item, _, _ in funded_interventions(ctx.strategy):
        subject = intervention_subject(item)
        if toc is None:
            yield Finding(subject, Status.FAIL, f"{item.name} has no path to an impact: "
                          f"{_NO_TOC[0].lower()}{_NO_TOC[1:]}")
            continue
        node = node_id(NodeKind.INTERVENTION, item.id)
        outcomes = sorted(graph.nodes[child]["label"] for child in graph.successors(node)
                          if graph.nodes[child]["kind"] == NodeKind.OUTCOME.value)
        if _reaches(graph, node, IMPACT):
            yield Finding(subject, Status.PASS,
                          f"{item.name} leads to {toc.impact!r} through {'; '.join(outcomes)}")
        else:
            yield Finding(subject, Status.FAIL,
                          f"{item.name} has no path to {toc.impact!r}: no outcome names it")


def no_orphans(ctx: CheckContext) -> Iterator[Finding]:
    """Every node is joined into the chain: everything but an input is led to, and everything
    but a measure or the impact leads on."""
    if ctx.strategy.theory_of_change is None:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE, _NO_TOC)
        return
    graph = _graph(ctx)
    starts = {NodeKind.INPUT.value}
    ends = {NodeKind.MEASURE.value, NodeKind.IMPACT.value}
    orphans = 0
    for name in sorted(graph.nodes):
        kind = graph.nodes[name]["kind"]
        problems = []
        if kind not in starts and graph.in_degree(name) == 0:
            problems.append("nothing leads to it")
        if kind not in ends and graph.out_degree(name) == 0:
            problems.append("it leads nowhere")
        if problems:
            orphans += 1
            yield Finding(_node_subject(graph, name), Status.FAIL,
                          f"{kind} {graph.nodes[name]['label']!r} is orphaned: "
                          f"{' and '.join(problems)}")
    if not orphans:
        yield Finding(whole_strategy(ctx.strategy), Status.PASS,
                      f"Every one of the {graph.number_of_nodes()} nodes is joined into the chain")


def outcomes_measured(ctx: CheckContext) -> Iterator[Finding]:
    """Every outcome has at least one success measure."""
    if ctx.strategy.theory_of_change is None:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE, _NO_TOC)
        return
    graph = _graph(ctx)
    outcomes = list(nodes_of_kind(graph, NodeKind.OUTCOME))
    if not outcomes:
        yield Finding(whole_strategy(ctx.strategy), Status.FAIL,
                      "The Theory of Change records no outcome")
        return
    for name in outcomes:
        measures = sorted(child.partition(":")[2] for child in graph.successors(name)
                          if graph.nodes[child]["kind"] == NodeKind.MEASURE.value)
        subject = _node_subject(graph, name)
        if measures:
            yield Finding(subject, Status.PASS,
                          f"{subject.label!r} is measured by {', '.join(measures)}")
        else:
            yield Finding(subject, Status.FAIL, f"{subject.label!r} has no success measure")


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [
        CheckSpec("toc-acyclic", acyclic, "The Theory of Change has no cycle."),
        CheckSpec("toc-interventions-reach-impact", interventions_reach_impact,
                  "Every funded intervention has a path to the impact."),
        CheckSpec("toc-no-orphans", no_orphans, "No node of the Theory of Change is orphaned."),
        CheckSpec("toc-outcomes-measured", outcomes_measured,
                  "Every outcome has at least one success measure."),
    ]
