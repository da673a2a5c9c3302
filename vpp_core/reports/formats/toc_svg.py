"""The Theory of Change drawn as inline SVG: one column per node kind, left to right.

Inputs → strands → interventions → outcomes → impact, with the success measures that
measure each outcome in the last column. Within a column nodes are ordered by the average
position of the nodes that lead to them, so most edges run level. Takes the plain data of
:func:`vpp_core.model.toc.graph_data`; no graph library is needed to draw.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from html import escape

import attrs

from vpp_core.model.escaping import xml_text

COLUMNS = ("input", "strand", "intervention", "outcome", "impact", "measure")
HEADINGS = {
    "input": "Inputs",
    "strand": "Strands (activities)",
    "intervention": "Interventions",
    "outcome": "Outcomes",
    "impact": "Impact",
    "measure": "Measured by",
}
# Light fills with a darker border per kind; text is always near-black (contrast ≥ 12:1).
FILLS = {
    "input": ("#e8f1fb", "#1d4f91"),
    "strand": ("#e9f5ec", "#1e6b34"),
    "intervention": ("#fdf3e1", "#8a5a00"),
    "outcome": ("#f3ecfa", "#5b2a86"),
    "impact": ("#fde8e8", "#9b1c1c"),
    "measure": ("#eef0f2", "#3d4852"),
}

NODE_WIDTH = 190
COLUMN_GAP = 56
LINE_HEIGHT = 15
PADDING = 8
NODE_GAP = 12
TOP = 40
WRAP = 26
MAX_LINES = 4


@attrs.frozen
class _Box:
    name: str
    kind: str
    label: str
    lines: tuple[str, ...]
    x: int
    y: int
    height: int


def _escape(text: str) -> str:
    """Text for SVG (XML): markup escaped, characters XML forbids replaced."""
    return escape(xml_text(text))


def _wrap(label: str) -> tuple[str, ...]:
    lines = textwrap.wrap(label, WRAP) or [""]
    if len(lines) > MAX_LINES:
        lines = [*lines[: MAX_LINES - 1], textwrap.shorten(" ".join(lines[MAX_LINES - 1:]),
                                                           WRAP, placeholder=" …")]
    return tuple(lines)


def _order(
    nodes: Sequence[tuple[str, str, str]], edges: Sequence[tuple[str, str, str]]
) -> dict[str, list[tuple[str, str, str]]]:
    """Nodes by column, each column ordered by the mean rank of its nodes' neighbours."""
    columns: dict[str, list[tuple[str, str, str]]] = {kind: [] for kind in COLUMNS}
    for node in nodes:
        columns.setdefault(node[1], []).append(node)
    rank: dict[str, float] = {}

    def place(kind: str, neighbours: dict[str, list[str]]) -> None:
        def key(node: tuple[str, str, str]) -> tuple[float, str]:
            ranks = [rank[other] for other in neighbours.get(node[0], []) if other in rank]
            return (sum(ranks) / len(ranks) if ranks else float("inf"), node[0])

        columns[kind].sort(key=key)
        for position, node in enumerate(columns[kind]):
            rank[node[0]] = position / max(len(columns[kind]), 1)

    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for source, target, _ in edges:
        before.setdefault(target, []).append(source)
        after.setdefault(source, []).append(target)
    for kind in ("strand", *(k for k in COLUMNS if k != "strand")):
        # Strands first (they anchor the picture), then each column against its neighbours.
        place(kind, before if kind not in ("input", "strand") else after)
    return {kind: columns[kind] for kind in [*COLUMNS, *sorted(set(columns) - set(COLUMNS))]
            if columns.get(kind)}


