"""Small campaigns written as CSV and read through the plugin's loader, so every figure in
a test can be worked out by hand."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.checks import CHECKS
from vpp_plugins.reach.load import LoadedCampaign, load_campaign
from vpp_plugins.reach.metrics import METRICS

from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import CheckContext, RecordSource
from vpp_core.plugin_api.results import Finding
from vpp_core.plugin_api.specs import MetricSpec

DELIVERY_COLUMNS = ("channel", "area", "date", "impressions", "reach", "engagements", "clicks",
                    "video_views", "spend")


@pytest.fixture(scope="session")
def strategy() -> Strategy:
    """Thames Valley 2024–25: evaluation window 1 May 2024 – 31 March 2025."""
    return load_strategy(bundled_strategy())


def delivery_row(channel: str, area: str, day: str, impressions: int, reach: int | None = None,
                 engagements: int | None = None, clicks: int | None = None,
                 video_views: int | None = None, spend: str | None = None) -> dict[str, Any]:
    return {"channel": channel, "area": area, "date": day, "impressions": impressions,
            "reach": reach, "engagements": engagements, "clicks": clicks,
            "video_views": video_views, "spend": spend}


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(["" if value is None else value for value in row] for row in rows)
    return path


def campaign_sources(
    folder: Path,
    *,
    delivery: Sequence[dict[str, Any]] | None = None,
    exposures: Sequence[Sequence[str]] | None = None,
    training: Sequence[Sequence[str]] | None = None,
    population: Sequence[tuple[str, str, int]] | None = None,
) -> list[RecordSource]:
    """CSV files for the kinds given (``None`` leaves a kind out altogether)."""
    sources = []
    if delivery is not None:
        rows = [[row[column] for column in DELIVERY_COLUMNS] for row in delivery]
        sources.append(RecordSource("campaign-delivery",
                                    write_csv(folder / "delivery.csv", DELIVERY_COLUMNS, rows)))
    if exposures is not None:
        header = ("viewer_id", "channel", "date", "area")[: max((len(r) for r in exposures),
                                                               default=3)]
        sources.append(RecordSource("exposures",
                                    write_csv(folder / "exposures.csv", header, exposures)))
    if training is not None:
        sources.append(RecordSource("campaign-training", write_csv(
            folder / "training.csv", ("attendee_id", "audience", "date"), training)))
    if population is not None:
        sources.append(RecordSource("population", write_csv(
            folder / "population.csv", ("area", "age_band", "population", "source"),
            [(*row, "test figures") for row in population])))
    return sources


@pytest.fixture(name="load")
def load_fixture(tmp_path: Path, strategy: Strategy) -> Callable[..., LoadedCampaign]:
    """``load(delivery=[...], exposures=[...], ...)``: the campaign read from CSV files."""
    def load(**kinds: Any) -> LoadedCampaign:
        return load_campaign(strategy, campaign_sources(tmp_path, **kinds))
    return load


@pytest.fixture(name="build")
def build_fixture(load: Callable[..., LoadedCampaign]) -> Callable[..., CampaignData]:
    """``build(delivery=[...], ...)``: just the campaign's aggregates."""
    return lambda **kinds: load(**kinds).data


@pytest.fixture(name="row")
def row_fixture() -> Callable[..., dict[str, Any]]:
    """``row(channel, area, day, impressions, reach, ...)``: one delivery row."""
    return delivery_row


def metric_specs() -> dict[str, MetricSpec]:
    return {spec.name: spec for spec in METRICS}


@pytest.fixture(name="context")
def context_fixture(tmp_path: Path, strategy: Strategy) -> Callable[..., CheckContext]:
    """``context(params={...}, strategy=..., delivery=[...], ...)``: a check context over
    CSV files of the kinds given, with the plugin's metrics."""
    def make(params: dict[str, Any] | None = None, strategy: Strategy = strategy,
             **kinds: Any) -> CheckContext:
        return CheckContext(strategy, metric_specs(), tuple(campaign_sources(tmp_path, **kinds)),
                            params=params or {}, code="REACH900")
    return make


@pytest.fixture(name="run_check")
def run_check_fixture(context: Callable[..., CheckContext]) -> Callable[..., list[Finding]]:
    """``run_check(name, params=..., delivery=[...], ...)``: the check's findings."""
    checks = {spec.name: spec for spec in CHECKS}

    def run(name: str, params: dict[str, Any] | None = None, **kinds: Any) -> list[Finding]:
        spec = checks[name]
        defaults = {p.name: p.default for p in spec.parameters if p.default is not None}
        return list(spec.function(context({**defaults, **(params or {})}, **kinds)))
    return run
