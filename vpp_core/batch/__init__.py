"""Auditing many strategies at once: in this process, in parallel processes, or on any
:class:`concurrent.futures.Executor` (a Dask cluster's included).

Each strategy is audited on its own by :func:`vpp_core.api.audit`. One that cannot be
audited — malformed input, a plugin that fails to load or crashes its process, a run
past the time limit — becomes a :class:`~vpp_core.reports.report.FailedAudit` in the batch's
report and the batch goes on. The per-strategy reports are merged into one
:class:`~vpp_core.reports.report.Report`, in the order the strategies were given.

What a batch takes (:func:`collect`): strategy files; folders holding a ``strategy.toml``
and, optionally, its records (a ``records.toml`` manifest, or a ``records/`` folder
holding one) and its own rule packs (any other TOML file there with a ``[pack]`` table,
used when no pack is named for the whole batch); folders of such folders; and globs of
any of these.
"""

from __future__ import annotations

import gc
import os
import threading
import tomllib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core.api import LoadedRules, audit, load_rules
from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import PluginError, UsageError, VppError
from vpp_core.plugin_api.manager import ENGINE_VERSION, Plugins, make_plugins
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.records.manifest import MANIFEST
from vpp_core.reports.report import (
    EXIT_RULE_ERROR,
    FailedAudit,
    InputFile,
    PackInfo,
    Provenance,
    Report,
)
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.waivers import WaiverNote, WaiverState

# Globs, time limits and worker processes are imported where they are used: a single
# strategy, audited in this process, needs none of them.
if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Executor, Future

STRATEGY_FILE = "strategy.toml"
RECORDS_FOLDER = "records"
_GLOB_CHARACTERS = frozenset("*?[")

#: ``progress(done, total, source)`` after each strategy finishes.
Progress = Callable[[int, int, str], None]
Outcome = Report | FailedAudit


@attrs.frozen
class BatchItem:
    """One strategy to audit, with the records and pack its folder holds."""

    strategy: Path
    records: tuple[str, ...] = ()
    packs: tuple[str, ...] | None = None

    @property
    def source(self) -> str:
        return display_path(self.strategy)


@attrs.frozen
class BatchSettings:
    """What every strategy in a batch is audited with. Plain data, so it can be sent to
    worker processes: each builds its own plugins from ``plugin_files`` and ``blocked``."""

    packs: tuple[str, ...] | None = None
    waivers: str | None = None
    records: tuple[str, ...] = ()
    options: AuditOptions = attrs.field(factory=AuditOptions)
    plugin_files: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    load_entry_points: bool | None = None
    timeout: float | None = None
    run_id: str = attrs.field(factory=lambda: os.urandom(16).hex())


# -------------------------------------------------------------------------
# What to audit
# -------------------------------------------------------------------------


def _is_pack(path: Path) -> bool:
    """A TOML file with a ``[pack]`` table; one that cannot be read counts, so that its
    error is reported for the strategy beside it rather than passed over."""
    try:
        with path.open("rb") as handle:
            return "pack" in tomllib.load(handle)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True


def folder_packs(folder: Path) -> tuple[str, ...]:
    """The rule packs a strategy's folder holds: its TOML files other than the strategy and
    the records manifest that have a ``[pack]`` table, sorted."""
    return tuple(str(path) for path in sorted(folder.glob("*.toml"))
                 if path.name not in (STRATEGY_FILE, MANIFEST) and _is_pack(path))


def _folder_item(folder: Path) -> BatchItem:
    records: tuple[str, ...] = ()
    if (folder / MANIFEST).is_file():
        records = (str(folder / MANIFEST),)
    elif (folder / RECORDS_FOLDER).is_dir():
        records = (str(folder / RECORDS_FOLDER),)
    return BatchItem(folder / STRATEGY_FILE, records, folder_packs(folder) or None)


def _items_of(path: Path, given: str) -> Iterator[BatchItem]:
    if path.is_file():
        yield BatchItem(path)
    elif path.is_dir():
        if (path / STRATEGY_FILE).is_file():
            yield _folder_item(path)
            return
        found = sorted(path.rglob(STRATEGY_FILE))
        if not found:
            raise UsageError(f"{given}: no {STRATEGY_FILE} in this folder or below it")
        for strategy in found:
            yield _folder_item(strategy.parent)
    elif path.is_symlink():
        raise UsageError(f"{given}: cannot be read (a symbolic link to nothing, or a loop)")
    elif path.exists():  # a pipe or a device: reading it says what is wrong
        yield BatchItem(path)
    else:
        raise UsageError(f"{given}: no such file or folder")


