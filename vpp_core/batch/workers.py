"""Worker processes with time limits: each strategy of a batch is audited in a worker
process, and a worker still on one strategy when its time is up is killed (SIGKILL), so
the batch ends within the limit plus a moment whatever a plugin does — stuck in native
code, catching ``BaseException``, resetting ``signal.alarm``. A worker that dies
(``os._exit``, a crash in C) costs only the strategy it was auditing, which gets an error
entry naming the check that was running; the strategies queued behind it go to a fresh
worker.

The parent sends each worker one strategy at a time (two queued while many remain, so no
worker waits for the next) and reads the reports back as they finish. A worker writes
which rule it is running into a small shared buffer before each check, so that what the
parent says about a killed or dead worker names the rule, the check and the plugin.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core.batch.discover import BatchItem
from vpp_core.batch.item import Outcome, audit_item, crashed, timed_out
from vpp_core.batch.settings import BatchSettings
from vpp_core.plugin_api.results import PluginInfo
from vpp_core.rules.packs import ResolvedRule

if TYPE_CHECKING:
    import multiprocessing.context
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

_SLOT = 512
_INTERRUPTED = "interrupted"


def _context() -> multiprocessing.context.ForkContext | multiprocessing.context.DefaultContext:
    """Fork workers where the platform can and this process runs no other thread (fast,
    and nothing to re-import); otherwise the platform's default start method."""
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _serve(connection: Connection, slot: Any, settings: BatchSettings) -> None:
    """A worker's life: audit each strategy sent, send its outcome back, until told to stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    os.dup2(2, 1)  # what a check prints goes to standard error, never into a report
    gc.enable()  # a forked worker inherits the parent's paused collector

    def watch(rule: ResolvedRule, plugin: PluginInfo) -> None:
        slot.value = (f"rule {rule.code}, check {rule.check!r} of plugin "
                      f"{plugin.name!r}").encode()[:_SLOT - 1]

    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, item = message
        slot.value = b""
        outcome: Outcome | str
        try:
            outcome = audit_item(item, settings, on_check=watch)
        except KeyboardInterrupt:
            outcome = _INTERRUPTED
        except BaseException as exc:  # anything else a plugin raises costs its strategy only
            outcome = crashed(item.source, f"{type(exc).__name__}: {exc}")
        connection.send((index, outcome))


@attrs.define
class _Worker:
    process: BaseProcess
    connection: Connection
    slot: Any
    queue: deque[int] = attrs.field(factory=deque)
    started: float = 0.0

    def running(self) -> str:
        text: bytes = self.slot.value
        return text.decode(errors="replace")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _start(context: multiprocessing.context.ForkContext | multiprocessing.context.DefaultContext,
           settings: BatchSettings) -> _Worker:
    parent_end, child_end = context.Pipe()
    slot = context.RawArray("c", _SLOT)
    process = context.Process(target=_serve, args=(child_end, slot, settings), daemon=True,
                              name="vpp-worker")
    process.start()
    child_end.close()
    return _Worker(process, parent_end, slot)


def run_in_workers(items: Sequence[BatchItem], settings: BatchSettings, workers: int,
                   done: Callable[[int, Outcome], None]) -> None:
    """Audit ``items`` in ``workers`` processes, calling ``done(index, outcome)`` for each.

    A ``KeyboardInterrupt`` (Ctrl-C, or one raised inside a check) stops every worker and
    is raised here."""
    context = _context()
    sys.stdout.flush()
    sys.stderr.flush()
    pending = deque(range(len(items)))
    pool: list[_Worker] = []
    limit = settings.timeout

    def give_back(worker: _Worker) -> None:
        """A worker gone: the strategies queued behind its first go to another."""
        pool.remove(worker)
        worker.kill()
        pending.extendleft(reversed(worker.queue))

    def send(worker: _Worker, index: int) -> bool:
        """Queue a strategy on ``worker``; False (and the strategy kept) if it is gone."""
        try:
            worker.connection.send((index, items[index]))
        except OSError:  # it ended between two strategies: replace it
            pending.appendleft(index)
            give_back(worker)
            return False
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.append(index)
        return True

    try:
        while pending or any(worker.queue for worker in pool):
            while len(pool) < workers and pending:
                pool.append(_start(context, settings))
            depth = 2 if len(pending) > 2 * len(pool) else 1
            for level in range(depth):
                for worker in list(pool):
                    if len(worker.queue) <= level and pending:
                        send(worker, pending.popleft())
            if not pool:
                continue
            busy = [worker for worker in pool if worker.queue]
            wait_for = None
            if limit is not None:
                now = time.monotonic()
                wait_for = max(0.0, min(worker.started + limit - now for worker in busy))
            from multiprocessing.connection import wait

            ready = set(wait([*(w.connection for w in busy), *(w.process.sentinel for w in busy)],
                             wait_for))
            for worker in busy:
                if worker.connection not in ready and worker.process.sentinel not in ready:
                    continue
                ended = _receive(worker, done)
                if ended or not worker.process.is_alive():
                    _collect_dead(worker, items, done)
                    give_back(worker)
            if limit is not None:
                now = time.monotonic()
                for worker in [w for w in pool if w.queue and now - w.started >= limit]:
                    index = worker.queue.popleft()
                    running = worker.running()
                    worker.kill()
                    done(index, timed_out(items[index].source, limit, running))
                    give_back(worker)
        for worker in pool:
            worker.connection.send(None)
    finally:
        for worker in pool:
            worker.kill()


def _receive(worker: _Worker, done: Callable[[int, Outcome], None]) -> bool:
    """Take every outcome ``worker`` has sent; True if its end of the pipe is closed."""
    while worker.connection.poll():
        try:
            index, outcome = worker.connection.recv()
        except (EOFError, OSError):
            return True
        if outcome == _INTERRUPTED:
            raise KeyboardInterrupt
        worker.queue.popleft()
        worker.started = time.monotonic()
        done(index, outcome)
    return False


def _collect_dead(worker: _Worker, items: Sequence[BatchItem],
                  done: Callable[[int, Outcome], None]) -> None:
    """The strategy a dead worker was auditing gets an error entry saying how it ended."""
    worker.process.join()
    if not worker.queue:
        return
    index = worker.queue.popleft()
    code = worker.process.exitcode
    how = (f"was killed by signal {-code}" if code is not None and code < 0
           else f"ended (exit code {code})")
    running = worker.running()
    during = f" while running {running}" if running else " while loading plugins and inputs"
    done(index, crashed(items[index].source, f"the process auditing it {how}{during}"))
