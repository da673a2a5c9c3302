"""A pack's rule examples as runnable cases.

Each ``[[rules.examples]]`` of a pack is data: strategy overrides (merged over the bundled
fixture, or over ``strategy``, a path relative to the pack), optional records, and the
status the rule must give. :func:`pack_examples` lists them; :func:`run_example` audits
one and says how it differs from what it claims, so a test can run every example of
every pack and an example can never go stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from vpp_core.api import audit
from vpp_core.loading.bundled import bundled_records, bundled_strategy
from vpp_core.loading.toml_text import inline_toml
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.results import Status
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.pack_model import Example, Pack
from vpp_core.rules.packs import PackLibrary
from vpp_core.testing.cases import plugins_only, records_relative_to, strategy_with

BUNDLED = "bundled"


@attrs.frozen
class PackExample:
    """One example of one rule of one pack."""

    pack: Pack
    code: str
    index: int
    example: Example

    def __str__(self) -> str:
        return f"{self.pack.name}:{self.code}:{self.index}:{self.example.outcome}"

    def strategy(self) -> Path:
        given = self.example.strategy
        return bundled_strategy() if given in ("", BUNDLED) else self.pack.path.parent / given

    def records(self) -> tuple[str, ...]:
        found: list[str] = []
        for item in self.example.records:
            if item == BUNDLED:
                found.extend(str(path) for path in bundled_records())
            elif item.startswith(f"{BUNDLED}:"):  # one records folder of the bundled fixture
                found.append(str(bundled_strategy().parent / item.partition(":")[2]))
            else:
                found.append(records_relative_to(self.pack.path.parent, item))
        return tuple(found)


def pack_examples(packs: Iterable[Pack]) -> list[PackExample]:
    """Every example of every rule of ``packs``, in pack and rule order."""
    return [PackExample(pack, rule.code, index, example)
            for pack in packs for rule in pack.rules
            for index, example in enumerate(rule.examples)]


def installed_examples(plugins: Plugins | None = None) -> list[PackExample]:
    """Every example of every pack the plugins offer (the national packs and plugin packs)."""
    plugins = plugins if plugins is not None else plugins_only(None)
    library = PackLibrary(tuple(plugins.pack_folders()))
    return pack_examples(library.available().values())


def run_example(item: PackExample, plugins: Plugins | None = None) -> list[str]:
    """Audit ``item``'s strategy with its pack, selecting its rule; how the outcome
    differs from the example's (empty if it agrees)."""
    plugins = plugins if plugins is not None else plugins_only(None)
    strategy = strategy_with(item.example.overrides, base=item.strategy())
    report = audit(strategy, packs=[str(item.pack.path)], records=item.records(),
                   options=AuditOptions(select=(item.code,)), plugins=plugins)
    wanted = item.example.subject
    results = [result for result in report.results
               if result.code == item.code and wanted in ("", str(result.subject))]
    if not results:
        return [f"{item}: no result" + (f" for {wanted}" if wanted else "")]
    statuses = {result.status for result in results}
    expected = Status(item.example.outcome)
    agrees = expected in statuses if expected is Status.FAIL else statuses == {expected}
    if agrees:
        return []
    got = ", ".join(f"{result.subject} {result.status.value} ({result.message})"
                    for result in results)
    return [f"{item}: expected {expected.value}, got {got}"]


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in table.items():
        here = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            yield from _flatten(value, here)
        else:
            yield here, value


def example_lines(example: Example) -> list[str]:
    """What an example changes, one ``key.path = value`` line each, for ``vpp rule``."""
    lines = [f"strategy: {example.strategy}"] if example.strategy else []
    lines += [f"records: {', '.join(example.records)}"] if example.records else []
    for key, value in _flatten(example.overrides):
        lines.append(f"{key} = {inline_toml(value)}")
    if example.subject:
        lines.append(f"expect {example.outcome} for {example.subject}")
    return lines
