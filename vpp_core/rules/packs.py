"""Finding packs, following ``extends`` chains, and resolving rules as data.

National → funder year → local: a pack that extends another may override a rule's
severity or parameters or switch it off. Resolution records, for every value, which pack
set it, and checks every parameter against the check's :class:`ParameterSpec`.
Parameters given per financial year are picked for a strategy's year at run time.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import PackError, PluginError
from vpp_core.loading.suggestions import did_you_mean, unknown
from vpp_core.model.money import check_magnitude, parse_money
from vpp_core.model.periods import FinancialYear
from vpp_core.plugin_api.results import Reference, Severity
from vpp_core.plugin_api.specs import CheckSpec, MetricSpec, ParameterSpec
from vpp_core.rules.pack_model import (
    Pack,
    RuleDefinition,
    RuleStatus,
    StrategyReference,
    is_year_table,
    pack_name,
    read_pack,
)
from vpp_core.rules.templates import render, template_problems


@attrs.frozen
class Setting:
    """A parameter value and the pack that set it (``year`` when given per year)."""

    value: Any
    pack: str
    source: str
    year: str | None = None


@attrs.frozen
class Parameter:
    """A rule's parameter: one value, or one per financial year."""

    plain: Setting | None = None
    by_year: Mapping[str, Setting] = attrs.field(factory=dict)

    def settings(self) -> tuple[Setting, ...]:
        return (self.plain,) if self.plain is not None else tuple(self.by_year.values())


@attrs.frozen
class ResolvedRule:
    """A rule after every pack in its chain has had its say."""

    definition: RuleDefinition
    pack: Pack
    severity: Severity
    severity_from: str
    enabled: bool
    enabled_from: str
    parameters: Mapping[str, Parameter]
    title_template: str = ""
    title_from: str = ""

    @property
    def code(self) -> str:
        return self.definition.code

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def title(self) -> str:
        """The title filled with the latest year's parameters (see :meth:`title_for`)."""
        return render(self.title_template, self.latest_parameters())

    def title_for(self, values: Mapping[str, Any]) -> str:
        """The title, a template over the parameters, filled with ``values``."""
        return render(self.title_template, values)

    def description_for(self, values: Mapping[str, Any]) -> str:
        """The description, a template over the parameters, filled with ``values``."""
        return render(self.definition.description, values)

    def latest_parameters(self) -> dict[str, Any]:
        """Every parameter's value, a per-year one for its latest year."""
        return {name: (parameter.plain or parameter.by_year[max(parameter.by_year)]).value
                for name, parameter in self.parameters.items()}

    @property
    def check(self) -> str:
        return self.definition.check

    @property
    def status(self) -> RuleStatus:
        return self.definition.status

    @property
    def references(self) -> tuple[Reference | StrategyReference, ...]:
        return self.definition.references

    def parameters_for(self, year: FinancialYear) -> dict[str, Any]:
        """Every parameter's value for ``year``; a year with no value is a :class:`PackError`
        naming every parameter that lacks one."""
        problems = self.missing_for(year)
        if problems:
            raise PackError(problems[0], problems=problems)
        return {name: (parameter.plain or parameter.by_year[str(year)]).value
                for name, parameter in self.parameters.items()}

    def unstated_for(self, year: FinancialYear) -> tuple[str, ...]:
        """The parameters with no value for ``year``."""
        return tuple(name for name, parameter in self.parameters.items()
                     if parameter.plain is None and str(year) not in parameter.by_year)

    def missing_for(self, year: FinancialYear) -> tuple[str, ...]:
        """One line per parameter with no value for ``year``, saying how to give one."""
        problems = []
        for name in self.unstated_for(year):
            parameter = self.parameters[name]
            known = ", ".join(sorted(parameter.by_year))
            first = next(iter(parameter.by_year.values()))
            problems.append(
                f"{display_path(Path(first.source))}: rule {self.code}: parameter {name!r} "
                f"has no value for {year} "
                f"(it has {known}): {first.pack!r} does not state it; state the year's "
                "value in a pack of your own that extends it, given with --pack (in packs "
                "from Python): an [[overrides]] "
                f'entry with code = "{self.code}" and parameters = {{ {name} = '
                f'{{ "{year}" = "…" }} }}')
        return tuple(problems)


