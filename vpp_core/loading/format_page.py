"""A readable reference page (Markdown) for a TOML format, from the classes that load it.

Every table of the format gets a section: its keys with their type, allowed values,
whether they are required, their meaning (the field's ``doc`` metadata) and an example,
taken from real files of the format where they have the key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from vpp_core.loading.schema import (
    SIMPLE,
    SchemaBuilder,
    class_description,
    fields_of,
    is_optional,
    toml_type,
)
from vpp_core.loading.toml_text import inline_toml
from vpp_core.model.fields import DOC, SCHEMA, Extensions

_EXAMPLE_WIDTH = 48


@attrs.frozen
class _Table:
    header: str  # ``[[grants]]``, ``[budget]``, or "" for the top level
    path: str  # ``grants``
    cls: type


def _is_table(annotation: Any) -> bool:
    return isinstance(annotation, type) and attrs.has(annotation) and annotation not in SIMPLE


def _table_of(annotation: Any) -> tuple[type | None, bool]:
    """The attrs class a field holds, and whether it holds an array of them."""
    annotation, _ = is_optional(annotation)
    arguments = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is tuple and arguments:
        return (arguments[0], True) if _is_table(arguments[0]) else (None, False)
    return (annotation, False) if _is_table(annotation) else (None, False)


def _tables(root: type, extensions: Mapping[type, Mapping[str, type]]) -> list[_Table]:
    """Every table of the format, the first place each class is met, breadth first;
    ``extensions`` adds the tables of the extensions plugins claim, by owning class."""
    found = [_Table("", "", root)]
    seen = {root}
    queue = [found[0]]
    while queue:
        table = queue.pop(0)
        for field in fields_of(table.cls):
            path = f"{table.path}.{field.name}" if table.path else field.name
            many = False
            if field.type is Extensions:
                claimed = [(f"{path}.{name}", shape) for name, shape
                           in sorted(extensions.get(table.cls, {}).items())]
            else:
                cls, many = _table_of(toml_type(field))
                claimed = [] if cls is None else [(path, cls)]
            for where, cls in claimed:
                if cls in seen:
                    continue
                seen.add(cls)
                item = _Table(f"[[{where}]]" if many else f"[{where}]", where, cls)
                found.append(item)
                queue.append(item)
    return found


def _instances(data: Any, path: str) -> Iterator[dict[str, Any]]:
    """Every table at a dotted path in parsed TOML, through arrays of tables."""
    if not path:
        if isinstance(data, dict):
            yield data
        return
    head, _, rest = path.partition(".")
    value = data.get(head) if isinstance(data, dict) else None
    for item in value if isinstance(value, list) else [value]:
        yield from _instances(item, rest)


def _inline(value: Any, table: bool) -> str | None:
    """A short example as inline TOML; ``None`` for a ``table`` too long to show inline
    (its own section shows it)."""
    text = inline_toml(value)
    if len(text) <= _EXAMPLE_WIDTH:
        return text
    return None if table else text[: _EXAMPLE_WIDTH - 1] + "…"


def _type_words(schema: Mapping[str, Any], builder: SchemaBuilder) -> str:
    if "$ref" in schema:
        return "table"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        return f"array of {_type_words(schema['items'], builder)}s"
    if schema.get("format") == "date":
        return "date"
    if schema.get("pattern") == r"^\d{4}-\d{2}$":
        return "financial year"
    if kind == ["integer", "string"]:
        return "number (integer or decimal string)"
    if kind == ["string", "integer"]:
        return "string or integer"
    if kind == "object":
        return "table"
    return str(kind)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(examples: Sequence[Any], path: str, key: str, table: bool) -> str:
    for data in examples:
        for instance in _instances(data, path):
            if key in instance:
                text = _inline(instance[key], table)
                return "see below" if text is None else f"`{_cell(text)}`"
    return ""


def _rows(table: _Table, examples: Sequence[Any], builder: SchemaBuilder,
          headers: Mapping[type, str]) -> list[str]:
    rows = ["| key | type | required | meaning | example |", "|---|---|---|---|---|"]
    for field in fields_of(table.cls):
        key = field.alias or field.name
        schema = builder.of(toml_type(field)) | field.metadata.get(SCHEMA, {})
        meaning = field.metadata.get(DOC, "")
        cls, many = _table_of(toml_type(field))
        where = f"{table.path}.{key}" if table.path else key
        if cls is not None:
            header = f"[[{where}]]" if many else f"[{where}]"
            kind = f"{'array of tables' if many else 'table'} `{header}`"
            if headers.get(cls, header) != header:
                kind += f", keys as in `{headers[cls]}`"
        elif field.type is Extensions:
            kind = f"tables `[{where}.NAME]`"
        else:
            kind = _type_words(schema, builder)
        required = "yes" if field.default is attrs.NOTHING else "no"
        example = _example(examples, table.path, key, cls is not None) or ", ".join(
            f"`{item}`" for item in field.metadata.get(SCHEMA, {}).get("examples", []))
        if example == "see below" and "keys as in" in kind:
            example = ""
        rows.append(f"| `{key}` | {_cell(kind)} | {required} | {_cell(meaning)} | {example} |")
    return rows


def reference_page(root: type, *, title: str, summary: str, command: str,
                   examples: Sequence[Any] = (),
                   extensions: Mapping[type, Mapping[str, type]] | None = None) -> str:
    """The Markdown reference of a format whose files are structured into ``root``.

    ``examples`` are parsed files of the format, where each key's example is taken from;
    ``extensions`` adds the tables of claimed extensions, by the class that holds them.
    """
    builder = SchemaBuilder()
    lines = [f"# {title}", "",
             f"<!-- Generated by `{command}`; a test fails when this page is stale. -->", "",
             summary, "",
             "Every table takes only the keys listed: any other key is an error that names "
             "the keys allowed.", ""]
    tables = _tables(root, extensions or {})
    headers = {table.cls: table.header for table in tables}
    for table in tables:
        heading = f"`{table.header}`" if table.header else "Top level"
        lines += [f"## {heading}", ""]
        if class_description(table.cls):
            lines += [class_description(table.cls), ""]
        lines += [*_rows(table, examples, builder, headers), ""]
    return "\n".join(lines)
