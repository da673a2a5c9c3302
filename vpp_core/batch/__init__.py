"""Auditing many strategies at once: in worker processes, in this process, or on any
:class:`concurrent.futures.Executor` (a Dask cluster's included).

Each strategy is audited on its own by :func:`vpp_core.api.audit`. One that cannot be
audited — malformed input, a plugin that fails to load or kills its process, a run past
the time limit — becomes a :class:`~vpp_core.reports.report.FailedAudit` in the batch's
report and the batch goes on. The per-strategy reports are merged into one
:class:`~vpp_core.reports.report.Report`, in the order the strategies were given.

The rooms: :mod:`~vpp_core.batch.discover` (what to audit), :mod:`~vpp_core.batch.settings`
(what with, and the limits on jobs and time), :mod:`~vpp_core.batch.item` (one strategy),
:mod:`~vpp_core.batch.workers` (worker processes killed at their time limit),
:mod:`~vpp_core.batch.run` (a whole batch), :mod:`~vpp_core.batch.merge` (one report),
:mod:`~vpp_core.batch.inputs` (every file a batch reads).
"""

from vpp_core.batch.discover import BatchItem, collect, folder_packs
from vpp_core.batch.inputs import input_files
from vpp_core.batch.item import Outcome, audit_item, crashed
from vpp_core.batch.merge import merge
from vpp_core.batch.run import Progress, audit_batch, run_batch
from vpp_core.batch.settings import (
    MAX_JOBS,
    MAX_TIMEOUT,
    BatchSettings,
    check_jobs,
    check_timeout,
    worker_count,
)

__all__ = [
    "MAX_JOBS",
    "MAX_TIMEOUT",
    "BatchItem",
    "BatchSettings",
    "Outcome",
    "Progress",
    "audit_batch",
    "audit_item",
    "check_jobs",
    "check_timeout",
    "collect",
    "crashed",
    "folder_packs",
    "input_files",
    "merge",
    "run_batch",
    "worker_count",
]
