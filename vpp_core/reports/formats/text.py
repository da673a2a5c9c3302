"""The ``text`` report, for people, and the summary ``vpp audit`` ends with.

A reporter is ``render(report, options) -> str``; for text, ``options`` may hold
``verbose``, ``quiet``, ``color`` and ``exit_zero`` (see :func:`render_text`).

Text from the inputs never reaches the terminal raw: every line is passed through
:func:`vpp_core.model.escaping.terminal_text` (no escape sequences, no control characters, one
line each) before the report's own colours are added.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.results import Evidence, Result, Severity, Status
from vpp_core.reports.formats.common import (
    ATTENTION,
    EXIT_MEANINGS,
    STATUS_ORDER,
    audit_counts,
    audit_label,
    measurement_text,
    reference_text,
    rule_count,
    switched_off_for,
    switched_off_text,
    threshold_from,
    waiver_text,
    withheld_exit,
)
from vpp_core.reports.report import Report, StrategyAudit
from vpp_core.reports.tables import render_table


def _evidence(evidence: Evidence) -> Iterator[str]:
    if evidence.numerator is not None and evidence.denominator is not None:
        yield (f"{evidence.numerator.label} {format_quantity(evidence.numerator)} ÷ "
               f"{evidence.denominator.label} {format_quantity(evidence.denominator)}")
    if evidence.measured is not None and evidence.threshold is not None:
        yield (f"{evidence.measured.label} {format_quantity(evidence.measured)} "
               f"{evidence.operator or 'vs'} {evidence.threshold.label} "
               f"{format_quantity(evidence.threshold)}{threshold_from(evidence.threshold)}")
    elif evidence.measured is not None:
        yield f"{evidence.measured.label} {format_quantity(evidence.measured)}"
    if evidence.parts:
        shown = ", ".join(f"{part.label} {format_quantity(part)}" for part in evidence.parts)
        yield f"parts: {shown}"
    if evidence.shortfall is not None:
        yield f"to comply: {evidence.shortfall.label} {format_quantity(evidence.shortfall)}"
    yield from evidence.notes


_COLOURS = {Status.PASS: "32", Status.FAIL: "1;31", Status.ERROR: "1;35",
            Status.WAIVED: "33", Status.NOT_APPLICABLE: "2", Status.WITHHELD: "2"}
_WORDS = {Status.PASS: "PASS", Status.FAIL: "FAIL", Status.ERROR: "ERROR",
          Status.WAIVED: "WAIVED", Status.NOT_APPLICABLE: "N/A", Status.WITHHELD: "WITHHELD"}
#: The widest a line of the text report gets: long lines wrap, never lose characters.
WIDTH = 100


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


def _wrap(text: str, indent: str = "", more: str | None = None) -> list[str]:
    """``text`` (made safe for a terminal) in lines of at most :data:`WIDTH` columns; a word
    longer than a line is split across lines, never cut."""
    return textwrap.wrap(terminal_text(text), WIDTH, initial_indent=indent,
                         subsequent_indent=indent + "    " if more is None else more,
                         break_on_hyphens=False) or [indent]


@attrs.frozen
class _Rule:
    """One rule's results of one status for one strategy: shown once, subjects beneath."""

    status: Status
    results: tuple[Result, ...]

    @property
    def first(self) -> Result:
        return self.results[0]

    def header(self, color: bool, counted: bool = False) -> list[str]:
        first = self.first
        word = _WORDS[self.status]
        count = f" ({len(self.results)} subjects)" if counted and len(self.results) > 1 else ""
        lines = _wrap(f"{word:<6} {first.severity.value:<8}{first.code:<8} {first.title}{count}",
                      more=" " * 24)
        lines[0] = _paint(word, _COLOURS[self.status], color) + lines[0][len(word):]
        return lines


def _severity_order(group: _Rule) -> tuple[int, int, str]:
    # rule errors first, then failures by severity, then waived; each by code.
    status_rank = {Status.ERROR: 0, Status.FAIL: 1, Status.WAIVED: 2}.get(group.status, 3)
    return status_rank, -group.first.severity.rank, group.first.code


