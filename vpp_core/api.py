"""The one call for embedding vpp-core: :func:`audit` a strategy, get a :class:`Report`.

No printing and no global state: each call builds its own plugin manager unless given
one, reads its inputs, and returns data.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import StrategyError, UsageError
from vpp_core.loading.extensions import claim_extensions
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import MetricContext, RecordSource
from vpp_core.plugin_api.manager import ENGINE_VERSION, Plugins, make_plugins
from vpp_core.plugin_api.record_kinds import RecordKind
from vpp_core.plugin_api.trust import TrustList
from vpp_core.records.manifest import (
    check_sources,
    record_sources,
    records_error,
    registered,
    source_problems,
)
from vpp_core.records.tables import check_readable
from vpp_core.reports.report import (
    InputFile,
    PackInfo,
    Provenance,
    Report,
    RuleDoc,
    StrategyAudit,
    StrategyIdentity,
    SwitchedOff,
    sha256_of,
)
from vpp_core.rules.engine import AuditOptions, CheckWatcher, run_rules
from vpp_core.rules.loaded_rules import LoadedRules, PackInput, load_rules
from vpp_core.rules.pack_model import RuleStatus
from vpp_core.rules.packs import RuleSet
from vpp_core.rules.waivers import apply_waivers, load_waivers

StrategyInput = Strategy | str | os.PathLike[str]
#: One ``--records`` value (a manifest, a folder holding one, ``KIND=PATH``) or a source.
RecordsInput = RecordSource | str | os.PathLike[str] | Mapping[str, str | os.PathLike[str]]

_NOT_A_STRATEGY = ("expected a Strategy or the path of a strategy TOML file, or a sequence of "
                   "them")


def _strategies(strategy: StrategyInput | Sequence[StrategyInput]
                ) -> list[tuple[Strategy, Path | None]]:
    one = isinstance(strategy, Strategy | str | os.PathLike)
    if not one and (isinstance(strategy, Mapping) or not isinstance(strategy, Sequence)):
        raise UsageError(f"strategy: {_NOT_A_STRATEGY}; got {type(strategy).__name__} "
                         "(load_strategy reads a file)")
    items: Sequence[object] = [strategy] if one else strategy  # type: ignore[assignment]
    if not items:  # an audit of nothing would pass
        raise UsageError("strategy: none given")
    loaded: list[tuple[Strategy, Path | None]] = []
    for index, item in enumerate(items):
        if isinstance(item, Strategy):
            loaded.append((item, None))
        elif isinstance(item, str | os.PathLike):
            path = Path(item)
            loaded.append((load_strategy(path), path))
        else:
            raise UsageError(f"strategy[{index}]: {_NOT_A_STRATEGY}; got {type(item).__name__}")
    return loaded


def _record_sources(records: RecordsInput | Iterable[RecordSource | PackInput],
                    plugins: Plugins) -> list[RecordSource]:
    """The record files named, each of a kind a plugin registered (checked before any
    file is opened): one item or several, as :func:`audit` takes them."""
    kinds = registered(plugins)
    if isinstance(records, Mapping):  # {kind: path}, as a service holds its files
        return [_kind_file(str(kind), path, kinds) for kind, path in records.items()]
    items: Iterable[object] = (
        [records] if isinstance(records, RecordSource | str | os.PathLike) else records
    )
    sources: list[RecordSource] = []
    for index, item in enumerate(items):
        if isinstance(item, RecordSource):
            check_sources([item], kinds)
            sources.append(item)
        elif isinstance(item, str | os.PathLike):
            sources.extend(record_sources(item if isinstance(item, str) else Path(item), kinds))
        else:
            raise UsageError(f"records[{index}]: expected a records manifest or folder, "
                             "KIND=PATH, a RecordSource or a mapping of kind to path; got "
                             f"{type(item).__name__}")
    return sources


def _kind_file(kind: str, path: object, kinds: Mapping[str, RecordKind]) -> RecordSource:
    """One entry of ``records={kind: path}``: its kind checked before its file is opened."""
    where = f"records[{kind!r}]"
    problems = source_problems(kind, {}, {}, kinds)
    if problems:
        raise records_error(where, problems)
    if not isinstance(path, str | os.PathLike):
        raise UsageError(f"{where}: expected a file path; got {type(path).__name__}")
    source = RecordSource(kind=kind, path=Path(path))
    check_readable(source.path)
    return source


def _text(path: Path | None) -> str:
    """The strategy file's text as audited, for the reports that point at its lines."""
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _identity(strategy: Strategy, source: Path | None) -> StrategyIdentity:
    return StrategyIdentity(
        partnership=strategy.partnership.name,
        short_name=strategy.partnership.short_name,
        financial_year=str(strategy.financial_year),
        title=strategy.document.title,
        source=display_path(source) if source is not None else "(given as an object)",
    )


def switched_off(rules: RuleSet, options: AuditOptions) -> tuple[SwitchedOff, ...]:
    """The rules a pack switched off that ``options`` do not run anyway, by code."""
    return tuple(SwitchedOff(rule.code, rule.name, rule.title, rule.enabled_from)
                 for rule in rules.rules
                 if not rule.enabled and rule.status is not RuleStatus.RETIRED
                 and not options.runs(rule))


def rule_docs(rules: RuleSet) -> tuple[RuleDoc, ...]:
    """Every rule's documentation, as ``vpp rule`` prints it, by code."""
    return tuple(
        RuleDoc(rule.code, rule.description_for(rule.latest_parameters()).strip(),
                tuple((str(example.outcome), example.text)
                      for example in rule.definition.examples))
        for rule in sorted(rules.rules, key=lambda rule: rule.code))


