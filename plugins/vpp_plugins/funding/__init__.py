"""The funding family (pack ``home-office-vru-core``, codes FUND): the core grant's
conditions, reconciliation of stated totals and headline figures, and their metrics."""

from __future__ import annotations

from vpp_core import CheckSpec, MetricSpec, hookimpl
from vpp_plugins.funding import conditions, metrics, reconciliation


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [*conditions.CHECKS, *reconciliation.CHECKS]


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return list(metrics.METRICS)
