"""Packs through the one converter: located errors, did-you-mean, year keys, bounded chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.test_packs import SHARE, fails, rule, write_pack
from vpp_core import PackError, load_rules
from vpp_core.plugin_api.manager import Plugins
from vpp_core.rules.packs import MAX_EXTENDS_DEPTH


def test_unknown_pack_key_lists_the_allowed_keys_and_a_guess(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    path = write_pack(tmp_path, "typo", rule(), extra='extend = ["base"]\n')
    assert fails(vpp_plugins, path) == (
        f"{path}: pack: unknown key 'extend'; allowed: default, description, extends, name, "
        "plugins, prefix, title, version; did you mean 'extends'?")


def test_unknown_rule_key_names_the_rule_and_a_guess(vpp_plugins: Plugins,
                                                     tmp_path: Path) -> None:
    path = write_pack(tmp_path, "typo", rule().replace("title =", "titel ="))
    assert fails(vpp_plugins, path) == (
        f"{path}: rule TST001: unknown key 'titel'; allowed: check, code, description, "
        "examples, name, parameters, references, severity, status, title; did you mean "
        "'title'?")


@pytest.mark.parametrize("where", ["rule", "override"])
def test_parameter_keyed_by_something_not_a_financial_year(
    vpp_plugins: Plugins, tmp_path: Path, where: str
) -> None:
    bad = SHARE.replace('"0.1"', '{ "2024-25" = "0.1", "2024-26" = "0.2" }')
    if where == "rule":
        path = write_pack(tmp_path, "years", rule(parameters=bad))
        place = "rule TST001"
    else:
        write_pack(tmp_path, "base", rule())
        path = write_pack(tmp_path, "years", extends='"base"', extra=(
            '[[overrides]]\ncode = "TST001"\n'
            'parameters = { threshold = { "2024-26" = "0.2" } }\n'))
        place = "override of TST001"
    assert fails(vpp_plugins, path) == (
        f"{path}: {place}: parameters.threshold: key '2024-26' is not a financial year: "
        "financial year '2024-26' must span consecutive years")


def _chain(folder: Path, length: int) -> Path:
    for index in range(length):
        parent = f'"chain-{index + 1}"' if index + 1 < length else ""
        write_pack(folder, f"chain-{index}", rule(f"TST{index:03d}"), extends=parent)
    return folder / "chain-0.toml"


def test_a_chain_at_the_bound_loads(vpp_plugins: Plugins, tmp_path: Path) -> None:
    rules = load_rules(vpp_plugins, [str(_chain(tmp_path, MAX_EXTENDS_DEPTH))]).rules
    assert len(rules.packs) == MAX_EXTENDS_DEPTH


def test_a_chain_deeper_than_the_bound_is_a_located_error(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    first = _chain(tmp_path, 300)  # deep enough to exhaust a recursive walk's stack
    message = fails(vpp_plugins, first)
    assert message == (f"{tmp_path / f'chain-{MAX_EXTENDS_DEPTH - 1}.toml'}: extends: the "
                       f"chain from 'chain-0' is deeper than {MAX_EXTENDS_DEPTH} packs")


def test_a_symlink_loop_of_packs_is_a_located_error(vpp_plugins: Plugins,
                                                    tmp_path: Path) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    (tmp_path / "child").mkdir()
    child = write_pack(tmp_path / "child", "child", rule(), extends='"../a.toml"')
    with pytest.raises(PackError) as caught:
        load_rules(vpp_plugins, [str(child)])
    assert str(caught.value).startswith(f"{child.parent / '../a.toml'}: cannot be read")
    with pytest.raises(PackError) as caught:
        load_rules(vpp_plugins, [str(tmp_path / "a.toml")])
    assert str(caught.value).startswith(f"{tmp_path / 'a.toml'}: cannot be read")


def test_a_misspelt_pack_table_is_named_with_a_guess(vpp_plugins: Plugins,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "pak.toml"
    path.write_text('[pak]\nname = "x"\nversion = "1"\nprefix = "TST"\n', encoding="utf-8")
    assert fails(vpp_plugins, path) == (
        f"{path}: not a rule pack (no [pack] table; unknown key 'pak'; allowed: overrides, "
        "pack, rules; did you mean 'pack'?)")


@pytest.mark.parametrize(("reference", "message"), [
    ('{ strategy_section = "resourcing", page = 13 }',
     "a reference with strategy_section takes only section, not page"),
    ('{ section = "Match funding" }',
     "document: required field missing (or give strategy_section)"),
    ('{ document = "Grant conditions", pages = 3 }',
     "unknown key 'pages'; allowed: document, page, section, strategy_section, url; did you "
     "mean 'page'?"),
])
def test_a_bad_reference_is_located(vpp_plugins: Plugins, tmp_path: Path, reference: str,
                                    message: str) -> None:
    text = rule().replace('check = "share-at-least"',
                          f'check = "share-at-least"\nreferences = [{reference}]')
    path = write_pack(tmp_path, "refs", text)
    assert fails(vpp_plugins, path) == f"{path}: rule TST001: references[0]: {message}"
