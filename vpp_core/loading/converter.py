"""The project's one cattrs converter, and error messages with field paths.

Structuring turns TOML data into the frozen model; unstructuring turns it back into
plain data ``tomli_w`` can write. Money is Decimal, never float; dates are dates;
financial years are written ``"2024-25"``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import Any, NewType, get_args

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory, is_sequence
from cattrs.dispatch import StructureHook
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from vpp_core.loading.suggestions import unknown_keys
from vpp_core.model import Money, PlannedSpend
from vpp_core.model.fields import Extensions
from vpp_core.model.money import MAX_NUMBER, check_magnitude, parse_money, unparse_money
from vpp_core.model.periods import FinancialYear, Period


def _structure_decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool | float):
        raise ValueError("expected an integer or a decimal string, not a float")
    if isinstance(value, int):
        return check_magnitude(Decimal(_structure_int(value, int)), value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"expected a number, got {value!r}") from None
        if number.is_finite():
            return check_magnitude(number, value)
    raise ValueError(f"expected a number, got {value!r}")


def _unstructure_decimal(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def _structure_date(value: object, _: type) -> date:
    if isinstance(value, datetime):
        raise ValueError("expected a date, got a date and time")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date, got {value!r}") from None
    raise ValueError(f"expected a date, got {type(value).__name__}")


def _structure_financial_year(value: object, _: type) -> FinancialYear:
    if not isinstance(value, str):
        raise ValueError(f"expected a financial year like '2024-25', got {value!r}")
    return FinancialYear.parse(value)


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {type(value).__name__}")
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"{_short(value)} is out of range (at most {MAX_NUMBER:,})")
    return value


def _short(value: int) -> str:
    """A huge integer shown by its size: Python refuses to print one of over 4,300 digits."""
    return f"a {value.bit_length()}-bit integer" if value.bit_length() > 64 else str(value)


def _array_hook(type_: Any, converter: cattrs.Converter) -> StructureHook:
    """Arrays from TOML arrays only: a string or a table is not an array of its characters."""
    made: list[StructureHook] = []  # built at first use: hooks registered later still apply

    def hook(value: object, target: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise ValueError(f"expected an array, got {_kind(value)}")
        if not made:
            made.append(homogenous_tuple_structure_factory(type_, converter))
        return made[0](value, target)

    return hook


_KINDS: dict[type, str] = {dict: "a table", str: "a string", list: "an array"}


def _kind(value: object) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {type(value).__name__}")
    return value


#: A TOML table kept as read: a pack's raw parameters, an extension no plugin has claimed.
RawTable = NewType("RawTable", dict[str, Any])


def _structure_raw_table(value: object, _: type) -> RawTable:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table, got {type(value).__name__}")
    return RawTable(value)


def _structure_extensions(value: object, _: type) -> Extensions:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of [extensions.NAME] tables, got "
                         f"{type(value).__name__}")
    for name, table in value.items():
        if not isinstance(table, dict):
            raise ValueError(f"{name}: expected a table, got {type(table).__name__}")
    return Extensions(dict(value))


def _structure_period(value: object, _: type) -> Period:
    if not isinstance(value, dict):
        raise ValueError("expected a table with start and end")
    unknown = sorted(set(value) - {"start", "end"})
    if unknown:
        raise ForbiddenExtraKeysError("", Period, set(unknown))
    missing = [key for key in ("start", "end") if key not in value]
    if missing:
        raise ValueError(f"missing {' and '.join(missing)}")
    start = _structure_date(value["start"], date)
    end = _structure_date(value["end"], date)
    if end < start:
        raise ValueError(f"ends {end} before it starts {start}")
    return Period(start, end)


def _structure_enum(value: object, type_: type[Enum]) -> Enum:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    try:
        return type_(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in type_)
        raise ValueError(f"{value!r} is not one of {choices}") from None


def make_converter() -> cattrs.Converter:
    """A converter for the domain model: strict about types and unknown keys."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_unstructure_hook(Decimal, _unstructure_decimal)
    converter.register_structure_hook(date, _structure_date)
    converter.register_unstructure_hook(date, lambda value: value)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook_factory(
        lambda type_: is_sequence(type_) and getattr(type_, "__origin__", None) is tuple,
        lambda type_: _array_hook(type_, converter),
    )
    # StrEnum before str in dispatch: the model's enums are StrEnums.
    converter.register_structure_hook(StrEnum, _structure_enum)
    converter.register_structure_hook(RawTable, _structure_raw_table)
    converter.register_unstructure_hook(RawTable, dict)
    converter.register_structure_hook(Extensions, _structure_extensions)
    converter.register_unstructure_hook(
        Extensions,
        lambda extensions: {name: converter.unstructure(value) if attrs.has(type(value))
                            else value for name, value in extensions.items()},
    )
    converter.register_structure_hook(FinancialYear, _structure_financial_year)
    converter.register_unstructure_hook(FinancialYear, str)
    converter.register_structure_hook(Period, _structure_period)
    converter.register_unstructure_hook(
        Period, lambda period: {"start": period.start, "end": period.end}
    )
    for with_money in (Money, PlannedSpend):  # ``amount`` is money: exact pence, never negative
        converter.register_structure_hook(
            with_money,
            make_dict_structure_fn(
                with_money,
                converter,
                _cattrs_forbid_extra_keys=True,
                amount=override(struct_hook=lambda value, _: parse_money(value)),
            ),
        )
    converter.register_unstructure_hook(
        Money,
        lambda money: {"amount": unparse_money(money.amount)}
        | ({"as_printed": money.as_printed} if money.as_printed else {}),
    )
    return converter


CONVERTER = make_converter()

_AT = re.compile(r"^(?P<message>.*) @ \$(?P<path>.*)$", re.DOTALL)


def allowed_keys(cls: type) -> tuple[str, ...]:
    """The keys a table structured into the attrs class ``cls`` may hold."""
    return tuple(sorted(field.alias or field.name for field in attrs.fields(cls)))


def _describe(exc: BaseException, type_: Any) -> str:
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = allowed_keys(exc.cl) if attrs.has(exc.cl) else ()
        return unknown_keys(exc.extra_fields, allowed)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, AttributeError | TypeError) and any(
        attrs.has(option) for option in (*get_args(type_), type_) if isinstance(option, type)
    ):
        return "expected a table"
    if isinstance(exc, ValueError | TypeError) and exc.args:
        first = exc.args[0]
        text = first if isinstance(first, str) else str(first)
        return text
    return f"invalid value ({type(exc).__name__})"


def describe_structure_error(
    exc: ClassValidationError | IterableValidationError, at: str = ""
) -> list[str]:
    """One ``field.path: problem`` line per problem in a cattrs structuring error; ``at``
    is the path of the structured value within its file, if it is not the whole file."""
    lines = cattrs.transform_error(exc, path="$", format_exception=_describe)
    problems = []
    for line in lines:
        match = _AT.match(line)
        if match is None:
            problems.append(line)
            continue
        path = match["path"].removeprefix(".")
        if at:
            path = f"{at}{'' if path.startswith('[') or not path else '.'}{path}"
        problems.append(f"{path}: {match['message']}" if path else match["message"])
    # An unknown key first: it is often the misspelling of a field reported missing.
    return sorted(problems, key=lambda problem: "unknown key" not in problem)