class _Hashes(dict[Path, str]):
    """SHA-256 of files by path, each file hashed once per audit."""

    def __call__(self, path: Path) -> str:
        if path not in self:
            self[path] = sha256_of(path)
        return self[path]


def _read_by(path: Path | None, context: MetricContext, sources: Sequence[RecordSource],
             hashed: _Hashes) -> list[InputFile]:
    """The files one strategy's audit read: the strategy, the records of the kinds its
    rules asked for (a file nobody read is not listed), the data files its plugins read."""
    files = [InputFile("strategy", display_path(path), hashed(path))] if path else []
    kinds = context.kinds_read()
    files.extend(InputFile(f"records:{source.kind}", display_path(source.path),
                           hashed(source.path)) for source in sources if source.kind in kinds)
    files.extend(InputFile("plugin-data", label, digest)
                 for label, digest in context.data_files().items())
    return files


def audit(
    strategy: StrategyInput | Sequence[StrategyInput],
    *,
    packs: PackInput | Sequence[PackInput] | None = None,
    waivers: PackInput | None = None,
    records: RecordsInput | Iterable[RecordSource | PackInput] = (),
    options: AuditOptions | None = None,
    plugins: Plugins | None = None,
    rules: LoadedRules | None = None,
    trust: TrustList | str | os.PathLike[str] | None = None,
    on_check: CheckWatcher | None = None,
) -> Report:
    """Audit one strategy (a :class:`Strategy` or a TOML path) or several.

    ``packs`` are names or paths (``None``: the packs marked default); ``waivers`` a
    waivers TOML file; ``records`` one or a sequence of :class:`RecordSource` objects or
    ``--records`` values (a ``records.toml`` path, a folder holding one, ``KIND=PATH``),
    or a mapping of kind to path, each of a kind a plugin registered. ``plugins``
    defaults to a fresh manager with every installed plugin. ``rules``, instead of
    ``packs``: rules already loaded by
    :func:`load_rules` with the same ``plugins``, for a caller that audits many strategies
    with the same packs. ``trust``: a trust list (a :class:`TrustList` or its TOML file),
    for packs that came with the input rather than from the caller: a local plugin they
    name runs only if pinned there (see :func:`load_rules`). ``on_check(rule, plugin)``
    is told before each check runs. Bad input raises a
    :class:`vpp_core.loading.errors.VppError`.
    """
    if rules is not None and packs is not None:
        raise ValueError("give packs or the rules loaded from them, not both")
    if isinstance(packs, str | os.PathLike):  # one pack, not a sequence of letters
        packs = [packs]
    elif packs is not None and not packs:  # an audit of nothing would pass
        raise UsageError("packs: no pack given (packs=None runs the packs marked default)")
    options = options if options is not None else AuditOptions()
    plugins = plugins if plugins is not None else make_plugins()
    loaded = rules if rules is not None else load_rules(plugins, packs, trust=trust)
    checks = plugins.checks()
    metrics = {name: spec for name, (spec, _) in plugins.metrics().items()}
    sources = _record_sources(records, plugins)
    kinds = frozenset(plugins.record_kinds())
    extensions = {name: spec for name, (spec, _) in plugins.extensions().items()}
    strategies = [(claim_extensions(item, extensions, path or "strategy"), path)
                  for item, path in _strategies(strategy)]
    runs = []
    computed = []
    contexts = []
    for loaded_strategy, path in strategies:
        context = MetricContext(loaded_strategy, metrics, tuple(sources), options.as_of,
                                kinds=kinds)
        try:
            results, measured = run_rules(loaded_strategy, loaded.rules, checks, metrics,
                                          options=options, context=context, on_check=on_check)
        except StrategyError as error:  # a check found bad input: name the strategy holding it
            if path is None:
                raise
            raise error.in_file(display_path(path)) from None
        runs.append(results)
        computed.append(measured)
        contexts.append(context)
    waiver_list = load_waivers(Path(waivers)) if waivers is not None else ()
    as_of = options.as_of or date.today()
    runs, notes = apply_waivers(
        runs, waiver_list, as_of, ignore=options.ignore_waivers,
        partnerships=[(item.partnership.name, item.partnership.short_name)
                      for item, _ in strategies])
    hashed = _Hashes()
    shared = [InputFile(role, str(path), hashed(Path(path))) for role, path in
              (("waivers", waivers), ("trust", trust)) if isinstance(path, str | os.PathLike)]
    shared.extend(InputFile("plugin", display_path(Path(path)), digest)
                  for path, digest in sorted(plugins.files.items()))
    each = [_read_by(path, context, sources, hashed) + shared
            for (_, path), context in zip(strategies, contexts, strict=True)]
    inputs = list(dict.fromkeys(item for files in each for item in files))
    # Each strategy also names the packs it ran (in a batch, a folder may bring its own).
    ran = [InputFile(f"pack:{pack.name}@{pack.version}", display_path(pack.path), pack.sha256)
           for pack in loaded.rules.packs]
    off = switched_off(loaded.rules, options)
    provenance = Provenance(
        engine_version=ENGINE_VERSION,
        packs=tuple(PackInfo(pack.name, pack.version, display_path(pack.path), pack.sha256)
                    for pack in loaded.rules.packs),
        plugins=tuple(sorted(plugins.info.values())),
        inputs=tuple(inputs),
    )
    return Report(
        audits=tuple(
            StrategyAudit(_identity(audited, path), results, measured, (*files, *ran),
                          off, _text(path))
            for (audited, path), results, measured, files
            in zip(strategies, runs, computed, each, strict=True)
        ),
        provenance=provenance,
        options=options,
        waivers=notes,
        waivers_as_of=as_of if waivers is not None else None,
        notes=loaded.notes,
        switched_off=off,
        rule_docs=rule_docs(loaded.rules),
    )
