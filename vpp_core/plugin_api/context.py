"""What a check or a metric sees: the strategy, its records, parameters, other metrics."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import attrs

from vpp_core.loading.errors import UsageError
from vpp_core.model import Strategy
from vpp_core.plugin_api.specs import Measurement, MetricSpec

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


@attrs.define
class MetricContext:
    """Computes metrics by reference (``name`` or ``name:argument``), each once per run."""

    strategy: Strategy
    metrics: Mapping[str, MetricSpec]
    records: tuple[RecordSource, ...] = ()
    as_of: date | None = None
    _values: dict[str, Measurement] = attrs.field(factory=dict, init=False)
    _memo: dict[Any, Any] = attrs.field(factory=dict, init=False)

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
            self._values[reference] = spec.function(self, argument or None)
        return self._values[reference]

    def records_of(self, kind: str) -> tuple[RecordSource, ...]:
        """The record files of one kind given for this run (none when no records)."""
        return tuple(source for source in self.records if source.kind == kind)

    def memo(self, key: Any, compute: Callable[[], T]) -> T:
        """Compute once per run and keep: for work several metrics share (one scan)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value: T = self._memo[key]
        return value

    def for_rule(self, code: str, params: Mapping[str, Any]) -> CheckContext:
        """A check context for one rule that shares this run's metric values and memo."""
        context = CheckContext(self.strategy, self.metrics, self.records, self.as_of,
                               params=params, code=code)
        context._values = self._values
        context._memo = self._memo
        return context

    def computed(self) -> dict[str, Measurement]:
        """Every metric computed so far in this run, by reference, sorted."""
        return dict(sorted(self._values.items()))


@attrs.define
class CheckContext(MetricContext):
    """A metric context plus the rule's resolved parameters."""

    params: Mapping[str, Any] = attrs.field(factory=dict)
    code: str = ""
