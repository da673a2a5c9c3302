"""HTML: one self-contained page (no external assets) people read on screen, on a phone
or on paper.

This module gathers what the page shows as plain data; the markup, style sheet and script
are Jinja2 templates shipped in ``vpp_core/reports/templates/`` (autoescaped), imported only
when HTML is written. A VRU restyles the page with ``--template DIR``: a template of the same
name there replaces the shipped one, ``theme.css`` is added after the shipped style sheet
(colours are CSS custom properties), and ``logo.svg`` is shown in the header.

The page opens with a plain-language headline, then per strategy: the findings grouped by
rule (errors first), each with a table of its subjects; progress against targets; campaign
reach; the strategy at a glance; every result; the Theory of Change (scrollable at a legible
size on a phone). Error, warning and information are told apart by text and shape as well
as colour; there is a print layout.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from vpp_core.model import Strategy
from vpp_core.model.escaping import http_url, xml_text
from vpp_core.model.money import format_money
from vpp_core.plugin_api.formatting import format_share
from vpp_core.plugin_api.results import Result, Severity, Status, Unit
from vpp_core.plugin_api.specs import Measurement
from vpp_core.reports.formats.common import (
    ATTENTION,
    REACH_PREFIX,
    STATUS_ORDER,
    SUMMARY_COLUMNS,
    audit_counts,
    audit_label,
    evidence_rows,
    measurement_text,
    percent_text,
    progress_by_rule,
    read_by,
    reference_text,
    rule_count,
    switched_off_for,
    waiver_text,
)
from vpp_core.reports.formats.headline import headline
from vpp_core.reports.formats.lines import Lines, audited_strategy, records_row
from vpp_core.reports.report import Report, StrategyAudit, finding_key

TEMPLATE = "report.html.j2"
# Most urgent first: errored rules, then failures by severity, then waived ones.
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
# The smallest font the Theory of Change is drawn at, in pixels (its text is 12px at scale 1).
_TOC_MIN_FONT = 11


def _text(value: Any) -> Any:
    """Every value the templates print: characters XML forbids (control characters) are
    replaced; autoescaping then escapes markup."""
    from markupsafe import Markup

    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return xml_text(value)


def environment(template_dir: str | Path | None = None) -> Any:
    """The Jinja2 environment: the shipped templates, overridden by ``template_dir``."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined

    loaders: list[Any] = [PackageLoader("vpp_core.reports", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, finalize=_text,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)


def _safe(markup: str) -> Any:
    from markupsafe import Markup

    return Markup(markup)


def share_bar(value: Decimal | None, label: str, text: str | None = None) -> dict[str, Any]:
    """A bar for a share (capped at 100% wide) with the percentage beside it in text."""
    if value is None:
        return {"width": None, "text": "not available", "label": label, "over": False}
    width = max(Decimal(0), min(value, Decimal(1))) * 100
    return {"width": f"{width:.1f}", "text": text or format_share(value), "label": label,
            "over": value >= 1}


# -------------------------------------------------------------------------
# Findings grouped by rule
# -------------------------------------------------------------------------


def _sources(result: Result) -> list[dict[str, str | None]]:
    return [{"text": reference_text(reference), "url": http_url(reference.url)}
            for reference in result.references]


def _group_order(results: list[Result]) -> tuple[int, int, str]:
    first = results[0]
    errored = 0 if any(result.status is Status.ERROR for result in results) else 1
    waived = 1 if all(result.status is Status.WAIVED for result in results) else 0
    return (errored, waived * 3 + _SEVERITY_ORDER[first.severity], first.code)


def _finding_groups(report: Report, audit: StrategyAudit, lines: Lines
                    ) -> list[dict[str, Any]]:
    by_rule: dict[str, list[Result]] = {}
    for result in audit.results:
        if result.status in ATTENTION:
            by_rule.setdefault(result.code, []).append(result)
    groups = []
    for results in sorted(by_rule.values(), key=_group_order):
        first = results[0]
        doc = report.rule_doc(first.code)
        errored = any(result.status is Status.ERROR for result in results)
        waived = all(result.status is Status.WAIVED for result in results)
        groups.append({
            "code": first.code,
            "name": first.name,
            "title": first.title,
            "severity": first.severity.value,
            "kind": "errored" if errored else "waived" if waived else first.severity.value,
            "description": doc.description if doc is not None else "",
            "sources": _sources(first),
            "check": f"{first.check} ({first.plugin.name} {first.plugin.version}, "
                     f"{first.plugin.origin})",
            "subjects": [_subject_row(report, audit, result, lines) for result in results],
        })
    return groups


def _subject_row(report: Report, audit: StrategyAudit, result: Result, lines: Lines
                 ) -> dict[str, Any]:
    line = lines.line(audit, result)
    row = records_row(result)
    where = (f"{row[0]}, row {row[1]}" if row is not None
             else audit.strategy.source + (f", line {line}" if line is not None else ""))
    state = None
    if report.baseline is not None and result.status in (Status.FAIL, Status.WAIVED):
        state = report.baseline.states.get(finding_key(audit, result), "new")
    return {
        "subject": _subject(result),
        "id": str(result.subject),
        "status": result.status.value,
        "message": result.message,
        "evidence": list(evidence_rows(result.evidence)),
        "waiver": waiver_text(result) if result.waiver is not None else "",
        "where": where,
        "baseline": state,
    }


def _subject(result: Result) -> str:
    if result.subject.kind == "strategy":
        return "the whole strategy"
    return result.subject.label or f"{result.subject.kind} {result.subject.id}"


# -------------------------------------------------------------------------
# Targets, metrics and reach
# -------------------------------------------------------------------------


def _progress(audit: StrategyAudit) -> list[dict[str, Any]]:
    tables = []
    for code, members in progress_by_rule(audit).items():
        rows = []
        for result, (measured, threshold, share) in members:
            unit = result.evidence.measured.unit if result.evidence.measured else Unit.COUNT
            label = result.subject.label or result.subject.id
            rows.append({
                "subject": label,
                "reached": measurement_text(Measurement(measured, unit)),
                "target": measurement_text(Measurement(threshold, unit)),
                "bar": share_bar(share, label, percent_text(share)),
                "status": result.status.value,
            })
        tables.append({"caption": f"{code}: {members[0][0].title}", "rows": rows})
    return tables


def _metric_tables(metrics: Mapping[str, Measurement]) -> list[dict[str, Any]]:
    groups: dict[str, list[tuple[str, Measurement]]] = {}
    for reference, measurement in metrics.items():
        name, _, argument = reference.partition(":")
        groups.setdefault(name, []).append((argument or "—", measurement))
    tables = []
    for name, members in groups.items():
        shares = all(measurement.unit is Unit.SHARE for _, measurement in members)
        rows = []
        for argument, measurement in members:
            parts = "; ".join(
                f"{part.label} {measurement_text(Measurement(part.value, part.unit))}"
                for part in measurement.parts)
            rows.append({
                "of": argument,
                "bar": share_bar(measurement.value, f"{name} {argument}") if shares else None,
                "value": measurement_text(measurement),
                "note": measurement.note or parts,
                "source": measurement.source,
            })
        tables.append({"name": name, "shares": shares, "rows": rows})
    return tables


# -------------------------------------------------------------------------
# The strategy itself: at a glance, and its Theory of Change
# -------------------------------------------------------------------------


def _glance(strategy: Strategy) -> dict[str, Any]:
    grants = []
    for grant in strategy.grants:
        amount = format_money(grant.amount.amount)
        printed = grant.amount.as_printed
        grants.append({"name": grant.name, "years": ", ".join(str(y) for y in grant.years),
                       "funder": grant.funder, "amount": amount,
                       "printed": printed if printed and printed != amount else ""})
    budget = strategy.budget
    lines_sum = sum((line.amount.amount for line in budget.lines if line.amount), Decimal(0))
    rows = [(line.label, format_money(line.amount.amount) if line.amount
             else line.note or line.funding.value) for line in budget.lines]
    rows.append(("Sum of the lines", format_money(lines_sum)))
    if budget.stated_total is not None:
        printed = budget.stated_total.as_printed
        rows.append((f"Total as stated{f' (“{printed}”)' if printed else ''}",
                     format_money(budget.stated_total.amount)))
    return {"grants": grants, "budget_year": str(budget.year), "budget": rows}


def _theory_of_change(strategy: Strategy) -> dict[str, Any] | None:
    from vpp_core.model.toc import build_graph, graph_data
    from vpp_core.reports.formats.toc_svg import HEADINGS, render_svg

    nodes, edges = graph_data(build_graph(strategy))
    if not nodes:
        return None
    svg = render_svg(nodes, edges, title=f"Theory of Change: {strategy.partnership.name}")
    found = re.search(r'width="(\d+)"', svg)
    natural = int(found.group(1)) if found else 960
    labels = {name: label for name, _, label in nodes}
    kinds = []
    for kind, heading in HEADINGS.items():
        members = [{"label": label,
                    "onward": "; ".join(labels[target] for source, target, _ in edges
                                        if source == name)}
                   for name, node_kind, label in nodes if node_kind == kind]
        if members:
            kinds.append({"heading": heading, "members": members})
    return {"svg": _safe(svg), "min_width": natural * _TOC_MIN_FONT // 12, "kinds": kinds}


# -------------------------------------------------------------------------
# The page
# -------------------------------------------------------------------------


def _audit(report: Report, audit: StrategyAudit, index: int, lines: Lines) -> dict[str, Any]:
    strategy = audited_strategy(audit, report)
    counts = audit_counts(audit)
    metrics = _metric_tables({name: value for name, value in audit.metrics.items()
                              if not name.startswith(REACH_PREFIX)})
    reach = _metric_tables({name: value for name, value in audit.metrics.items()
                            if name.startswith(REACH_PREFIX)})
    return {
        "anchor": f"strategy-{index + 1}",
        "label": audit_label(audit),
        "title": audit.strategy.title,
        "source": audit.strategy.source,
        "rules": rule_count(audit),
        "counts": [(counts[status.value], status.value) for status in STATUS_ORDER
                   if status.value in counts],
        "headline": headline([audit]),
        "groups": _finding_groups(report, audit, lines),
        "progress": _progress(audit),
        "metrics": metrics,
        "reach": reach,
        "glance": _glance(strategy) if strategy is not None else None,
        "toc": _theory_of_change(strategy) if strategy is not None else None,
        "results": [{"code": result.code, "status": result.status.value,
                     "severity": result.severity.value, "subject": _subject(result),
                     "title": result.title, "message": result.message,
                     "attention": result.status in ATTENTION}
                    for result in audit.results],
    }


def _title(report: Report) -> str:
    if len(report.audits) == 1 and not report.failed:
        return f"Audit report: {audit_label(report.audits[0])}"
    return f"Audit report: {len(report.audits) + len(report.failed)} strategies"


def _summary_rows(report: Report) -> Iterator[dict[str, Any]]:
    for index, audit in enumerate(report.audits):
        counts = audit_counts(audit)
        yield {"anchor": f"strategy-{index + 1}", "label": audit_label(audit),
               "rules": rule_count(audit),
               "counts": [counts[status.value] for status in SUMMARY_COLUMNS]}


def _logo(template_dir: str | Path | None) -> str | None:
    """``logo.svg`` or ``logo.png`` from the template folder as a data URI: an image the
    page carries with it, whose scripts (an SVG's) never run."""
    if template_dir is None:
        return None
    for name, media in (("logo.svg", "image/svg+xml"), ("logo.png", "image/png")):
        path = Path(template_dir) / name
        if path.is_file():
            return f"data:{media};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return None


def _theme(template_dir: str | Path | None) -> Any:
    """``theme.css`` from the template folder (colours, fonts), kept inside the style sheet."""
    if template_dir is None:
        return ""
    path = Path(template_dir) / "theme.css"
    if not path.is_file():
        return ""
    return _safe(path.read_text(encoding="utf-8").replace("</", "<\\/"))


def page_context(report: Report, template_dir: str | Path | None = None) -> dict[str, Any]:
    """Everything the page shows, as plain data for the templates."""
    lines = Lines()
    return {
        "title": _title(report),
        "headline": headline(report.audits, failed=len(report.failed)),
        "disclosure": report.disclosure,
        "audience": report.audience,
        "packs": ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs),
        "engine": report.provenance.engine_version,
        "fail_on": report.options.fail_on.value,
        "exit_code": report.exit_code(),
        "summary_columns": [status.value for status in SUMMARY_COLUMNS],
        "summary": list(_summary_rows(report)),
        "failed": [{"source": failed.source, "reason": failed.reason,
                    "problems": list(failed.problems or (failed.message,))}
                   for failed in report.failed],
        "audits": [_audit(report, audit, index, lines)
                   for index, audit in enumerate(report.audits)],
        "baseline": report.baseline,
        "switched_off": [{"rule": rule,
                          "strategies": switched_off_for(rule, report).removeprefix(" ")}
                         for rule in report.switched_off],
        "report": report,
        "read_by": functools.partial(read_by, report),
        "logo": _logo(template_dir),
        "theme": _theme(template_dir),
    }


def render_html(report: Report, options: Mapping[str, Any]) -> str:
    """The report as one self-contained HTML page (``options["template"]``: a folder of
    templates, ``theme.css`` and ``logo.svg`` that restyle it)."""
    template_dir = options.get("template")
    env = environment(template_dir)
    text: str = env.get_template(TEMPLATE).render(page_context(report, template_dir))
    return text
