"""Rule packs as read from TOML: the pack, its rules and its overrides, checked for shape.

A pack is data, never executed. Reading one checks every key and type and names the
pack file and the rule in any error; resolving packs against each other and against
the checks plugins offer is :mod:`vpp_core.rules.packs`'s job.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs

from vpp_core.loading.errors import PackError
from vpp_core.loading.strategy_io import read_toml
from vpp_core.model.escaping import url_problem
from vpp_core.plugin_api.results import Reference, Severity

FINANCIAL_YEAR_KEY = re.compile(r"^\d{4}-\d{2}$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*$")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RuleStatus(StrEnum):
    """A rule's life: retired rules never run, and their codes are never reused."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


@attrs.frozen
class Example:
    """A worked example of a rule's outcome, for ``vpp rule CODE`` and the docs, and a case
    a test runs: ``overrides`` merged over ``strategy`` (the bundled fixture if empty, else a
    path relative to the pack), audited with ``records``; the rule must give ``outcome``
    (for ``subject`` if given; else ``fail`` means some result fails, ``pass`` that all pass).
    """

    outcome: str
    text: str
    overrides: Mapping[str, Any] = attrs.field(factory=dict)
    strategy: str = ""
    records: tuple[str, ...] = ()
    subject: str = ""


@attrs.frozen
class StrategyReference:
    """A reference into the audited strategy's own document: the section with
    ``section_id`` in its ``[document] sections``; ``section`` names it if the strategy
    does not list it."""

    section_id: str
    section: str = ""


@attrs.frozen
class RuleDefinition:
    """A rule as its pack states it; ``parameters`` are raw TOML values (maybe by year)."""

    code: str
    name: str
    title: str
    severity: Severity
    check: str
    status: RuleStatus = RuleStatus.ACTIVE
    description: str = ""
    references: tuple[Reference | StrategyReference, ...] = ()
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    examples: tuple[Example, ...] = ()


@attrs.frozen
class Override:
    """A change a pack makes to a rule of a pack it extends."""

    code: str
    severity: Severity | None = None
    parameters: Mapping[str, Any] = attrs.field(factory=dict)
    enabled: bool | None = None
    title: str | None = None


@attrs.frozen
class Pack:
    """One pack file: its metadata, rules and overrides, and the hash of its bytes."""

    name: str
    version: str
    prefix: str
    title: str
    path: Path
    sha256: str
    extends: tuple[str, ...] = ()
    default: bool = False
    plugins: tuple[str, ...] = ()
    description: str = ""
    rules: tuple[RuleDefinition, ...] = ()
    overrides: tuple[Override, ...] = ()


