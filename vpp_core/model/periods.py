"""Financial years (1 April – 31 March), their quarters, and date periods."""

from __future__ import annotations

import re
from datetime import date

import attrs

from vpp_core.model.fields import doc

_FY_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
#: A month (``2024-05``) or a quarter of a financial year (``2024-25-Q3``).
MONTH_OR_QUARTER = r"^([0-9]{4}-(0[1-9]|1[0-2])|[0-9]{4}-[0-9]{2}-Q[1-4])$"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")


@attrs.frozen(order=True)
class Period:
    """An inclusive range of days, ``start`` to ``end``."""

    start: date = attrs.field(metadata=doc("the first day"))
    end: date = attrs.field(metadata=doc("the last day, not before the first"))

    @end.validator
    def _end_not_before_start(self, _: attrs.Attribute[date], value: date) -> None:
        if value < self.start:
            raise ValueError(f"period ends {value} before it starts {self.start}")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period spans, both ends included."""
        return (self.end - self.start).days + 1

    def elapsed_share(self, as_of: date) -> tuple[int, int]:
        """Days elapsed by ``as_of`` (inclusive) and days in all, for pro-rata sums."""
        if as_of < self.start:
            return 0, self.days
        return min((as_of - self.start).days + 1, self.days), self.days

    def __str__(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"


@attrs.frozen(order=True)
class FinancialYear:
    """A UK financial year, 1 April to 31 March; ``FinancialYear(2024)`` is "2024-25"."""

    start_year: int = attrs.field(validator=attrs.validators.and_(
        attrs.validators.ge(1900), attrs.validators.le(2999)
    ))

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read ``"2024-25"``; the second part must be the year after the first."""
        match = _FY_PATTERN.match(text.strip())
        if match is None:
            raise ValueError(f"expected a financial year like '2024-25', got {text!r}")
        first, second = int(match[1]), int(match[2])
        if (first + 1) % 100 != second:
            raise ValueError(f"financial year {text!r} must span consecutive years")
        return cls(first)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        """The financial year a date falls in."""
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    def quarter(self, number: int) -> Period:
        """Quarter 1 (April–June) to 4 (January–March)."""
        if number not in (1, 2, 3, 4):
            raise ValueError(f"a financial year has quarters 1 to 4, not {number}")
        first_month = 4 + 3 * (number - 1)
        year = self.start_year + (first_month - 1) // 12
        month = (first_month - 1) % 12 + 1
        end_month = month + 2
        next_start = (
            date(year + 1, 1, 1) if end_month == 12 else date(year, end_month + 1, 1)
        )
        return Period(date(year, month, 1), date.fromordinal(next_start.toordinal() - 1))

    def quarter_of(self, day: date) -> int:
        """Which quarter (1–4) of this year a date falls in."""
        if day not in self.period:
            raise ValueError(f"{day} is not in financial year {self}")
        return (day.month - 4) % 12 // 3 + 1

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def __contains__(self, day: object) -> bool:
        return day in self.period

    def __str__(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"


def month_or_quarter(text: str) -> Period:
    """The days of ``2024-05`` (a calendar month) or ``2024-25-Q3`` (a quarter of a
    financial year: Q1 is April to June); ``ValueError`` for anything else."""
    month = _MONTH.match(text)
    if month and 1 <= int(month[2]) <= 12:
        start = date(int(month[1]), int(month[2]), 1)
        following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return Period(start, date.fromordinal(following.toordinal() - 1))
    quarter = _QUARTER.match(text)
    if quarter is None:
        raise ValueError(f"expected a month (2024-05) or a quarter of a financial year "
                         f"(2024-25-Q3), got {text!r}")
    return FinancialYear.parse(quarter[1]).quarter(int(quarter[2]))
