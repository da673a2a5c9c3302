"""The ``json`` report, for machines."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from vpp_core.model.escaping import json_text
from vpp_core.reports.report import Report, report_data

#: How many levels of objects and arrays are laid out one member per line (indented by two
#: spaces); a value nested deeper is written on one line. The whole report through Python's
#: indenting encoder took five times as long as through its C encoder, which only writes
#: one line: the C encoder writes each value below these levels.
LAID_OUT_LEVELS = 5

_ONE_LINE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(", ", ": "))


def render_json(report: Report, options: Mapping[str, Any]) -> str:
    """The whole report as JSON: sorted keys, decimals as strings, two runs diff clean."""
    return json_text(laid_out(report_data(report))) + "\n"


def laid_out(value: Any, level: int = 0) -> str:
    """``value`` as JSON with sorted keys: objects and arrays in the first
    :data:`LAID_OUT_LEVELS` levels one member per line, deeper values on one line."""
    if level >= LAID_OUT_LEVELS or not isinstance(value, dict | list) or not value:
        return _ONE_LINE.encode(value)
    outer = "\n" + "  " * level
    inner = outer + "  "
    if isinstance(value, dict):
        members = [f"{_ONE_LINE.encode(str(key))}: {laid_out(item, level + 1)}"
                   for key, item in sorted(value.items())]
        return "{" + inner + ("," + inner).join(members) + outer + "}"
    items = [laid_out(item, level + 1) for item in value]
    return "[" + inner + ("," + inner).join(items) + outer + "]"
