"""``[extensions.NAME]`` tables: claimed by a plugin, structured with located errors,
refused when no plugin claims them, round-tripped unchanged."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.engine.conftest import AS_OF, PLUGINS
from vpp_core import (
    AuditOptions,
    Status,
    StrategyError,
    audit,
    bundled_strategy,
    claim_extensions,
    dump_strategy,
    load_strategy,
)
from vpp_core.loading.strategy_io import read_toml
from vpp_core.plugin_api.manager import Plugins

PLUGIN = PLUGINS / "csp_allocations.py"
PACK = """\
[pack]
name = "csp"
version = "1"
prefix = "CSP"

[[rules]]
code = "CSP001"
name = "allocations-within-grant"
title = "What is passed to partnerships stays within the grant"
severity = "error"
check = "csp-allocations-within-grant"
"""
ALLOCATIONS = {"allocations": [{"partnership": "reading", "amount": 400000},
                               {"partnership": "oxford", "amount": "350000.50"}]}


def _strategy(tmp_path: Path, grant: dict[str, Any] | None = None,
              top: dict[str, Any] | None = None) -> Path:
    data = read_toml(bundled_strategy())
    if grant is not None:
        data["grants"][2]["extensions"] = grant
    if top is not None:
        data["extensions"] = top
    path = tmp_path / "strategy.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def plugins(vpp_make_plugins: Callable[..., Plugins]) -> Plugins:
    return vpp_make_plugins(local=[PLUGIN])


def _audit(path: Path, plugins: Plugins, tmp_path: Path, text: str = PACK) -> Any:
    pack = tmp_path / "csp.toml"
    pack.write_text(text, encoding="utf-8")
    return audit(path, packs=[str(pack)], plugins=plugins,
                 options=AuditOptions(as_of=AS_OF))


def test_a_plugin_claims_an_extension_on_a_grant(plugins: Plugins, tmp_path: Path) -> None:
    path = _strategy(tmp_path, grant={"csp-allocations": ALLOCATIONS})
    report = _audit(path, plugins, tmp_path)
    [result] = report.results
    assert (result.code, str(result.subject), result.status) == (
        "CSP001", "grant:core-2024-25", Status.PASS)
    assert result.message == "£750,000.50 passed to partnerships"


def test_a_bad_field_in_an_extension_is_located(plugins: Plugins, tmp_path: Path) -> None:
    bad = {"allocations": [*ALLOCATIONS["allocations"], {"partnership": "slough",
                                                         "amount": "lots"}]}
    path = _strategy(tmp_path, grant={"csp-allocations": bad})
    with pytest.raises(StrategyError) as caught:
        _audit(path, plugins, tmp_path)
    assert caught.value.problems == (
        f"{path}: grants[2].extensions.csp-allocations.allocations[2].amount: expected a "
        "number, got 'lots'",)


def test_an_unknown_key_in_an_extension_lists_its_keys(plugins: Plugins,
                                                        tmp_path: Path) -> None:
    path = _strategy(tmp_path, grant={"csp-allocations": {**ALLOCATIONS, "notes": "x"}})
    with pytest.raises(StrategyError) as caught:
        _audit(path, plugins, tmp_path)
    assert caught.value.problems == (
        f"{path}: grants[2].extensions.csp-allocations: unknown key 'notes'; allowed: "
        "allocations, note; did you mean 'note'?",)


def test_an_extension_no_plugin_claims_is_an_input_error(
    vpp_plugins: Plugins, tmp_path: Path
) -> None:
    path = _strategy(tmp_path, grant={"csp-allocations": ALLOCATIONS})
    load_strategy(path)  # a strategy loads without plugins, its extension kept as read
    with pytest.raises(StrategyError) as caught:
        _audit(path, vpp_plugins, tmp_path, PACK.partition("[[rules]]")[0])
    assert str(caught.value) == (
        f"{path}: grants[2].extensions.csp-allocations: extension 'csp-allocations' is "
        "claimed by no loaded plugin; load the plugin that defines it (--plugin FILE, or "
        "install it)")


def test_an_extension_in_the_wrong_place_is_an_input_error(plugins: Plugins,
                                                           tmp_path: Path) -> None:
    path = _strategy(tmp_path, top={"csp-allocations": ALLOCATIONS})
    with pytest.raises(StrategyError) as caught:
        _audit(path, plugins, tmp_path)
    assert str(caught.value) == (
        f"{path}: extensions.csp-allocations: extension 'csp-allocations' belongs on: "
        "grant, not on a strategy")


def test_extensions_round_trip_through_dump_strategy(plugins: Plugins, tmp_path: Path) -> None:
    specs = {name: spec for name, (spec, _) in plugins.extensions().items()}
    claimed = claim_extensions(
        load_strategy(_strategy(tmp_path, grant={"csp-allocations": ALLOCATIONS})), specs)
    allocations = claimed.grants[2].extensions["csp-allocations"]
    assert [item.amount for item in allocations.allocations] == [Decimal(400000),
                                                                Decimal("350000.50")]
    again = tmp_path / "again.toml"
    again.write_text(dump_strategy(claimed), encoding="utf-8")
    assert read_toml(again)["grants"][2]["extensions"] == {"csp-allocations": ALLOCATIONS}
    assert claim_extensions(load_strategy(again), specs) == claimed
    # Unclaimed, an extension is kept and written back as read.
    raw = load_strategy(_strategy(tmp_path, top={"local-notes": {"author": "VRU analyst",
                                                                 "pages": [1, 2]}}))
    assert raw.extensions == {"local-notes": {"author": "VRU analyst", "pages": [1, 2]}}
    again.write_text(dump_strategy(raw), encoding="utf-8")
    assert load_strategy(again) == raw


def test_an_extension_shape_that_is_not_an_attrs_class_names_the_plugin(
    vpp_make_plugins: Callable[..., Plugins], tmp_path: Path
) -> None:
    from vpp_core import PluginError

    plugin = tmp_path / "loose.py"
    plugin.write_text("from vpp_core import ExtensionSpec\n\n"
                      "class Loose:\n    pass\n\n"
                      "def vpp_register_extensions():\n"
                      "    return [ExtensionSpec('loose', Loose)]\n", encoding="utf-8")
    plugins = vpp_make_plugins(local=[plugin])
    with pytest.raises(PluginError) as caught:
        plugins.extensions()
    assert str(caught.value) == (
        f"plugin 'local:loose' (local file {plugin}): extension 'loose': its shape Loose is "
        "not an attrs class")


def test_the_command_line_reports_an_unclaimed_extension_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vpp_core.cli.main import main

    path = _strategy(tmp_path, grant={"csp-allocations": ALLOCATIONS})
    assert main(["audit", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {path}: grants[2].extensions.csp-allocations: extension 'csp-allocations' "
        "is claimed by no loaded plugin; load the plugin that defines it (--plugin FILE, or "
        "install it)\n")
    assert main(["audit", str(path), "--plugin", str(PLUGIN)]) in (0, 1)
