"""Exact money: :class:`~decimal.Decimal` pounds, two places, never float."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

PENNY = Decimal("0.01")

#: The largest amount, count or figure an input may hold: far beyond any grant or cohort,
#: small enough that every sum and share stays exact and quick.
MAX_NUMBER = 10**15
#: The most decimal places a figure may have (a share to a millionth of a millionth).
MAX_PLACES = 12


def check_magnitude(number: Decimal, given: object) -> Decimal:
    """``number`` if it lies within :data:`MAX_NUMBER` and :data:`MAX_PLACES`, else ValueError."""
    shown = repr(given) if isinstance(given, str | int) and len(str(number)) <= 40 else "the number"
    if abs(number) > MAX_NUMBER:
        raise ValueError(f"{shown} is out of range (at most {MAX_NUMBER:,})")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise ValueError(f"{shown} has more than {MAX_PLACES} decimal places")
    return number


def parse_money(value: object) -> Decimal:
    """Read an amount in pounds from an int or a decimal string (``"832500"``, ``"7500.50"``).

    Floats are refused: they cannot hold pence exactly. Negative amounts are refused.
    """
    if isinstance(value, bool | float):
        raise ValueError("expected money as an integer or a decimal string, not a float")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("£")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"expected an amount of money, got {value!r}") from None
    else:
        raise ValueError(f"expected an amount of money, got {type(value).__name__}")
    if not amount.is_finite():
        raise ValueError(f"expected a finite amount of money, got {value!r}")
    check_magnitude(amount, value)
    if amount < 0:
        raise ValueError(f"money cannot be negative, got {value!r}")
    if amount != amount.quantize(PENNY):
        raise ValueError(f"money has at most two decimal places (pence), got {value!r}")
    return amount


def unparse_money(amount: Decimal) -> int | str:
    """The TOML form of an amount: an integer for whole pounds, else a string with pence."""
    if amount == amount.to_integral_value():
        return int(amount)
    return str(amount.quantize(PENNY))


def format_money(amount: Decimal) -> str:
    """``£1,510,000`` or ``£7,500.50`` for people to read."""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount.quantize(PENNY):,}"
