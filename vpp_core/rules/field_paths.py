"""Field paths into a strategy (``definition``, ``interventions[*].evaluation``): checked
against the strategy's model when a pack is loaded, walked over a strategy when a check runs.

A path is fields joined by dots; a field holding a list takes ``[*]`` (every item) or
``[N]`` (the item at N, from 0). Checking follows the model's field types, so a path that
no strategy could have is the pack's error, located, before any check runs.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

import attrs

from vpp_core import model  # its classes are built when a path is first checked
from vpp_core.loading.suggestions import unknown
from vpp_core.plugin_api.results import Subject

_SEGMENT = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)(\[(?P<index>\*|\d+)\])?$")
_SEQUENCES = (tuple, list, Sequence)


def _segment(text: str) -> tuple[str, str | None]:
    match = _SEGMENT.match(text)
    if match is None:
        raise ValueError(f"path segment {text!r} is not 'field', 'field[*]' or 'field[N]'")
    return match["name"], match["index"]


def _choices(kind: Any) -> tuple[Any, ...]:
    """The types a field may hold: each member of a union, ``None`` left out."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return tuple(member for member in typing.get_args(kind) if member is not type(None))
    return (kind,)


@cache
def _fields(cls: type) -> dict[str, Any]:
    return {field.name: field.type for field in attrs.fields(attrs.resolve_types(cls))}


def check_path(path: object) -> str:
    """``path`` if every field it names exists in the strategy model, each ``[*]`` or
    ``[N]`` following a list; otherwise ``ValueError`` saying what is wrong."""
    if not isinstance(path, str) or not path:
        raise ValueError(f"expected a field path such as 'interventions[*].evaluation', "
                         f"got {path!r}")
    kinds: tuple[Any, ...] = (model.Strategy,)
    trail = ""
    for text in path.split("."):
        name, index = _segment(text)
        tables = [kind for kind in kinds if isinstance(kind, type) and attrs.has(kind)]
        if not tables:
            if any(typing.get_origin(kind) in _SEQUENCES for kind in kinds):
                raise ValueError(f"{trail} is a list: write {trail}[*].{name} for each item, "
                                 f"or {trail}[N].{name} for one")
            raise ValueError(f"{trail} is a value, not a table: it has no field {name!r}")
        fields = {field: kind for table in tables for field, kind in _fields(table).items()}
        if name not in fields:
            raise ValueError(f"{trail or 'a strategy'}: {unknown('field', name, fields)}")
        here = f"{trail}.{name}" if trail else name
        kinds = _choices(fields[name])
        if index is not None:
            lists = [kind for kind in kinds if typing.get_origin(kind) in _SEQUENCES]
            if not lists:
                raise ValueError(f"{here} is not a list: [{index}] cannot follow it")
            kinds = tuple(item for kind in lists for item in typing.get_args(kind)
                          if item is not Ellipsis)
        trail = f"{here}[{index}]" if index is not None else here
    return path


def walk(value: Any, path: str, subject: Subject,
         kind: str | None) -> Iterator[tuple[Subject, str, Any]]:
    """Each value ``path`` reaches in ``value`` (a strategy), with the subject it belongs to
    (an item that ``[*]`` or ``[N]`` goes through, ``kind`` naming its kind; else
    ``subject``) and where it is (``interventions[mash].evaluation``)."""
    return _walk(value, path.split("."), subject, "", kind)


def _walk(value: Any, segments: Sequence[str], subject: Subject, trail: str,
          kind: str | None) -> Iterator[tuple[Subject, str, Any]]:
    if not segments:
        yield subject, trail, value
        return
    name, index = _segment(segments[0])
    here = f"{trail}.{name}" if trail else name
    if value is None:
        yield subject, here, None
        return
    if not attrs.has(type(value)) or name not in attrs.fields_dict(type(value)):
        raise ValueError(f"{trail or 'the strategy'} has no field {name!r}")
    field = getattr(value, name)
    if index is None:
        yield from _walk(field, segments[1:], subject, here, kind)
        return
    items = tuple(field or ())
    chosen = enumerate(items) if index == "*" else (
        [(int(index), items[int(index)])] if int(index) < len(items) else []
    )
    item_kind = kind or name.removesuffix("s").replace("_", "-")
    for position, item in chosen:
        identifier = str(getattr(item, "id", position))
        label = str(getattr(item, "name", getattr(item, "label", "")))
        yield from _walk(item, segments[1:], Subject(item_kind, identifier, label),
                         f"{here}[{identifier}]", kind)