def collect(inputs: Iterable[str | Path]) -> list[BatchItem]:
    """The strategies ``inputs`` name (files, folders, globs), in order, each once."""
    items: list[BatchItem] = []
    seen: set[Path] = set()
    for given in inputs:
        text = str(given)
        if _GLOB_CHARACTERS & set(text) and not Path(text).exists():
            import glob

            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise UsageError(f"{text}: no file or folder matches")
            paths = [Path(match) for match in matches]
        else:
            paths = [Path(text)]
        for path in paths:
            for item in _items_of(path, str(path)):
                key = item.strategy.resolve()
                if key not in seen:
                    seen.add(key)
                    items.append(item)
    return items


# -------------------------------------------------------------------------
# Auditing one strategy (in whichever process or thread runs it)
# -------------------------------------------------------------------------


class _TimedOut(BaseException):
    """Raised into a strategy's audit when its time is up; a BaseException so that the
    engine's per-check isolation does not turn it into one rule's error."""


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    import signal

    def expire(signum: int, frame: object) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _within(seconds: float | None, work: Callable[[], Outcome]) -> Outcome:
    """Run ``work``; raise :class:`_TimedOut` if it takes longer than ``seconds``.

    On a process's main thread a timer signal interrupts the work itself. Elsewhere (an
    executor's worker thread) the work runs on a thread of its own and is abandoned, not
    stopped, when its time is up.
    """
    if seconds is None:
        return work()
    import signal

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            return work()
    box: list[Outcome | BaseException] = []

    def target() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed to the waiting thread
            box.append(exc)

    thread = threading.Thread(target=target, daemon=True, name="vpp-audit")
    thread.start()
    thread.join(seconds)
    if not box:
        raise _TimedOut
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


_PLUGINS: dict[tuple[Any, ...], Plugins] = {}
_RULES: dict[tuple[Any, ...], LoadedRules] = {}


def _packs(item: BatchItem, settings: BatchSettings) -> tuple[str, ...] | None:
    """The packs named for the batch; else the folder's own pack; else the defaults."""
    return settings.packs if settings.packs is not None else item.packs


def _key(item: BatchItem, settings: BatchSettings) -> tuple[Any, ...]:
    return (settings.run_id, threading.get_ident(), _packs(item, settings))


def _plugins(key: tuple[Any, ...], settings: BatchSettings) -> Plugins:
    """One plugin manager per run, thread and pack choice in each process (packs may load
    local plugins into it, so strategies with other packs get a manager of their own, and
    threads of an executor never share one): ``key`` is :func:`_key`."""
    if key not in _PLUGINS:
        if any(existing[0] != settings.run_id for existing in _PLUGINS):
            _PLUGINS.clear()
            _RULES.clear()
        _PLUGINS[key] = make_plugins(load_entry_points=settings.load_entry_points,
                                     blocked=settings.blocked, local=settings.plugin_files)
    return _PLUGINS[key]


def _rules(key: tuple[Any, ...], packs: tuple[str, ...] | None) -> LoadedRules:
    """The rules of ``packs`` with the manager :func:`_plugins` made for ``key``, read once
    rather than for every strategy (not kept when the packs are bad: each strategy says so)."""
    if key not in _RULES:
        _RULES[key] = load_rules(_PLUGINS[key], packs)
    return _RULES[key]


def audit_item(item: BatchItem, settings: BatchSettings, plugins: Plugins | None = None
               ) -> Outcome:
    """Audit one strategy of a batch: its report, or why it could not be audited.

    ``plugins``: a manager built with the settings' plugin files and blocked names, to use
    instead of building one (a single strategy audited in the caller's process)."""
    source = item.source
    try:
        key = _key(item, settings)
        manager = plugins if plugins is not None else _plugins(key, settings)

        def work() -> Outcome:
            packs = _packs(item, settings)
            rules = _rules(key, packs) if plugins is None else load_rules(manager, packs)
            return audit(
                item.strategy,
                waivers=settings.waivers,
                records=[*settings.records, *item.records],
                options=settings.options,
                plugins=manager,
                rules=rules,
            )

        return _within(settings.timeout, work)
    except _TimedOut:
        return FailedAudit(source, "timeout",
                           f"{source}: not finished after the {settings.timeout:g} s time limit",
                           exit_code=EXIT_RULE_ERROR)
    except VppError as error:
        reason = "plugin" if isinstance(error, PluginError) else "input"
        return FailedAudit(source, reason, error.message, error.problems, error.exit_code)
    except (Exception, SystemExit) as exc:
        return crashed(source, f"{type(exc).__name__}: {exc}")


