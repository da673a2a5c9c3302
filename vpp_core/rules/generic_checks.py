"""Checks any pack can name without Python: metric and share thresholds, totals, fields.

Comparisons are exact: a share is compared as ``numerator >= threshold × denominator``,
so a share of exactly 30% passes "at least 30%". A failing finding says what it would take
to comply (the shortfall, in £ or people, rounded up).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from vpp_core.plugin_api.context import CheckContext
from vpp_core.plugin_api.formatting import format_share, format_value, needed
from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.results import (
    Evidence,
    Finding,
    Quantity,
    Status,
    Subject,
    Unit,
    whole_strategy,
)
from vpp_core.plugin_api.specs import CheckSpec, Measurement, ParameterSpec
from vpp_core.rules.field_paths import check_path, walk

_KIND = re.compile(r"[a-z][a-z0-9-]*")


def _subject_kind(text: str) -> None:
    if not _KIND.fullmatch(text):
        raise ValueError(f"expected a subject kind such as 'intervention' (lower case, "
                         f"digits and hyphens), got {text!r}")


def _check_subject(text: str) -> None:
    kind, colon, identifier = text.partition(":")
    _subject_kind(kind)
    if colon and not identifier.strip():
        raise ValueError(f"expected 'kind:id' such as 'grant:core-2024-25', got {text!r}: "
                         "the id is empty")


def _share(value: Decimal) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"a share is from 0 to 1 (\"0.30\" for 30%), got {value}")


def _not_negative(value: Decimal) -> None:
    if value < 0:
        raise ValueError(f"expected 0 or more, got {value}")


_SUBJECT = ParameterSpec(
    "subject", "string",
    "What the result is about, as 'kind:id' (e.g. 'grant:core-2024-25'); the strategy if unset.",
    required=False, validate=_check_subject,
)


def _subject(ctx: CheckContext) -> Subject:
    text = ctx.params.get("subject")
    if not text:
        return whole_strategy(ctx.strategy)
    kind, _, identifier = str(text).partition(":")
    return Subject(kind, identifier) if identifier else Subject("strategy", kind)


def _quantity(reference: str, measurement: Measurement) -> Quantity:
    value: object = measurement.value
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"metric {reference!r} gave {type(value).__name__} "
                        f"{value!r}, not a Decimal")
    return Quantity(reference, Decimal(value), measurement.unit, measurement.source)


def _unavailable(ctx: CheckContext, references: Sequence[str]) -> Finding | None:
    """A not-applicable finding if a metric has no value (e.g. a line funded by carry-over)."""
    for reference in references:
        measurement = ctx.metric(reference)
        if measurement.value is None:
            note = f": {measurement.note}" if measurement.note else ""
            return Finding(_subject(ctx), Status.NOT_APPLICABLE,
                           f"{reference} has no value{note}",
                           Evidence(notes=(measurement.note,) if measurement.note else ()))
    return None


def _verdict(ctx: CheckContext, at_least: bool, ok: bool, gap: Decimal, unit: Unit,
             message: str, **evidence: Any) -> Finding:
    """Pass or fail; a failure says what it takes to comply, rounded up (£, people)."""
    shortfall = None
    if not ok:
        amount = needed(abs(gap), unit)
        shortfall = Quantity("shortfall" if at_least else "excess", amount, unit)
        message += f": {format_value(amount, unit)} {'short' if at_least else 'over'}"
    return Finding(_subject(ctx), Status.PASS if ok else Status.FAIL, message,
                   Evidence(operator=">=" if at_least else "<=", shortfall=shortfall,
                            **evidence))


# -------------------------------------------------------------------------
# A metric against a threshold
# -------------------------------------------------------------------------


def _metric_compare(ctx: CheckContext, at_least: bool) -> Iterator[Finding]:
    reference: str = ctx.params["metric"]
    missing = _unavailable(ctx, [reference])
    if missing is not None:
        yield missing
        return
    measurement = ctx.metric(reference)
    measured = _quantity(reference, measurement)
    limit: Decimal = ctx.params["threshold"]
    unit = measurement.unit
    ok = measured.value >= limit if at_least else measured.value <= limit
    words = "at least" if at_least else "at most"
    message = (f"{reference} is {format_value(measured.value, unit)}; {words} "
               f"{format_value(limit, unit)} required")
    yield _verdict(ctx, at_least, ok, limit - measured.value, unit, message,
                   measured=measured, threshold=Quantity("threshold", limit, unit),
                   parts=measurement.parts,
                   notes=(measurement.note,) if measurement.note else ())


def metric_at_least(ctx: CheckContext) -> Iterator[Finding]:
    return _metric_compare(ctx, at_least=True)


def metric_at_most(ctx: CheckContext) -> Iterator[Finding]:
    return _metric_compare(ctx, at_least=False)


# -------------------------------------------------------------------------
# A share (numerator ÷ denominator) against a threshold
# -------------------------------------------------------------------------


def _share_compare(ctx: CheckContext, at_least: bool) -> Iterator[Finding]:
    top: str = ctx.params["numerator"]
    bottom: str = ctx.params["denominator"]
    missing = _unavailable(ctx, [top, bottom])
    if missing is not None:
        yield missing
        return
    numerator = _quantity(top, ctx.metric(top))
    denominator = _quantity(bottom, ctx.metric(bottom))
    limit: Decimal = ctx.params["threshold"]
    if denominator.value == 0:
        yield Finding(_subject(ctx), Status.NOT_APPLICABLE, f"{bottom} is zero: no share",
                      Evidence(numerator=numerator, denominator=denominator))
        return
    required = limit * denominator.value  # exact: no division in the comparison
    ok = numerator.value >= required if at_least else numerator.value <= required
    share = numerator.value / denominator.value
    unit = numerator.unit
    words = "at least" if at_least else "at most"
    message = (f"{top} {format_value(numerator.value, unit)} is "
               f"{format_share(share, near=limit)} of {bottom} "
               f"{format_value(denominator.value, denominator.unit)}; {words} "
               f"{format_share(limit)} required")
    yield _verdict(ctx, at_least, ok, required - numerator.value, unit, message,
                   measured=Quantity("share", share.quantize(Decimal("0.000001")), Unit.SHARE),
                   threshold=Quantity("threshold", limit, Unit.SHARE),
                   numerator=numerator, denominator=denominator,
                   parts=ctx.metric(top).parts)


def share_at_least(ctx: CheckContext) -> Iterator[Finding]:
    return _share_compare(ctx, at_least=True)


def share_at_most(ctx: CheckContext) -> Iterator[Finding]:
    return _share_compare(ctx, at_least=False)


# -------------------------------------------------------------------------
# A stated total against the sum of its parts
# -------------------------------------------------------------------------


def total_equals_parts(ctx: CheckContext) -> Iterator[Finding]:
    reference: str = ctx.params["total"]
    missing = _unavailable(ctx, [reference])
    if missing is not None:
        yield missing
        return
    total = ctx.metric(reference)
    tolerance: Decimal = ctx.params["tolerance"]
    notes: list[str] = []
    parts: list[Quantity] = []
    if ctx.params["parts"]:
        for part in ctx.params["parts"]:
            measurement = ctx.metric(part)
            if measurement.value is None:
                notes.append(f"{part} has no value and is not counted"
                             + (f" ({measurement.note})" if measurement.note else ""))
            else:
                parts.append(_quantity(part, measurement))
    else:
        parts = list(total.parts)
    if not parts:
        yield Finding(_subject(ctx), Status.NOT_APPLICABLE, f"{reference} has no parts to add up")
        return
    assert total.value is not None
    unit = total.unit
    added = sum((part.value for part in parts), Decimal(0))
    difference = total.value - added
    ok = abs(difference) <= tolerance
    message = (f"{reference} states {format_value(total.value, unit)}; its {len(parts)} parts "
               f"add up to {format_value(added, unit)}")
    if not ok:
        direction = "more" if difference > 0 else "less"
        message += f": the total is {format_value(abs(difference), unit)} {direction}"
    yield Finding(
        _subject(ctx),
        Status.PASS if ok else Status.FAIL,
        message,
        Evidence(
            measured=Quantity("sum of parts", added, unit),
            operator="==",
            threshold=Quantity(reference, total.value, unit, total.source),
            parts=tuple(parts),
            shortfall=None if ok else Quantity("difference", abs(difference), unit),
            notes=tuple(notes),
        ),
    )


# -------------------------------------------------------------------------
# A field present in the strategy
# -------------------------------------------------------------------------

def _present(value: object) -> bool:
    return value is not None and value != "" and value != ()


def field_present(ctx: CheckContext) -> Iterator[Finding]:
    path: str = ctx.params["path"]
    findings: dict[Subject, tuple[list[str], list[str]]] = {}
    for subject, trail, value in walk(ctx.strategy, path, whole_strategy(ctx.strategy),
                                      ctx.params["subject_kind"]):
        present, absent = findings.setdefault(subject, ([], []))
        (present if _present(value) else absent).append(trail)
    for subject, (present, absent) in findings.items():
        if absent:
            yield Finding(subject, Status.FAIL, f"{', '.join(absent)} is missing",
                          Evidence(notes=tuple(f"missing: {trail}" for trail in absent)))
        else:
            yield Finding(subject, Status.PASS, f"{', '.join(present)} is present")


# -------------------------------------------------------------------------
# Registration
# -------------------------------------------------------------------------

_THRESHOLD = ParameterSpec("threshold", "decimal", "The limit, in the metric's unit.")
_SHARE = ParameterSpec("threshold", "decimal", 'The share, as a decimal string ("0.30").',
                       validate=_share)
_NUMERATOR = ParameterSpec("numerator", "metric", "The metric on top of the share.")
_DENOMINATOR = ParameterSpec("denominator", "metric", "The metric the share is of.")
_METRIC = ParameterSpec("metric", "metric", "The metric compared with the threshold.")


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [
        CheckSpec("metric-at-least", metric_at_least,
                  "A metric is at least a threshold.", (_METRIC, _THRESHOLD, _SUBJECT)),
        CheckSpec("metric-at-most", metric_at_most,
                  "A metric is at most a threshold.", (_METRIC, _THRESHOLD, _SUBJECT)),
        CheckSpec("share-at-least", share_at_least,
                  "A share (numerator ÷ denominator) is at least a threshold.",
                  (_NUMERATOR, _DENOMINATOR, _SHARE, _SUBJECT)),
        CheckSpec("share-at-most", share_at_most,
                  "A share (numerator ÷ denominator) is at most a threshold.",
                  (_NUMERATOR, _DENOMINATOR, _SHARE, _SUBJECT)),
        CheckSpec(
            "total-equals-parts", total_equals_parts,
            "A stated total equals the sum of its parts.",
            (
                ParameterSpec("total", "metric", "The metric holding the stated total."),
                ParameterSpec("parts", "metrics",
                              "The metrics to add up; the total's own parts if unset.",
                              required=False),
                ParameterSpec("tolerance", "decimal", "The difference allowed (default 0).",
                              required=False, default=Decimal(0), validate=_not_negative),
                _SUBJECT,
            ),
        ),
        CheckSpec(
            "field-present", field_present,
            "A field of the strategy is present and not empty, for each item a path "
            "with [*] goes through.",
            (
                ParameterSpec("path", "string",
                              "A field path such as 'definition' or "
                              "'interventions[*].evaluation' ([N] for one item), checked "
                              "against the strategy's fields.", validate=check_path),
                ParameterSpec("subject_kind", "string",
                              "The subject kind of the items [*] goes through "
                              "(default: the field name without its plural s).",
                              required=False, validate=_subject_kind),
            ),
        ),
    ]
