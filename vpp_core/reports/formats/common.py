"""What every report format shares: labels, counts, texts for evidence and references."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from vpp_core.loading.bundled import is_bundled
from vpp_core.plugin_api.formatting import format_quantity
from vpp_core.plugin_api.results import Evidence, Quantity, Reference, Result, Status, Unit
from vpp_core.plugin_api.specs import Measurement
from vpp_core.reports.report import Report, StrategyAudit, SwitchedOff, count_statuses

# The order statuses are shown in, most urgent first.
STATUS_ORDER = (Status.ERROR, Status.FAIL, Status.WAIVED, Status.WITHHELD,
                Status.NOT_APPLICABLE, Status.PASS)
#: The columns of a per-strategy summary table, in order.
SUMMARY_COLUMNS = (Status.PASS, Status.FAIL, Status.ERROR, Status.WAIVED, Status.NOT_APPLICABLE)
ATTENTION = (Status.FAIL, Status.ERROR, Status.WAIVED)
#: Metrics of campaign reach (the reach plugin's names), shown apart from the others.
REACH_PREFIX = "campaign-"
EXIT_MEANINGS = {
    0: "nothing failed at or above {fail_on}",
    1: "findings at or above {fail_on}",
    2: "a strategy could not be audited (bad input)",
    3: "a rule errored, or a strategy's audit crashed or ran out of time",
}


def withheld_exit(code: int, reason: str, withheld: int) -> str:
    """The exit line of a report with results withheld for publication: it speaks of the
    results shown, and must not tell how the withheld ones count."""
    return (f"Exit code of the results shown: {code}: {reason}; the {withheld} withheld for "
            "publication are not counted here (the command's exit code counts them)")


def exit_line(report: Report) -> str:
    """``Exit code 1: findings at or above error``; of the results shown, where some are
    withheld for publication (the command's own code counts them)."""
    code = report.exit_code()
    meaning = EXIT_MEANINGS[code].format(fail_on=report.options.fail_on.value)
    withheld = report.counts().get(Status.WITHHELD.value, 0)
    return withheld_exit(code, meaning, withheld) if withheld else f"Exit code {code}: {meaning}"


def audit_label(audit: StrategyAudit) -> str:
    """``Thames Valley VPP 2024-25``: how a strategy is named in headings and suites, with
    `` (bundled example)`` when it is one of the fixtures shipped with vpp-core."""
    name = audit.strategy.short_name or audit.strategy.partnership
    example = " (bundled example)" if is_bundled(audit.strategy.source) else ""
    return f"{name} {audit.strategy.financial_year}{example}"


def rule_count(audit: StrategyAudit) -> int:
    """How many distinct rules produced results for this strategy."""
    return len({result.code for result in audit.results})


def audit_counts(audit: StrategyAudit) -> dict[str, int]:
    return count_statuses(audit.results)


def reference_text(reference: Reference) -> str:
    """``Document, Section, p.13`` (the link is shown separately where a format can link)."""
    parts = [reference.document]
    if reference.section:
        parts.append(reference.section)
    if reference.page is not None:
        parts.append(f"p.{reference.page}")
    return ", ".join(parts)


def switched_off_for(rule: SwitchedOff, report: Report) -> str:
    """`` for Essex VVU 2024-25, …``: the strategies of a batch whose packs switched
    ``rule`` off, when not all of them did (nothing otherwise)."""
    labels = [audit_label(audit) for audit in report.audits if rule in audit.switched_off]
    return f" for {', '.join(labels)}" if labels and len(labels) < len(report.audits) else ""


def read_by(report: Report, path: str, sha256: str) -> str:
    """``Essex VVU 2024-25, …``: the strategies of a batch that read a file or ran a pack
    (its path and hash), when not all of them did (nothing otherwise)."""
    labels = [audit_label(audit) for audit in report.audits
              if any(item.path == path and item.sha256 == sha256 for item in audit.inputs)]
    return ", ".join(labels) if labels and len(labels) < len(report.audits) else ""


def switched_off_text(rule: SwitchedOff, report: Report | None = None) -> str:
    """``FUND003 match-funding-share (title): switched off by pack 'essex'``, and for
    which strategies of ``report`` if not for all."""
    where = switched_off_for(rule, report) if report is not None else ""
    return f"{rule.code} {rule.name} ({rule.title}): switched off by pack {rule.pack!r}{where}"


def quantity_text(quantity: Quantity) -> str:
    return f"{quantity.label} {format_quantity(quantity)}".strip()


def threshold_from(threshold: Quantity) -> str:
    """`` (from pack P V: CODE parameter (year))``: where a threshold came from, if known."""
    return f" (from {threshold.source})" if threshold.source else ""


def evidence_rows(evidence: Evidence) -> Iterator[tuple[str, str]]:
    """The evidence as ``(what, value)`` rows: measured, threshold, parts, shortfall, notes."""
    if evidence.measured is not None:
        yield "measured", quantity_text(evidence.measured)
    if evidence.threshold is not None:
        operator = f"{evidence.operator} " if evidence.operator else ""
        yield "threshold", (f"{operator}{format_quantity(evidence.threshold)}"
                            f"{threshold_from(evidence.threshold)}")
    if evidence.numerator is not None:
        yield "numerator", quantity_text(evidence.numerator)
    if evidence.denominator is not None:
        yield "denominator", quantity_text(evidence.denominator)
    if evidence.parts:
        yield "parts", "; ".join(quantity_text(part) for part in evidence.parts)
    if evidence.shortfall is not None:
        yield "to comply", format_quantity(evidence.shortfall) + " short"
    for note in evidence.notes:
        yield "note", note


def waiver_text(result: Result) -> str:
    waiver = result.waiver
    if waiver is None:
        return ""
    return (f"{waiver.reason} (approved by {waiver.approved_by}; {waiver.reference}; "
            f"expires {waiver.expires})")


def measurement_text(measurement: Measurement) -> str:
    """A metric's value as people read it (``not available`` when it has none). An estimate
    of people or items is shown to the whole one (``about 348,341 people``), a rate to two
    places; the exact value stays in JSON and CSV."""
    value, unit = measurement.value, measurement.unit
    if value is None:
        return "not available"
    if unit in (Unit.PEOPLE, Unit.COUNT) and value != value.to_integral_value():
        whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return "about " + format_quantity(Quantity("", whole, unit))
    if unit is Unit.RATE:
        return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return format_quantity(Quantity("", value, unit))


_COUNTED = (Unit.PEOPLE, Unit.COUNT)


def progress(result: Result) -> tuple[Decimal, Decimal, Decimal] | None:
    """``(measured, threshold, share)`` for a result that counts towards a target: people or
    items measured against an "at least" threshold in the same unit."""
    evidence = result.evidence
    measured, threshold = evidence.measured, evidence.threshold
    if (measured is None or threshold is None or evidence.operator not in (">=", ">")
            or measured.unit not in _COUNTED or threshold.unit is not measured.unit
            or threshold.value <= 0):
        return None
    return measured.value, threshold.value, measured.value / threshold.value


def progress_by_rule(audit: StrategyAudit
                     ) -> dict[str, list[tuple[Result, tuple[Decimal, Decimal, Decimal]]]]:
    """The results that count towards a target, by rule code, with their progress."""
    by_rule: dict[str, list[tuple[Result, tuple[Decimal, Decimal, Decimal]]]] = {}
    for result in audit.results:
        found = progress(result)
        if found is not None:
            by_rule.setdefault(result.code, []).append((result, found))
    return by_rule


def percent_text(share: Decimal) -> str:
    """A share as a whole percentage, as bars and progress tables show it (``104%``)."""
    return f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def sorted_results(report: Report) -> Iterator[tuple[StrategyAudit, Result]]:
    """Every result with its audit, in the report's own (deterministic) order."""
    for audit in report.audits:
        for result in audit.results:
            yield audit, result
