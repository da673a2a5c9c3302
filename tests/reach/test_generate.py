"""The seeded generator: reproducible, consistent with itself, anomalies only when asked."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from vpp_plugins.reach.checks import CHECKS
from vpp_plugins.reach.commands import bundled_campaign
from vpp_plugins.reach.generate import Options, generate_campaign

from vpp_core.model import Strategy
from vpp_core.plugin_api.context import MetricContext
from vpp_core.records.manifest import record_sources

from .conftest import metric_specs


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path, strategy: Strategy) -> None:
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate_campaign(strategy, tmp_path / name, Options(seed=seed, exposures=400))
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a")["exposures.csv"] != files(tmp_path / "c")["exposures.csv"]


def test_sizes_and_the_shipped_fixture_matches_its_command(tmp_path: Path,
                                                          strategy: Strategy) -> None:
    written = generate_campaign(strategy, tmp_path, Options())
    assert written["exposures"] == 1_501  # 1,500 and one malformed row
    shipped = files(bundled_campaign())
    del shipped["README.md"]
    assert files(tmp_path) == shipped


def _context(strategy: Strategy, folder: Path) -> MetricContext:
    return MetricContext(strategy, metric_specs(), record_sources(folder))


def test_logged_channels_delivery_is_summed_from_the_log(tmp_path: Path,
                                                         strategy: Strategy) -> None:
    generate_campaign(strategy, tmp_path, Options(exposures=5_000, anomalies=False,
                                                  format="parquet"))
    in_window = duckdb.connect().execute(
        f"SELECT count(*) FROM '{tmp_path / 'exposures.parquet'}' "
        "WHERE channel = 'website' AND date BETWEEN '2024-05-01' AND '2025-03-31'").fetchone()
    ctx = _context(strategy, tmp_path)
    assert in_window is not None
    assert ctx.metric("campaign-impressions:channel=website").value == Decimal(in_window[0])
    unique = ctx.metric("campaign-unique-reach:channel=website")
    assert unique.source == "exact"


@pytest.mark.parametrize("anomalies", [False, True])
def test_anomalies_only_when_asked(tmp_path: Path, strategy: Strategy, anomalies: bool) -> None:
    generate_campaign(strategy, tmp_path, Options(exposures=800, anomalies=anomalies))
    ctx = _context(strategy, tmp_path)
    statuses = {}
    for spec in CHECKS:
        params = {p.name: p.default for p in spec.parameters}
        findings = list(spec.function(ctx.for_rule("REACH900", params)))
        statuses[spec.name] = {f.status.value for f in findings} - {"not-applicable"}
    failing = {name for name, seen in statuses.items() if "fail" in seen}
    if anomalies:
        assert failing == {"campaign-reach-within-impressions", "campaign-reach-not-impressions",
                           "campaign-activity-in-window", "campaign-records-usable"}
    else:
        assert failing == set()
