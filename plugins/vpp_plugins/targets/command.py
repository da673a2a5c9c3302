"""``vpp targets``: the targets table from delivery records; ``vpp generate-records``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from vpp_core import (
    DEFAULT_MAXIMUM_LEFT_OUT,
    Plugins,
    RecordSource,
    Strategy,
    UsageError,
    add_disclosure_arguments,
    add_strategy_arguments,
    bundled_records,
    chosen_strategy,
    disclosure_policy,
    display_path,
    example_chosen,
    load_rules,
    load_strategy,
    record_sources,
)
from vpp_plugins.targets.counting import count_targets, engagement_events
from vpp_plugins.targets.progress import DEFAULT_AMBER_FROM, DEFAULT_GREEN_FROM
from vpp_plugins.targets.render import FORMATS, render
from vpp_plugins.targets.report import build_report


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _share(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"expected a share such as 0.75, got {text!r}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_strategy_arguments(parser)
    parser.add_argument("--records", action="append", default=[], metavar="PATH",
                        help="a records.toml manifest, a folder holding one, or KIND=PATH "
                             "(participants=…, training=…), optionally mapping columns: "
                             "'KIND=PATH;ours=Theirs,…'; repeatable")
    parser.add_argument("--as-of", type=_day, metavar="DATE",
                        help="count to this day (default: the last day the records cover)")
    add_disclosure_arguments(parser)
    parser.add_argument("--amber-from", type=_share, default=DEFAULT_AMBER_FROM, metavar="SHARE",
                        help="RAG amber from this share of the pro-rata trajectory "
                             f"(default {DEFAULT_AMBER_FROM}); below it, red")
    parser.add_argument("--green-from", type=_share, default=DEFAULT_GREEN_FROM, metavar="SHARE",
                        help=f"RAG green from this share (default {DEFAULT_GREEN_FROM})")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--pack", action="append", metavar="P",
                        help="the pack (by name or path) whose TGT rules set the counting "
                             "parameters engagement_events and maximum_share_left_out; "
                             "repeatable (default: the targets pack)")


#: Exit code when a records file gives no usable row or leaves out too many (TGT004).
UNUSABLE_RECORDS = 1


def counting_parameters(strategy: Strategy, packs: list[str] | None, plugins: Plugins
                        ) -> tuple[tuple[str, ...], Decimal]:
    """``engagement_events`` (from TGT001's check) and ``maximum_share_left_out`` (from
    TGT004's) as the packs resolve them for the strategy's year, with the run's plugins."""
    rules = load_rules(plugins, packs or ["targets"], given_as="--pack").rules.rules
    params = {rule.check: rule.parameters_for(strategy.financial_year)
              for rule in rules if rule.enabled}
    events = engagement_events(params.get("targets-met-by-year-end", {}))
    maximum = params.get("records-files-usable", {}).get("maximum_share_left_out")
    return events, Decimal(maximum) if maximum is not None else DEFAULT_MAXIMUM_LEFT_OUT


def _sources(options: argparse.Namespace) -> tuple[Path, tuple[RecordSource, ...]]:
    strategy = chosen_strategy(options)
    records = [source for value in options.records
               for source in record_sources(value, options.plugins)]
    if example_chosen(options) and not options.records:
        records = [source for path in bundled_records()
                   for source in record_sources(path, options.plugins)]
    if not records:
        raise UsageError("no records given: name them with --records (a records.toml, a "
                         "folder holding one, or participants=PATH / training=PATH)")
    return strategy, tuple(records)


def run(options: argparse.Namespace) -> int:
    """Print the table; exit :data:`UNUSABLE_RECORDS` when a records file cannot be counted
    from (no usable row, or more than the pack's share left out), 0 otherwise."""
    path, records = _sources(options)
    strategy = load_strategy(path)
    if strategy.targets is None:
        raise UsageError(f"vpp targets: {display_path(path)} states no targets (no [targets] "
                         "table): there are no targets to count the records against")
    events, maximum = counting_parameters(strategy, options.pack, options.plugins)
    counts = count_targets(strategy, records, options.as_of, events)
    report = build_report(strategy, counts, disclosure_policy(options),
                          amber_from=options.amber_from, green_from=options.green_from,
                          maximum_left_out=maximum)
    sys.stdout.write(render(report, options.format))
    for file in report.unusable_files:
        sys.stderr.write(f"error: {file.file}: {file.read - file.used} of {file.read} rows "
                         f"left out: {file.problem}; its counts cannot be trusted (TGT004)\n")
    return UNUSABLE_RECORDS if report.unusable_files else 0

