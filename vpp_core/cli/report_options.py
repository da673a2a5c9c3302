"""The ``vpp audit`` options about how reports are written: ``--published`` (disclosure
control in every format), ``--baseline`` (each finding new, unchanged or fixed),
``--sarif-all`` and ``--template``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vpp_core.cli.disclosure_options import add_disclosure_arguments, disclosure_policy
from vpp_core.loading.errors import UsageError
from vpp_core.reports.baseline import with_baseline
from vpp_core.reports.disclosure import disclosed
from vpp_core.reports.report import Report
from vpp_core.reports.saved import SavedReport, read_saved_report


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    add_disclosure_arguments(parser)
    parser.add_argument("--baseline", metavar="REPORT.json",
                        help="a JSON report of an earlier audit: mark each finding new or "
                             "unchanged and list those fixed since")
    parser.add_argument("--sarif-all", action="store_true",
                        help="sarif: every result, passes and not-applicable ones too "
                             "(default: failures and errors)")
    parser.add_argument("--template", metavar="DIR",
                        help="html: a folder of templates that restyle the page (theme.css, "
                             "logo.svg or logo.png, or any template of the same name)")


def read_baseline(options: argparse.Namespace) -> SavedReport | None:
    """The ``--baseline`` report, read before the audit runs (a bad one stops it)."""
    if options.template is not None and not Path(options.template).is_dir():
        raise UsageError(f"--template {options.template}: no such folder")
    return read_saved_report(options.baseline) if options.baseline else None


def prepare_report(report: Report, options: argparse.Namespace,
                   baseline: SavedReport | None) -> Report:
    """The report as the options ask it shown: marked against the baseline (on exact
    figures), then disclosed as internal or published."""
    if baseline is not None:
        report = with_baseline(report, baseline)
    return disclosed(report, disclosure_policy(options))


def render_options(options: argparse.Namespace) -> dict[str, Any]:
    return {"sarif_all": options.sarif_all, "template": options.template}
