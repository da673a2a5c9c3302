"""Values with units as people read them: £1,510,000, 26.49%, 1,234 people."""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from vpp_core.model.money import PENNY, format_money
from vpp_core.plugin_api.results import Quantity, Unit

_PLACES = Decimal("0.01")


def format_share(share: Decimal, near: Decimal | None = None) -> str:
    """A share as a percentage to two places (four if two would make it look like ``near``)."""
    percent = share * 100
    if percent == percent.to_integral_value():
        return f"{int(percent)}%"
    shown = percent.quantize(_PLACES)
    if near is not None and shown == (near * 100).quantize(_PLACES):
        shown = percent.quantize(Decimal("0.0001"))
    return f"{shown}%"


def format_value(value: Decimal, unit: Unit) -> str:
    """``value`` in ``unit`` for a message or a report."""
    if unit is Unit.GBP:
        return format_money(value)
    if unit is Unit.SHARE:
        return format_share(value)
    if unit in (Unit.PEOPLE, Unit.COUNT, Unit.DAYS) and value == value.to_integral_value():
        number = f"{int(value):,}"
    else:
        number = f"{value.normalize():,f}"
    if unit is Unit.PEOPLE:
        return f"{number} {'person' if value == 1 else 'people'}"
    if unit is Unit.DAYS:
        return f"{number} {'day' if value == 1 else 'days'}"
    return number


def format_quantity(quantity: Quantity) -> str:
    return format_value(quantity.value, quantity.unit)


def needed(amount: Decimal, unit: Unit) -> Decimal:
    """What it takes to comply, rounded up: to the penny for money, to whole people or items."""
    if unit is Unit.GBP:
        return amount.quantize(PENNY, rounding=ROUND_CEILING)
    if unit in (Unit.PEOPLE, Unit.COUNT, Unit.DAYS):
        return amount.to_integral_value(rounding=ROUND_CEILING)
    return amount
