"""Every rule example of every bundled pack runs as a case: strategy overrides → status."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vpp_core.rules.packs import PackLibrary
from vpp_core.testing.cases import plugins_only
from vpp_core.testing.examples import PackExample, installed_examples

PACKS = list(PackLibrary(tuple(plugins_only(None).pack_folders())).available().values())
EXAMPLES = installed_examples()
#: Rules no strategy data can make fail: the model's Theory of Change graph runs one way.
NO_FAILING_EXAMPLE = {"TOC001"}


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_every_example_of_every_bundled_pack_gives_its_status(
    example: PackExample, vpp_run_example: Callable[[PackExample], None]
) -> None:
    vpp_run_example(example)


def test_every_bundled_rule_has_a_failing_and_a_passing_example() -> None:
    outcomes: dict[str, set[str]] = {rule.code: set() for pack in PACKS for rule in pack.rules}
    for item in EXAMPLES:
        outcomes[item.code].add(item.example.outcome)
    missing = sorted(
        f"{code}: no {outcome} example"
        for code, found in outcomes.items() for outcome in ("fail", "pass")
        if outcome not in found and not (outcome == "fail" and code in NO_FAILING_EXAMPLE)
    )
    assert missing == []
    assert {"home-office-vru-core", "serious-violence-duty", "evaluation", "yef-toolkit",
            "theory-of-change", "targets", "campaign-reach"} <= {pack.name for pack in PACKS}


def test_vpp_rule_shows_the_examples_as_the_cases_they_are(
        capsys: pytest.CaptureFixture[str]) -> None:
    from vpp_core.cli.main import main

    assert main(["rule", "FUND002"]) == 0
    out = capsys.readouterr().out
    assert "Examples (each runs as a test" in out
    assert "fail: Evaluation £80,000 of intervention spend £832,500: 9.61%" in out
    assert "budget.lines.evaluation.amount.amount = 80000" in out
    assert "the audited strategy's own document: its section 'evaluation'" in out
