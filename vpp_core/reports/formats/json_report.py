"""The ``json`` report, for machines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vpp_core.reports.report import Report, report_data


def render_json(report: Report, options: Mapping[str, Any]) -> str:
    """The whole report as JSON: sorted keys, decimals as strings, two runs diff clean."""
    return json.dumps(report_data(report), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
