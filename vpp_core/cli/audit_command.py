"""``vpp audit``: audits strategies against rule packs and writes the report.

Thin: parses its options, runs a batch through :mod:`vpp_core.batch`, and prints what a
reporter or a formatter renders. Exit codes come from
:meth:`vpp_core.reports.report.Report.exit_code`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import date
from pathlib import Path

from vpp_core.batch import (
    MAX_JOBS,
    MAX_TIMEOUT,
    BatchSettings,
    check_jobs,
    check_timeout,
    collect,
    input_files,
    run_batch,
)
from vpp_core.cli.config import KEYS as CONFIG_KEYS
from vpp_core.cli.config import find_config
from vpp_core.cli.outputs import (
    ProgressBar,
    check_format,
    parse_outputs,
    refuse_overwriting,
    render,
    use_color,
    write_outputs,
)
from vpp_core.cli.report_options import add_report_arguments, prepare_report, read_baseline
from vpp_core.cli.report_options import render_options as report_render_options
from vpp_core.cli.strategy_choice import add_strategy_arguments, chosen_strategy, example_chosen
from vpp_core.loading.bundled import bundled_strategy, display_path
from vpp_core.loading.errors import UsageError
from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.manager import CORE_ORIGIN, Plugins
from vpp_core.plugin_api.results import Severity
from vpp_core.plugin_api.trust import load_trust
from vpp_core.reports.formats.text import render_summary
from vpp_core.reports.report import EXIT_FINDINGS, EXIT_OK, Report
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.waivers import load_waivers

_SEVERITIES = [severity.value for severity in Severity]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = ("Settings may also come from vpp.toml, or [tool.vpp] in pyproject.toml, in "
                     f"the working folder (keys: {', '.join(CONFIG_KEYS)}); the command line "
                     "overrides each one it gives. Exit codes: 0 nothing failed at or above "
                     "--fail-on; 1 something did; 2 bad input; 3 a rule errored.")
    add_strategy_arguments(
        parser, many=True,
        described="strategy TOML files, folders holding a strategy.toml (and optionally its "
                  "records.toml or records/ folder and its own packs, used unless --pack is "
                  "given), folders of such folders, or globs")
    parser.add_argument("--pack", action="append", metavar="P",
                        help="a rule pack by name or path (repeatable; default: the packs "
                             "marked default)")
    parser.add_argument("--waivers", metavar="W", help="a waivers TOML file")
    parser.add_argument("--records", action="append", default=[], metavar="R",
                        help="records: a records.toml manifest, a folder with one, or "
                             "KIND=PATH, optionally mapping columns as "
                             "'KIND=PATH;ours=Theirs,…' (repeatable; kinds: vpp records kinds)")
    parser.add_argument("--select", action="append", default=[], metavar="CODES",
                        help="run only these codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--ignore", action="append", default=[], metavar="CODES",
                        help="do not run these codes or prefixes (comma-separated, repeatable)")
    parser.add_argument("--severity", choices=_SEVERITIES,
                        help="run only rules of at least this severity")
    parser.add_argument("--fail-on", choices=_SEVERITIES,
                        help="exit 1 for failures at or above this severity (default: error)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even if rules fail (reports are still written); input "
                             "errors (2) and rule errors (3) still exit non-zero")
    parser.add_argument("--ignore-waivers", action="store_true",
                        help="show the findings as they would be without waivers")
    parser.add_argument("--format", metavar="FORMAT",
                        help="output format: text (default), json, junit, sarif, csv, html, "
                             "markdown, xlsx (with --output), or one a plugin adds")
    parser.add_argument("-o", "--output", action="append", default=[], metavar="[FORMAT:]PATH",
                        help="write the report to PATH, atomically, instead of to standard "
                             "output, in the format its extension names (.json, .sarif, .xml "
                             "or .junit.xml, .csv, .html, .md, .txt, .xlsx) or FORMAT "
                             "(repeatable); the summary goes to standard error")
    parser.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                        help="audit several strategies in up to N worker processes, no more "
                             f"than the strategies or the CPUs (1 to {MAX_JOBS}; default: 1)")
    parser.add_argument("--timeout", type=_timeout, metavar="SECONDS",
                        help="stop (kill) the audit of a strategy that takes longer, give it "
                             f"an error entry and go on (above 0, at most {MAX_TIMEOUT:g})")
    parser.add_argument("--trust", metavar="FILE",
                        help="a trust list (TOML) pinning by SHA-256 the local plugins that "
                             "packs found beside a strategy may run; without it they run none")
    parser.add_argument("--as-of", metavar="DATE",
                        help="the day waivers expire against and metrics count to "
                             "(default: today)")
    add_report_arguments(parser)
    detail = parser.add_mutually_exclusive_group()
    detail.add_argument("-v", "--verbose", action="store_true",
                        help="text: passes too, with every result's evidence, and metrics")
    detail.add_argument("-q", "--quiet", action="store_true",
                        help="text: only what needs attention, one line per rule, and the "
                             "summary")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of: expected a date like 2025-03-31, got {text!r}") from None


def _jobs(text: str) -> int:
    try:
        return check_jobs(int(text) if text.strip().lstrip("+-").isdigit() else text)
    except UsageError as error:
        raise argparse.ArgumentTypeError(error.message.removeprefix("--jobs: ")) from None


def _timeout(text: str) -> float | None:
    try:
        value: object = float(text)
    except ValueError:
        value = text
    try:
        return check_timeout(value)
    except UsageError as error:
        raise argparse.ArgumentTypeError(error.message.removeprefix("--timeout: ")) from None


def _strategies(options: argparse.Namespace) -> list[str | Path]:
    """What to audit: the STRATEGY arguments, ``./strategy.toml``, or the bundled example's
    folder with ``--example`` (with its records, unless --records names others)."""
    if example_chosen(options):
        return [bundled_strategy() if options.records else bundled_strategy().parent]
    return list(options.strategy) or [chosen_strategy(options)]


def _foreign_code(plugins: Plugins, inputs: list[tuple[str, Path]]) -> bool:
    """Whether the audit runs code from outside vpp-core: a local plugin (given, or named
    by a pack) or one another distribution installed. It then runs in a worker process,
    so that even ``os._exit(0)`` there is an error naming the plugin, never a silent 0;
    vpp-core's own plugins run in this process (a plain audit starts no process)."""
    return any(role == "plugin" for role, _ in inputs) or any(
        info.origin != CORE_ORIGIN for info in plugins.info.values())