@attrs.frozen
class RuleSet:
    """Resolved rules, by code, and every pack they came from (parents first)."""

    packs: tuple[Pack, ...] = ()
    rules: tuple[ResolvedRule, ...] = ()

    def get(self, code: str) -> ResolvedRule | None:
        for rule in self.rules:
            if rule.code == code:
                return rule
        return None


# -------------------------------------------------------------------------
# Finding packs by name or path
# -------------------------------------------------------------------------


#: How many packs deep an ``extends`` chain may go (national → funder year → local is 3).
MAX_EXTENDS_DEPTH = 64


def _key(path: Path) -> Path:
    """A pack file's identity: its resolved path; a symlink loop is a located error."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's "Symlink loop"
        raise PackError(f"{path}: cannot be read (a symbolic link loop)") from None


def _looks_like_path(reference: str) -> bool:
    return reference.endswith(".toml") or "/" in reference or "\\" in reference


@attrs.define
class PackLibrary:
    """The packs in the folders plugins contribute, found by name, each read once.

    ``given_as``: what the caller named the packs with (``packs`` in Python, ``--pack`` on
    the command line), for an error about a name given there."""

    folders: tuple[Path, ...]
    given_as: str = "packs"
    _loaded: dict[Path, Pack] = attrs.field(factory=dict, init=False)
    _indexes: dict[tuple[Path, bool], dict[str, Path]] = attrs.field(factory=dict, init=False)
    _headers: dict[Path, tuple[str, bool]] = attrs.field(factory=dict, init=False)
    #: (folder, name) → the error for a name two sibling packs share (see :meth:`_index`).
    _clashes: dict[tuple[Path, str], str] = attrs.field(factory=dict, init=False)

    def load(self, path: Path) -> Pack:
        key = _key(path)
        if key not in self._loaded:
            self._loaded[key] = read_pack(path)
        return self._loaded[key]

    def _header(self, path: Path) -> tuple[str, bool]:
        """A pack's name and whether it is a default pack: from its ``[pack]`` table alone
        where that reads, else from the whole pack (a :class:`PackError` if it is not one)."""
        key = _key(path)
        if key not in self._headers:
            pack = self._loaded.get(key)
            header = (pack.name, pack.default) if pack is not None else pack_name(path)
            if header is None:
                pack = self.load(path)
                header = pack.name, pack.default
            self._headers[key] = header
        return self._headers[key]

    def _index(self, folder: Path, *, only_packs: bool = False) -> dict[str, Path]:
        """Packs by name in ``folder`` (each read as far as its ``[pack]`` table); with
        ``only_packs``, other TOML files are skipped (a pack's own folder may hold its
        strategy and waivers too)."""
        key = (folder.resolve(), only_packs)
        if key not in self._indexes:
            index: dict[str, Path] = {}
            for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
                try:
                    name, _ = self._header(path)
                except PackError:
                    if only_packs:
                        continue
                    raise
                if name in index:
                    clash = f"{path}: pack name {name!r} is also used by {index[name]}"
                    if not only_packs:
                        raise PackError(clash)
                    # two versions of a local pack side by side: an error only when a
                    # pack there names that one (find)
                    self._clashes[(key[0], name)] = clash
                    continue
                index[name] = path
            self._indexes[key] = index
        return self._indexes[key]

    def _named(self) -> dict[str, Path]:
        """Every pack in the folders, by name, unread but for its header; a name used
        twice is an error."""
        found: dict[str, Path] = {}
        for folder in self.folders:
            for name, path in self._index(folder).items():
                if name in found and found[name].resolve() != path.resolve():
                    raise PackError(f"{path}: pack name {name!r} is also used by "
                                    f"{found[name]}")
                found[name] = path
        return dict(sorted(found.items()))

    def available(self) -> dict[str, Pack]:
        """Every pack in the folders, by name; a name used twice is an error."""
        return {name: self.load(path) for name, path in self._named().items()}

    def defaults(self) -> list[Pack]:
        """The packs marked ``default = true``: what ``vpp audit`` runs with no ``--pack``."""
        return [self.load(path) for path in self._named().values() if self._header(path)[1]]

    def find(self, reference: str | Path, near: Path | None = None) -> Pack:
        """A pack by path (relative to ``near``'s folder) or by name (``near``'s folder first)."""
        text = str(reference)
        if isinstance(reference, Path) or _looks_like_path(text):
            path = Path(text)
            if near is not None and not path.is_absolute():
                path = near.parent / path
            if near is not None:
                _check_extended(path, near)
            return self.load(path)
        siblings = self._index(near.parent, only_packs=True) if near is not None else {}
        clash = self._clashes.get((near.parent.resolve(), text)) if near is not None else None
        if clash is not None:
            raise PackError(clash)
        if text in siblings:
            return self.load(siblings[text])
        found = self._named()
        if text not in found:
            where = f"{near}: extends" if near is not None else self.given_as
            names = ", ".join(found) or "none"
            raise PackError(f"{where}: no pack named {text!r} (available: {names})")
        return self.load(found[text])

    def collect(self, references: Iterable[str | Path]) -> list[Pack]:
        """The packs named and every pack they extend, parents before children.

        A cycle, or a chain deeper than :data:`MAX_EXTENDS_DEPTH`, is a :class:`PackError`.
        """
        order: list[Pack] = []
        done: set[Path] = set()
        for reference in references:
            self._visit(self.find(reference), order, done)
        names: dict[str, Pack] = {}
        for pack in order:
            if pack.name in names:
                raise PackError(f"{pack.path}: pack name {pack.name!r} is also used by "
                                f"{names[pack.name].path}")
            names[pack.name] = pack
        return order

    def _visit(self, root: Pack, order: list[Pack], done: set[Path]) -> None:
        """Depth-first over ``extends`` with a stack of its own: no recursion to exhaust."""
        chain: list[tuple[Pack, Iterator[str]]] = [(root, iter(root.extends))]
        while chain:
            pack, parents = chain[-1]
            parent_reference = next(parents, None)
            if parent_reference is None:
                chain.pop()
                if _key(pack.path) not in done:
                    done.add(_key(pack.path))
                    order.append(pack)
                continue
            parent = self.find(parent_reference, near=pack.path)
            key = _key(parent.path)
            if key in done:
                continue
            if any(_key(item.path) == key for item, _ in chain):
                names = " → ".join(item.name for item, _ in (*chain, (parent, parents)))
                raise PackError(f"{parent.path}: extends cycle: {names}")
            if len(chain) >= MAX_EXTENDS_DEPTH:
                raise PackError(f"{pack.path}: extends: the chain from {root.name!r} is deeper "
                                f"than {MAX_EXTENDS_DEPTH} packs")
            chain.append((parent, iter(parent.extends)))


def _check_extended(path: Path, near: Path) -> None:
    """A missing file or a pipe or device that ``near`` extends, said where it was named
    (a file that cannot be read otherwise is said by reading it)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise PackError(f"{near}: extends: {path}: no such pack file") from None
    except OSError:
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise PackError(f"{near}: extends: {path}: is not a regular file")


