"""A batch on a Dask cluster: the same call with a Dask executor, nothing else changed.

Runs when the ``dask`` extra is installed (``pip install 'vpp-core[dask]'``), skips otherwise.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.conftest import AS_OF, PACK, WAIVERS
from vpp_core import AuditOptions
from vpp_core.batch import audit_batch
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.reports.report import report_data

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


def test_a_batch_on_a_local_dask_cluster_matches_the_local_run(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "strategy.toml").write_text('financial_year = "2024-25"\n', encoding="utf-8")
    inputs = [bundled_strategy(), broken]
    options = AuditOptions(as_of=AS_OF)
    local = audit_batch(inputs, packs=[str(PACK)], waivers=WAIVERS, options=options)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = audit_batch(inputs, packs=[str(PACK)], waivers=WAIVERS, options=options,
                              executor=client.get_executor(), timeout=60)
    assert report_data(on_dask) == report_data(local)
    assert [failed.reason for failed in on_dask.failed] == ["input"]
    assert on_dask.audits[0].strategy.short_name == "Thames Valley VPP"
