"""Rule titles and descriptions as templates over the rule's resolved parameters.

Packs are data and never execute anything, so this is not ``str.format``: a placeholder
is only ``{name}`` or ``{name:FORMAT}``, where ``name`` is one of the rule's parameters
and ``FORMAT`` is ``%`` (a share as a percentage: ``0.30`` → ``30%``) or ``£`` (money);
``{{`` and ``}}`` are literal braces. No attribute access, no indexing, no other format.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from vpp_core.model.money import format_money
from vpp_core.plugin_api.formatting import format_share

_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_][a-z0-9_]*)(?::([%£]))?\}|[{}]")
FORMATS = ("%", "£")


def _placeholders(template: str) -> Iterable[tuple[str, str | None]]:
    """Each ``(name, format)`` in ``template``; ``ValueError`` at a stray brace."""
    for match in _TOKEN.finditer(template):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            start = match.start()
            raise ValueError(f"stray {token!r} at character {start + 1} of {template!r} "
                             "(a placeholder is {name} or {name:%} or {name:£}; "
                             "write {{ or }} for a brace)")
        yield match.group(1), match.group(2)


def template_problems(template: str, names: Iterable[str]) -> list[str]:
    """Why ``template`` cannot be filled from parameters called ``names`` (empty if it can)."""
    known = set(names)
    try:
        used = list(_placeholders(template))
    except ValueError as exc:
        return [str(exc)]
    allowed = ", ".join(sorted(known)) or "none"
    return [f"placeholder {{{name}}} is not a parameter of the rule (it has {allowed})"
            for name, _ in used if name not in known]


def _text(value: object, form: str | None) -> str:
    if form is not None and isinstance(value, str):
        with contextlib.suppress(ArithmeticError):
            value = Decimal(value)
    if form == "%" and isinstance(value, Decimal):
        return format_share(value)
    if form == "£" and isinstance(value, Decimal | int):
        return format_money(Decimal(value))
    if form is not None:
        raise ValueError(f"{{:{form}}} needs a number, got {value!r}")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, tuple | list):
        return ", ".join(_text(item, None) for item in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _fill(template: str, values: Mapping[str, object], *, strict: bool) -> str:
    """``template`` with its placeholders filled from ``values``; one that cannot be filled
    is an error when ``strict``, else left as written."""
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        try:
            if name is None or name not in values:
                raise ValueError(f"cannot fill {token!r} in {template!r}")
            return _text(values[name], match.group(2))
        except ValueError:
            if strict:
                raise
            return token

    return _TOKEN.sub(replace, template)


def render(template: str, values: Mapping[str, object]) -> str:
    """``template`` with every placeholder replaced by its parameter's value."""
    return _fill(template, values, strict=True)


def preview(template: str, parameters: Mapping[str, object]) -> str:
    """``template`` filled from a pack's raw parameters (a per-year table's latest year), as
    far as they go: a placeholder with no value is left as written."""
    values = {name: value[max(value)] if isinstance(value, dict) and value else value
              for name, value in parameters.items()}
    return _fill(template, values, strict=False)
