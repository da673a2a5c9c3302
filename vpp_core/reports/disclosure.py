"""A report made fit for publication (``vpp audit --published``): the disclosure rules that
``vpp targets --published`` applies, applied to the report itself, so that every output
format shows the same figures and says it is published.

Counts of people read from records (quantities in people whose source is ``records:…``)
from 1 to ``threshold - 1`` are suppressed. A result holding one loses every figure counted
from records (the count, the shares and shortfalls derived from it, its parts) and the
check's notes (which may tell them, as a RAG does), so none can be worked back from the
others, and its message says so; its rule and the strategy's own figures (the target)
stay, and its status where every count the suppression stands for gives the same one
against the threshold, else it is withheld (``fail`` beside 1.54 expected would mean 1).
Other counts are rounded when the policy asks. Metrics counting people follow the same rule.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs

from vpp_core.plugin_api.results import Evidence, Quantity, Result, Status, Unit
from vpp_core.plugin_api.specs import Measurement
from vpp_core.records.disclosure import DisclosurePolicy
from vpp_core.reports.report import Report, StrategyAudit


def _from_records(quantity: Quantity | None) -> bool:
    return quantity is not None and quantity.source.startswith("records:")


def _people(quantity: Quantity | None) -> bool:
    return _from_records(quantity) and quantity is not None and quantity.unit is Unit.PEOPLE


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _rounded(quantity: Quantity, policy: DisclosurePolicy) -> Quantity:
    if not _people(quantity) or not _whole(quantity.value):
        return quantity
    return attrs.evolve(quantity, value=Decimal(policy.show(int(quantity.value))))


def _suppressed(quantity: Quantity | None, policy: DisclosurePolicy) -> bool:
    return (quantity is not None and _people(quantity) and _whole(quantity.value)
            and policy.is_suppressed(int(quantity.value)))


_COMPARISONS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "==": operator.eq}


def _status_shown(result: Result, policy: DisclosurePolicy) -> bool:
    """Whether a suppressed result's status tells nothing of the hidden count: it does not
    rest on a figure from records, or every count from 1 to ``threshold - 1`` gives the
    same outcome against the threshold (a waiver stands on a failure, so it tells alike)."""
    evidence = result.evidence
    if result.status not in (Status.PASS, Status.FAIL, Status.WAIVED):
        return True
    if evidence.measured is not None and not _from_records(evidence.measured):
        return True  # the status rests on a figure of the strategy's own
    compare = _COMPARISONS.get(evidence.operator)
    if (evidence.measured is None or compare is None or evidence.threshold is None
            or not _suppressed(evidence.measured, policy)):
        return not any(_suppressed(quantity, policy) for quantity in
                       (evidence.numerator, evidence.denominator, *evidence.parts))
    limit = evidence.threshold.value
    return len({compare(Decimal(count), limit) for count in range(1, policy.threshold)}) == 1


def published_result(result: Result, policy: DisclosurePolicy) -> Result:
    """``result`` as a published report shows it."""
    evidence = result.evidence
    quantities = (evidence.measured, evidence.numerator, evidence.denominator,
                  evidence.shortfall, *evidence.parts)
    if not any(_people(quantity) for quantity in quantities):
        return result
    if any(_suppressed(quantity, policy) for quantity in quantities):
        kept = Evidence(
            operator=evidence.operator if not _from_records(evidence.measured) else "",
            threshold=evidence.threshold,
            parts=tuple(part for part in evidence.parts if not _from_records(part)),
            notes=(f"Figures counted from records are suppressed for publication: a count "
                   f"of 1 to {policy.threshold - 1} people.",),
        )
        told = _status_shown(result, policy)
        status = result.status if told else Status.WITHHELD
        message = (f"{result.subject.label or result.subject}: "
                   f"{status.value if told else 'status withheld'}; "
                   f"counts of people suppressed for publication (fewer than "
                   f"{policy.threshold})")
        return attrs.evolve(result, status=status, evidence=kept, message=message,
                            waiver=result.waiver if told else None)
    if policy.rounding_base is None:
        return result
    rounded = attrs.evolve(
        evidence,
        measured=_rounded(evidence.measured, policy) if evidence.measured else None,
        numerator=_rounded(evidence.numerator, policy) if evidence.numerator else None,
        denominator=_rounded(evidence.denominator, policy) if evidence.denominator else None,
        shortfall=None,
        parts=tuple(_rounded(part, policy) for part in evidence.parts),
    )
    shown = "; ".join(f"{quantity.label} {quantity.value}" for quantity in
                      (rounded.measured, *rounded.parts) if _people(quantity) and quantity)
    message = (f"{result.subject.label or result.subject}: {result.status.value}; "
               f"{shown} (counts of people rounded to the nearest {policy.rounding_base})")
    return attrs.evolve(result, evidence=rounded, message=message)


def _published_metric(measurement: Measurement, policy: DisclosurePolicy) -> Measurement:
    value = measurement.value
    if measurement.unit is not Unit.PEOPLE or value is None or not _whole(value):
        return measurement
    if policy.is_suppressed(int(value)):
        return attrs.evolve(measurement, value=None, parts=(),
                            note=f"suppressed for publication (fewer than {policy.threshold})")
    return attrs.evolve(measurement, value=Decimal(policy.show(int(value))),
                        parts=tuple(_rounded(part, policy) for part in measurement.parts))


def _published_audit(audit: StrategyAudit, policy: DisclosurePolicy) -> StrategyAudit:
    metrics: Mapping[str, Measurement] = {
        name: _published_metric(value, policy) for name, value in audit.metrics.items()}
    return attrs.evolve(
        audit,
        results=tuple(published_result(result, policy) for result in audit.results),
        metrics=metrics,
    )


def disclosed(report: Report, policy: DisclosurePolicy) -> Report:
    """The report as ``policy`` lets it be shown, saying which it is (internal or
    published) in every output."""
    if policy.audience.value == "internal":
        return attrs.evolve(report, audience="internal", disclosure=policy.statement)
    return attrs.evolve(
        report,
        audits=tuple(_published_audit(audit, policy) for audit in report.audits),
        audience=policy.audience.value,
        disclosure=policy.statement,
    )