def plugin_files(packs: Iterable[Pack]) -> list[tuple[Pack, Path]]:
    """The local plugin files packs name (relative to each pack file), each with its pack."""
    return [(pack, Path(os.path.normpath(pack.path.parent / entry)))
            for pack in packs for entry in pack.plugins]


# -------------------------------------------------------------------------
# Resolving rules across a chain
# -------------------------------------------------------------------------


def _parameter(value: Any, pack: Pack) -> Parameter:
    if is_year_table(value):
        return Parameter(by_year={
            year: Setting(item, pack.name, str(pack.path), year)
            for year, item in sorted(value.items())
        })
    return Parameter(plain=Setting(value, pack.name, str(pack.path)))


def _merge(old: Parameter | None, new: Parameter) -> Parameter:
    """Year tables merge year by year; anything else replaces the old value."""
    if old is not None and old.by_year and new.by_year:
        return Parameter(by_year=dict(sorted({**old.by_year, **new.by_year}.items())))
    return new


def _ancestors(packs: Sequence[Pack], library: PackLibrary) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for pack in packs:  # parents come first, so theirs are known
        names: set[str] = set()
        for parent in pack.extends:
            parent_pack = library.find(parent, near=pack.path)
            names |= {parent_pack.name, *result.get(parent_pack.name, set())}
        result[pack.name] = names
    return result


