"""CSV of findings, one row per result, for an auditor's spreadsheet.

Clean typed columns: each figure as people read it (``£73,500``, ``55.13%``) and its exact
decimal beside it with its unit (``measured_value``, ``measured_unit``), so a spreadsheet
can add them up; ``line`` a whole number; the waiver split into its reason, approver,
reference and expiry date (ISO); ``report`` says whether the report is internal or
published, ``baseline`` whether a finding is new or unchanged (``--baseline``). A strategy
that could not be audited is one row with status ``error`` and no code. Text that a
spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is quoted with a leading apostrophe; numbers and bare operators (``-12``, ``==``)
are left as they are (:func:`vpp_core.model.escaping.csv_cell`). The text starts with a
byte-order mark so that Excel reads it as UTF-8 (``£``); read it back with
``encoding="utf-8-sig"``. The typed rows are shared with the workbook (``xlsx``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from vpp_core.model.escaping import csv_cell
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.results import Quantity
from vpp_core.reports.formats.common import quantity_text, reference_text
from vpp_core.reports.formats.lines import Lines
from vpp_core.reports.report import Report, finding_key

COLUMNS = (
    "strategy", "financial_year", "source", "source_sha256", "line", "code", "name", "title",
    "severity", "status", "baseline", "subject_kind", "subject_id", "subject_label", "message",
    "measured", "measured_value", "measured_unit", "measured_source", "operator", "threshold",
    "threshold_value", "threshold_unit", "threshold_source", "numerator", "denominator",
    "shortfall", "shortfall_value", "shortfall_unit", "parts", "notes", "references",
    "waiver_reason", "waiver_approved_by", "waiver_reference", "waiver_expires",
    "plugin", "report",
)
#: A cell of a typed row: text, a whole number, an exact decimal, a date, or empty.
Cell = str | int | Decimal | date | None
#: The status column of a rule a pack switched off.
SWITCHED_OFF = "switched-off"


def _shown(quantity: Quantity | None) -> str:
    return format_quantity(quantity) if quantity is not None else ""


def _exact(quantity: Quantity | None) -> Decimal | None:
    return quantity.value if quantity is not None else None


def _unit(quantity: Quantity | None) -> str:
    return quantity.unit.value if quantity is not None else ""


def typed_rows(report: Report) -> list[dict[str, Cell]]:
    """The findings as typed rows keyed by :data:`COLUMNS` (empty cells ``None``)."""
    lines = Lines()
    out: list[dict[str, Cell]] = []
    for audit in report.audits:
        digest = next((item.sha256 for item in audit.inputs if item.role == "strategy"), None)
        for result in audit.results:
            evidence = result.evidence
            waiver = result.waiver
            line = lines.line(audit, result)
            state = None
            if report.baseline is not None and result.status.value in ("fail", "waived"):
                state = report.baseline.states.get(finding_key(audit, result), "new")
            out.append({
                "strategy": audit.strategy.partnership,
                "financial_year": audit.strategy.financial_year,
                "source": audit.strategy.source,
                "source_sha256": digest,
                "line": line,
                "code": result.code,
                "name": result.name,
                "title": result.title,
                "severity": result.severity.value,
                "status": result.status.value,
                "baseline": state,
                "subject_kind": result.subject.kind,
                "subject_id": result.subject.id,
                "subject_label": result.subject.label,
                "message": result.message,
                "measured": _shown(evidence.measured),
                "measured_value": _exact(evidence.measured),
                "measured_unit": _unit(evidence.measured),
                "measured_source": evidence.measured.source if evidence.measured else None,
                "operator": evidence.operator,
                "threshold": _shown(evidence.threshold),
                "threshold_value": _exact(evidence.threshold),
                "threshold_unit": _unit(evidence.threshold),
                "threshold_source": evidence.threshold.source if evidence.threshold else None,
                "numerator": quantity_text(evidence.numerator) if evidence.numerator else "",
                "denominator": (quantity_text(evidence.denominator)
                                if evidence.denominator else ""),
                "shortfall": _shown(evidence.shortfall),
                "shortfall_value": _exact(evidence.shortfall),
                "shortfall_unit": _unit(evidence.shortfall),
                "parts": "; ".join(quantity_text(part) for part in evidence.parts),
                "notes": "; ".join(evidence.notes),
                "references": "; ".join(
                    reference_text(reference) + (f" <{reference.url}>" if reference.url else "")
                    for reference in result.references),
                "waiver_reason": waiver.reason if waiver else None,
                "waiver_approved_by": waiver.approved_by if waiver else None,
                "waiver_reference": waiver.reference if waiver else None,
                "waiver_expires": waiver.expires if waiver else None,
                "plugin": f"{result.plugin.name} {result.plugin.version}",
                "report": report.audience,
            })
        for rule in audit.switched_off:
            row: dict[str, Cell] = dict.fromkeys(COLUMNS)
            row.update(strategy=audit.strategy.partnership, report=report.audience,
                       financial_year=audit.strategy.financial_year,
                       source=audit.strategy.source, source_sha256=digest,
                       code=rule.code, name=rule.name,
                       title=rule.title, status=SWITCHED_OFF,
                       message=f"switched off by pack {rule.pack!r}")
            out.append(row)
    for failed in report.failed:
        row = dict.fromkeys(COLUMNS)
        row.update(source=failed.source, status="error", report=report.audience,
                   message=failed.message, notes="; ".join(failed.problems), subject_kind="audit",
                   subject_id=failed.reason)
        out.append(row)
    return out


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def rows(report: Report) -> list[dict[str, str]]:
    """The CSV's rows as text keyed by :data:`COLUMNS` (before the formula guard)."""
    return [{key: _text(value) for key, value in row.items()} for row in typed_rows(report)]


def render_csv(report: Report, options: Mapping[str, Any]) -> str:
    """The findings as CSV (RFC 4180, CRLF line ends, a header row)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(report):
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return buffer.getvalue()
