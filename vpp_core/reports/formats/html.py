"""HTML: one self-contained file (no external assets) people read on screen or on paper.

A summary, then per strategy: the strategy at a glance (grants and budget), every finding
that needs attention with its evidence and sources, the metrics computed (shares such as
target progress drawn as bars), every result, and the Theory of Change drawn as inline
SVG. Accessible (landmarks, headings in order, table headers with scope, text contrast of
at least 7:1, no information in colour alone) and printable (a print style sheet). A small
inline script adds filters; the page is complete without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from html import escape
from typing import Any

from vpp_core.model import Strategy
from vpp_core.model.escaping import http_url, xml_text
from vpp_core.model.money import format_money
from vpp_core.plugin_api.formatting import format_share
from vpp_core.plugin_api.results import Result, Status, Unit
from vpp_core.plugin_api.specs import Measurement
from vpp_core.reports.formats.common import (
    ATTENTION,
    STATUS_ORDER,
    SUMMARY_COLUMNS,
    audit_counts,
    audit_label,
    evidence_rows,
    exit_line,
    measurement_text,
    percent_text,
    progress_by_rule,
    reference_text,
    rule_count,
    waiver_text,
)
from vpp_core.reports.formats.lines import Lines, audited_strategy
from vpp_core.reports.report import Report, StrategyAudit

STYLE = """
:root { --ink: #111; --muted: #444; --rule: #bbb; --pass: #0b6b2e; --fail: #a30d0d;
  --error: #6b0f8f; --waived: #7a4d00; --na: #4a4a4a; --bar: #1d4f91; --bg-soft: #f4f6f8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: var(--ink); background: #fff; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem; }
h1, h2, h3, h4 { line-height: 1.25; }
h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.5rem; }
h3 { margin-top: 2rem; }
a { color: #0b4a99; }
a:focus, button:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--rule); padding: .3rem .5rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--bg-soft); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.meter { white-space: nowrap; }
.meta { color: var(--muted); }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; list-style: none; padding: 0; }
.status { font-weight: 700; white-space: nowrap; }
.status-pass { color: var(--pass); } .status-fail { color: var(--fail); }
.status-error { color: var(--error); } .status-waived { color: var(--waived); }
.status-not-applicable { color: var(--na); }
.finding { border: 1px solid var(--rule); border-left: 6px solid var(--fail);
  padding: .5rem 1rem; margin: 1rem 0; break-inside: avoid; }
