"""Serious violence as metrics rules can compare: ``serious-violence:DEFINITION/CATEGORY``
counts the audit's crime records in the strategy's financial year (``any`` for any
category), so a pack's generic rule or a Theory of Change outcome can rest on it."""

from __future__ import annotations

from decimal import Decimal

from vpp_core import (
    Measurement,
    MetricContext,
    Quantity,
    Unit,
    UsageError,
    display_path,
)
from vpp_plugins.violence.counting import ANY, Granularity
from vpp_plugins.violence.definition import definition_path, parse_definition
from vpp_plugins.violence.sources import KINDS
from vpp_plugins.violence.tally import count_records


def serious_violence(ctx: MetricContext, argument: str | None) -> Measurement:
    definition_name, slash, category = (argument or "").partition("/")
    if not slash or not definition_name or not category:
        raise UsageError("serious-violence needs DEFINITION/CATEGORY, e.g. "
                         "serious-violence:thames-valley/knife")
    path = definition_path(definition_name)
    # Read through the context, so the report's provenance holds the definition's SHA-256.
    definition = parse_definition(ctx.read_data(path, display_path(path)), display_path(path))
    known = [c.id for c in definition.categories]
    if category != ANY and category not in known:
        raise UsageError(f"serious-violence:{argument}: {definition.id} has no category "
                         f"{category!r} (its categories: {', '.join(known)}, or any)")
    sources = [source for kind in KINDS for source in ctx.records_of(kind)]
    if not sources:
        return Measurement(None, Unit.COUNT, note="no crime records given")
    counts = count_records(definition, sources, Granularity.YEAR)
    year = str(ctx.strategy.financial_year)
    if category not in counts.categories():
        why = next((u.reason for u in counts.unresolved if u.category == category),
                   "not resolved from these records")
        return Measurement(None, Unit.COUNT, note=f"{category}: {why}")
    value = counts.count(category, period=year)
    return Measurement(
        Decimal(value), Unit.COUNT,
        parts=tuple(Quantity(f"{category} in {area}", Decimal(counts.count(category, area, year)),
                             Unit.COUNT, ", ".join(counts.files)) for area in counts.areas()),
        source=f"{counts.source_kind} under {definition.id} ({definition.source.document})",
    )
