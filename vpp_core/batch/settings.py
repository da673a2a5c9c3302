"""What every strategy in a batch is audited with, and the limits on jobs and time."""

from __future__ import annotations

import math
import os

import attrs

from vpp_core.loading.errors import UsageError
from vpp_core.rules.engine import AuditOptions

#: More parallel jobs than this is a mistake, not a request (workers are capped by the
#: CPUs anyway); a time limit above a day per strategy, or not finite, likewise.
MAX_JOBS = 1024
MAX_TIMEOUT = 86_400.0


@attrs.frozen
class BatchSettings:
    """What every strategy in a batch is audited with. Plain data, so it can be sent to
    worker processes: each builds its own plugins from ``plugin_files`` and ``blocked``.

    ``trust``: a trust list file pinning the local plugins that packs found beside a
    strategy may run (:mod:`vpp_core.plugin_api.trust`); ``packs_named_in``: the settings
    file that named ``packs`` (``vpp.toml`` in the working folder, perhaps one sent in), whose
    packs are trusted no more than packs found beside a strategy."""

    packs: tuple[str, ...] | None = None
    waivers: str | None = None
    records: tuple[str, ...] = ()
    options: AuditOptions = attrs.field(factory=AuditOptions)
    plugin_files: tuple[str, ...] = ()
    blocked: tuple[str, ...] = ()
    load_entry_points: bool | None = None
    timeout: float | None = None
    trust: str | None = None
    packs_named_in: str | None = None
    run_id: str = attrs.field(factory=lambda: os.urandom(16).hex())


def check_jobs(jobs: object) -> int:
    """``jobs`` if it is a whole number from 1 to :data:`MAX_JOBS`; else a UsageError."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise UsageError(f"--jobs: expected a whole number from 1 to {MAX_JOBS}, got {jobs!r}")
    return jobs


def check_timeout(seconds: object) -> float | None:
    """``seconds`` if it is a finite number above 0 and at most :data:`MAX_TIMEOUT`."""
    if seconds is None:
        return None
    if (isinstance(seconds, bool) or not isinstance(seconds, int | float)
            or not math.isfinite(seconds) or not 0 < seconds <= MAX_TIMEOUT):
        raise UsageError(f"--timeout: expected a number of seconds above 0 and at most "
                         f"{MAX_TIMEOUT:g}, got {seconds!r}")
    return float(seconds)


def cpu_count() -> int:
    """The CPUs this process may use."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        return int(counter() or 1)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def worker_count(jobs: int, strategies: int) -> int:
    """How many worker processes to start: ``jobs``, but no more than the strategies or
    the CPUs."""
    return max(1, min(check_jobs(jobs), strategies, cpu_count()))
