"""Shared helpers for the engine tests: the demo packs and plugins under ``data/``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from vpp_core import AuditOptions, Report, Result, audit
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.manager import Plugins

DATA = Path(__file__).parent / "data"
PACKS = DATA / "packs"
PLUGINS = DATA / "plugins"
CORE = str(PACKS / "demo-core.toml")
LOCAL = str(PACKS / "demo-local.toml")
BROKEN = str(PACKS / "demo-broken.toml")
AS_OF = date(2025, 1, 31)


def by_code(report: Report, code: str) -> list[Result]:
    return [result for result in report.results if result.code == code]


def one(report: Report, code: str) -> Result:
    results = by_code(report, code)
    assert len(results) == 1, results
    return results[0]


@pytest.fixture
def run(vpp_make_plugins: Callable[..., Plugins]) -> Callable[..., Report]:
    """Audit with the core plugins only (plus the local plugins the packs name)."""

    def run_audit(strategy: Any = None, *, packs: list[str] | None = None,
                  options: AuditOptions | None = None, **kwargs: Any) -> Report:
        return audit(bundled_strategy() if strategy is None else strategy,
                     packs=[CORE] if packs is None else packs,
                     options=options or AuditOptions(as_of=AS_OF),
                     plugins=vpp_make_plugins(), **kwargs)

    return run_audit