.finding-error { border-left-color: var(--error); }
.finding-waived { border-left-color: var(--waived); }
.finding h4 { margin: .25rem 0 .5rem; color: var(--ink); }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
.finding dt { font-weight: 600; }
.finding dd { margin: 0; }
.evidence { width: auto; min-width: 60%; }
.shortfall td, .shortfall th { font-weight: 700; }
.bar { display: inline-block; width: 12rem; height: .9rem; border: 1px solid var(--ink);
  vertical-align: middle; background: #fff; margin-right: .5rem; position: relative; }
.bar > span { display: block; height: 100%; background: var(--bar);
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.bar.over > span { background: var(--pass); }
.toc-figure { margin: 0; overflow-x: auto; border: 1px solid var(--rule); padding: .5rem; }
.toc-figure svg { font-family: system-ui, Arial, sans-serif; width: 100%; height: auto; }
.filters { margin: .5rem 0; }
.filters button { font: inherit; padding: .2rem .7rem; margin-right: .4rem;
  border: 1px solid var(--ink); background: #fff; color: var(--ink); cursor: pointer; }
.filters button[aria-pressed="true"] { background: var(--ink); color: #fff; }
tr.hidden { display: none; }
.not-audited { border-left: 6px solid var(--error); padding: .25rem 1rem; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  nav, .filters, .skip { display: none; }
  h2 { break-before: page; } h2.first { break-before: avoid; }
  tr.hidden { display: table-row; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .8em; }
  .toc-figure { overflow: visible; border: none; }
  .toc-figure svg { width: 100%; height: auto; }
  details > * { display: block; }
  table, .finding { break-inside: avoid; }
}
"""

SCRIPT = """
(function () {
  document.querySelectorAll("[data-filter-table]").forEach(function (group) {
    var table = document.getElementById(group.getAttribute("data-filter-table"));
    group.hidden = false;
    group.querySelectorAll("button").forEach(function (button) {
      button.addEventListener("click", function () {
        var wanted = button.getAttribute("data-show");
        group.querySelectorAll("button").forEach(function (other) {
          other.setAttribute("aria-pressed", String(other === button));
        });
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var show = wanted === "all" || row.getAttribute("data-attention") === "yes";
          row.classList.toggle("hidden", !show);
        });
      });
    });
  });
  document.body.setAttribute("data-report-ready", "yes");
})();
"""


def _e(text: object) -> str:
    """Text as HTML: markup escaped, characters XML forbids (control characters) replaced."""
    return escape(xml_text(str(text)), quote=True)


def _status(status: Status) -> str:
    return f'<span class="status status-{status.value}">{_e(status.value.upper())}</span>'


def _table(caption: str, headers: list[tuple[str, bool]], rows: list[list[str]], *,
           table_id: str = "", row_attrs: list[str] | None = None) -> str:
    """A table with a caption and column headers; the first cell of each row is its header.
    ``headers`` are ``(text, numeric)``; cells are HTML already escaped."""
    head = "".join(f'<th scope="col"{" class=num" if numeric else ""}>{_e(text)}</th>'
                   for text, numeric in headers)
    body = []
    for index, row in enumerate(rows):
        attrs = f" {row_attrs[index]}" if row_attrs else ""
        cells = [f'<th scope="row">{row[0]}</th>'] + [
            f'<td{" class=num" if headers[position + 1][1] else ""}>{value}</td>'
            for position, value in enumerate(row[1:])]
        body.append(f"<tr{attrs}>{''.join(cells)}</tr>")
    identifier = f' id="{_e(table_id)}"' if table_id else ""
    return (f"<table{identifier}><caption>{_e(caption)}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>")


def share_bar(value: Decimal | None, label: str, text: str | None = None) -> str:
    """A bar for a share (capped at 100% wide) with the percentage beside it in text
    (``text``, or the share to two places)."""
    if value is None:
        return "not available"
    width = max(Decimal(0), min(value, Decimal(1))) * 100
    over = " over" if value >= 1 else ""
    shown = text or format_share(value)
    return (f'<span class="meter"><span class="bar{over}" role="img" '
            f'aria-label="{_e(label)}: {_e(shown)}"><span style="width:{width:.1f}%"></span>'
            f"</span><strong>{_e(shown)}</strong></span>")


# -------------------------------------------------------------------------
# The strategy itself: at a glance, and its Theory of Change
# -------------------------------------------------------------------------


def _glance(strategy: Strategy, anchor: str) -> Iterator[str]:
    yield f'<h3 id="{anchor}-glance">The strategy at a glance</h3>'
    rows = []
    for grant in strategy.grants:
        years = ", ".join(str(year) for year in grant.years)
        printed = grant.amount.as_printed
        amount = format_money(grant.amount.amount)
        shown = _e(amount) + (f' <span class="meta">(printed “{_e(printed)}”)</span>'
                              if printed and printed != amount else "")
        rows.append([_e(grant.name), _e(years), _e(grant.funder), shown])
    yield _table("Grants", [("Grant", False), ("Years", False), ("Funder", False),
                            ("Amount", True)], rows)
    budget = strategy.budget
    lines_sum = sum((line.amount.amount for line in budget.lines if line.amount), Decimal(0))
    budget_rows = [[_e(line.label), _e(format_money(line.amount.amount)) if line.amount
                    else _e(line.note or line.funding.value)] for line in budget.lines]
    budget_rows.append(["Sum of the lines", _e(format_money(lines_sum))])
    if budget.stated_total is not None:
        printed = budget.stated_total.as_printed
        budget_rows.append([f"Total as stated{f' (“{_e(printed)}”)' if printed else ''}",
                            _e(format_money(budget.stated_total.amount))])
    yield _table(f"Budget {budget.year}", [("Line", False), ("Amount", True)], budget_rows)


def _theory_of_change(strategy: Strategy, anchor: str) -> Iterator[str]:
    from vpp_core.model.toc import build_graph, graph_data
    from vpp_core.reports.formats.toc_svg import HEADINGS, render_svg

    nodes, edges = graph_data(build_graph(strategy))
    if not nodes:
        return
    yield f'<h3 id="{anchor}-toc">Theory of Change</h3>'
    yield '<figure class="toc-figure">'
    yield render_svg(nodes, edges, title=f"Theory of Change: {strategy.partnership.name}")
    yield ("<figcaption>Inputs feed the strands of work, which deliver the interventions; "
           "outcomes lead to the impact and are measured by the success measures.</figcaption>")
    yield "</figure>"
    yield "<details><summary>The Theory of Change as a list</summary>"
    labels = {name: label for name, _, label in nodes}
    for kind, heading in HEADINGS.items():
        members = [(name, label) for name, node_kind, label in nodes if node_kind == kind]
        if not members:
            continue
        yield f"<h4>{_e(heading)}</h4><ul>"
        for name, label in members:
            onward = [labels[target] for source, target, _ in edges if source == name]
            leads = f" → {_e('; '.join(onward))}" if onward else ""
            yield f"<li>{_e(label)}{leads}</li>"
        yield "</ul>"
    yield "</details>"


# -------------------------------------------------------------------------
# Results, findings, metrics
# -------------------------------------------------------------------------


def _reference(result: Result) -> Iterator[str]:
    """Each source, a link only where its URL is http(s)."""
    for reference in result.references:
        text = _e(reference_text(reference))
        url = http_url(reference.url)
        yield f'<a href="{_e(url)}">{text}</a>' if url else text


def _finding(audit: StrategyAudit, result: Result, lines: Lines) -> str:
    rows = []
    for what, value in evidence_rows(result.evidence):
        css = ' class="shortfall"' if what == "to comply" else ""
        rows.append(f'<tr{css}><th scope="row">{_e(what)}</th><td>{_e(value)}</td></tr>')
    evidence = (f'<table class="evidence"><caption>Evidence</caption><tbody>{"".join(rows)}'
                "</tbody></table>") if rows else ""
    line = lines.line(audit, result)
    where = _e(audit.strategy.source) + (f", line {line}" if line is not None else "")
    items = [
        ("Status", _status(result.status)),
        ("Subject", f"{_e(result.subject.label or result.subject.id)} "
                    f"<code>{_e(result.subject)}</code>"),
        ("Severity", _e(result.severity.value)),
        ("Finding", _e(result.message)),
    ]
    if result.waiver is not None:
        items.append(("Waived", _e(waiver_text(result))))
    sources = list(_reference(result))
    if sources:
        items.append(("Sources", "; ".join(sources)))
    items.append(("In the file", f"<code>{where}</code>"))
    items.append(("Checked by", _e(f"{result.check} ({result.plugin.name} "
                                   f"{result.plugin.version}, {result.plugin.origin})")))
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in items)
    return (f'<article class="finding finding-{result.status.value}">'
            f"<h4>{_e(result.status.value.upper())}: {_e(result.code)} {_e(result.title)}</h4>"
            f"<dl>{details}</dl>{evidence}</article>")


def _progress(audit: StrategyAudit, anchor: str) -> Iterator[str]:
    by_rule = progress_by_rule(audit)
    if not by_rule:
        return
    yield f'<h3 id="{anchor}-progress">Progress against targets</h3>'
    yield ('<p class="meta">What each count has reached against what the rule asks for; '
           "a bar is full at 100%.</p>")
    for code, members in by_rule.items():
        rows = []
        for result, (measured, threshold, share) in members:
            unit = result.evidence.measured.unit if result.evidence.measured else Unit.COUNT
            rows.append([
                _e(result.subject.label or result.subject.id),
                _e(measurement_text(Measurement(measured, unit))),
                _e(measurement_text(Measurement(threshold, unit))),
                share_bar(share, result.subject.label or result.subject.id,
                          percent_text(share)),
                _status(result.status),
            ])
        yield _table(f"{code}: {members[0][0].title}",
                     [("Subject", False), ("Reached", True), ("Asked for", True),
                      ("Progress", False), ("Result", False)], rows)


def _metric_groups(metrics: Mapping[str, Measurement]) -> dict[str, list[tuple[str, Measurement]]]:
    groups: dict[str, list[tuple[str, Measurement]]] = {}
    for reference, measurement in metrics.items():
        name, _, argument = reference.partition(":")
        groups.setdefault(name, []).append((argument or "—", measurement))
    return groups


def _metrics(audit: StrategyAudit, anchor: str) -> Iterator[str]:
    groups = _metric_groups(audit.metrics)
    if not groups:
        return
    yield f'<h3 id="{anchor}-metrics">Metrics</h3>'
    yield ('<p class="meta">Every value the rules computed. Shares (target progress among '
           "them) are drawn as bars; a bar is full at 100%.</p>")
    for name, members in groups.items():
        shares = all(measurement.unit is Unit.SHARE for _, measurement in members)
        rows = []
        for argument, measurement in members:
            value = (share_bar(measurement.value, f"{name} {argument}") if shares
                     else _e(measurement_text(measurement)))
            parts = "; ".join(f"{part.label} {measurement_text(Measurement(part.value, part.unit))}"
                              for part in measurement.parts)
            rows.append([_e(argument), value, _e(measurement.note or parts),
                         _e(measurement.source)])
        yield _table(name, [("Of", False), ("Value", not shares), ("Note", False),
                            ("Source", False)], rows)


def _subject(result: Result) -> str:
    if result.subject.kind == "strategy":
        return "the whole strategy"
    return result.subject.label or f"{result.subject.kind} {result.subject.id}"


def _results_table(audit: StrategyAudit, anchor: str) -> Iterator[str]:
    table_id = f"{anchor}-results"
    yield f'<h3 id="{anchor}-all">Every result</h3>'
    if not audit.results:
        yield "<p>No rules ran.</p>"
        return
    yield (f'<div class="filters" data-filter-table="{table_id}" hidden>Show: '
           '<button type="button" data-show="all" aria-pressed="true">every result</button>'
           '<button type="button" data-show="attention" aria-pressed="false">'
           "only those needing attention</button></div>")
    rows = [[_e(result.code), _status(result.status), _e(result.severity.value),
             _e(_subject(result)), _e(result.title),
             _e(result.message)] for result in audit.results]
    attention = [f'data-attention="{"yes" if result.status in ATTENTION else "no"}"'
                 for result in audit.results]
    yield _table(f"Every result for {audit_label(audit)}",
                 [("Code", False), ("Status", False), ("Severity", False), ("Subject", False),
                  ("Rule", False), ("Finding", False)], rows,
                 table_id=table_id, row_attrs=attention)


def _audit(report: Report, audit: StrategyAudit, index: int, lines: Lines) -> Iterator[str]:
    anchor = f"strategy-{index + 1}"
    strategy = audited_strategy(audit, report)
    counts = audit_counts(audit)
    yield f'<section aria-labelledby="{anchor}">'
    yield f'<h2 id="{anchor}">{_e(audit_label(audit))}</h2>'
    yield (f"<p>{_e(audit.strategy.title)}<br><span class=meta>File: "
           f"<code>{_e(audit.strategy.source)}</code>. {rule_count(audit)} rules, "
           + ", ".join(f"{counts[status.value]} {status.value}" for status in STATUS_ORDER)
           + ".</span></p>")
    if strategy is not None:
        yield from _glance(strategy, anchor)
    attention = [result for result in audit.results if result.status in ATTENTION]
    yield f'<h3 id="{anchor}-findings">Findings that need attention ({len(attention)})</h3>'
    if not attention:
        yield "<p>None: every rule passed or did not apply.</p>"
    for result in attention:
        yield _finding(audit, result, lines)
    yield from _progress(audit, anchor)
    yield from _metrics(audit, anchor)
    yield from _results_table(audit, anchor)
    if strategy is not None:
        yield from _theory_of_change(strategy, anchor)
    yield "</section>"


def _summary(report: Report) -> Iterator[str]:
    yield '<section aria-labelledby="summary"><h2 id="summary" class="first">Summary</h2>'
    yield f"<p><strong>{_e(exit_line(report))}.</strong></p>"
    rows = []
    for index, audit in enumerate(report.audits):
        counts = audit_counts(audit)
        rows.append([f'<a href="#strategy-{index + 1}">{_e(audit_label(audit))}</a>',
                     str(rule_count(audit)),
                     *(str(counts[status.value]) for status in SUMMARY_COLUMNS)])
    for failed in report.failed:
        rows.append([f"<code>{_e(failed.source)}</code>", "—", *("—" for _ in SUMMARY_COLUMNS)])
    yield _table("Results per strategy", [("Strategy", False), ("Rules", True),
                                          *((status.value.capitalize(), True)
                                            for status in SUMMARY_COLUMNS)], rows)
    if report.failed:
        yield "<h3>Not audited</h3>"
        for failed in report.failed:
            problems = "".join(f"<li><code>{_e(problem)}</code></li>"
                               for problem in failed.problems or (failed.message,))
            yield (f'<div class="not-audited"><p><strong>{_e(failed.source)}</strong> '
                   f"({_e(failed.reason)})</p><ul>{problems}</ul></div>")
    yield "</section>"


def _provenance(report: Report) -> Iterator[str]:
    provenance = report.provenance
    yield '<section aria-labelledby="provenance"><h2 id="provenance">How this report was made</h2>'
    yield f"<p>vpp-core {_e(provenance.engine_version)}.</p>"
    if report.waivers:
        when = f" (judged as of {report.waivers_as_of})" if report.waivers_as_of else ""
        yield _table(f"Waivers{when}", [("Waiver", False), ("State", False),
                                        ("Subjects", False)], [
            [_e(note.message), _e(note.state.value), _e(", ".join(note.subjects))]
            for note in report.waivers])
    if report.notes:
        yield "<ul>" + "".join(f"<li>{_e(note)}</li>" for note in report.notes) + "</ul>"
    if report.switched_off:
        yield _table("Rules switched off", [("Rule", False), ("Title", False),
                                            ("Switched off by pack", False)], [
            [f"<code>{_e(rule.code)}</code> {_e(rule.name)}", _e(rule.title), _e(rule.pack)]
            for rule in report.switched_off])
    yield _table("Rule packs", [("Pack", False), ("Version", False), ("File", False),
                                ("SHA-256", False)], [
        [_e(pack.name), _e(pack.version), f"<code>{_e(pack.source)}</code>",
         f"<code>{_e(pack.sha256[:16])}…</code>"] for pack in provenance.packs])
    yield _table("Plugins", [("Plugin", False), ("Version", False), ("Origin", False)], [
        [_e(plugin.name), _e(plugin.version), _e(plugin.origin)]
        for plugin in provenance.plugins])
    yield _table("Input files", [("File", False), ("Role", False), ("SHA-256", False)], [
        [f"<code>{_e(item.path)}</code>", _e(item.role), f"<code>{_e(item.sha256)}</code>"]
        for item in provenance.inputs])
    yield "</section>"


def _title(report: Report) -> str:
    if len(report.audits) == 1 and not report.failed:
        return f"Audit report: {audit_label(report.audits[0])}"
    return f"Audit report: {len(report.audits) + len(report.failed)} strategies"


def render_html(report: Report, options: Mapping[str, Any]) -> str:
    """The report as one self-contained HTML page."""
    lines = Lines()
    title = _title(report)
    nav = "".join(f'<li><a href="#strategy-{index + 1}">{_e(audit_label(audit))}</a></li>'
                  for index, audit in enumerate(report.audits))
    packs = ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs)
    body = [
        '<a class="skip" href="#main">Skip to the report</a>',
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="meta">Rule packs: {_e(packs or "none")}. '
        f"vpp-core {_e(report.provenance.engine_version)}.</p></header>",
        '<nav aria-label="Contents"><ul><li><a href="#summary">Summary</a></li>'
        f'{nav}<li><a href="#provenance">How this report was made</a></li></ul></nav>',
        '<main id="main">',
        *_summary(report),
    ]
    for index, audit in enumerate(report.audits):
        body.extend(_audit(report, audit, index, lines))
    body.extend(_provenance(report))
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
        '<body data-report-ready="no">\n' + "\n".join(body)
        + f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
