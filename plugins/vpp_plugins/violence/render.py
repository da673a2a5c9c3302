"""``vpp violence`` as text, JSON, CSV or HTML; every format says whether it is internal or
published, which definition it counts under and where that comes from."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from vpp_core import csv_writer, html_text, json_document, render_table, terminal_text
from vpp_plugins.violence.change import Change, YearOnYear, rate_ratio
from vpp_plugins.violence.comparing import Comparison
from vpp_plugins.violence.counting import Unresolved
from vpp_plugins.violence.explaining import Explanation
from vpp_plugins.violence.report import AreaLine, ViolenceReport

FORMATS = ("text", "json", "csv", "html")

#: A figure derived from a count suppressed for publication (a ratio would give it away).
CONFIDENTIAL = "[c]"


def _lines(out: list[str]) -> str:
    """Text for a terminal: the records' and the definition's text (offence codes, areas,
    titles) without escape sequences, control characters or bidirectional overrides."""
    return terminal_text("\n".join(out), newlines=True) + "\n"


def _shown_count(report: ViolenceReport, count: int) -> int | None:
    """``count`` as the report shows it (rounded if the policy rounds); None if suppressed."""
    text = report.show(count)
    return int(text) if text.isdigit() else None


def _hidden(report: ViolenceReport, change: Change) -> bool:
    """Whether either year's count is suppressed, and so the ratio and its interval."""
    return any(_shown_count(report, count) is None
               for count in (change.this_year, change.last_year))


def _as_shown(report: ViolenceReport, change: Change) -> Change:
    """The change between the counts as shown: a ratio of exact counts beside rounded ones
    would give the exact counts away."""
    this_year = _shown_count(report, change.this_year)
    last_year = _shown_count(report, change.last_year)
    assert this_year is not None and last_year is not None
    return Change(change.category, change.area, change.this_year, change.last_year,
                  *rate_ratio(this_year, last_year))


def _change_rows(report: ViolenceReport) -> list[tuple[str, ...]]:
    if report.change is None:
        return []
    rows: list[tuple[str, ...]] = []
    for change in report.change.changes:
        if _hidden(report, change):
            rows.append((change.category, change.area, report.show(change.last_year),
                         report.show(change.this_year), CONFIDENTIAL, CONFIDENTIAL,
                         CONFIDENTIAL, ""))
            continue
        change = _as_shown(report, change)
        interval = ("" if change.low is None else f"{change.low}–{change.high}")
        rows.append((change.category, change.area, report.show(change.last_year),
                     report.show(change.this_year),
                     "" if change.ratio is None else str(change.ratio), interval,
                     "yes" if change.unlikely_noise else "no",
                     "zero count: half added" if change.corrected else ""))
    return rows


def _area_table(report: ViolenceReport) -> tuple[list[str], list[list[str]]]:
    """Headings and rows of the areas' counts, with residents and the rate of 'any category'
    where populations are given (blank where 'any category' cannot be counted)."""
    ids = [category for category, _ in report.categories]
    with_rates = any(line.residents for line in report.areas)
    headings = ["Area", *ids] + (["residents", "any per 1,000"] if with_rates else [])
    rows = []
    for line in report.areas:
        counts = dict(line.counts)
        row = [line.area, *(report.show(counts[category]) for category in ids)]
        if with_rates:
            headline = counts.get("any")  # absent when a category cannot be counted
            row += [str(line.residents or ""),
                    "" if headline is None else _rate(report, line, headline)]
        rows.append(row)
    return headings, rows


def _rate(report: ViolenceReport, line: AreaLine, count: int) -> str:
    """``count`` per 1,000 of the area's residents; ``[c]`` when the count is suppressed
    (the rate and the residents would give it away); empty without residents."""
    shown = _shown_count(report, count)
    if not line.residents:
        return ""
    rate = None if shown is None else line.rate(shown)
    return CONFIDENTIAL if rate is None else str(rate)


def _change_title(change: YearOnYear) -> str:
    return (f"{change.this_year} against {change.last_year}, over the same "
            f"{change.granularity.value}s ({', '.join(change.periods)}); 95% interval for the "
            "ratio of Poisson counts:")