@attrs.define
class _Draft:
    definition: RuleDefinition
    pack: Pack
    severity: Severity
    severity_from: str
    enabled: bool
    enabled_from: str
    parameters: dict[str, Parameter]
    title: str = ""
    title_from: str = ""
    title_path: Path | None = None


def resolve(
    library: PackLibrary,
    packs: Sequence[Pack],
    checks: Mapping[str, CheckSpec],
    metrics: Mapping[str, MetricSpec] | None = None,
) -> RuleSet:
    """Apply every pack's rules and overrides (parents first) and check every parameter."""
    ancestors = _ancestors(packs, library)
    drafts: dict[str, _Draft] = {}
    for pack in packs:
        for rule in pack.rules:
            if rule.code in drafts:
                raise PackError(f"{pack.path}: rule {rule.code}: duplicate code, also in "
                                f"{drafts[rule.code].pack.path}")
            drafts[rule.code] = _Draft(
                rule, pack, rule.severity, pack.name, True, pack.name,
                {name: _parameter(value, pack) for name, value in sorted(rule.parameters.items())},
                rule.title, pack.name, pack.path,
            )
        for override in pack.overrides:
            where = f"{pack.path}: override of {override.code}"
            draft = drafts.get(override.code)
            if draft is None or draft.pack.name not in ancestors[pack.name]:
                raise PackError(f"{where}: no such rule in the packs it extends")
            mine = ancestors[pack.name] | {pack.name}

            def claim(setter: str, what: str, where: str = where, mine: set[str] = mine) -> None:
                if setter not in mine:
                    raise PackError(f"{where}: {what} is also overridden by pack {setter!r}, "
                                    "which it does not extend")

            if override.severity is not None:
                claim(draft.severity_from, "severity")
                draft.severity, draft.severity_from = override.severity, pack.name
            if override.title is not None:
                claim(draft.title_from, "title")
                draft.title, draft.title_from = override.title, pack.name
                draft.title_path = pack.path
            if override.enabled is not None:
                claim(draft.enabled_from, "enabled")
                draft.enabled, draft.enabled_from = override.enabled, pack.name
            for name, value in sorted(override.parameters.items()):
                old = draft.parameters.get(name)
                for setting in old.settings() if old is not None else ():
                    claim(setting.pack, f"parameter {name!r}")
                draft.parameters[name] = _merge(old, _parameter(value, pack))
    rules = tuple(
        _checked(drafts[code], checks, metrics) for code in sorted(drafts)
    )
    return RuleSet(packs=tuple(packs), rules=rules)


def _checked(
    draft: _Draft, checks: Mapping[str, CheckSpec], metrics: Mapping[str, MetricSpec] | None
) -> ResolvedRule:
    code = draft.definition.code
    parameters = dict(draft.parameters)
    if draft.definition.status is not RuleStatus.RETIRED:
        spec = checks.get(draft.definition.check)
        if spec is None:
            name, known = draft.definition.check, ", ".join(sorted(checks)) or "none"
            raise PackError(f"{draft.pack.path}: rule {code}: unknown check {name!r}"
                            f"{did_you_mean(name, checks)}: no plugin loaded offers it (a check "
                            "of your own: --plugin FILE, or plugins = [\"FILE\"] in the pack); "
                            f"known checks: {known}")
        specs = {item.name: item for item in spec.parameters}
        for name, parameter in parameters.items():
            if name not in specs:
                source = parameter.settings()[0].source
                allowed = ", ".join(sorted(specs)) or "none"
                raise PackError(f"{source}: rule {code}: unknown parameter {name!r} for check "
                                f"{spec.name!r} (it takes {allowed})")
            parameters[name] = _converted(parameter, specs[name], code, metrics, spec.name)
        for name, item in specs.items():
            if name in parameters:
                continue
            if item.required:
                raise PackError(f"{draft.pack.path}: rule {code}: parameter {name!r} is "
                                f"required by check {spec.name!r}")
            parameters[name] = Parameter(
                plain=Setting(item.default, f"default of check {spec.name}", "")
            )
    templates: tuple[tuple[str, str, Path], ...] = (
        ("title", draft.title, draft.title_path or draft.pack.path),
        ("description", draft.definition.description, draft.pack.path),
    )
    for what, template, path in templates:
        for problem in template_problems(template, parameters):
            raise PackError(f"{path}: rule {code}: {what}: {problem}")
        for year, values in _values_by_year(parameters):
            try:
                render(template, values)
            except ValueError as exc:
                when = f" for {year}" if year else ""
                raise PackError(f"{path}: rule {code}: {what}{when}: {exc}") from None
    return ResolvedRule(
        definition=draft.definition,
        pack=draft.pack,
        severity=draft.severity,
        severity_from=draft.severity_from,
        enabled=draft.enabled,
        enabled_from=draft.enabled_from,
        parameters=dict(sorted(parameters.items())),
        title_template=draft.title,
        title_from=draft.title_from,
    )


