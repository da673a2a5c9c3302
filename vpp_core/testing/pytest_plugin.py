"""pytest fixtures for rule authors (registered as a ``pytest11`` plugin named ``vpp``).

- ``vpp_make_plugins(entry_points=(), local=(), extra=())``: a plugin manager with the
  core plugins and only the installed plugins named, whatever else is installed;
- ``vpp_plugins``: the core plugins only;
- ``vpp_make_strategy(overrides=None, base=None, **changes)``: the bundled Thames Valley
  fixture (or ``base``) with TOML overrides merged in, then ``attrs.evolve``'d;
- ``vpp_strategy``: the bundled fixture as published;
- ``vpp_run_case(case, plugins=None)``: run one case of
  :func:`vpp_core.testing.collect_cases` and fail the test with every mismatch.

vpp-core is imported only when a fixture is used, so the plugin costs nothing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from vpp_core.model import Strategy
    from vpp_core.plugin_api.manager import Plugins
    from vpp_core.reports.report import Report
    from vpp_core.testing.cases import Case


@pytest.fixture
def vpp_make_plugins() -> Callable[..., Plugins]:
    from vpp_core.testing.cases import plugins_only

    return plugins_only


@pytest.fixture
def vpp_plugins(vpp_make_plugins: Callable[..., Plugins]) -> Plugins:
    return vpp_make_plugins()


@pytest.fixture
def vpp_make_strategy() -> Callable[..., Strategy]:
    from vpp_core.testing.cases import strategy_with

    return strategy_with


@pytest.fixture
def vpp_strategy(vpp_make_strategy: Callable[..., Strategy]) -> Strategy:
    return vpp_make_strategy()


@pytest.fixture
def vpp_run_case() -> Callable[..., Report]:
    from vpp_core.testing.cases import mismatches, run_case

    def run(case: Case, plugins: Plugins | None = None) -> Report:
        report = run_case(case, plugins)
        problems = mismatches(case, report)
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)
        return report

    return run

