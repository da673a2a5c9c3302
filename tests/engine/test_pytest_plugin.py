"""The pytest plugin rule authors use: chosen plugins, strategies with overrides, cases."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.engine.conftest import DATA
from vpp_core import Report, Status, Strategy, UsageError
from vpp_core.plugin_api.manager import Plugins
from vpp_core.plugin_api.results import Subject
from vpp_core.testing.cases import (
    Case,
    Expectation,
    apply_overrides,
    collect_cases,
    core_plugins,
    mismatches,
    run_case,
)

CASES = collect_cases(DATA / "cases")


def test_plugin_is_registered_through_pytest11(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.pluginmanager.hasplugin("vpp")


def test_chosen_plugins_only(vpp_make_plugins: Callable[..., Plugins]) -> None:
    core = core_plugins()
    assert {"core-checks", "core-commands", "core-packs", "core-reporters"} <= set(core)
    assert sorted(vpp_make_plugins().info) == sorted(core)
    with pytest.raises(UsageError, match="no installed vpp plugin named 'no-such'"):
        vpp_make_plugins(["no-such"])


def test_strategy_overrides_and_evolve(vpp_make_strategy: Callable[..., Strategy],
                                       vpp_strategy: Strategy) -> None:
    changed = vpp_make_strategy(
        {"budget": {"lines": {"evaluation": {"amount": {"amount": "150000.50"}}}}},
        definition=None,
    )
    line = next(item for item in changed.budget.lines if item.id == "evaluation")
    assert line.amount is not None
    assert line.amount.amount == Decimal("150000.50")
    assert changed.definition is None
    assert vpp_strategy.definition is not None  # the fixture itself is untouched


def test_overrides_name_what_they_cannot_find() -> None:
    with pytest.raises(UsageError, match=r"no item with id .nope. in budget\.lines"):
        apply_overrides({"budget": {"lines": [{"id": "a"}]}}, {"budget": {"lines": {"nope": 1}}})


def test_cases_are_collected() -> None:
    assert [case.name for case in CASES] == [
        "local-threshold", "share-exactly-at-threshold", "share-one-penny-under",
        "waived-funding"]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case: Case, vpp_run_case: Callable[..., Report]) -> None:
    vpp_run_case(case)


def test_a_wrong_expectation_is_reported() -> None:
    case = next(case for case in CASES if case.name == "share-one-penny-under")
    report = run_case(case)
    wrong = Case(case.name, case.folder, case.strategy, case.packs,
                 (Expectation("DEMO001", Status.PASS), Expectation("DEMO999", Status.FAIL)),
                 case.overrides)
    assert mismatches(wrong, report) == [
        "share-one-penny-under: DEMO001 grant:core-2024-25: expected pass, got fail "
        f"({report.results[0].message})",
        "share-one-penny-under: DEMO999: no result",
    ]
    assert report.results[0].subject == Subject("grant", "core-2024-25")