def _values_by_year(parameters: Mapping[str, Parameter]) -> list[tuple[str, dict[str, Any]]]:
    """The parameters' values for each year any of them names (one set if none does)."""
    years = sorted({year for parameter in parameters.values() for year in parameter.by_year})
    return [(year, {name: (parameter.plain or parameter.by_year[year]).value
                    for name, parameter in parameters.items()
                    if parameter.plain is not None or year in parameter.by_year})
            for year in years or [""]]


def _converted(
    parameter: Parameter, spec: ParameterSpec, code: str, metrics: Mapping[str, MetricSpec] | None,
    check: str,
) -> Parameter:
    def convert(setting: Setting) -> Setting:
        try:
            value = convert_parameter(spec.kind, setting.value, metrics)
            for item in value if isinstance(value, tuple | list) else (value,):
                if spec.choices and item not in spec.choices:
                    allowed = ", ".join(repr(choice) for choice in spec.choices)
                    raise ValueError(f"{item!r} is not one of {allowed}")
            _validated(spec, value, f"rule {code}: check {check!r}")
        except ValueError as exc:
            year = f" for {setting.year}" if setting.year else ""
            raise PackError(
                f"{setting.source}: rule {code}: parameter {spec.name!r}{year}: {exc}"
            ) from None
        return attrs.evolve(setting, value=value)

    if parameter.plain is not None:
        return Parameter(plain=convert(parameter.plain))
    return Parameter(by_year={year: convert(item) for year, item in parameter.by_year.items()})


def _validated(spec: ParameterSpec, value: object, where: str) -> None:
    """Run the check's own validation of ``value``: its ``ValueError`` is the pack's."""
    if spec.validate is None:
        return
    try:
        spec.validate(value)
    except ValueError:
        raise
    except Exception as exc:  # the check's validation is broken, not the pack
        raise PluginError(f"{where}: validating parameter {spec.name!r} raised "
                          f"{type(exc).__name__}: {exc}") from None


def _metric_reference(value: object, metrics: Mapping[str, MetricSpec] | None) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a metric reference such as 'budget-line:evaluation'")
    if metrics is not None:
        name, _, argument = value.partition(":")
        spec = metrics.get(name)
        if spec is None:
            raise ValueError(unknown("metric", name, metrics))
        if bool(argument) != spec.takes_argument:
            wanted = "takes an argument" if spec.takes_argument else "takes no argument"
            raise ValueError(f"metric {name!r} {wanted}: {value!r}")
    return value


def convert_parameter(kind: str, value: object, metrics: Mapping[str, MetricSpec] | None) -> Any:
    """``value`` as the ``kind`` a :class:`ParameterSpec` asks for; ``ValueError`` if not."""
    if kind == "decimal":
        if isinstance(value, float):
            raise ValueError('expected a decimal as a string such as "0.30", not a float')
        try:
            number = (Decimal(value) if isinstance(value, int | str)
                      and not isinstance(value, bool) else None)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(f"expected a decimal, got {value!r}")
        return check_magnitude(number, value)
    if kind == "money":
        return parse_money(value)
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        return int(check_magnitude(Decimal(value), value))
    if kind == "string":
        if not isinstance(value, str):
            raise ValueError(f"expected a string, got {value!r}")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return value
    if kind == "date":
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"expected a date, got {value!r}")
    if kind == "strings":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"expected an array of strings, got {value!r}")
        return tuple(value)
    if kind == "metric":
        return _metric_reference(value, metrics)
    if kind == "metrics":
        if not isinstance(value, list) or not value:
            raise ValueError("expected a non-empty array of metric references")
        return tuple(_metric_reference(item, metrics) for item in value)
    raise PluginError(f"parameter kind {kind!r} is not one vpp-core knows")