def crashed(source: str, why: str) -> FailedAudit:
    return FailedAudit(source, "crash", f"{source}: the audit crashed: {why}",
                       exit_code=EXIT_RULE_ERROR)


# -------------------------------------------------------------------------
# Running a batch
# -------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext | None:
    """Fork workers where the platform can and this process runs no other thread (fast,
    and nothing to re-import); otherwise the platform's default start method."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return None


def audit_items(items: Sequence[BatchItem], settings: BatchSettings) -> list[Outcome]:
    """Audit several strategies in one task (fewer round trips to a worker process)."""
    return [audit_item(item, settings) for item in items]


def _chunks(count: int, jobs: int) -> list[list[int]]:
    """The strategies' indexes in tasks: enough in each that a round trip to a worker costs
    little against the audits (at most eight), and fewer and fewer towards the end, down to
    one, so that the workers finish together."""
    size = max(1, min(8, count // (jobs * 16)))
    chunks = []
    start = 0
    while start < count:
        end = start + max(1, min(size, (count - start) // (2 * jobs)))
        chunks.append(list(range(start, end)))
        start = end
    return chunks


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused in this process while the workers' reports arrive.

    A batch keeps every report to the end, and each is thousands of objects without a
    reference cycle among them: with the collector on, this process traverses every report
    received so far, again and again as they pile up (over half of its processor time in a
    batch of 1,000), taken from the workers when there are as many jobs as cores. Workers
    collect as usual: ``gc.enable`` starts each one (a forked worker inherits the pause).

    At the end, what was made meanwhile goes to the collector's oldest generation (through
    ``gc.freeze`` and ``gc.unfreeze``), which it traverses rarely: otherwise its first
    collection after the pause would traverse every report as a young object (0.2 s for
    1,000). Garbage among those objects is collected later, not lost. Skipped if the caller
    keeps objects frozen itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _own_pool(items: Sequence[BatchItem], settings: BatchSettings, jobs: int,
              done: Callable[[int, Outcome], None]) -> None:
    """Parallel processes that survive a strategy killing its process: the strategies
    running when a process died are audited again one by one, each in a fresh process,
    so only the one that kills its process is reported as crashed."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pending = deque(_chunks(len(items), jobs))
    broken: list[int] = []

    def collect(future: Future[list[Outcome]], chunk: list[int]) -> None:
        try:
            outcomes = future.result()
        except BrokenProcessPool:
            broken.extend(chunk)
            return
        for index, outcome in zip(chunk, outcomes, strict=True):
            done(index, outcome)

    while pending:
        broken.clear()
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context(),
                                 initializer=gc.enable) as pool:
            running: dict[Future[list[Outcome]], list[int]] = {}
            while (pending or running) and not broken:
                while pending and len(running) < 2 * jobs and not broken:
                    chunk = pending.popleft()
                    try:
                        future = pool.submit(audit_items, [items[i] for i in chunk], settings)
                    except BrokenProcessPool:
                        broken.extend(chunk)
                        break
                    running[future] = chunk
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    collect(future, running.pop(future))
            for future, chunk in running.items():
                collect(future, chunk)
        for index in sorted(broken):
            with ProcessPoolExecutor(max_workers=1, mp_context=_context(),
                                     initializer=gc.enable) as alone:
                try:
                    done(index, alone.submit(audit_item, items[index], settings).result())
                except BrokenProcessPool:
                    done(index, crashed(items[index].source,
                                        "the process auditing it stopped abruptly"))


def _given_executor(items: Sequence[BatchItem], settings: BatchSettings, executor: Executor,
                    done: Callable[[int, Outcome], None]) -> None:
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = {executor.submit(audit_item, item, settings): index
               for index, item in enumerate(items)}
    remaining = set(futures)
    while remaining:
        finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=futures.__getitem__):
            index = futures[future]
            try:
                done(index, future.result())
            except Exception as exc:  # the executor's own failure, e.g. a lost worker
                done(index, crashed(items[index].source, f"{type(exc).__name__}: {exc}"))