def _groups(audit: StrategyAudit, statuses: tuple[Status, ...]) -> list[_Rule]:
    by_rule: dict[tuple[Status, str], list[Result]] = {}
    for result in audit.results:
        if result.status in statuses:
            by_rule.setdefault((result.status, result.code), []).append(result)
    groups = [_Rule(status, tuple(results)) for (status, _), results in by_rule.items()]
    return sorted(groups, key=_severity_order)


def _details(group: _Rule, verbose: bool) -> Iterator[str]:
    """Each subject with its message and evidence, then the rule's sources once."""
    evidence = [list(_evidence(result.evidence)) for result in group.results]
    # a line every subject shares (the same quotation, say) is shown once, after them
    shared = ([line for line in evidence[0] if all(line in lines for lines in evidence[1:])]
              if len(evidence) > 1 else [])
    for result, lines in zip(group.results, evidence, strict=True):
        yield from _wrap(f"{result.subject}: {result.message}", "  ", "      ")
        for line in lines:
            if line not in shared:
                yield from _wrap(line, "      ", "        ")
        if result.waiver is not None:
            yield from _wrap(f"waived: {waiver_text(result)}", "      ", "        ")
    for line in shared:
        yield from _wrap(f"every subject: {line}", "  ", "      ")
    if group.status is Status.PASS and not verbose:
        return
    sources = dict.fromkeys(reference_text(reference)
                            + (f" <{reference.url}>" if reference.url else "")
                            for result in group.results for reference in result.references)
    for source in sources:
        yield from _wrap(f"source: {source}", "  ", "      ")


def _subjects(group: _Rule) -> list[str]:
    return _wrap(", ".join(str(result.subject) for result in group.results), " " * 24)


def _not_applicable(audit: StrategyAudit) -> Iterator[str]:
    """One line per reason: the rules and subjects it holds for."""
    by_reason: dict[str, list[Result]] = {}
    for result in audit.results:
        if result.status is Status.NOT_APPLICABLE:
            by_reason.setdefault(result.message, []).append(result)
    if by_reason:
        total = sum(len(results) for results in by_reason.values())
        yield f"Not applicable ({_plural(total, 'result')}), by reason:"
    for reason, results in by_reason.items():
        codes = ", ".join(dict.fromkeys(result.code for result in results))
        subjects = ", ".join(dict.fromkeys(str(result.subject) for result in results))
        yield from _wrap(f"{codes} ({subjects}): {reason}", "  ", "      ")


def _metrics(audit: StrategyAudit) -> Iterator[str]:
    rows = [[name, measurement_text(value), value.note] for name, value in audit.metrics.items()]
    if rows:
        yield "Metrics"
        table = render_table(["metric", "value", "note"], rows, right=[1])
        yield from (f"  {line}" for line in table.splitlines())
        yield ""


def _heading(audit: StrategyAudit, quiet: bool) -> Iterator[str]:
    strategy = audit.strategy
    if quiet:
        yield from _wrap(f"{audit_label(audit)}: {strategy.source}")
        return
    yield from _wrap(f"{audit_label(audit)} — {strategy.partnership}")
    yield from _wrap(f"{strategy.title} ({strategy.source})", "  ")
    packs = [item.role.removeprefix("pack:").replace("@", " ")
             for item in audit.inputs if item.role.startswith("pack:")]
    if packs:  # the pack versions its figures came from
        yield from _wrap(f"packs: {', '.join(sorted(packs))}", "  ")
    yield ""


@attrs.frozen
class _Settings:
    verbose: bool
    quiet: bool
    color: bool
    fail_on: Severity


