"""CSV of findings, one row per result, for an auditor's spreadsheet.

Values are as people read them (``£73,500``, ``55.13%``) with the exact decimal beside
each (``measured_value``, ``shortfall_value``) so a spreadsheet can add them up. A strategy
that could not be audited is one row with status ``error`` and no code. Text that a
spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is quoted with a leading apostrophe; numbers and bare operators (``-12``, ``==``)
are left as they are (:func:`vpp_core.model.escaping.csv_cell`). The text starts with a
byte-order mark so that Excel reads it as UTF-8 (``£``); read it back with
``encoding="utf-8-sig"``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from vpp_core.model.escaping import csv_cell
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.results import Quantity
from vpp_core.reports.formats.common import quantity_text, reference_text, waiver_text
from vpp_core.reports.formats.lines import Lines
from vpp_core.reports.report import Report

COLUMNS = (
    "strategy", "financial_year", "source", "line", "code", "name", "title", "severity",
    "status", "subject_kind", "subject_id", "subject_label", "message",
    "measured", "measured_value", "operator", "threshold", "threshold_value",
    "numerator", "denominator", "shortfall", "shortfall_value", "shortfall_unit",
    "parts", "notes", "references", "waiver", "plugin",
)
#: The status column of a rule a pack switched off.
SWITCHED_OFF = "switched-off"


def _shown(quantity: Quantity | None) -> str:
    return format_quantity(quantity) if quantity is not None else ""


def _exact(quantity: Quantity | None) -> str:
    return str(quantity.value) if quantity is not None else ""


def rows(report: Report) -> list[dict[str, str]]:
    """The CSV's rows as dictionaries keyed by :data:`COLUMNS`."""
    lines = Lines()
    out: list[dict[str, str]] = []
    for audit in report.audits:
        for result in audit.results:
            evidence = result.evidence
            line = lines.line(audit, result)
            out.append({
                "strategy": audit.strategy.partnership,
                "financial_year": audit.strategy.financial_year,
                "source": audit.strategy.source,
                "line": str(line) if line is not None else "",
                "code": result.code,
                "name": result.name,
                "title": result.title,
                "severity": result.severity.value,
                "status": result.status.value,
                "subject_kind": result.subject.kind,
                "subject_id": result.subject.id,
                "subject_label": result.subject.label,
                "message": result.message,
                "measured": _shown(evidence.measured),
                "measured_value": _exact(evidence.measured),
                "operator": evidence.operator,
                "threshold": _shown(evidence.threshold),
                "threshold_value": _exact(evidence.threshold),
                "numerator": quantity_text(evidence.numerator) if evidence.numerator else "",
                "denominator": (quantity_text(evidence.denominator)
                                if evidence.denominator else ""),
                "shortfall": _shown(evidence.shortfall),
                "shortfall_value": _exact(evidence.shortfall),
                "shortfall_unit": evidence.shortfall.unit.value if evidence.shortfall else "",
                "parts": "; ".join(quantity_text(part) for part in evidence.parts),
                "notes": "; ".join(evidence.notes),
                "references": "; ".join(
                    reference_text(reference) + (f" <{reference.url}>" if reference.url else "")
                    for reference in result.references),
                "waiver": waiver_text(result),
                "plugin": f"{result.plugin.name} {result.plugin.version}",
            })
        for rule in report.switched_off:
            row = dict.fromkeys(COLUMNS, "")
            row.update(strategy=audit.strategy.partnership,
                       financial_year=audit.strategy.financial_year,
                       source=audit.strategy.source, code=rule.code, name=rule.name,
                       title=rule.title, status=SWITCHED_OFF,
                       message=f"switched off by pack {rule.pack!r}")
            out.append(row)
    for failed in report.failed:
        row = dict.fromkeys(COLUMNS, "")
        row.update(source=failed.source, status="error", message=failed.message,
                   notes="; ".join(failed.problems), subject_kind="audit",
                   subject_id=failed.reason)
        out.append(row)
    return out


def render_csv(report: Report, options: Mapping[str, Any]) -> str:
    """The findings as CSV (RFC 4180, CRLF line ends, a header row)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()
