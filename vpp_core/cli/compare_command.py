"""``vpp compare REPORT…``: saved JSON reports (or folders of them) side by side."""

from __future__ import annotations

import argparse
import sys

from vpp_core.loading.errors import UsageError
from vpp_core.reports.atomic import write_atomic
from vpp_core.reports.compare import (
    comparison,
    render_compare_csv,
    render_compare_html,
    render_compare_text,
    render_compare_xlsx,
)
from vpp_core.reports.report import EXIT_OK
from vpp_core.reports.saved import saved_reports

FORMATS = ("text", "csv", "html", "xlsx")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("reports", nargs="+", metavar="REPORT",
                        help="JSON reports (vpp audit --format json), or folders of them")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="text (default), csv, html or xlsx (xlsx needs --output)")
    parser.add_argument("-o", "--output", metavar="PATH",
                        help="write to PATH, atomically (the format from its extension "
                             "unless --format is given)")
    parser.add_argument("--template", metavar="DIR",
                        help="html: a folder of templates that restyle the page")


def _format(options: argparse.Namespace) -> str:
    if options.format is not None:
        return str(options.format)
    if options.output is not None:
        suffix = options.output.rsplit(".", 1)[-1].lower()
        return {"htm": "html", "txt": "text"}.get(suffix, suffix if suffix in FORMATS
                                                 else "text")
    return "text"


def run(options: argparse.Namespace) -> int:
    shown = _format(options)
    if shown == "xlsx" and options.output is None:
        raise UsageError("--format xlsx: a binary format; write it to a file with --output PATH")
    rows = comparison(saved_reports(options.reports))
    data: str | bytes
    if shown == "csv":
        data = render_compare_csv(rows)
    elif shown == "html":
        data = render_compare_html(rows, {"template": options.template})
    elif shown == "xlsx":
        data = render_compare_xlsx(rows)
    else:
        data = render_compare_text(rows)
    if options.output is not None:
        write_atomic(options.output, data)
    else:
        sys.stdout.write(data if isinstance(data, str) else "")
    return EXIT_OK
