"""JSON Schemas (draft 2020-12) derived from the attrs classes the converter structures.

The schema of a format is generated from the same classes, types and field metadata that
load it, so it cannot drift from the loader: a table is an object with exactly its
class's fields (unknown keys are errors), a field without a default is required, enums
list their values, and each field's ``doc`` metadata is its description.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import attrs

from vpp_core.loading.converter import RawTable
from vpp_core.model.fields import DOC, SCHEMA, SHAPE, Extensions
from vpp_core.model.periods import FinancialYear

DRAFT = "https://json-schema.org/draft/2020-12/schema"

SIMPLE: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    bool: {"type": "boolean"},
    Path: {"type": "string"},
    Decimal: {"type": ["integer", "string"], "description": "a whole number, or a decimal "
              "written as a string (\"0.20\"); never a float"},
    date: {"type": "string", "format": "date",
           "description": "a date (a TOML local date, 2024-03-31)"},
    FinancialYear: {"type": "string", "pattern": r"^\d{4}-\d{2}$",
                    "description": "a financial year, 1 April to 31 March (\"2024-25\")"},
    RawTable: {"type": "object"},
}


def class_description(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    text = inspect.getdoc(cls) or ""
    if cls.__doc__ is None or text == inspect.getdoc(object):
        return ""
    return " ".join(text.split("\n\n")[0].split()).replace("``", "`")


def fields_of(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    """An attrs class's fields with their annotations resolved to types."""
    attrs.resolve_types(cls)
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return fields


def toml_type(field: attrs.Attribute[Any]) -> Any:
    """The type a field is read as from TOML: its own, unless its metadata names another."""
    return field.metadata.get(SHAPE, field.type)


def is_optional(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` as ``(X, True)``; anything else as ``(annotation, False)``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [item for item in typing.get_args(annotation) if item is not type(None)]
        if len(members) == 1:
            return members[0], True
    return annotation, False


@attrs.define
class SchemaBuilder:
    """Builds one schema, defining each attrs class once under ``$defs``."""

    extensions: Mapping[type, Mapping[str, type]] = attrs.field(factory=dict)
    defs: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    names: dict[type, str] = attrs.field(factory=dict)

    def of(self, annotation: Any, owner: type | None = None) -> dict[str, Any]:
        """The schema of a field's type; ``owner`` is the class holding the field."""
        annotation, _ = is_optional(annotation)
        if annotation in SIMPLE:
            return dict(SIMPLE[annotation])
        if annotation is Extensions:
            return self._extensions(self.extensions.get(owner, {}) if owner else {})
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return {"type": "string", "enum": [member.value for member in annotation]}
        if isinstance(annotation, type) and attrs.has(annotation):
            return self._class(annotation)
        origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
            return {"type": "array", "items": self.of(arguments[0])}
        if origin in (dict, Mapping) or annotation in (dict, Mapping):
            value = arguments[1] if len(arguments) == 2 else Any
            return {"type": "object"} | (
                {} if value is Any else {"additionalProperties": self.of(value)})
        if annotation is Any:
            return {}
        raise TypeError(f"no JSON Schema for {annotation!r}")

    def _class(self, cls: type) -> dict[str, Any]:
        name = self.names.get(cls)
        if name is None:
            name = cls.__name__
            if name in self.defs:  # two classes of one name (a plugin's and ours)
                name = f"{cls.__module__}.{cls.__qualname__}"
            self.names[cls] = name
            self.defs[name] = {}  # placeholder: a class may contain itself
            self.defs[name] = self.table(cls)
        return {"$ref": f"#/$defs/{name}"}

    def table(self, cls: type) -> dict[str, Any]:
        """The object schema of an attrs class: its fields, the required ones, nothing else."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in fields_of(cls):
            key = field.alias or field.name
            schema = self.of(toml_type(field), cls)
            if field.metadata.get(DOC):
                schema["description"] = field.metadata[DOC]
            schema.update(field.metadata.get(SCHEMA, {}))
            if field.default is attrs.NOTHING:
                required.append(key)
            properties[key] = schema
        result: dict[str, Any] = {"type": "object"}
        if class_description(cls):
            result["description"] = class_description(cls)
        result["properties"] = properties
        if required:
            result["required"] = required
        result["additionalProperties"] = False
        return result

    def _extensions(self, claimed: Mapping[str, type]) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "object"}}
        if claimed:
            schema["properties"] = {name: self.of(shape)
                                    for name, shape in sorted(claimed.items())}
        return schema


def json_schema(root: type, *, title: str, schema_id: str = "",
                extensions: Mapping[type, Mapping[str, type]] | None = None) -> dict[str, Any]:
    """The JSON Schema of a TOML file structured into the attrs class ``root``.

    ``extensions`` adds, per class that holds an ``extensions`` field, the shape of each
    extension the loaded plugins claim there.
    """
    builder = SchemaBuilder(extensions=dict(extensions or {}))
    body = builder.table(root)
    schema: dict[str, Any] = {"$schema": DRAFT}
    if schema_id:
        schema["$id"] = schema_id
    schema["title"] = title
    schema.update(body)
    if builder.defs:
        schema["$defs"] = dict(sorted(builder.defs.items()))
    return schema
