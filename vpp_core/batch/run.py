"""Running a batch: in this process, in worker processes, or on a caller's executor."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vpp_core.batch.discover import BatchItem, collect
from vpp_core.batch.item import Outcome, audit_item, crashed
from vpp_core.batch.merge import merge
from vpp_core.batch.settings import BatchSettings, check_jobs, check_timeout, worker_count
from vpp_core.loading.errors import UsageError
from vpp_core.plugin_api.collector import collector_paused
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.trust import TrustList
from vpp_core.reports.report import Report
from vpp_core.rules.engine import AuditOptions

# Worker processes are imported where they are used: a single strategy, audited in this
# process, needs none.
if TYPE_CHECKING:
    from concurrent.futures import Executor

#: ``progress(done, total, source)`` after each strategy finishes.
Progress = Callable[[int, int, str], None]


def _given_executor(items: Sequence[BatchItem], settings: BatchSettings, executor: Executor,
                    done: Callable[[int, Outcome], None]) -> None:
    """Each strategy a task on the caller's executor (threads, processes, Dask). A time
    limit there abandons the strategy's thread rather than killing a process (see
    :func:`vpp_core.batch.item._within`)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    futures = {executor.submit(audit_item, item, settings, limit=True): index
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
    isolate: bool = False,
) -> Report:
    """Audit every item and merge the reports, in the order of ``items``.

    With ``executor`` the strategies are submitted to it (any
    :class:`concurrent.futures.Executor`: threads, processes, a Dask cluster's
    ``client.get_executor()``). Otherwise several strategies, or one with a time limit,
    run in worker processes (at most ``jobs``, the strategies and the CPUs), each killed
    at its limit; a single strategy with no limit runs in this process, with ``plugins``
    if given (see :func:`vpp_core.batch.item.audit_item`), unless ``isolate`` asks for a
    worker process anyway (plugins from outside vpp-core: one that ends its process, even
    with exit code 0, then costs its strategy an error entry, not the run its report). The
    worker builds its own plugins from ``settings``, which must name the local plugins
    ``plugins`` holds.
    """
    settings = settings or BatchSettings()
    if not items:
        raise UsageError("no strategy to audit")
    check_jobs(jobs)
    check_timeout(settings.timeout)
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
    elif len(items) > 1 or settings.timeout is not None or isolate:
        from vpp_core.batch.workers import run_in_workers

        # a batch keeps every report to the end, each thousands of objects without a
        # reference cycle: collecting as they arrived took over half of this process's
        # processor time in a batch of 1,000
        with collector_paused():
            run_in_workers(items, settings, worker_count(jobs, len(items)), done)
    else:
        # one strategy here: its model, rules and results live on to the report, and its
        # audit makes little garbage with a cycle (none the collector must find in time)
        with collector_paused():
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
    trust: str | Path | None = None,
    jobs: int = 1,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Report:
    """Audit the strategies ``inputs`` name (files, folders, globs) as one batch.

    Arguments as for :func:`vpp_core.api.audit`; ``plugin_files`` are local plugins to
    load, ``timeout`` the seconds each strategy may take, ``trust`` a trust list file
    pinning the plugins that packs found in the input folders may run (packs named in
    ``packs`` run theirs). See :func:`run_batch`.
    """
    if isinstance(trust, TrustList):
        raise UsageError("trust: give the trust list's file, so that workers can read it")
    settings = BatchSettings(
        packs=tuple(str(pack) for pack in packs) if packs is not None else None,
        waivers=str(waivers) if waivers is not None else None,
        records=tuple(str(item) for item in records),
        options=options or AuditOptions(),
        plugin_files=tuple(str(path) for path in plugin_files),
        blocked=tuple(blocked),
        timeout=check_timeout(timeout),
        trust=str(trust) if trust is not None else None,
    )
    return run_batch(collect(inputs), settings, jobs=check_jobs(jobs), executor=executor,
                     progress=progress)
