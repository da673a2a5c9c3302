"""``vpp return --quarter 2024-25-Q3``: the quarterly return for a strategy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vpp_core import (
    UsageError,
    add_disclosure_arguments,
    add_strategy_arguments,
    bundled_records,
    chosen_strategy,
    disclosure_policy,
    display_path,
    load_strategy,
    record_sources,
    refuse_overwrite,
)
from vpp_plugins.spend.kinds import SPEND
from vpp_plugins.spend.render import FORMATS, RENDERERS
from vpp_plugins.spend.returns import build_return


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_strategy_arguments(parser)
    parser.add_argument("--quarter", required=True, metavar="Q",
                        help="the quarter to report, such as 2024-25-Q3 (as of its last day)")
    parser.add_argument("--records", action="append", default=[], metavar="R",
                        help="a records.toml manifest, a folder holding one, or KIND=PATH "
                             "(spend, spend-profile, match-funding, carry-over, "
                             "evaluation-milestones, participants, training); repeatable")
    parser.add_argument("--pack", action="append", default=[], metavar="P",
                        help="a pack (by name or path) run with the return's own "
                             "(home-office-vru-core, in-year-spend, targets): one of yours that "
                             "extends them, stating a year's values or your thresholds; "
                             "repeatable")
    add_disclosure_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="html",
                        help="html (default), markdown, json, or xlsx (a workbook: give "
                             "--output)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write here, not to standard output")


def run(options: argparse.Namespace) -> int:
    path = chosen_strategy(options)
    values = list(options.records)
    if options.example:
        values = values or [str(manifest) for manifest in bundled_records()]
    if not values:
        raise UsageError("vpp return: no records given: name them with --records")
    sources = [source for value in values for source in record_sources(value, options.plugins)]
    if not any(source.kind == SPEND for source in sources):
        raise UsageError("vpp return: no spend records among those given (a ledger of kind "
                         "spend: see vpp records kinds spend)")
    if options.output is not None:
        refuse_overwrite(options.output, [
            ("strategy", path), *(("records", source.path) for source in sources),
            *(("records manifest", Path(value)) for value in values if Path(value).is_file()),
            *(("pack", Path(pack)) for pack in options.pack if Path(pack).is_file())])
    data = build_return(load_strategy(path), display_path(path), sources, options.quarter,
                        disclosure_policy(options), options.plugins, options.pack)
    made = RENDERERS[options.format](data)
    if isinstance(made, bytes):
        if not options.output:
            raise UsageError("vpp return --format xlsx: name the workbook to write with --output")
        options.output.write_bytes(made)
    elif options.output:
        options.output.write_text(made, encoding="utf-8")
    else:
        sys.stdout.write(made)
    unusable = [row for row in data["actions"] if row["code"] in UNUSABLE_FILES_RULES]
    for row in unusable:
        sys.stderr.write(f"error: {row['message']}; its figures cannot be trusted "
                         f"({row['code']})\n")
    return UNUSABLE_RECORDS if unusable else 0


#: The rules whose failure (a spend file with no usable row, or too many left out; a row
#: in two spend files) makes ``vpp return`` exit :data:`UNUSABLE_RECORDS` after writing it.
UNUSABLE_FILES_RULES = ("SPEND010", "SPEND011")
UNUSABLE_RECORDS = 1
