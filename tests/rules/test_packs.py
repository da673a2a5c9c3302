"""The national packs as data: what the default pack runs, and what every rule carries."""

from __future__ import annotations

from vpp_core.loading.bundled import rules_folder
from vpp_core.rules.pack_model import StrategyReference, read_pack

NATIONAL = {"home-office-vru-core": "FUND", "serious-violence-duty": "SVD",
            "evaluation": "EVAL", "yef-toolkit": "YEF", "theory-of-change": "TOC"}


def test_the_default_pack_runs_the_five_national_packs_and_nothing_else() -> None:
    packs = {pack.name: pack for pack in map(read_pack, sorted(rules_folder().glob("*.toml")))}
    default = packs.pop("default")
    assert default.default and not default.rules and not default.overrides
    assert set(default.extends) == set(NATIONAL) == set(packs)
    assert not any(pack.default for pack in packs.values())


def test_every_national_rule_has_a_title_a_description_and_a_reference() -> None:
    for name, prefix in NATIONAL.items():
        pack = read_pack(rules_folder() / f"{name}.toml")
        assert pack.prefix == prefix
        for rule in pack.rules:
            assert rule.title and rule.references, rule.code
            assert all(reference.section_id if isinstance(reference, StrategyReference)
                       else reference.document for reference in rule.references), rule.code
            assert rule.description, rule.code
