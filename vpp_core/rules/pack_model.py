"""Rule packs as read from TOML: the pack, its rules and its overrides, checked for shape.

A pack is data, never executed. It is structured by the project's one converter, so an
error names the pack file and the place (``rule FUND003: severity: …``) and an unknown key
lists the keys allowed. Resolving packs against each other and against the checks plugins
offer is :mod:`vpp_core.rules.packs`'s job.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import attrs
import tomli
from cattrs.errors import ClassValidationError, IterableValidationError

from vpp_core.loading.converter import (
    CONVERTER,
    RawTable,
    allowed_keys,
    describe_structure_error,
)
from vpp_core.loading.errors import PackError
from vpp_core.loading.strategy_io import read_toml
from vpp_core.loading.suggestions import unknown_keys
from vpp_core.loading.toml_file import MAX_BYTES as TOML_MAX_BYTES
from vpp_core.model.escaping import url_problem
from vpp_core.model.fields import SHAPE, doc
from vpp_core.model.periods import FinancialYear
from vpp_core.plugin_api.results import Reference, Severity

FINANCIAL_YEAR_KEY = re.compile(r"^\d{4}-\d{2}$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]*$")
_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RuleStatus(StrEnum):
    """A rule's life: retired rules never run, and their codes are never reused."""

    ACTIVE = "active"
    DEPRECATED = "deprecated"
    RETIRED = "retired"


def _matches(pattern: re.Pattern[str], what: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[str], value: str) -> None:
        if not pattern.match(value):
            raise ValueError(f"{attribute.name}: {value!r} is not {what}")
    return check


