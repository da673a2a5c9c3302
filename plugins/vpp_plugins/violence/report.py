"""What ``vpp violence`` shows, as plain data every format renders: the definition and where
it comes from, counts by category and area (with rates where populations are given), the
series by period, every category by area by period, the change against last year, what the
source cannot resolve, and the account of every row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from vpp_core import DisclosurePolicy, FinancialYear
from vpp_plugins.violence.change import YearOnYear, year_on_year
from vpp_plugins.violence.counting import ANY, Counts, Granularity, Unresolved

PER = 1000  # rates per 1,000 residents


@attrs.frozen
class AreaLine:
    area: str
    counts: tuple[tuple[str, int], ...]  # (category, count) in the definition's order
    residents: int | None = None

    def rate(self, count: int) -> Decimal | None:
        if not self.residents:
            return None
        return (Decimal(count) * PER / Decimal(self.residents)).quantize(Decimal("0.001"))


@attrs.frozen
class ViolenceReport:
    title: str
    definition_id: str
    definition_title: str
    definition_source: str
    source_kind: str
    granularity: str
    categories: tuple[tuple[str, str], ...]  # id, label
    areas: tuple[AreaLine, ...]
    series: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # period, (category, count)
    by_area_series: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # area, (period, any)
    #: every category × area × period, zeros too: (category, area, period, count)
    cells: tuple[tuple[str, str, str, int], ...]
    change: YearOnYear | None
    unresolved: tuple[Unresolved, ...]
    files: tuple[str, ...]
    rows_read: int
    rows_used: int
    left_out: tuple[tuple[str, str, int], ...]
    listed: tuple[tuple[str, int, str], ...]  # rows left out: file, row, reason
    empty_rows: int
    residents_source: tuple[str, ...]
    notes: tuple[str, ...]
    policy: DisclosurePolicy

    def show(self, count: int) -> str:
        return self.policy.show(count)


def build_report(counts: Counts, policy: DisclosurePolicy) -> ViolenceReport:
    definition = counts.definition
    labels = {category.id: category.label for category in definition.categories}
    labels[ANY] = "Any category (each record once)"
    categories = tuple((category, labels[category]) for category in counts.categories())
    residents = {area: total for area, total, _ in counts.residents}
    areas = tuple(
        AreaLine(area, tuple((category, counts.count(category, area)) for category, _ in
                             categories), residents.get(area))
        for area in counts.areas()
    )
    series = tuple(
        (period, tuple((category, counts.count(category, period=period))
                       for category, _ in categories))
        for period in counts.periods()
    )
    headline = ANY if ANY in counts.categories() else (categories[0][0] if categories else "")
    by_area = tuple(
        (area, tuple((period, counts.count(headline, area, period))
                     for period in counts.periods()))
        for area in counts.areas()
    ) if headline else ()
    source = definition.source
    notes = [*counts.read_as, *counts.notes]
    years = {year for period in counts.periods()
             if (year := _year_of(period, counts.granularity)) is not None}
    outside = sorted(str(year) for year in years if not definition.applies_to(year))
    if outside:
        covered = ("also cover {}." if len(outside) < len(years)
                   else "cover only {}, outside the years it applies to.")
        notes.append(f"The definition applies from {definition.valid_from}"
                     + (f" to {definition.valid_to}" if definition.valid_to else "")
                     + "; the data " + covered.format(", ".join(outside)))
    return ViolenceReport(
        title=f"Serious violence under '{definition.title}'",
        definition_id=definition.id,
        definition_title=definition.title,
        definition_source=f"{source.document}" + (f", {source.section}" if source.section else ""),
        source_kind=counts.source_kind,
        granularity=counts.granularity.value,
        categories=categories,
        areas=areas,
        series=series,
        by_area_series=by_area,
        cells=tuple((category, area, period, counts.count(category, area, period))
                    for area in counts.areas() for period in counts.periods()
                    for category, _ in categories),
        change=year_on_year(counts),
        unresolved=counts.unresolved,
        files=counts.files,
        rows_read=counts.rows_read,
        rows_used=counts.rows_used,
        left_out=counts.left_out,
        listed=counts.listed,
        empty_rows=counts.empty_rows,
        residents_source=tuple(sorted({source for _, _, source in counts.residents if source})),
        notes=tuple(notes),
        policy=policy,
    )


def _year_of(period: str, granularity: Granularity) -> FinancialYear | None:
    """The financial year a period label falls in: a month ``2024-05`` (May 2024: 2024-25),
    ``2024-25 Q2`` or ``2024-25``; None for a label of neither form."""
    try:
        if granularity is Granularity.MONTH:
            return FinancialYear.containing(date(int(period[:4]), int(period[5:7]), 1))
        return FinancialYear.parse(period[:7])
    except ValueError:
        return None
