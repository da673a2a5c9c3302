"""Record kinds: what a plugin says about the delivery records it reads.

A plugin registers each kind it reads (``participants``, ``exposures``…) through the
``vpp_register_record_kinds`` hook as a :class:`RecordKind`: its name (a manifest's
``kind``), what it holds, and its columns as a :class:`RecordSchema`. A kind nobody
registered is refused wherever it is named, so a misspelt kind is never read silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # the model is built only when a strategy is read
    from vpp_core.model import Strategy

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class ColumnType(StrEnum):
    ID = "id"  # non-empty text, trimmed (a pseudonymous person id, a code)
    STRING = "string"
    DATE = "date"  # YYYY-MM-DD or DD/MM/YYYY in CSV; DATE or TIMESTAMP in Parquet
    INTEGER = "integer"
    DECIMAL = "decimal"  # exact, DECIMAL(18,4)


@attrs.frozen
class Column:
    """One of our columns: its type, whether every row needs it, the values allowed.

    ``allowed`` values are compared trimmed and case-insensitively, and stored lower-case.
    ``aliases`` are other spellings of them, ``(spelling, allowed value)``, matched
    ignoring case, spaces and punctuation: a partner's "Hospital Navigators" for
    ``hospital-navigators``. A spelling two values share matches neither.
    """

    name: str = attrs.field()
    type: ColumnType
    required: bool = True
    allowed: frozenset[str] | None = None
    description: str = ""
    aliases: tuple[tuple[str, str], ...] = ()

    @name.validator
    def _plain_name(self, _: attrs.Attribute[str], value: str) -> None:
        if not IDENTIFIER.match(value):
            raise ValueError(f"column name {value!r} must be lower_snake_case")


@attrs.frozen
class RowRule:
    """A rule over a row's typed values: ``condition`` is SQL true for a row to leave out."""

    condition: str
    reason: str


@attrs.frozen
class RecordSchema:
    """The columns a kind of record has, in our names, and what a usable row needs.

    ``one_of`` lists groups of optional columns of which a file must have at least one
    and a row must have a value in at least one (date of birth or age at the event).
    """

    kind: str
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    rules: tuple[RowRule, ...] = ()

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


#: A column's allowed values taken from the strategy (``None``: any value).
StrategyValues = Callable[["Strategy"], frozenset[str] | None]
#: Other spellings of a column's allowed values, from the strategy: ``(spelling, value)``.
StrategyAliases = Callable[["Strategy"], tuple[tuple[str, str], ...]]


@attrs.frozen
class RecordKind:
    """A kind of delivery record a plugin reads: name, what it holds, its columns.

    ``strategy_values`` names the columns whose allowed values come from the audited
    strategy (intervention ids, local partnerships), ``strategy_aliases`` those whose other
    spellings do (intervention names); :meth:`schema_for` fills them in.
    """

    schema: RecordSchema
    description: str
    strategy_values: Mapping[str, StrategyValues] = attrs.field(factory=dict)
    strategy_aliases: Mapping[str, StrategyAliases] = attrs.field(factory=dict)

    @property
    def name(self) -> str:
        return self.schema.kind

    def schema_for(self, strategy: Strategy) -> RecordSchema:
        """The schema with the values the strategy allows, and their spellings, filled in."""
        columns = []
        for column in self.schema.columns:
            if column.name in self.strategy_values:
                column = attrs.evolve(column, allowed=self.strategy_values[column.name](strategy))
            if column.name in self.strategy_aliases:
                column = attrs.evolve(column, aliases=self.strategy_aliases[column.name](strategy))
            columns.append(column)
        return attrs.evolve(self.schema, columns=tuple(columns))