def _change_headings(change: YearOnYear) -> list[str]:
    return ["Category", "Area", change.last_year, change.this_year, "ratio", "95% interval",
            "unlikely noise", "note"]


def _rows_line(report: ViolenceReport) -> str:
    return (f"Rows: {report.rows_read} read, {report.rows_used} used, "
            f"{report.rows_read - report.rows_used} left out{_skipped(report)}.")


def _left_out_lines(report: ViolenceReport) -> list[str]:
    return [f"{file}: {reason}: {count}{_rows(report, file, reason)}"
            for file, reason, count in report.left_out]


def as_text(report: ViolenceReport) -> str:
    out = [report.title, f"Definition: {report.definition_id}, from {report.definition_source}.",
           f"Source: {report.source_kind}; periods by {report.granularity}.",
           report.policy.statement, ""]
    ids = [category for category, _ in report.categories]
    if not ids:
        out.append("No category of the definition can be counted from this source.")
    headings, rows = _area_table(report)
    if ids:
        out.append(render_table(headings, rows, right=range(1, len(headings))))
        out += ["", f"By {report.granularity}, all areas:"]
        out.append(render_table(["Period", *ids], [
            [period, *(report.show(count) for _, count in counts)]
            for period, counts in report.series], right=range(1, len(ids) + 1)))
    if report.change is not None:
        out += ["", _change_title(report.change)]
        out.append(render_table(_change_headings(report.change), _change_rows(report),
                                right=(2, 3, 4)))
    out += [f"Not resolved: {item.category}: {_unresolved(report, item)}"
            for item in report.unresolved]
    out += ["", _rows_line(report)]
    out += [f"  {line}" for line in _left_out_lines(report)]
    out += [f"Residents: {source}" for source in report.residents_source]
    out += [f"Note: {note}" for note in report.notes]
    return _lines(out)


def _data(report: ViolenceReport) -> dict[str, Any]:
    def shown(count: int) -> int | str:
        return _shown(report, count)

    return {
        "title": report.title,
        "audience": report.policy.audience.value,
        "statement": report.policy.statement,
        "definition": {"id": report.definition_id, "title": report.definition_title,
                       "source": report.definition_source},
        "source_kind": report.source_kind,
        "granularity": report.granularity,
        "categories": [{"id": c, "label": label} for c, label in report.categories],
        "areas": [{"area": line.area, "residents": line.residents,
                   "counts": {c: shown(n) for c, n in line.counts},
                   "rates_per_1000": {c: _rate(report, line, n) or None
                                      for c, n in line.counts}} for line in report.areas],
        "series": [{"period": period, "counts": {c: shown(n) for c, n in counts}}
                   for period, counts in report.series],
        "cells": [{"category": c, "area": area, "period": period, "count": shown(n)}
                  for c, area, period, n in report.cells],
        "change": None if report.change is None else {
            "this_year": report.change.this_year, "last_year": report.change.last_year,
            "periods": list(report.change.periods),
            "method": "log interval for the ratio of two Poisson counts, 95%",
            "changes": [_json_change(report, c) for c in report.change.changes]},
        "unresolved": [{"category": u.category, "reason": u.reason,
                        "upper_bound": None if u.upper_bound is None else shown(u.upper_bound),
                        "bound_types": list(u.bound_types),
                        "lower_bound": None if u.lower_bound is None else shown(u.lower_bound)}
                       for u in report.unresolved],
        "rows": {"read": report.rows_read, "used": report.rows_used,
                 "empty_skipped": report.empty_rows,
                 "left_out": [{"file": f, "reason": r, "count": n,
                               "rows": _listed(report, f, r)}
                              for f, r, n in report.left_out]},
        "notes": list(report.notes),
    }


def _shown(report: ViolenceReport, count: int) -> int | str:
    """A count as JSON gives it: a number, or its suppressed text (``<5``)."""
    text = report.show(count)
    return int(text) if text.isdigit() else text


