"""Where in a strategy's TOML a finding points: the line a table, an item or a field is on.

For SARIF and the other reports: a finding about intervention ``mash`` points at the line of
its ``[[interventions]]`` table; a quantity whose source is ``budget.lines[3].amount`` points
at the ``amount`` key of the fourth ``[[budget.lines]]`` table. This is a line scanner, not a
TOML parser: it is only ever given files that have already been read successfully, and
when it cannot place something it says so (``None``) rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r'^\s*("[^"]*"|[A-Za-z0-9_-]+)\s*=')
_INLINE_ITEM = re.compile(r"^\s*\{")
_ID_VALUE = re.compile(r'(?:^|[{,\s])id\s*=\s*"([^"]*)"')
_PATH_PART = re.compile(r"^(?P<key>[^\[\]]+)(?:\[(?P<index>\d+)\])?$")

# Where each kind of subject is defined, as the model's field paths name the tables.
SUBJECT_TABLES: dict[str, tuple[str, ...]] = {
    "grant": ("grants",),
    "intervention": ("interventions",),
    "local-partnership": ("local_partnerships",),
    "partnership": ("local_partnerships", "partnership"),
    "budget-line": ("budget.lines", "budget.lines.parts"),
    "budget": ("budget",),
    "strand": ("strands",),
    "success-measure": ("success_measures",),
    "measure": ("success_measures",),
    "stated-figure": ("stated_figures",),
    "figure": ("stated_figures",),
    "target": ("targets.rows", "targets"),
    "target-row": ("targets.rows",),
    "targets": ("targets",),
    "outcome": ("theory_of_change.outcomes",),
    "input": ("theory_of_change.inputs",),
    "theory-of-change": ("theory_of_change",),
    "campaign": ("campaign",),
    "definition": ("definition",),
    "duty": ("duty",),
    # the Theory of Change's nodes, as its rules name them
    "toc-input": ("theory_of_change.inputs",),
    "toc-strand": ("strands",),
    "toc-intervention": ("interventions",),
    "toc-outcome": ("theory_of_change.outcomes",),
    "toc-measure": ("success_measures",),
}

# Keys other than ``id`` that name what a table is about (a target row names its intervention).
_NAMING_KEYS = ("intervention", "strand", "label", "name")


@attrs.frozen
class _Table:
    name: str  # as the header names it: ``budget.lines``
    path: str  # with the index of every array: ``budget.lines[3]``
    line: int
    end: int
    index: int | None
    keys: dict[str, int]
    names: dict[str, str]


def _strip(key: str) -> str:
    return key[1:-1] if key.startswith('"') else key


def _value(line: str) -> str | None:
    match = re.search(r'=\s*"([^"]*)"', line)
    return match.group(1) if match else None


def _resolve(name: str, counts: dict[str, int]) -> str:
    """``interventions.evaluation`` → ``interventions[4].evaluation`` after five interventions."""
    resolved = ""
    parts = name.split(".")
    for position, part in enumerate(parts):
        resolved = f"{resolved}.{part}" if resolved else part
        if position < len(parts) - 1 and resolved in counts:
            resolved = f"{resolved}[{counts[resolved] - 1}]"
    return resolved


def _tables(text: str) -> list[_Table]:
    """Every table of the file with the line of each top-level key in it (1-based lines)."""
    tables: list[_Table] = []
    counts: dict[str, int] = {}
    name, path, start, index = "", "", 1, None
    keys: dict[str, int] = {}
    names: dict[str, str] = {}
    in_string = False
    lines = text.splitlines()

    def close(end: int) -> None:
        tables.append(_Table(name, path, start, end, index, dict(keys), dict(names)))

    for number, line in enumerate(lines, start=1):
        if in_string:
            in_string = line.count('"""') % 2 == 0
            continue
        if line.count('"""') % 2 == 1:
            in_string = True
        array = _ARRAY_HEADER.match(line)
        header = None if array else _HEADER.match(line)
        if array or header:
            close(number - 1)
            matched = array or header
            assert matched is not None
            name = ".".join(_strip(part.strip()) for part in matched.group(1).split("."))
            path = _resolve(name, counts)
            start, keys, names = number, {}, {}
            if array:
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = f"{path}[{index}]"
            else:
                index = None
            continue
        key = _KEY.match(line)
        if key and line[: key.start(1)].strip() == "":
            key_name = _strip(key.group(1))
            keys.setdefault(key_name, number)
            value = _value(line)
            if value is not None and (key_name == "id" or key_name in _NAMING_KEYS):
                names.setdefault(key_name, value)
    close(len(lines))
    return tables


