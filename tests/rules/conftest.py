"""Shared helpers for the rule-family tests: the first-party plugins only, the three
fixtures, and a runner that audits a strategy (or a variant of one) and returns the results
of one rule."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from vpp_core import AuditOptions, Report, Result, audit
from vpp_core.loading.bundled import bundled_strategy, fixtures_folder
from vpp_core.model import Strategy
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.results import Status
from vpp_core.testing.cases import plugins_only, strategy_with

FAMILIES = ("funding", "serious-violence-duty", "evaluation", "yef-toolkit", "theory-of-change")
THAMES_VALLEY = bundled_strategy()
ESSEX = bundled_strategy("essex-2024-25")
ESSEX_PACK = fixtures_folder() / "essex-2024-25" / "essex.toml"
NON_COMPLIANT = bundled_strategy("non-compliant-example")
AS_OF = date(2024, 6, 30)

Run = Callable[..., list[Result]]


@pytest.fixture(scope="session")
def family_plugins() -> Plugins:
    """vpp-core's own plugins and the five rule families, whatever else is installed."""
    return plugins_only(FAMILIES)


def variant(overrides: Mapping[str, Any], base: Path = THAMES_VALLEY) -> Strategy:
    """A fixture with TOML overrides merged in (arrays of tables picked by ``id``)."""
    return strategy_with(overrides, base=base)


@pytest.fixture
def audit_report(family_plugins: Plugins) -> Callable[..., Report]:
    def run(strategy: Strategy | Path = THAMES_VALLEY, *, packs: list[str | Path] | None = None,
            select: tuple[str, ...] = ()) -> Report:
        return audit(strategy, packs=packs, plugins=family_plugins,
                     options=AuditOptions(select=select, as_of=AS_OF))

    return run


@pytest.fixture
def run(audit_report: Callable[..., Report]) -> Run:
    """The results of one rule (default packs) for a strategy, sorted by subject."""

    def results(code: str, strategy: Strategy | Path = THAMES_VALLEY,
                packs: list[str | Path] | None = None) -> list[Result]:
        report = audit_report(strategy, packs=packs, select=(code,))
        found = [result for result in report.results if result.code == code]
        assert found, f"{code} gave no result"
        return found

    return results


def statuses(results: list[Result]) -> dict[str, Status]:
    """``{"kind:id": status}`` for a rule's results."""
    return {str(result.subject): result.status for result in results}


def only(results: list[Result], subject: str | None = None) -> Result:
    """The single result (or the one for ``subject``)."""
    chosen = [r for r in results if subject is None or str(r.subject) == subject]
    assert len(chosen) == 1, [str(r.subject) for r in results]
    return chosen[0]
