"""Helpers for testing rules: chosen plugins only, strategies with overrides, case folders.

A VRU tests its own rules the way vpp-core tests its own. The pytest fixtures in
:mod:`vpp_core.testing.pytest_plugin` wrap these; they can be used without pytest too.

A case is a folder holding ``case.toml``::

    description = "Interventions one penny under 30% of the grant"
    strategy = "bundled"                 # or a path relative to the case folder
    packs = ["../../packs/demo-core.toml"]
    plugins = []                         # installed plugins by name and local plugin files
                                         # (relative to the case folder); names given: only
                                         # those (and the core); none: every installed one
    waivers = "waivers.toml"             # optional
    records = []                         # --records values (a manifest, a folder or
                                         # KIND=PATH), relative to the case folder
    as_of = 2025-01-31                   # optional
    [overrides]                          # merged over the strategy's TOML before loading
    budget.lines.pilot-interventions.amount.amount = "452999.99"

    [[expect]]
    code = "DEMO001"
    status = "fail"
    subject = "strategy:2024-25"         # optional
    message_contains = "£0.01 short"     # optional

Overrides merge table by table; a table given for an array of tables picks items by
their ``id`` (``lines.pilot-interventions``); any other value replaces what was there.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from vpp_core.api import audit
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.errors import UsageError
from vpp_core.loading.strategy_io import read_toml, strategy_from_data
from vpp_core.model import Strategy
from vpp_core.plugin_api.installed import entry_points as installed_entry_points
from vpp_core.plugin_api.manager import ENTRY_POINT_GROUP, Plugins, make_plugins
from vpp_core.plugin_api.results import PluginInfo, Status
from vpp_core.reports.report import Report
from vpp_core.rules.engine import AuditOptions

CASE_FILE = "case.toml"


def core_plugins() -> tuple[str, ...]:
    """The entry-point plugins vpp-core itself registers (checks, commands, packs, reporters)."""
    return tuple(sorted(
        ep.name for ep in installed_entry_points(ENTRY_POINT_GROUP)
        if ep.value.startswith("vpp_core.")
    ))


def plugins_only(
    entry_points: Iterable[str] | None = (),
    *,
    local: Iterable[str | Path] = (),
    extra: Iterable[tuple[object, PluginInfo]] = (),
) -> Plugins:
    """A plugin manager with the core plugins and the named entry-point plugins (every
    installed one if ``None``), plus local plugin files and plugin objects."""
    installed = {ep.name for ep in installed_entry_points(ENTRY_POINT_GROUP)}
    chosen = installed if entry_points is None else {*core_plugins(), *entry_points}
    unknown = sorted(chosen - installed)
    if unknown:
        raise UsageError(f"no installed vpp plugin named {unknown[0]!r} "
                         f"(installed: {', '.join(sorted(installed))})")
    return make_plugins(load_entry_points=True, blocked=sorted(installed - chosen),
                        local=local, extra=extra)


def apply_overrides(data: Any, overrides: Mapping[str, Any], where: str = "") -> Any:
    """``data`` (parsed TOML) with ``overrides`` merged over it; ``data`` is not changed."""
    result = copy.deepcopy(data)
    for key, value in overrides.items():
        here = f"{where}.{key}" if where else key
        if isinstance(result, list):
            matches = [i for i, item in enumerate(result)
                       if isinstance(item, dict) and item.get("id") == key]
            if not matches:
                raise UsageError(f"overrides: no item with id {key!r} in {where}")
            index = matches[0]
            result[index] = (apply_overrides(result[index], value, here)
                             if isinstance(value, Mapping) else value)
        elif not isinstance(result, dict):
            raise UsageError(f"overrides: {where} is not a table")
        elif value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(result.get(key), dict | list):
            result[key] = apply_overrides(result[key], value, here)
        else:
            result[key] = copy.deepcopy(value)
    return result


def strategy_with(
    overrides: Mapping[str, Any] | None = None,
    *,
    base: str | Path | None = None,
    **changes: Any,
) -> Strategy:
    """A strategy read from ``base`` (the bundled Thames Valley fixture by default), with
    TOML ``overrides`` merged in before loading and ``changes`` made with ``attrs.evolve``."""
    source = Path(base) if base is not None else bundled_strategy()
    data = apply_overrides(read_toml(source), overrides or {})
    strategy = strategy_from_data(data, source)
    return attrs.evolve(strategy, **changes) if changes else strategy


@attrs.frozen
class Expectation:
    code: str
    status: Status
    subject: str = ""
    message_contains: str = ""


@attrs.frozen
class Case:
    """One folder of a data-driven rule test."""

    name: str
    folder: Path
    strategy: Path
    packs: tuple[str, ...]
    expect: tuple[Expectation, ...]
    overrides: Mapping[str, Any] = attrs.field(factory=dict)
    plugins: tuple[Path, ...] = ()
    entry_points: tuple[str, ...] | None = None
    waivers: Path | None = None
    records: tuple[str, ...] = ()
    as_of: date | None = None
    description: str = ""

    def __str__(self) -> str:
        return self.name


def _relative(folder: Path, value: str) -> str:
    path = Path(value)
    return value if path.is_absolute() or not _is_path(value) else str(folder / path)


def _is_path(value: str) -> bool:
    return value.endswith((".toml", ".py", ".csv", ".parquet")) or "/" in value


def records_relative_to(folder: Path, value: str) -> str:
    """A ``--records`` value (a manifest, a folder or ``KIND=PATH``) with its path made
    relative to ``folder``."""
    kind, equals, path = value.partition("=")
    if equals and kind and "/" not in kind and "\\" not in kind:
        return f"{kind}={folder / path}"
    return str(folder / value)


def _strings(data: Mapping[str, Any], key: str, path: Path) -> list[str]:
    """``data[key]``: one string, or a list of them (``records = "KIND=PATH"`` is one file,
    never its characters one by one)."""
    value = data.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise UsageError(f"{path}: {key}: expected a string or a list of strings, got {value!r}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise UsageError(f"{path}: {key}[{index}]: expected a string, got {item!r}")
    return value


def _expectation(item: object, where: str) -> Expectation:
    if not isinstance(item, Mapping):
        raise UsageError(f"{where}: expected a table ([[expect]]), got {item!r}")
    for key in ("code", "status"):
        if key not in item:
            raise UsageError(f"{where}: {key!r} is required")
    allowed = ", ".join(status.value for status in Status)
    try:
        status = Status(item["status"])
    except ValueError:
        raise UsageError(f"{where}.status: {item['status']!r} is not one of {allowed}") from None
    return Expectation(code=str(item["code"]), status=status,
                       subject=str(item.get("subject", "")),
                       message_contains=str(item.get("message_contains", "")))


def read_case(path: Path) -> Case:
    """Read one ``case.toml``; paths in it are relative to its folder."""
    data = read_toml(path, UsageError)
    folder = path.parent
    known = {"description", "strategy", "packs", "plugins", "waivers", "records", "as_of",
             "overrides", "expect"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UsageError(f"{path}: unknown key {unknown[0]!r}")
    strategy = data.get("strategy", "bundled")
    expectations = [_expectation(item, f"{path}: expect[{index}]")
                    for index, item in enumerate(data.get("expect", []))]
    records = _strings(data, "records", path)
    plugins = _strings(data, "plugins", path)
    names = tuple(item for item in plugins if not _is_path(item))
    return Case(
        name=folder.name,
        folder=folder,
        strategy=bundled_strategy() if strategy == "bundled" else folder / strategy,
        packs=tuple(_relative(folder, pack) for pack in _strings(data, "packs", path)),
        expect=tuple(expectations),
        overrides=data.get("overrides", {}),
        plugins=tuple(folder / plugin for plugin in plugins if _is_path(plugin)),
        entry_points=names or None,
        waivers=folder / data["waivers"] if "waivers" in data else None,
        records=tuple(records_relative_to(folder, item) for item in records),
        as_of=data.get("as_of"),
        description=data.get("description", ""),
    )


def collect_cases(folder: str | Path) -> list[Case]:
    """Every case under ``folder`` (each folder with a ``case.toml``), sorted by name:
    made for ``pytest.mark.parametrize("case", collect_cases(...), ids=str)``."""
    return [read_case(path) for path in sorted(Path(folder).rglob(CASE_FILE))]


def run_case(case: Case, plugins: Plugins | None = None) -> Report:
    """Audit a case's strategy (with its overrides) against its packs, with ``plugins``
    or else the plugins the case names (every installed one if it names none)."""
    plugins = plugins if plugins is not None else plugins_only(case.entry_points)
    for path in case.plugins:
        plugins.load_local(path)
    strategy = strategy_with(case.overrides, base=case.strategy)
    return audit(strategy, packs=case.packs, waivers=case.waivers, records=case.records,
                 options=AuditOptions(as_of=case.as_of), plugins=plugins)


def mismatches(case: Case, report: Report) -> list[str]:
    """How ``report`` differs from what ``case`` expects, one line each (empty if none)."""
    problems = []
    for expected in case.expect:
        results = [result for result in report.results if result.code == expected.code
                   and expected.subject in ("", str(result.subject))]
        what = expected.code + (f" for {expected.subject}" if expected.subject else "")
        if not results:
            problems.append(f"{case.name}: {what}: no result")
        for result in results:
            if result.status is not expected.status:
                problems.append(f"{case.name}: {what} {result.subject}: expected "
                                f"{expected.status.value}, got {result.status.value} "
                                f"({result.message})")
            if expected.message_contains not in result.message:
                problems.append(f"{case.name}: {what}: message {result.message!r} lacks "
                                f"{expected.message_contains!r}")
    return problems
