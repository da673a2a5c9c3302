"""``vpp reach``: the campaign's table (``vpp generate-campaign`` is in :mod:`.generate`)."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from vpp_core import (
    DEFAULT_MAXIMUM_LEFT_OUT,
    Plugins,
    RecordSource,
    Strategy,
    UsageError,
    add_disclosure_arguments,
    add_strategy_arguments,
    chosen_strategy,
    disclosure_policy,
    display_path,
    example_chosen,
    fixtures_folder,
    load_rules,
    load_strategy,
    record_sources,
    refuse_overwrite,
    unusable_files,
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
    strategy = load_strategy(strategy_path)
    if strategy.campaign is None:
        raise UsageError(f"vpp reach: {display_path(strategy_path)} states no campaign (no "
                         "[campaign] section): there is no campaign to report the reach of")
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
    if options.output is not None:  # never written over an input
        refuse_overwrite(options.output, [("strategy", strategy_path),
                                          *(("records", source.path) for source in sources)])
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
    maximum = maximum_left_out(strategy, options.plugins)
    unusable = [(kind, *file) for kind, table in sorted(campaign.tables.items())
                for file in unusable_files(table, maximum)]
    for kind, file, read, used, problem in unusable:
        sys.stderr.write(f"error: {kind} file {display_path(Path(file))}: {read - used:,} of "
                         f"{read:,} rows left out: {problem}; its figures cannot be trusted "
                         f"(REACH009)\n")
    return UNUSABLE_RECORDS if unusable else 0


#: Exit code when a campaign file gives no usable row or leaves out too many (REACH009).
UNUSABLE_RECORDS = 1


def maximum_left_out(strategy: Strategy, plugins: Plugins) -> Decimal:
    """REACH009's ``maximum_share_left_out`` as the reach pack resolves it for the
    strategy's year (the shared default when the rule is disabled)."""
    for rule in load_rules(plugins, ["campaign-reach"], given_as="--pack").rules.rules:
        if rule.enabled and rule.check == "campaign-files-usable":
            value = rule.parameters_for(strategy.financial_year).get("maximum_share_left_out")
            if value is not None:
                return Decimal(value)
    return DEFAULT_MAXIMUM_LEFT_OUT