def _unread_records(report: Report, settings: BatchSettings, plugins: Plugins) -> list[str]:
    """A note for each records file given on the command line (or in ``vpp.toml``) that no
    rule of any audited strategy read: a kind only a pack not run reads is never silent."""
    if not report.audits:
        return []
    read = {item.path for audit in report.audits for item in audit.inputs
            if item.role.startswith("records:")}
    given = input_files([], settings, (), plugins)
    return [f"note: {display_path(path)}: no rule that ran reads {role.partition(':')[2]} "
            "records, so nothing in the report comes from it"
            for role, path in dict.fromkeys(given)
            if role.startswith("records:") and display_path(path) not in read]


def run(options: argparse.Namespace) -> int:
    plugins: Plugins = options.plugins
    config = find_config()
    reporters = plugins.reporters()
    shown = options.format or "text"
    check_format(shown, reporters)
    outputs = parse_outputs(options.output or list(config.outputs), reporters, options.format)
    strategies = _strategies(options)
    packs = options.pack if options.pack is not None else config.packs
    settings = BatchSettings(
        packs=tuple(packs) if packs is not None else None,
        waivers=options.waivers,
        records=tuple(options.records or config.records),
        options=AuditOptions(
            select=tuple(options.select or config.select),
            ignore=tuple(options.ignore or config.ignore),
            severity=Severity(options.severity) if options.severity else None,
            fail_on=Severity(options.fail_on or config.fail_on or "error"),
            ignore_waivers=options.ignore_waivers,
            as_of=_as_of(options.as_of),
        ),
        plugin_files=tuple(options.plugin),
        blocked=tuple(options.block_plugin),
        timeout=options.timeout,
        trust=options.trust,
        packs_named_in=config.source if options.pack is None and config.packs is not None
        else None,
    )
    items = collect(strategies)
    inputs = input_files(items, settings, plugins.pack_folders(), plugins)
    refuse_overwriting(outputs, inputs)
    baseline = read_baseline(options)
    if options.trust is not None:
        load_trust(options.trust)  # a broken trust list stops the run before it starts
    if options.waivers is not None:  # as does a broken waivers file: one line, not one each
        load_waivers(Path(options.waivers))
    progress = ProgressBar(sys.stderr)
    try:
        # What a check prints goes to standard error, never into a report on stdout.
        with contextlib.redirect_stdout(sys.stderr):
            report = run_batch(items, settings, jobs=options.jobs, progress=progress,
                               plugins=plugins, isolate=_foreign_code(plugins, inputs))
    finally:
        progress.finish()
    batch = len(report.audits) + len(report.failed) > 1
    for failed in report.failed:
        for problem in failed.named_lines if batch else failed.lines:
            print(f"error: {terminal_text(problem)}", file=sys.stderr)
    for note in _unread_records(report, settings, plugins):
        print(terminal_text(note), file=sys.stderr)
    code = report.exit_code()  # on exact figures: a published report may withhold a status
    report = prepare_report(report, options, baseline)
    render_options = {"verbose": options.verbose, "quiet": options.quiet,
                      "color": use_color(sys.stdout), "exit_zero": options.exit_zero,
                      **report_render_options(options)}
    write_outputs(report, outputs, reporters, render_options)
    if outputs:
        sys.stderr.write(render_summary(report, color=use_color(sys.stderr),
                                        exit_zero=options.exit_zero))
    else:
        if shown == "text":  # internal or published, above the report
            print(report.disclosure)
        sys.stdout.write(render(report, shown, reporters, render_options))
    return EXIT_OK if options.exit_zero and code == EXIT_FINDINGS else code