def _audit(audit: StrategyAudit, settings: _Settings) -> Iterator[str]:
    yield from _heading(audit, settings.quiet)
    if not audit.results:
        yield "  no rules ran"
    for group in _groups(audit, ATTENTION):
        if settings.quiet:
            listed = group.first.severity.rank >= settings.fail_on.rank
            yield from group.header(settings.color, counted=not listed)
            if listed or group.status is not Status.FAIL:
                yield from _subjects(group)
        else:
            yield from group.header(settings.color)
            yield from _details(group, settings.verbose)
    yield ""
    if settings.quiet:
        return
    yield from _not_applicable(audit)
    passes = _groups(audit, (Status.PASS,))
    if settings.verbose:
        yield "Passed:" if passes else "Passed: none"
        for group in passes:
            yield from group.header(settings.color)
            yield from _details(group, settings.verbose)
        yield ""
        yield from _metrics(audit)
    elif passes:
        passed = sum(len(group.results) for group in passes)
        yield (f"Passed: {_plural(passed, 'result')} of {_plural(len(passes), 'rule')} "
               f"(shown with -v)")
    yield ""


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def summary_lines(report: Report, *, exit_zero: bool = False) -> list[str]:
    """Failures by severity, the other results, then what sets the exit code (and, with
    ``--exit-zero``, what it would have been)."""
    counts = report.counts()
    failures = [result for result in report.results if result.status is Status.FAIL]
    by_severity = ", ".join(f"{sum(1 for r in failures if r.severity is severity)} "
                            f"{severity.value}" for severity in Severity)
    rules = len({result.code for result in failures})
    others = (f"{counts[Status.PASS.value]} passed, {counts[Status.NOT_APPLICABLE.value]} not "
              f"applicable, {counts[Status.WAIVED.value]} waived, "
              f"{_plural(counts[Status.ERROR.value], 'rule error')}")
    if counts.get(Status.WITHHELD.value):
        others += f", {counts[Status.WITHHELD.value]} withheld for publication"
    if report.failed:
        others += (f", {len(report.failed)} "
                   f"{'strategy' if len(report.failed) == 1 else 'strategies'} not audited")
    code = report.exit_code()
    fail_on = report.options.fail_on
    at_or_above = len(report.failures())
    reason = {
        0: f"no failure at or above --fail-on {fail_on.value}",
        1: f"{_plural(at_or_above, 'failure')} at or above --fail-on {fail_on.value}",
    }.get(code, EXIT_MEANINGS[code])
    if len(failures) > at_or_above and code in (0, 1):
        reason += f"; {len(failures) - at_or_above} below it are reported but do not count"
    withheld = counts.get(Status.WITHHELD.value, 0)
    if withheld:
        exit_text = withheld_exit(code, reason, withheld)
    elif exit_zero and code == 1:
        exit_text = f"Exit code 0 (--exit-zero; else 1): {reason}"
    else:
        exit_text = f"Exit code {code}: {reason}"
    return [*_wrap(f"{_plural(len(failures), 'failure')} in {_plural(rules, 'rule')}: "
                   f"{by_severity}"),
            *_wrap(others), *_wrap(exit_text)]


_SUMMARY_STATUSES = (Status.PASS, Status.FAIL, Status.ERROR, Status.WAIVED,
                     Status.NOT_APPLICABLE)


def render_summary(report: Report, *, color: bool = False, exit_zero: bool = False) -> str:
    """The end of every text report: for a batch, a table of strategies (rules run, results
    by status, any that could not be audited and why); then the counts and the exit code."""
    lines: list[str] = []
    batch = len(report.audits) + len(report.failed) > 1
    if batch:
        lines += ["Strategies", *_strategy_table(report, color)]
    lines += [line for failed in report.failed
              for problem in (failed.named_lines if batch else failed.lines)
              for line in _wrap(f"  {problem}")]
    lines += summary_lines(report, exit_zero=exit_zero)
    return "\n".join(lines) + "\n"


