"""Financial years run 1 April to 31 March; money is exact."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from vpp_core.model.money import format_money, parse_money
from vpp_core.model.periods import FinancialYear, Period


def test_financial_year_bounds_and_quarters() -> None:
    year = FinancialYear.parse("2024-25")
    assert (year.start, year.end) == (date(2024, 4, 1), date(2025, 3, 31))
    assert year.quarter(1) == Period(date(2024, 4, 1), date(2024, 6, 30))
    assert year.quarter(3) == Period(date(2024, 10, 1), date(2024, 12, 31))
    assert year.quarter(4) == Period(date(2025, 1, 1), date(2025, 3, 31))
    assert year.quarter_of(date(2025, 3, 31)) == 4
    assert year.quarter_of(date(2024, 7, 1)) == 2


@pytest.mark.parametrize(("day", "expected"), [
    (date(2024, 3, 31), "2023-24"), (date(2024, 4, 1), "2024-25"), (date(2025, 3, 31), "2024-25"),
])
def test_the_year_a_day_falls_in(day: date, expected: str) -> None:
    assert str(FinancialYear.containing(day)) == expected


@pytest.mark.parametrize("text", ["2024-26", "2024/25", "24-25", ""])
def test_malformed_financial_years_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="financial year"):
        FinancialYear.parse(text)


def test_elapsed_share_of_a_window() -> None:
    window = Period(date(2024, 9, 1), date(2025, 3, 31))
    assert window.elapsed_share(date(2024, 8, 1)) == (0, 212)
    assert window.elapsed_share(date(2024, 9, 1)) == (1, 212)
    assert window.elapsed_share(date(2026, 1, 1)) == (212, 212)


def test_money_is_exact_and_refuses_floats_and_negatives() -> None:
    assert parse_money("832500") == Decimal(832_500)
    assert parse_money("7500.50") == Decimal("7500.50")
    with pytest.raises(ValueError, match="not a float"):
        parse_money(0.1)
    with pytest.raises(ValueError, match="cannot be negative"):
        parse_money(-1)
    with pytest.raises(ValueError, match="two decimal places"):
        parse_money("1.001")
    assert format_money(Decimal(1_510_000)) == "£1,510,000"
    assert format_money(Decimal("7500.5")) == "£7,500.50"
