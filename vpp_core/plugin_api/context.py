"""What a check or a metric sees: the strategy, its records, parameters, other metrics."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from vpp_core.loading.errors import UsageError
from vpp_core.loading.suggestions import did_you_mean
from vpp_core.plugin_api.specs import Measurement, MetricSpec

if TYPE_CHECKING:  # the model is built only when a strategy is read
    from vpp_core.model import Strategy

T = TypeVar("T")


@attrs.frozen
class RecordSource:
    """A delivery-records file and how its columns map to ours.

    ``kind`` says what it holds (a kind a plugin registered: ``vpp records kinds``);
    ``columns`` maps our column names to the file's own where they differ; ``values``
    maps, per column of ours, the file's spellings of coded values to ours (compared
    trimmed and ignoring case).
    """

    kind: str
    path: Path
    columns: Mapping[str, str] = attrs.field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)


class NotAMeasurement(TypeError):
    """A metric gave back something other than a :class:`Measurement` (said of the metric)."""


def defined_at(function: object, what: str) -> str:
    """`` (WHAT at file.py:line)``: where a plugin's function is defined, file name only."""
    code = getattr(function, "__code__", None)
    if code is None:
        return ""
    return f" ({what} at {Path(code.co_filename).name}:{code.co_firstlineno})"


@attrs.define
class MetricContext:
    """Computes metrics by reference (``name`` or ``name:argument``), each once per run."""

    strategy: Strategy
    metrics: Mapping[str, MetricSpec]
    _records: tuple[RecordSource, ...] = attrs.field(default=(), alias="records")
    as_of: date | None = None
    #: The record kinds the loaded plugins registered (``None``: not checked).
    kinds: frozenset[str] | None = None
    _values: dict[str, Measurement] = attrs.field(factory=dict, init=False)
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False)
    _kinds: set[str] = attrs.field(factory=set, init=False)
    _files: dict[str, str] = attrs.field(factory=dict, init=False)

    def metric(self, reference: str) -> Measurement:
        """The value of ``reference``; a :class:`UsageError` names an unknown metric."""
        if reference not in self._values:
            name, _, argument = reference.partition(":")
            spec = self.metrics.get(name)
            if spec is None:
                raise UsageError(f"unknown metric {name!r}")
            if bool(argument) != spec.takes_argument:
                wanted = "takes an argument" if spec.takes_argument else "takes no argument"
                raise UsageError(f"metric {name!r} {wanted}: {reference!r}")
            value = spec.function(self, argument or None)
            where = defined_at(spec.function, "metric")
            if not isinstance(value, Measurement):
                raise NotAMeasurement(f"metric {name!r} returned {type(value).__name__}, not a "
                                      f"Measurement{where}")
            if value.value is not None and not isinstance(value.value, Decimal | int):
                raise NotAMeasurement(f"metric {name!r} gave a {type(value.value).__name__}, "
                                      f"not a Decimal: figures are exact{where}")
            self._values[reference] = value
        return self._values[reference]

    @property
    def records(self) -> tuple[RecordSource, ...]:
        """Every record file given for this run; all of them count as read (prefer
        :meth:`records_of`)."""
        self._kinds.update(source.kind for source in self._records)
        return self._records

    def records_of(self, kind: str) -> tuple[RecordSource, ...]:
        """The record files of one kind given for this run (none when no records).

        Read records through this: the files of the kinds asked for are the ones the
        report's provenance lists (and hashes); a file of a kind nobody asked for is not.
        A kind no plugin registered is a :class:`LookupError` (a misspelt kind would read as
        "no records given" beside the file given)."""
        if self.kinds is not None and kind not in self.kinds:
            raise LookupError(f"records_of({kind!r}): no plugin registered the record kind "
                              f"{kind!r}{did_you_mean(kind, self.kinds)}")
        self._kinds.add(kind)
        return tuple(source for source in self._records if source.kind == kind)

    def kinds_read(self) -> frozenset[str]:
        """The record kinds asked for so far in this run."""
        return frozenset(self._kinds)

    def read_data(self, source: Path | Traversable, label: str | None = None) -> bytes:
        """The bytes of a data file a plugin reads (reference data shipped with it, or a
        file a rule names), recorded with their SHA-256 for the report's provenance under
        ``label`` (default: the path)."""
        data = source.read_bytes()
        self._files[label or str(source)] = hashlib.sha256(data).hexdigest()
        return data

    def data_files(self) -> dict[str, str]:
        """The SHA-256 of every data file read through :meth:`read_data`, by label, sorted."""
        return dict(sorted(self._files.items()))

    def extension(self, name: str, shape: type[T], of: Any = None) -> T | None:
        """The extension ``name`` of ``of`` (a grant, an intervention, a local partnership;
        the strategy if not given) as the ``shape`` its plugin declared, or ``None``."""
        from vpp_core.loading.extensions import extension  # with the converter, on first use

        return extension(self.strategy if of is None else of, name, shape)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """Compute once per run and keep: for work several metrics share (one scan)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def for_rule(self, code: str, params: Mapping[str, Any]) -> CheckContext:
        """A check context for one rule that shares this run's metric values and memo."""
        context = CheckContext(self.strategy, self.metrics, self._records, self.as_of,
                               self.kinds, params=params, code=code)
        context._values = self._values
        context._memo = self._memo
        context._kinds = self._kinds
        context._files = self._files
        return context

    def computed(self) -> dict[str, Measurement]:
        """Every metric computed so far in this run, by reference, sorted."""
        return dict(sorted(self._values.items()))


@attrs.define
class CheckContext(MetricContext):
    """A metric context plus the rule's resolved parameters."""

    params: Mapping[str, Any] = attrs.field(factory=dict)
    code: str = ""
