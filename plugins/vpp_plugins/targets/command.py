"""``vpp targets``: the targets table from delivery records; ``vpp generate-records``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from vpp_core import (
    RecordSource,
    UsageError,
    add_disclosure_arguments,
    bundled_records,
    bundled_strategy,
    disclosure_policy,
    load_strategy,
    record_sources,
)
from vpp_plugins.targets.counting import count_targets
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
    parser.add_argument("strategy", nargs="?", type=Path, metavar="STRATEGY",
                        help="a strategy TOML (default: the bundled Thames Valley 2024-25, "
                             "with its bundled records)")
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


def _sources(options: argparse.Namespace) -> tuple[Path, tuple[RecordSource, ...]]:
    strategy = options.strategy
    records = [source for value in options.records
               for source in record_sources(value, options.plugins)]
    if strategy is None:
        strategy = bundled_strategy()
        if not options.records:
            records = [source for path in bundled_records()
                       for source in record_sources(path, options.plugins)]
    if not records:
        raise UsageError("no records given: name them with --records (a records.toml, a "
                         "folder holding one, or participants=PATH / training=PATH)")
    return strategy, tuple(records)


def run(options: argparse.Namespace) -> int:
    path, records = _sources(options)
    strategy = load_strategy(path)
    counts = count_targets(strategy, records, options.as_of)
    report = build_report(strategy, counts, disclosure_policy(options),
                          amber_from=options.amber_from, green_from=options.green_from)
    sys.stdout.write(render(report, options.format))
    return 0

