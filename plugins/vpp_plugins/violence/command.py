"""``vpp violence``: serious violence counted under a definition, from police records."""

from __future__ import annotations

import argparse
from pathlib import Path

from vpp_core import (
    UsageError,
    add_disclosure_arguments,
    disclosure_policy,
    record_sources,
    refuse_overwrite,
)
from vpp_plugins.violence.comparing import compare
from vpp_plugins.violence.counting import Granularity
from vpp_plugins.violence.definition import bundled_definitions, load_definition
from vpp_plugins.violence.explaining import explain_rows
from vpp_plugins.violence.render import (
    FORMATS,
    RENDERERS,
    comparison_text,
    explanations_text,
)
from vpp_plugins.violence.report import build_report
from vpp_plugins.violence.sources import INCIDENTS
from vpp_plugins.violence.tally import count_records

DEFAULT_DEFINITION = "national-baseline"


def _rows(text: str) -> tuple[int, ...]:
    try:
        rows = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected row numbers like 12,40, got {text!r}"
                                         ) from None
    if not rows or min(rows) < 1:
        raise argparse.ArgumentTypeError("row numbers start at 1")
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    names = ", ".join(bundled_definitions())
    parser.add_argument("--records", action="append", default=[], metavar="R", required=True,
                        help="crime records: a records.toml manifest, a folder with one, or "
                             "KIND=PATH; kinds police-incidents, csp-offences, knife-offences, "
                             "street-crime, plus lsoa-lookup and area-population (repeatable)")
    parser.add_argument("--definition", default=DEFAULT_DEFINITION, metavar="D",
                        help=f"a definition file, or a bundled one ({names}); "
                             f"default {DEFAULT_DEFINITION}")
    parser.add_argument("--by", choices=[g.value for g in Granularity], default="quarter",
                        help="period of the series (default: quarter)")
    parser.add_argument("--compare", metavar="D",
                        help="count the same incidents under a second definition too and "
                             "show what each takes in that the other does not")
    parser.add_argument("--explain", type=_rows, metavar="ROWS",
                        help="why these rows of the incidents file (CSV line numbers, header "
                             "= 1) were counted or not, category by category")
    add_disclosure_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write here, not to standard output")


def run(options: argparse.Namespace) -> int:
    sources = [source for value in options.records
               for source in record_sources(value, options.plugins)]
    if options.output is not None:  # never written over an input
        refuse_overwrite(options.output, [
            *(("records", source.path) for source in sources),
            *(("definition", Path(named)) for named in (options.definition, options.compare)
              if named and Path(named).is_file())])
    definition = load_definition(options.definition)
    if options.explain or options.compare:
        incidents = [source for source in sources if source.kind == INCIDENTS]
        if len(incidents) != 1:
            raise UsageError("vpp violence: --explain and --compare read one police-incidents "
                             "file")
        if options.format != "text":
            raise UsageError("vpp violence: --explain and --compare write text only "
                             "(drop --format)")
        policy = disclosure_policy(options)
        if options.explain:
            if policy.audience.value != "internal":
                raise UsageError("vpp violence: --explain tells of single records, never "
                                 "published (drop --published)")
            text = explanations_text(explain_rows(definition, incidents[0], options.explain))
        else:
            text = comparison_text(compare(definition, load_definition(options.compare),
                                           incidents), policy.show)
    else:
        report = build_report(count_records(definition, sources, Granularity(options.by)),
                              disclosure_policy(options))
        text = RENDERERS[options.format](report)
    if options.output:
        options.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
