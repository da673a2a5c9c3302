"""``vpp reach``: the campaign's table (``vpp generate-campaign`` is in :mod:`.generate`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vpp_core import (
    RecordSource,
    UsageError,
    add_disclosure_arguments,
    add_strategy_arguments,
    chosen_strategy,
    disclosure_policy,
    display_path,
    example_chosen,
    fixtures_folder,
    load_strategy,
    record_sources,
)
from vpp_plugins.reach.load import load_campaign
from vpp_plugins.reach.render import FORMATS, RENDERERS
from vpp_plugins.reach.table import BY, build_table

#: The campaign records shipped with the bundled Thames Valley fixture.
BUNDLED_CAMPAIGN = "campaign"


def bundled_campaign() -> Path:
    return fixtures_folder() / "thames-valley-2024-25" / BUNDLED_CAMPAIGN


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_strategy_arguments(parser)
    parser.add_argument("--records", action="append", default=[], metavar="R",
                        help="campaign records: a records.toml manifest, a folder with one, "
                             "or KIND=PATH (repeatable)")
    parser.add_argument("--by", choices=BY,
                        help="split the channel table by month, week or area, each treated "
                             "as one period (figures are never added across them)")
    add_disclosure_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the table here, not to standard output")


def run(options: argparse.Namespace) -> int:
    policy = disclosure_policy(options)
    strategy_path = chosen_strategy(options)
    specifications = options.records
    if not specifications:
        if not example_chosen(options):
            raise UsageError("vpp reach: give the campaign's records with --records")
        specifications = [str(bundled_campaign())]
        print(f"vpp: no records given; using the bundled synthetic campaign records "
              f"{display_path(bundled_campaign())}", file=sys.stderr)
    sources: list[RecordSource] = []
    for specification in specifications:
        sources.extend(record_sources(specification, options.plugins))
    strategy = load_strategy(strategy_path)
    campaign = load_campaign(strategy, sources)
    if not campaign.given:
        raise UsageError("vpp reach: no campaign records among those given (kinds: "
                         "campaign-delivery, exposures, campaign-training)")
    text = RENDERERS[options.format](
        build_table(campaign, strategy, policy, options.by), policy)
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0