def run_batch(
    items: Sequence[BatchItem],
    settings: BatchSettings | None = None,
    *,
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
    plugins: Plugins | None = None,
) -> Report:
    """Audit every item and merge the reports, in the order of ``items``.

    With ``executor`` the strategies are submitted to it (any
    :class:`concurrent.futures.Executor`: threads, processes, a Dask cluster's
    ``client.get_executor()``). Otherwise several strategies run in ``jobs`` worker
    processes, so that one which kills its process cannot stop the batch; a single
    strategy runs in this process, with ``plugins`` if given (see :func:`audit_item`).
    """
    settings = settings or BatchSettings()
    if not items:
        raise UsageError("no strategy to audit")
    if jobs < 1:
        raise UsageError(f"--jobs: expected a whole number of at least 1, got {jobs}")
    outcomes: list[Outcome | None] = [None] * len(items)
    count = 0

    def done(index: int, outcome: Outcome) -> None:
        nonlocal count
        outcomes[index] = outcome
        count += 1
        if progress is not None:
            progress(count, len(items), items[index].source)

    if executor is not None:
        _given_executor(items, settings, executor, done)
    elif len(items) > 1:
        with _collector_paused():
            _own_pool(items, settings, jobs, done)
    else:
        done(0, audit_item(items[0], settings, plugins))
    return merge([outcome for outcome in outcomes if outcome is not None], settings.options)


def audit_batch(
    inputs: Iterable[str | Path],
    *,
    packs: Sequence[str] | None = None,
    waivers: str | Path | None = None,
    records: Sequence[str] = (),
    options: AuditOptions | None = None,
    plugin_files: Sequence[str | Path] = (),
    blocked: Sequence[str] = (),
    timeout: float | None = None,
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Report:
    """Audit the strategies ``inputs`` name (files, folders, globs) as one batch.

    Arguments as for :func:`vpp_core.api.audit`; ``plugin_files`` are local plugins to
    load, ``timeout`` the seconds each strategy may take. See :func:`run_batch`.
    """
    settings = BatchSettings(
        packs=tuple(str(pack) for pack in packs) if packs is not None else None,
        waivers=str(waivers) if waivers is not None else None,
        records=tuple(str(item) for item in records),
        options=options or AuditOptions(),
        plugin_files=tuple(str(path) for path in plugin_files),
        blocked=tuple(blocked),
        timeout=timeout,
    )
    return run_batch(collect(inputs), settings, jobs=jobs, executor=executor,
                     progress=progress)


# -------------------------------------------------------------------------
# One report from many
# -------------------------------------------------------------------------

# A waiver noted differently by different strategies' audits: the note that says most.
_STATE_RANK = {WaiverState.APPLIED: 3, WaiverState.IGNORED: 2, WaiverState.EXPIRED: 1,
               WaiverState.UNUSED: 0}


def _merge_waivers(notes: Iterable[WaiverNote]) -> tuple[WaiverNote, ...]:
    merged: dict[Any, WaiverNote] = {}
    for note in notes:
        key = attrs.astuple(note.waiver)
        kept = merged.get(key)
        if kept is None:
            merged[key] = note
            continue
        subjects = tuple(sorted({*kept.subjects, *note.subjects}))
        best = note if _STATE_RANK[note.state] > _STATE_RANK[kept.state] else kept
        merged[key] = attrs.evolve(best, subjects=subjects)
    return tuple(merged.values())


def _unique(values: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def merge(outcomes: Sequence[Outcome], options: AuditOptions | None = None) -> Report:
    """One report from the reports and failures of a batch, in their order."""
    reports = [outcome for outcome in outcomes if isinstance(outcome, Report)]
    packs: list[PackInfo] = sorted(_unique(pack for report in reports
                                           for pack in report.provenance.packs),
                                   key=lambda pack: (pack.name, pack.version, pack.source))
    plugins: list[PluginInfo] = sorted(_unique(plugin for report in reports
                                               for plugin in report.provenance.plugins))
    inputs: list[InputFile] = _unique(item for report in reports
                                      for item in report.provenance.inputs)
    return Report(
        audits=tuple(audit for report in reports for audit in report.audits),
        provenance=Provenance(
            engine_version=reports[0].provenance.engine_version if reports else ENGINE_VERSION,
            packs=tuple(packs),
            plugins=tuple(plugins),
            inputs=tuple(inputs),
        ),
        options=reports[0].options if reports else (options or AuditOptions()),
        waivers=_merge_waivers(note for report in reports for note in report.waivers),
        waivers_as_of=next((report.waivers_as_of for report in reports
                            if report.waivers_as_of is not None), None),
        notes=tuple(_unique(note for report in reports for note in report.notes)),
        failed=tuple(outcome for outcome in outcomes if isinstance(outcome, FailedAudit)),
        switched_off=tuple(sorted(_unique(item for report in reports
                                          for item in report.switched_off),
                                  key=lambda item: (item.code, item.pack))),
    )