def _boxes(columns: dict[str, list[tuple[str, str, str]]]) -> tuple[list[_Box], int]:
    boxes: list[_Box] = []
    tallest = 0
    for index, members in enumerate(columns.values()):
        x = PADDING + index * (NODE_WIDTH + COLUMN_GAP)
        y = TOP
        for name, node_kind, label in members:
            lines = _wrap(label)
            height = len(lines) * LINE_HEIGHT + 2 * PADDING
            boxes.append(_Box(name, node_kind, label, lines, x, y, height))
            y += height + NODE_GAP
        tallest = max(tallest, y)
    # Centre each column vertically against the tallest.
    centred: list[_Box] = []
    for kind in columns:
        placed = [box for box in boxes if box.kind == kind]
        if not placed:
            continue
        bottom = placed[-1].y + placed[-1].height + NODE_GAP
        shift = (tallest - bottom) // 2
        centred.extend(attrs.evolve(box, y=box.y + shift) for box in placed)
    return centred, tallest


def _edge(source: _Box, target: _Box, relation: str) -> str:
    x1, y1 = source.x + NODE_WIDTH, source.y + source.height // 2
    x2, y2 = target.x, target.y + target.height // 2
    if x2 <= x1:  # same or earlier column: loop around the right-hand side
        x2, y2 = target.x + NODE_WIDTH, target.y + target.height // 2
        bend = max(x1, x2) + COLUMN_GAP // 2
        path = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}"
    else:
        middle = (x1 + x2) // 2
        path = f"M{x1},{y1} C{middle},{y1} {middle},{y2} {x2},{y2}"
    return (f'<path class="edge edge-{_escape(relation)}" d="{path}" '
            f'marker-end="url(#toc-arrow)"><title>{_escape(source.label)} {_escape(relation)} '
            f"{_escape(target.label)}</title></path>")


def _node(box: _Box) -> str:
    fill, stroke = FILLS.get(box.kind, ("#ffffff", "#333333"))
    text = "".join(
        f'<tspan x="{box.x + PADDING}" y="{box.y + PADDING + (index + 1) * LINE_HEIGHT - 3}">'
        f"{_escape(line)}</tspan>"
        for index, line in enumerate(box.lines)
    )
    return (
        f'<g class="node node-{_escape(box.kind)}" data-node="{_escape(box.name)}">'
        f"<title>{_escape(box.label)}</title>"
        f'<rect x="{box.x}" y="{box.y}" width="{NODE_WIDTH}" height="{box.height}" rx="6" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        f'<text font-size="12" fill="#111111">{text}</text></g>'
    )


def render_svg(
    nodes: Sequence[tuple[str, str, str]],
    edges: Sequence[tuple[str, str, str]],
    *,
    title: str = "Theory of Change",
) -> str:
    """An ``<svg>`` element (no XML declaration, for inlining in HTML) drawing the graph."""
    columns = _order(nodes, edges)
    boxes, height = _boxes(columns)
    by_name = {box.name: box for box in boxes}
    width = PADDING * 2 + len(columns) * NODE_WIDTH + (len(columns) - 1) * COLUMN_GAP
    headings = "".join(
        f'<text class="column-heading" x="{PADDING + index * (NODE_WIDTH + COLUMN_GAP)}" '
        f'y="{TOP - 16}" font-size="13" font-weight="bold" fill="#111111">'
        f"{_escape(HEADINGS.get(kind, kind.title()))}</text>"
        for index, kind in enumerate(columns)
    )
    lines = "".join(_edge(by_name[source], by_name[target], relation)
                    for source, target, relation in edges
                    if source in by_name and target in by_name)
    drawn = "".join(_node(box) for box in boxes)
    description = (f"{len(boxes)} elements in {len(columns)} columns "
                   f"({', '.join(HEADINGS.get(kind, kind) for kind in columns)}), "
                   f"joined by {len(edges)} links.")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="toc" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="toc-title toc-desc">'
        f'<title id="toc-title">{_escape(title)}</title>'
        f'<desc id="toc-desc">{_escape(description)}</desc>'
        '<defs><marker id="toc-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555555"/></marker></defs>'
        f'<g fill="none" stroke="#777777" stroke-width="1.2">{lines}</g>'
        f"{headings}{drawn}</svg>"
    )
