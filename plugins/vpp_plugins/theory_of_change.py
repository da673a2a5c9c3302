"""The Theory of Change family (pack ``theory-of-change``, codes TOC): the graph is acyclic,
every funded intervention has a path to the impact, no node is orphaned, and every outcome
has a success measure.

A success measure may name a metric with a baseline and a target change (for example
``serious-violence:thames-valley/knife``): TOC005 computes it for the strategy's year and
judges the change, with its 95% interval for counts.

The graph comes from :func:`vpp_core.model.toc.build_links` (inputs → strands → interventions →
outcomes → impact, measures hanging off outcomes), the same graph as ``build_graph`` without
networkx; this module walks it through the methods the two share.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from vpp_core import (
    IMPACT,
    CheckSpec,
    Evidence,
    Finding,
    NodeKind,
    Quantity,
    Status,
    StrategyError,
    Subject,
    Unit,
    VppError,
    build_links,
    format_share,
    format_value,
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

if TYPE_CHECKING:
    from vpp_core import (
        CheckContext,
        MeasuredBy,
        SuccessMeasure,
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


def _change_interval(current: int, baseline: int) -> tuple[str, bool]:
    """The 95% interval for the ratio of two Poisson counts, in words, and whether it
    excludes no change (imported here: the violence plugin's counting is loaded only when a
    measure names a metric)."""
    from vpp_plugins.violence.change import rate_ratio

    ratio, low, high, corrected = rate_ratio(current, baseline)
    if ratio is None or low is None or high is None:
        return "no interval: both counts are zero", False
    noise = low > 1 or high < 1
    words = (f"95% interval for the ratio {ratio}: {low} to {high} (Poisson counts"
             f"{', half added to each as one is zero' if corrected else ''}); "
             + ("unlikely to be noise" if noise else "could be noise"))
    return words, noise


def _measures_by_metric(ctx: CheckContext) -> Iterator[tuple[int, SuccessMeasure, MeasuredBy]]:
    for index, measure in enumerate(ctx.strategy.success_measures):
        if measure.measured_by is not None:
            yield index, measure, measure.measured_by


def outcomes_on_target(ctx: CheckContext) -> Iterator[Finding]:
    """Each success measure stated as a metric with a baseline and a target change: the
    metric computed for the strategy's year against the baseline, with the change's 95%
    interval; passes when the change reaches the target (a fall at least as large, or a
    rise at least as large; exactly the target passes)."""
    measured = list(_measures_by_metric(ctx))
    if not measured:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE,
                      "No success measure names a metric to measure it by")
        return
    toc = ctx.strategy.theory_of_change
    outcomes = {} if toc is None else {measure_id: outcome.name for outcome in toc.outcomes
                                       for measure_id in outcome.measures}
    for index, measure, target in measured:
        path = f"success_measures[{index}].measured_by"
        subject = Subject("success-measure", measure.id, measure.text)
        try:
            current = ctx.metric(target.metric)
        except VppError as exc:  # a measure naming what is not there: bad input
            raise StrategyError(f"{path}.metric ({measure.id}): {exc}") from None
        for_outcome = (f" (outcome {outcomes[measure.id]!r})" if measure.id in outcomes
                       else "")
        if current.value is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{target.metric}{for_outcome} cannot be computed: {current.note}",
                          Evidence(notes=(current.note,)))
            continue
        if target.baseline == 0:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{target.metric}{for_outcome}: a baseline of 0 gives no change "
                          "to judge")
            continue
        change = current.value / target.baseline - 1
        met = change <= target.target_change if target.target_change < 0 else (
            change >= target.target_change)
        interval, _ = (_change_interval(int(current.value), target.baseline)
                       if current.unit is Unit.COUNT else ("no interval: not a count", False))
        message = (f"{target.metric}{for_outcome}: {target.baseline:,} in "
                   f"{target.baseline_year} → {format_value(current.value, current.unit)} in "
                   f"{ctx.strategy.financial_year}, {_signed(change)}; target "
                   f"{_signed(target.target_change)}: {'met' if met else 'not met'}")
        yield Finding(subject, Status.PASS if met else Status.FAIL, message, Evidence(
            measured=Quantity("change", change.quantize(Decimal("0.0001")), Unit.SHARE,
                              current.source),
            operator="<=" if target.target_change < 0 else ">=",
            threshold=Quantity("target change", target.target_change, Unit.SHARE,
                               f"{path}.target_change"),
            numerator=Quantity(f"{target.metric} in {ctx.strategy.financial_year}",
                               current.value, current.unit, current.source),
            denominator=Quantity(f"baseline {target.baseline_year}",
                                 Decimal(target.baseline), current.unit,
                                 target.source or f"{path}.baseline"),
            parts=current.parts,
            shortfall=None if met else Quantity(
                "change still needed", abs(target.target_change - change).quantize(
                    Decimal("0.0001")), Unit.SHARE),
            notes=(interval,)))


def _signed(share: Decimal) -> str:
    return ("+" if share > 0 else "") + format_share(share)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [
        CheckSpec("toc-acyclic", acyclic, "The Theory of Change has no cycle."),
        CheckSpec("toc-interventions-reach-impact", interventions_reach_impact,
                  "Every funded intervention has a path to the impact."),
        CheckSpec("toc-no-orphans", no_orphans, "No node of the Theory of Change is orphaned."),
        CheckSpec("toc-outcomes-measured", outcomes_measured,
                  "Every outcome has at least one success measure."),
        CheckSpec("toc-measures-on-target", outcomes_on_target,
                  "Each success measure stated as a metric reaches its target change."),
    ]
