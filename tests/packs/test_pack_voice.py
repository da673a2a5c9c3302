"""Packs speak for whichever VRU is audited: national sources, the audited strategy's own
pages from its data, titles filled from the resolved parameters, local titles, thresholds
by financial year."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core import AuditOptions, PackError, Report, Result, Strategy, audit, load_strategy
from vpp_core.loading.bundled import bundled_strategy, fixtures_folder, rules_folder
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.rules.pack_model import StrategyReference, is_year_table, read_pack
from vpp_core.rules.templates import render, template_problems
from vpp_core.testing.cases import strategy_with

DATA = Path(__file__).parent / "data"
LOCAL = str(DATA / "local-voice.toml")
ESSEX = fixtures_folder() / "essex-2024-25" / "strategy.toml"
NATIONAL = ("home-office-vru-core", "serious-violence-duty", "evaluation", "yef-toolkit",
            "theory-of-change")


def _audit(strategy: Strategy | Path | None = None, packs: list[str] | None = None) -> Report:
    return audit(bundled_strategy() if strategy is None else strategy,
                 packs=packs or ["default"], plugins=make_plugins(),
                 options=AuditOptions())


def _one(report: Report, code: str) -> Result:
    results = [result for result in report.results if result.code == code]
    assert results, code
    return results[0]


def test_no_bundled_pack_cites_the_thames_valley_document() -> None:
    for path in [*rules_folder().glob("*.toml"),
                 *Path(rules_folder()).parent.joinpath("vpp_plugins").glob("*/packs/*.toml")]:
        for rule in read_pack(path).rules:
            texts = [rule.title, rule.description]
            texts += [reference.document for reference in rule.references
                      if not isinstance(reference, StrategyReference)]
            assert not any("Thames Valley" in text for text in texts), (path.name, rule.code)


def test_an_essex_audit_cites_essex_and_national_sources_never_thames_valley() -> None:
    report = _audit(ESSEX)
    cited = {reference.document for result in report.results
             for reference in result.references}
    assert not any("Thames Valley" in document for document in cited)
    assert "Essex Violence and Vulnerability Unit: strategy 2024–25 (test fixture, " \
           "illustrative)" in cited
    assert any(document.startswith("Home Office Violence Reduction Unit core grant")
               for document in cited)
    assert any(document.startswith("Serious Violence Duty: statutory guidance")
               for document in cited)
    budget = _one(report, "FUND004").references[0]
    # Essex lists no sections: the pack's name for it, saying so, and no page
    assert (budget.section, budget.page) == (
        "The budget (no section 'budget' in the strategy's [document] sections)", None)


def test_the_audited_strategys_pages_come_from_its_own_data() -> None:
    thames = _one(_audit(), "FUND004").references[0]
    assert thames.document.startswith("Thames Valley Violence Prevention Partnership")
    assert (thames.section, thames.page) == ("Investing the VRU core grant for 2024-2025", 16)
    moved = strategy_with({"document": {"sections": [
        {"id": "budget", "title": "Where the money goes", "page": 9}]}})
    reference = _one(_audit(moved), "FUND004").references[0]
    assert (reference.section, reference.page) == ("Where the money goes", 9)


def test_grant_thresholds_are_keyed_by_financial_year() -> None:
    pack = read_pack(rules_folder() / "home-office-vru-core.toml")
    rules = {rule.code: rule for rule in pack.rules}
    assert is_year_table(rules["FUND001"].parameters["threshold"])
    assert is_year_table(rules["FUND002"].parameters["threshold"])
    assert is_year_table(rules["FUND003"].parameters["share"])


def test_titles_show_the_resolved_parameters_and_a_local_pack_may_override_one() -> None:
    national = _audit()
    assert _one(national, "FUND002").title == \
        "At least 10% of intervention spend is invested in evaluation"
    assert _one(national, "FUND003").title == \
        "Match funding recorded is at least 20% of the year's core grant"
    local = _audit(packs=[LOCAL])
    evaluation = _one(local, "FUND002")
    assert evaluation.title == "At least 12% of intervention spend is invested in evaluation"
    assert "at least 12%" in evaluation.message
    assert _one(local, "FUND001").title == "Interventions take at least 30% of our core grant"


def test_a_year_a_local_pack_leaves_alone_keeps_the_national_value() -> None:
    earlier = strategy_with({"financial_year": "2023-24",
                             "budget": {"grant": "core-2023-24", "year": "2023-24"}})
    assert _one(_audit(earlier, packs=[LOCAL]), "FUND002").title.startswith("At least 10%")


@pytest.mark.parametrize(("title", "problem"), [
    ("At least {threshold.__class__} of it", "stray '{'"),
    ("At least {threshold[0]}", "stray '{'"),
    ("At least {share:%}", "placeholder {share} is not a parameter of the rule"),
    ("At least {threshold:>10}", "stray '{'"),
    ("Based on {base:%}", "{:%} needs a number, got 'intervention-spend'"),
])
def test_a_title_template_never_executes_anything(tmp_path: Path, title: str,
                                                  problem: str) -> None:
    pack = tmp_path / "bad-title.toml"
    pack.write_text(
        '[pack]\nname = "bad-title"\nversion = "1"\nprefix = "BAD"\n'
        'extends = ["home-office-vru-core"]\n\n'
        f'[[overrides]]\ncode = "FUND002"\ntitle = "{title}"\n', encoding="utf-8")
    with pytest.raises(PackError, match="rule FUND002: title") as raised:
        _audit(packs=[str(pack)])
    assert str(pack) in str(raised.value)
    assert problem in str(raised.value)


def test_the_formatter_substitutes_named_parameters_only() -> None:
    from decimal import Decimal

    values = {"share": Decimal("0.125"), "amount": Decimal("302000"), "kinds": ("a", "b")}
    assert render("{share:%} of {amount:£}; {kinds}; {{literal}}", values) == \
        "12.50% of £302,000; a, b; {literal}"
    assert template_problems("{share} {missing}", values) == [
        "placeholder {missing} is not a parameter of the rule (it has amount, kinds, share)"]
    assert template_problems("{0}", values)  # positional fields are refused too


def test_vpp_rules_shows_the_local_title_and_who_set_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    from vpp_core.cli.main import main

    assert main(["rule", "FUND001", "--pack", LOCAL]) == 0
    out = capsys.readouterr().out
    assert "Interventions take at least 30% of our core grant" in out
    assert "title: Interventions take at least {threshold:%} of our core grant  " \
           "[local-voice]" in out


def test_load_strategy_reads_document_sections() -> None:
    strategy = load_strategy(bundled_strategy())
    section = strategy.document.section("targets")
    assert section is not None and section.page == 32


def test_the_readme_override_example_loads_and_audits(tmp_path: Path) -> None:
    import re

    readme = Path(__file__).resolve().parents[2] / "README.md"
    blocks = re.findall(r"```toml\n(.*?)```", readme.read_text(encoding="utf-8"), re.DOTALL)
    (block,) = (block for block in blocks if "[[overrides]]" in block)
    for key in ("parameters", "title", "severity", "enabled"):
        assert f"\n{key} = " in block, key
    pack = tmp_path / "my-vru.toml"
    pack.write_text(block, encoding="utf-8")
    report = _audit(packs=[str(pack)])
    assert _one(report, "FUND002").title == \
        "At least 12% of intervention spend goes on evaluation"
    assert _one(report, "YEF003").severity.value == "error"
    assert [(item.code, item.pack) for item in report.switched_off] == [("FUND008", "my-vru")]


def test_vpp_rules_lists_titles_filled_in(capsys: pytest.CaptureFixture[str]) -> None:
    from vpp_core.cli.main import main

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "Match funding recorded is at least 20% of the year's core grant" in out
    assert "No target is below 75% of its pro-rata trajectory" in out
    assert "{" not in out