def _year_tables(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
    """A table-valued parameter is given per financial year: every key must be one."""
    for name, item in value.items():
        if not isinstance(item, dict):
            continue
        for key in item:
            try:
                FinancialYear.parse(key)
            except ValueError as exc:
                raise ValueError(f"{attribute.name}.{name}: key {key!r} is not a financial "
                                 f"year: {exc}") from None


#: A parameter's value in a schema: a table is keyed by financial year.
_BY_YEAR = {"anyOf": [{"not": {"type": "object"}},
                      {"type": "object", "propertyNames": {"pattern": FINANCIAL_YEAR_KEY.pattern}}]}


def _no_parameters() -> RawTable:
    return RawTable({})


@attrs.frozen
class Example:
    """A worked example of a rule's outcome, for `vpp rule CODE` and the docs, and a case a
    test runs: `overrides` merged over `strategy`, audited with `records`; the rule must
    give `outcome`.
    """

    outcome: str = attrs.field(
        validator=attrs.validators.in_(("pass", "fail", "not-applicable")),
        metadata=doc("the outcome the rule must give: for subject if given; else fail means "
                     "some result fails, pass that all pass",
                     enum=["pass", "fail", "not-applicable"]))
    text: str = attrs.field(metadata=doc("the example, in words"))
    overrides: RawTable = attrs.field(factory=_no_parameters, metadata=doc(
        "fields of the strategy to change, by dotted path (grants.core-2024-25.amount)"))
    strategy: str = attrs.field(default="", metadata=doc(
        "the strategy to start from, relative to the pack (the bundled fixture if not given)"))
    records: tuple[str, ...] = attrs.field(default=(), metadata=doc(
        "records to audit with: \"bundled\", \"bundled:FOLDER\", a manifest or KIND=PATH, "
        "relative to the pack"))
    subject: str = attrs.field(default="", metadata=doc(
        "the result the outcome is about, as kind:id"))


@attrs.frozen
class StrategyReference:
    """A reference into the audited strategy's own document: the section with
    ``section_id`` in its ``[document] sections``; ``section`` names it if the strategy
    does not list it."""

    section_id: str
    section: str = ""


@attrs.frozen
class ReferenceEntry:
    """A reference as a pack writes it: a document (its section, page, link), or with
    `strategy_section` a section of the audited strategy's own document."""

    document: str = attrs.field(default="", metadata=doc(
        "the source document's title (required unless strategy_section is given)"))
    section: str = attrs.field(default="", metadata=doc("the section it is in"))
    page: int | None = attrs.field(default=None, metadata=doc("the page it is on"))
    url: str = attrs.field(default="", metadata=doc(
        "where the document is published: an http(s) link", pattern=r"^(https?://\S+)?$"))
    strategy_section: str = attrs.field(default="", metadata=doc(
        "the id of a section in the audited strategy's [document] sections: the report "
        "cites that strategy's own document and page"))

    def __attrs_post_init__(self) -> None:
        if self.strategy_section:
            given = [key for key in ("document", "page", "url") if getattr(self, key)]
            if given:
                raise ValueError(f"a reference with strategy_section takes only section, not "
                                 f"{', '.join(given)}")
        elif not self.document:
            raise ValueError("document: required field missing (or give strategy_section)")

    def resolved(self) -> Reference | StrategyReference:
        if self.strategy_section:
            return StrategyReference(self.strategy_section, self.section)
        return Reference(self.document, self.section, self.page, self.url)


CONVERTER.register_structure_hook_func(
    lambda type_: type_ == Reference | StrategyReference,
    lambda value, _: CONVERTER.structure(value, ReferenceEntry).resolved(),
)


@attrs.frozen
class RuleDefinition:
    """A rule as its pack states it; ``parameters`` are raw TOML values (maybe by year)."""

    code: str = attrs.field(metadata=doc(
        "the pack's prefix and three digits, never reused", pattern=r"^[A-Z][A-Z0-9]*\d{3}$",
        examples=["FUND003"]))
    name: str = attrs.field(validator=_matches(_KEBAB, "kebab-case"), metadata=doc(
        "a kebab-case name", pattern=_KEBAB.pattern, examples=["match-funding-share"]))
    title: str = attrs.field(metadata=doc("the desired outcome, in words"))
    severity: Severity = attrs.field(metadata=doc("how serious a failure is"))
    check: str = attrs.field(metadata=doc("the check it runs, as a plugin registers it",
                                          examples=["share-at-least"]))
    status: RuleStatus = attrs.field(default=RuleStatus.ACTIVE, metadata=doc(
        "retired rules never run and keep their code"))
    description: str = attrs.field(default="", metadata=doc("what the rule checks, and why"))
    references: tuple[Reference | StrategyReference, ...] = attrs.field(default=(), metadata={
        **doc("the sources the rule rests on"), SHAPE: tuple[ReferenceEntry, ...]})
    parameters: RawTable = attrs.field(factory=_no_parameters, validator=_year_tables, metadata=doc(
        "the check's parameters (vpp rule CODE lists them); a value that changes over time "
        "is a table keyed by financial year (\"2024-25\")", additionalProperties=_BY_YEAR))
    examples: tuple[Example, ...] = attrs.field(default=(), metadata=doc(
        "worked examples of the rule's outcome"))


@attrs.frozen
class Override:
    """A change a pack makes to a rule of a pack it extends."""

    code: str = attrs.field(metadata=doc("the code of a rule in a pack this pack extends"))
    severity: Severity | None = attrs.field(default=None, metadata=doc("a new severity"))
    parameters: RawTable = attrs.field(factory=_no_parameters, validator=_year_tables, metadata=doc(
        "parameters to replace; tables by financial year merge year by year",
        additionalProperties=_BY_YEAR))
    enabled: bool | None = attrs.field(default=None, metadata=doc(
        "false switches the rule off"))
    title: str | None = attrs.field(default=None, metadata=doc(
        "a new title, a template over the rule's parameters ({threshold:%})"))


@attrs.frozen
class PackHeader:
    """The ``[pack]`` table: what the pack is and what it builds on."""

    name: str = attrs.field(validator=_matches(_KEBAB, "kebab-case"), metadata=doc(
        "the pack's kebab-case name, by which packs extend it", pattern=_KEBAB.pattern,
        examples=["home-office-vru-core"]))
    version: str = attrs.field(metadata=doc("the pack's version", type=["string", "integer"],
                                            examples=["2024.1"]))
    prefix: str = attrs.field(validator=_matches(_PREFIX, "capital letters and digits"),
                              metadata=doc("the prefix of every rule code in the pack",
                                           pattern=_PREFIX.pattern, examples=["FUND"]))
    title: str = attrs.field(default="", metadata=doc("the pack's title"))
    extends: tuple[str, ...] = attrs.field(default=(), metadata=doc(
        "packs this one builds on, by name or path (relative to this file)"))
    default: bool = attrs.field(default=False, metadata=doc(
        "run when no --pack is given"))
    plugins: tuple[str, ...] = attrs.field(default=(), metadata=doc(
        "local plugin files the pack's rules need, relative to this file"))
    description: str = attrs.field(default="", metadata=doc("what the pack covers"))


@attrs.frozen
class PackFile:
    """A rule pack file: data, never executed."""

    pack: PackHeader = attrs.field(metadata=doc("what the pack is"))
    rules: tuple[RuleDefinition, ...] = attrs.field(default=(), metadata=doc(
        "the rules the pack defines"))
    overrides: tuple[Override, ...] = attrs.field(default=(), metadata=doc(
        "changes to rules of the packs it extends"))


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


_ITEM = re.compile(r"^(?P<array>rules|overrides)\[(?P<index>\d+)\](?:[.:] ?)?(?P<rest>.*)$",
                   re.DOTALL)


def _placed(problem: str, data: Mapping[str, Any]) -> str:
    """``rules[2].severity: …`` as ``rule FUND003: severity: …``, when the code is known."""
    match = _ITEM.match(problem)
    if match is None:
        return problem
    items = data.get(match["array"])
    item = items[int(match["index"])] if isinstance(items, list) else None
    code = item.get("code") if isinstance(item, dict) else None
    if not isinstance(code, str) or not code:
        return problem
    label = "rule" if match["array"] == "rules" else "override of"
    return f"{label} {code}: {match['rest']}"


def _structured(data: dict[str, Any], path: Path) -> PackFile:
    header = data.get("pack")
    if not isinstance(header, dict):
        unknown = set(data) - set(allowed_keys(PackFile))
        hint = f"; {unknown_keys(unknown, allowed_keys(PackFile))}" if unknown else ""
        raise PackError(f"{path}: not a rule pack (no [pack] table{hint})")
    if isinstance(header.get("version"), int) and not isinstance(header["version"], bool):
        data = {**data, "pack": {**header, "version": str(header["version"])}}
    try:
        return CONVERTER.structure(data, PackFile)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = tuple(f"{path}: {_placed(line, data)}"
                         for line in describe_structure_error(exc))
        raise PackError(problems[0], problems=problems) from None


#: The ``[pack]`` table's own line, and the line that starts any table.
_PACK_TABLE = re.compile(r"^[ \t]*\[[ \t]*pack[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)
_ANY_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def pack_name(path: Path) -> tuple[str, bool] | None:
    """A pack file's name and whether it is a default pack, read from its ``[pack]`` table
    alone (the file's text up to the next table), without the rules: finding a pack by
    name reads every pack's header but only that pack whole. ``None`` where the header
    cannot be read so (then :func:`read_pack` says what is wrong).
    """
    try:
        if not path.is_file() or path.stat().st_size > TOML_MAX_BYTES:
            return None
        text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    start = _PACK_TABLE.search(text)
    if start is None:
        return None
    following = _ANY_TABLE.search(text, start.end())
    try:
        header = tomli.loads(text[:following.start()] if following else text).get("pack")
    except tomli.TOMLDecodeError:
        return None
    name, default = (header.get("name"), header.get("default", False)
                     ) if isinstance(header, dict) else (None, None)
    if not isinstance(name, str) or not _KEBAB.fullmatch(name) or not isinstance(default, bool):
        return None
    return name, default


def read_pack(path: Path) -> Pack:
    """Read and check one pack file; a :class:`PackError` names the file and the rule."""
    data = read_toml(path, PackError)
    structured = _structured(data, path)
    header = structured.pack
    seen: set[str] = set()
    for rule in structured.rules:
        if not (rule.code.startswith(header.prefix)
                and re.fullmatch(r"\d{3}", rule.code[len(header.prefix):])):
            raise PackError(f"{path}: rule {rule.code}: code: expected the pack's prefix "
                            f"{header.prefix!r} and three digits")
        if rule.code in seen:
            raise PackError(f"{path}: rule {rule.code}: duplicate code")
        seen.add(rule.code)
        for index, reference in enumerate(rule.references):
            if not isinstance(reference, Reference) or not reference.url:
                continue
            if (problem := url_problem(reference.url)) is not None:
                # rendering refuses it as well
                raise PackError(f"{path}: rule {rule.code}: references[{index}]: url: {problem}")
    return Pack(
        name=header.name,
        version=header.version,
        prefix=header.prefix,
        title=header.title,
        path=path,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        extends=header.extends,
        default=header.default,
        plugins=header.plugins,
        description=header.description,
        rules=structured.rules,
        overrides=structured.overrides,
    )
