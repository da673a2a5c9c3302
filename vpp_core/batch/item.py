"""Auditing one strategy of a batch, in whichever process or thread runs it: its report,
or a :class:`~vpp_core.reports.report.FailedAudit` saying why it could not be audited."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from vpp_core.api import audit
from vpp_core.batch.discover import BatchItem
from vpp_core.batch.settings import BatchSettings
from vpp_core.loading.errors import PluginError, VppError
from vpp_core.plugin_api.manager import Plugins, make_plugins
from vpp_core.reports.report import EXIT_RULE_ERROR, FailedAudit, Report
from vpp_core.rules.engine import CheckWatcher
from vpp_core.rules.loaded_rules import LoadedRules, load_rules

Outcome = Report | FailedAudit


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
    """Run ``work`` on an executor's thread; raise :class:`_TimedOut` past ``seconds``.

    Only for a caller's executor (vpp's own batches kill a worker process instead). On a
    process's main thread a timer signal interrupts the work; elsewhere (an executor's
    worker thread, a Dask worker) the work runs on a thread of its own and is abandoned,
    not stopped, when its time is up: a plugin stuck in native code keeps its thread.
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


def _packs(item: BatchItem, settings: BatchSettings
           ) -> tuple[tuple[str, ...] | None, bool | str]:
    """The packs named for the batch (found, so trust applies, when a settings file named
    them); else the folder's own (found); else the defaults."""
    if settings.packs is not None:
        return settings.packs, settings.packs_named_in or False
    return item.packs, item.packs is not None


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


def _rules(key: tuple[Any, ...], item: BatchItem, settings: BatchSettings) -> LoadedRules:
    """The rules of the item's packs with the manager :func:`_plugins` made for ``key``,
    read once rather than for every strategy (not kept when the packs are bad: each
    strategy says so)."""
    if key not in _RULES:
        packs, found = _packs(item, settings)
        _RULES[key] = load_rules(_PLUGINS[key], packs, found=found, trust=settings.trust,
                                  given_as="--pack")
    return _RULES[key]


def audit_item(item: BatchItem, settings: BatchSettings, plugins: Plugins | None = None,
               *, on_check: CheckWatcher | None = None, limit: bool = False) -> Outcome:
    """Audit one strategy of a batch: its report, or why it could not be audited.

    ``plugins``: a manager built with the settings' plugin files and blocked names, to use
    instead of building one (a single strategy audited in the caller's process).
    ``on_check`` is told before each check runs. ``limit``: hold the audit to the
    settings' time limit in this process (on an executor; see :func:`_within`)."""
    source = item.source
    try:
        key = _key(item, settings)
        manager = plugins if plugins is not None else _plugins(key, settings)

        def work() -> Outcome:
            if plugins is None:
                rules = _rules(key, item, settings)
            else:
                packs, found = _packs(item, settings)
                rules = load_rules(manager, packs, found=found, trust=settings.trust,
                                   given_as="--pack")
            return audit(
                item.strategy,
                waivers=settings.waivers,
                records=[*settings.records, *item.records],
                options=settings.options,
                plugins=manager,
                rules=rules,
                trust=settings.trust,
                on_check=on_check,
            )

        return _within(settings.timeout, work) if limit else work()
    except _TimedOut:
        return timed_out(source, settings.timeout)
    except VppError as error:
        reason = "plugin" if isinstance(error, PluginError) else "input"
        return FailedAudit(source, reason, error.message, error.problems, error.exit_code)
    except (Exception, SystemExit) as exc:
        return crashed(source, f"{type(exc).__name__}: {exc}")


def crashed(source: str, why: str) -> FailedAudit:
    return FailedAudit(source, "crash", f"{source}: the audit crashed: {why}",
                       exit_code=EXIT_RULE_ERROR)


def timed_out(source: str, seconds: float | None, running: str = "") -> FailedAudit:
    where = f" (stopped in {running})" if running else ""
    return FailedAudit(source, "timeout",
                       f"{source}: not finished after the {seconds or 0:g} s time limit{where}",
                       exit_code=EXIT_RULE_ERROR)