def _strategy_table(report: Report, color: bool) -> list[str]:
    """Outcome and counts first, the strategy last: a long path wraps under its column."""
    headers = ["outcome", "rules", *(_SHORT.get(status, status.value)
                                     for status in _SUMMARY_STATUSES), "strategy"]
    rows: list[list[str]] = []
    for audit in report.audits:
        counts = audit_counts(audit)
        outcome = next((status.value for status in STATUS_ORDER if counts.get(status.value)),
                       "no results")
        rows.append([outcome, str(rule_count(audit)),
                     *(str(counts[status.value]) for status in _SUMMARY_STATUSES),
                     terminal_text(audit.strategy.source)])
    for failed in report.failed:
        rows.append([f"not audited ({failed.reason})", "-", *("-" for _ in _SUMMARY_STATUSES),
                     terminal_text(failed.source)])
    totals = report.counts()
    rows.append(["", "", *(str(totals[status.value]) for status in _SUMMARY_STATUSES),
                 f"all {len(rows)} strategies"])
    table = render_table(headers, rows, right=range(1, len(headers) - 1)).splitlines()
    column = table[1].rindex(" ") + 1  # where the strategy column starts
    lines: list[str] = []
    table[1] = table[1][:WIDTH]  # the rule under the headers
    for line in table:
        wrapped = textwrap.wrap(line[column:], max(WIDTH - column, 20),
                                break_on_hyphens=False) or [""]
        lines.append((line[:column] + wrapped[0]).rstrip())
        lines.extend(" " * column + rest for rest in wrapped[1:])
    return [_colour_outcome(line) if color else line for line in lines]


_SHORT = {Status.NOT_APPLICABLE: "n/a"}


def _colour_outcome(line: str) -> str:
    for status in STATUS_ORDER:
        if line.startswith(f"{status.value} "):
            return _paint(status.value, _COLOURS[status], True) + line[len(status.value):]
    if line.startswith("not audited"):
        return _paint(line, _COLOURS[Status.ERROR], True)
    return line


def render_text(report: Report, options: Mapping[str, Any]) -> str:
    """A report people read, as ruff and pytest print theirs: what needs attention first
    (rule errors, then failures by severity, then waived; each rule once with its subjects
    beneath), not-applicable results one line per reason, passes counted (listed with
    ``verbose``), then the summary and what sets the exit code.

    ``options``: ``verbose`` (passes, evidence and metrics too), ``quiet`` (only what needs
    attention, one line per rule, and the summary), ``color`` (ANSI colours, for a
    terminal), ``exit_zero`` (the summary says the exit code is 0). A batch of several
    strategies is shown quietly unless ``verbose``: the files written with ``--output``
    hold the rest.
    """
    verbose = bool(options.get("verbose", False))
    batch = len(report.audits) + len(report.failed) > 1
    settings = _Settings(
        verbose=verbose, quiet=bool(options.get("quiet", False)) or (batch and not verbose),
        color=bool(options.get("color", False)), fail_on=report.options.fail_on)
    lines: list[str] = []
    for audit in report.audits:
        lines.extend(_audit(audit, settings))
    if report.waivers:
        lines.append("Waivers:")
        lines.extend(line for note in report.waivers
                     for line in _wrap(f"{note.state.value}: {note.message}", "  "))
    if not settings.quiet:
        lines.extend(line for note in dict.fromkeys(report.notes)
                     for line in _wrap(f"Note: {note}"))
    if report.switched_off:
        if settings.quiet:
            lines.extend(_wrap("Switched off: " + ", ".join(
                f"{rule.code} (by {rule.pack}{switched_off_for(rule, report)})"
                for rule in report.switched_off)))
        else:
            lines.append("Switched off:")
            lines.extend(line for rule in report.switched_off
                         for line in _wrap(switched_off_text(rule, report), "  "))
    if not settings.quiet:
        packs = ", ".join(f"{pack.name} {pack.version}" for pack in report.provenance.packs)
        lines.extend(_wrap(f"Packs: {packs or 'none'}"))
        lines.append("")
    return "\n".join(lines) + "\n" + render_summary(
        report, color=settings.color, exit_zero=bool(options.get("exit_zero", False)))