@attrs.define
class Locator:
    """Finds lines in one strategy file; build it once per file with :meth:`from_path`."""

    lines: list[str]
    tables: list[_Table]

    @classmethod
    def from_text(cls, text: str) -> Locator:
        return cls(text.splitlines(), _tables(text))

    @classmethod
    def from_path(cls, path: str | Path) -> Locator:
        return cls.from_text(Path(path).read_text(encoding="utf-8"))

    def _named(self, table_names: tuple[str, ...], item_id: str) -> int | None:
        for key in ("id", *_NAMING_KEYS):
            for table in self.tables:
                if table.name in table_names and table.names.get(key) == item_id:
                    return table.line
        return None

    def _inline(self, table_names: tuple[str, ...], item_id: str) -> int | None:
        """An inline table ``{ id = "…", … }`` inside an array of a table in ``table_names``."""
        parents = {name.rpartition(".")[0] for name in table_names if "." in name}
        for table in self.tables:
            if table.name not in parents and table.name not in table_names:
                continue
            for number in range(table.line, table.end + 1):
                found = _ID_VALUE.search(self.lines[number - 1])
                if found and found.group(1) == item_id:
                    return number
        return None

    def subject_line(self, kind: str, item_id: str) -> int | None:
        """The line a subject (``intervention``/``mash``) is defined on, or ``None``."""
        tables = SUBJECT_TABLES.get(kind)
        if tables is None:
            plural = kind.replace("-", "_")
            tables = tuple(
                table.name for table in self.tables
                if table.name.rpartition(".")[2] in (plural, f"{plural}s")
            )
        if not tables:
            return None
        named = self._named(tables, item_id) or self._inline(tables, item_id)
        if named is not None:
            return named
        if "/" in item_id:  # a part of an item (``school-navigators/24-and-under``)
            return self.subject_line(kind, item_id.partition("/")[0])
        singles = [table.line for table in self.tables
                   if table.name in tables and table.index is None]
        return singles[0] if singles and item_id in ("", kind) else None

    def path_line(self, path: str) -> int | None:
        """The line of a field path such as ``budget.lines[3].amount``, or ``None``.

        Gives the deepest part it can place: the key's line, else its table's line.
        """
        steps = [_PATH_PART.match(part) for part in path.split(".")] if path else []
        if not steps or any(step is None for step in steps):
            return None
        resolved = ""
        table = self._table("")
        found: int | None = None
        for position, step in enumerate(steps):
            assert step is not None and table is not None
            key, index = step["key"], step["index"]
            candidate = f"{resolved}.{key}" if resolved else key
            if index is not None:
                candidate = f"{candidate}[{index}]"
            match = self._table(candidate)
            if match is not None:
                table, resolved, found = match, candidate, match.line
                continue
            if key not in table.keys:
                return found
            found = table.keys[key]
            if index is not None:
                found = self._nth_inline(found, int(index), table.end) or found
            if position < len(steps) - 1:
                return found
        return found

    def _table(self, path: str) -> _Table | None:
        for table in self.tables:
            if table.path == path:
                return table
        return None

    def _nth_inline(self, key_line: int, index: int, end: int) -> int | None:
        items = self._inline_items(key_line, end)
        return items[index] if index < len(items) else None

    def _inline_items(self, key_line: int, end: int) -> list[int]:
        first = self.lines[key_line - 1]
        if "[" in first and first.count("{") > 0:
            return [key_line] * first.count("{")
        return list(self._item_lines(key_line + 1, end))

    def _item_lines(self, start: int, end: int) -> Iterator[int]:
        for number in range(start, end + 1):
            line = self.lines[number - 1]
            if _INLINE_ITEM.match(line):
                yield number
            elif line.strip().startswith("]"):
                return