def _json_change(report: ViolenceReport, change: Change) -> dict[str, Any]:
    def shown(count: int) -> int | str:
        return _shown(report, count)

    hidden = _hidden(report, change)
    change = change if hidden else _as_shown(report, change)
    figures: dict[str, Any] = {
        "ratio": None if change.ratio is None else str(change.ratio),
        "low": None if change.low is None else str(change.low),
        "high": None if change.high is None else str(change.high),
        "zero_corrected": change.corrected, "unlikely_noise": change.unlikely_noise}
    if hidden:
        figures = dict.fromkeys(figures, CONFIDENTIAL)
    return {"category": change.category, "area": change.area,
            "this_year": shown(change.this_year), "last_year": shown(change.last_year),
            **figures}


def _listed(report: ViolenceReport, file: str, reason: str) -> list[int]:
    """The rows of ``file`` left out for ``reason`` (CSV lines), as far as they are listed."""
    return [row for shown, row, why in report.listed if shown == file and why == reason]


def _rows(report: ViolenceReport, file: str, reason: str) -> str:
    listed = _listed(report, file, reason)
    return f" (row{'s' if len(listed) > 1 else ''} {', '.join(map(str, listed))})" if listed else ""


def _unresolved(report: ViolenceReport, item: Unresolved) -> str:
    """Why a category is not resolved, with the bounds the source gives, shown as the
    report's disclosure policy lets counts be shown."""
    text = f"{item.reason}."
    if item.lower_bound is not None:
        text += (f" At least {report.show(item.lower_bound)}: the offences this "
                 "source has of what the category takes in, a lower bound.")
    if item.upper_bound is not None:
        text += (f" At most {report.show(item.upper_bound)}: the count of "
                 f"{' / '.join(item.bound_types)}, which hold it among other crimes.")
    return text


def _skipped(report: ViolenceReport) -> str:
    rows = "row" if report.empty_rows == 1 else "rows"
    return (f"; {report.empty_rows} {rows} of empty cells skipped, as blank lines"
            if report.empty_rows else "")


def as_json(report: ViolenceReport) -> str:
    return json_document(_data(report))


def as_csv(report: ViolenceReport) -> str:
    """One row a count: each category by area by period, then by area over all periods,
    by period over all areas, and over both ("all")."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(["definition", "category", "area", "period", "count", "audience"])
    ids = [category for category, _ in report.categories]
    totals = [
        *report.cells,
        *((category, line.area, "all", count) for line in report.areas
          for category, count in line.counts),
        *((category, "all", period, count) for period, counts in report.series
          for category, count in counts if category in ids),
        *((category, "all", "all", sum(count for c, _, _, count in report.cells if c == category))
          for category in ids),
    ]
    for category, area, period, count in totals:
        writer.writerow([report.definition_id, category, area, period, report.show(count),
                         report.policy.audience.value])
    return buffer.getvalue()


def _bars(series: tuple[tuple[str, int], ...], report: ViolenceReport) -> str:
    """A small bar chart of one area's counts by period, as inline SVG: each bar the count
    as shown; a suppressed count an empty outline the chart's height, never measured."""
    width, height, gap = 12, 60, 2
    shown = [(period, count, _shown_count(report, count)) for period, count in series]
    top = max((value for _, _, value in shown if value is not None), default=0) or 1
    bars = []
    for index, (period, count, value) in enumerate(shown):
        tall = height if value is None else round(height * value / top)
        bars.append(f'<rect{" class=hidden" if value is None else ""} '
                    f'x="{index * (width + gap)}" y="{height - tall}" width="{width}" '
                    f'height="{tall}"><title>{html_text(period)}: '
                    f"{html_text(report.show(count))}</title></rect>")
    return (f'<svg role="img" width="{len(series) * (width + gap)}" height="{height}" '
            f'viewBox="0 0 {len(series) * (width + gap)} {height}">{"".join(bars)}</svg>')


def _html_table(headings: list[str], rows: list[list[str]] | list[tuple[str, ...]],
                row_headings: int = 1) -> str:
    """A table, its first ``row_headings`` cells of each row headings of that row."""
    head = "".join(f"<th scope=col>{html_text(heading)}</th>" for heading in headings)
    body = "".join(
        "<tr>" + "".join(f"<th scope=row>{html_text(cell)}</th>" if index < row_headings
                         else f"<td>{html_text(cell)}</td>" for index, cell in enumerate(row))
        + "</tr>" for row in rows)
    return (f"<div class=wide><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
            "</table></div>")


