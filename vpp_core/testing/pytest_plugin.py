"""pytest fixtures for rule authors (registered as a ``pytest11`` plugin named ``vpp``).

- ``vpp_make_plugins(entry_points=(), local=(), extra=())``: a plugin manager with the
  core plugins and only the installed plugins named, whatever else is installed;
- ``vpp_plugins``: the core plugins only;
- ``vpp_make_strategy(overrides=None, base=None, **changes)``: the bundled Thames Valley
  fixture (or ``base``) with TOML overrides merged in, then ``attrs.evolve``'d;
- ``vpp_strategy``: the bundled fixture as published;
- ``vpp_run_case(case, plugins=None)``: run one case of
  :func:`vpp_core.testing.cases.collect_cases` (with the plugins it names, or every
  installed plugin) and fail the test with every mismatch;
- ``vpp_run_example(example, plugins=None)``: run one rule example of a pack (see
  :func:`vpp_core.testing.examples.pack_examples`) and fail the test if it disagrees.

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
    from vpp_core.testing.examples import PackExample


@pytest.fixture
def vpp_make_plugins() -> Callable[..., Plugins]:
    """``make(entry_points=(), local=(), extra=())``: a plugin manager with the core plugins
    and only the installed plugins named (every installed one if ``None``), plus local
    plugin files and plugin objects."""
    from vpp_core.testing.cases import plugins_only

    return plugins_only


@pytest.fixture
def vpp_plugins(vpp_make_plugins: Callable[..., Plugins]) -> Plugins:
    """A plugin manager with vpp-core's own plugins only."""
    return vpp_make_plugins()


@pytest.fixture
def vpp_make_strategy() -> Callable[..., Strategy]:
    """``make(overrides=None, base=None, **changes)``: the bundled Thames Valley strategy (or
    the TOML file ``base``) with ``overrides`` merged over its TOML before loading, then
    ``attrs.evolve``'d with ``changes``."""
    from vpp_core.testing.cases import strategy_with

    return strategy_with


@pytest.fixture
def vpp_strategy(vpp_make_strategy: Callable[..., Strategy]) -> Strategy:
    """The bundled Thames Valley 2024–25 strategy, as published."""
    return vpp_make_strategy()


@pytest.fixture
def vpp_run_case() -> Callable[..., Report]:
    """``run(case, plugins=None)``: audit a case folder's strategy with its packs and fail
    the test with every way the report differs from its ``[[expect]]``; returns the report.
    Without ``plugins``, the plugins ``case.toml`` names, or every installed plugin."""
    from vpp_core.testing.cases import mismatches, run_case

    def run(case: Case, plugins: Plugins | None = None) -> Report:
        report = run_case(case, plugins)
        problems = mismatches(case, report)
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)
        return report

    return run



@pytest.fixture
def vpp_run_example() -> Callable[..., None]:
    """``run(example, plugins=None)``: run one rule example of a pack (from
    :func:`vpp_core.testing.examples.pack_examples`) and fail the test if the rule's status
    is not the example's."""
    from vpp_core.testing.examples import run_example

    def run(example: PackExample, plugins: Plugins | None = None) -> None:
        problems = run_example(example, plugins)
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)

    return run