def is_year_table(value: object) -> bool:
    """A parameter given per financial year: a non-empty table keyed ``"2024-25"``."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(key, str) and FINANCIAL_YEAR_KEY.match(key) for key in value)
    )


class _Reader:
    """Pulls typed values out of TOML tables, failing with the file and place."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> PackError:
        return PackError(f"{self.path}: {where}: {message}")

    def keys(self, table: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            raise self.fail(where, f"unknown key {unknown[0]!r}")

    def string(self, table: Mapping[str, Any], key: str, where: str, *,
               default: str | None = None) -> str:
        value = table.get(key, default)
        if value is None:
            raise self.fail(where, f"{key}: required field missing")
        if not isinstance(value, str):
            raise self.fail(where, f"{key}: expected a string, got {type(value).__name__}")
        return value

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(where, f"{key}: expected an array of strings")
        return tuple(value)

    def boolean(self, table: Mapping[str, Any], key: str, where: str) -> bool | None:
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.fail(where, f"{key}: expected true or false, got {type(value).__name__}")
        return value

    def table(self, table: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
        value = table.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(where, f"{key}: expected a table")
        return value

    def tables(self, table: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(where, f"{key}: expected an array of tables")
        return value

    def severity(self, value: object, where: str) -> Severity:
        try:
            return Severity(str(value))
        except ValueError:
            choices = ", ".join(repr(item.value) for item in Severity)
            raise self.fail(where, f"severity: {value!r} is not one of {choices}") from None


def _reference(reader: _Reader, data: dict[str, Any], where: str
               ) -> Reference | StrategyReference:
    if "strategy_section" in data:
        reader.keys(data, where, {"strategy_section", "section"})
        return StrategyReference(reader.string(data, "strategy_section", where),
                                 reader.string(data, "section", where, default=""))
    reader.keys(data, where, {"document", "section", "page", "url"})
    page = data.get("page")
    if page is not None and (isinstance(page, bool) or not isinstance(page, int)):
        raise reader.fail(where, "page: expected an integer")
    url = reader.string(data, "url", where, default="")
    if url and (problem := url_problem(url)) is not None:  # rendering refuses it as well
        raise reader.fail(where, f"url: {problem}")
    return Reference(
        document=reader.string(data, "document", where),
        section=reader.string(data, "section", where, default=""),
        page=page,
        url=url,
    )


def _example(reader: _Reader, item: dict[str, Any], here: str) -> Example:
    reader.keys(item, here, {"outcome", "text", "overrides", "strategy", "records", "subject"})
    outcome = reader.string(item, "outcome", here)
    if outcome not in ("pass", "fail", "not-applicable"):
        raise reader.fail(here, f"outcome: {outcome!r} is not 'pass', 'fail' or "
                                "'not-applicable'")
    return Example(outcome, reader.string(item, "text", here),
                   overrides=reader.table(item, "overrides", here),
                   strategy=reader.string(item, "strategy", here, default=""),
                   records=reader.strings(item, "records", here),
                   subject=reader.string(item, "subject", here, default=""))


_RULE_KEYS = {"code", "name", "title", "severity", "check", "status", "description",
              "references", "parameters", "examples"}


def _rule(reader: _Reader, data: dict[str, Any], index: int, prefix: str) -> RuleDefinition:
    code = data.get("code")
    where = f"rule {code}" if isinstance(code, str) and code else f"rules[{index}]"
    reader.keys(data, where, _RULE_KEYS)
    code = reader.string(data, "code", where)
    if not (code.startswith(prefix) and re.fullmatch(r"\d{3}", code[len(prefix):])):
        raise reader.fail(where, f"code: expected the pack's prefix {prefix!r} and three digits")
    name = reader.string(data, "name", where)
    if not _KEBAB.match(name):
        raise reader.fail(where, f"name: {name!r} is not kebab-case")
    status_text = reader.string(data, "status", where, default="active")
    try:
        status = RuleStatus(status_text)
    except ValueError:
        raise reader.fail(
            where, f"status: {status_text!r} is not one of 'active', 'deprecated', 'retired'"
        ) from None
    references = tuple(
        _reference(reader, item, f"{where}: references[{i}]")
        for i, item in enumerate(reader.tables(data, "references", where))
    )
    examples = []
    for i, item in enumerate(reader.tables(data, "examples", where)):
        here = f"{where}: examples[{i}]"
        examples.append(_example(reader, item, here))
    return RuleDefinition(
        code=code,
        name=name,
        title=reader.string(data, "title", where),
        severity=reader.severity(reader.string(data, "severity", where), where),
        check=reader.string(data, "check", where),
        status=status,
        description=reader.string(data, "description", where, default=""),
        references=references,
        parameters=reader.table(data, "parameters", where),
        examples=tuple(examples),
    )


def _override(reader: _Reader, data: dict[str, Any], index: int) -> Override:
    code = data.get("code")
    where = f"override of {code}" if isinstance(code, str) and code else f"overrides[{index}]"
    reader.keys(data, where, {"code", "severity", "parameters", "enabled", "title"})
    severity = data.get("severity")
    title = data.get("title")
    return Override(
        code=reader.string(data, "code", where),
        severity=None if severity is None else reader.severity(severity, where),
        parameters=reader.table(data, "parameters", where),
        enabled=reader.boolean(data, "enabled", where),
        title=None if title is None else reader.string(data, "title", where),
    )


_PACK_KEYS = {"name", "version", "prefix", "title", "extends", "default", "plugins",
              "description"}


def read_pack(path: Path) -> Pack:
    """Read and check one pack file; a :class:`PackError` names the file and the rule."""
    data = read_toml(path, PackError)
    reader = _Reader(path)
    reader.keys(data, "top level", {"pack", "rules", "overrides"})
    if not isinstance(data.get("pack"), dict):
        raise PackError(f"{path}: not a rule pack (no [pack] table)")
    meta = data["pack"]
    reader.keys(meta, "[pack]", _PACK_KEYS)
    prefix = reader.string(meta, "prefix", "[pack]")
    if not _PREFIX.match(prefix):
        raise reader.fail("[pack]", f"prefix: {prefix!r} is not capital letters and digits")
    name = reader.string(meta, "name", "[pack]")
    if not _KEBAB.match(name):
        raise reader.fail("[pack]", f"name: {name!r} is not kebab-case")
    rules = tuple(
        _rule(reader, item, index, prefix)
        for index, item in enumerate(reader.tables(data, "rules", "top level"))
    )
    seen: set[str] = set()
    for rule in rules:
        if rule.code in seen:
            raise reader.fail(f"rule {rule.code}", "duplicate code")
        seen.add(rule.code)
    overrides = tuple(
        _override(reader, item, index)
        for index, item in enumerate(reader.tables(data, "overrides", "top level"))
    )
    version = meta.get("version")
    return Pack(
        name=name,
        version=str(version) if isinstance(version, int | str) else
        reader.string(meta, "version", "[pack]"),
        prefix=prefix,
        title=reader.string(meta, "title", "[pack]", default=""),
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        extends=reader.strings(meta, "extends", "[pack]"),
        default=bool(reader.boolean(meta, "default", "[pack]")),
        plugins=reader.strings(meta, "plugins", "[pack]"),
        description=reader.string(meta, "description", "[pack]", default=""),
        rules=rules,
        overrides=overrides,
    )