def as_html(report: ViolenceReport) -> str:
    change = "" if report.change is None else (
        f"<h2>Change</h2><p>{html_text(_change_title(report.change))}</p>"
        + _html_table(_change_headings(report.change), _change_rows(report), 0))
    left_out = "".join(f"<li>{html_text(line)}</li>" for line in _left_out_lines(report))
    multiples = "".join(
        f"<figure><figcaption>{html_text(area)}</figcaption>{_bars(series, report)}</figure>"
        for area, series in report.by_area_series)
    unresolved = "".join(f"<li>{html_text(u.category)}: {html_text(_unresolved(report, u))}</li>"
                         for u in report.unresolved)
    notes = "".join(f"<li>{html_text(note)}</li>" for note in report.notes)
    return (
        "<!doctype html><html lang=en><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<title>{html_text(report.title)}</title><style>"
        "body{font:16px/1.4 system-ui,sans-serif;margin:1rem;max-width:70rem}"
        ".wide{overflow-x:auto}table{border-collapse:collapse}"
        "th,td{padding:.2rem .5rem;border-bottom:1px solid #ccc;text-align:right}"
        "th[scope=row]{text-align:left}.multiples{display:flex;flex-wrap:wrap;gap:1rem}"
        "figure{margin:0}rect{fill:#3b5b92}"
        "rect.hidden{fill:none;stroke:#3b5b92;stroke-dasharray:2}</style>"
        f"<h1>{html_text(report.title)}</h1><p>{html_text(report.policy.statement)}</p>"
        f"<p>Definition <b>{html_text(report.definition_id)}</b>, from "
        f"{html_text(report.definition_source)}. Source: {html_text(report.source_kind)}.</p>"
        + _html_table(*_area_table(report))
        + f"<h2>By {html_text(report.granularity)}, each area</h2>"
        + f"<div class=multiples>{multiples}</div>"
        + change
        + (f"<h2>Not resolved from this source</h2><ul>{unresolved}</ul>" if unresolved else "")
        + (f"<h2>Notes</h2><ul>{notes}</ul>" if notes else "")
        + f"<p>{html_text(_rows_line(report))}</p>"
        + (f"<ul>{left_out}</ul>" if left_out else "") + "</html>\n"
    )


RENDERERS: dict[str, Callable[[ViolenceReport], str]] = {
    "text": as_text, "json": as_json, "csv": as_csv, "html": as_html}


def comparison_text(comparison: Comparison, show: Callable[[int], str] = str) -> str:
    """The comparison as text, each count of records as ``show`` gives it (a published
    one suppresses small counts); rows read and left out as the report gives them."""
    first, second = comparison.first.id, comparison.second.id
    out = [f"The same {comparison.rows_used} records under '{first}' and '{second}':",
           f"  in both: {show(comparison.in_both)}; only under {first}: "
           f"{show(comparison.only_first)}; only under {second}: "
           f"{show(comparison.only_second)}.", ""]
    out.append(render_table(
        ["Definition", "Category", "Counted", "In no category of the other"],
        [(d.definition, d.category, show(d.counted), show(d.outside_other))
         for d in comparison.categories], right=(2, 3)))
    out += ["", f"Rows: {comparison.rows_read} read, {comparison.rows_used} used, "
            f"{comparison.rows_read - comparison.rows_used} left out."]
    out += [f"  {file}: {reason}: {count}" for file, reason, count in comparison.left_out]
    return _lines(out)


def explanations_text(explanations: tuple[Explanation, ...]) -> str:
    out = []
    for item in explanations:
        if item.left_out_by_reader:
            out.append(f"row {item.row}: left out by the reader: {item.left_out_by_reader}")
            continue
        out.append(f"row {item.row}:")
        out += [f"  {'counted' if counted else 'not counted'} in {category}: {why}"
                for category, counted, why in item.decisions]
    return _lines(out)
