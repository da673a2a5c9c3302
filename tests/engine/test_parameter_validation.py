"""A check's own validation of its parameters runs when a pack is loaded: what it refuses
is the pack's located error, before any check runs; a validation that breaks is the
plugin's error, naming the rule and the parameter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from vpp_core import (
    CheckSpec,
    PackError,
    ParameterSpec,
    PluginError,
    PluginInfo,
    load_rules,
)
from vpp_core.plugin_api.manager import Plugins


def _nothing(ctx: object) -> list[object]:
    return []


def _odd(value: int) -> None:
    if value % 2 == 0:
        raise ValueError(f"expected an odd number, got {value}")


def _broken(value: int) -> None:
    raise KeyError(value)


class Validating:
    """A plugin whose checks validate their one parameter, well and badly."""

    def vpp_register_checks(self) -> list[CheckSpec]:
        return [CheckSpec("odd-only", _nothing, "takes an odd number",
                          (ParameterSpec("count", "integer", "an odd number", validate=_odd),)),
                CheckSpec("broken", _nothing, "its validation raises",
                          (ParameterSpec("count", "integer", "a number", validate=_broken),))]


def _pack(tmp_path: Path, check: str, count: str) -> Path:
    path = tmp_path / "p.toml"
    path.write_text(
        '[pack]\nname = "odd"\nversion = "1"\nprefix = "ODD"\n\n[[rules]]\ncode = "ODD001"\n'
        'name = "odd"\ntitle = "Odd"\nseverity = "error"\n'
        f'check = "{check}"\nparameters = {{ count = {count} }}\n', encoding="utf-8")
    return path


@pytest.fixture
def plugins(vpp_make_plugins: Callable[..., Plugins]) -> Plugins:
    return vpp_make_plugins(extra=[(Validating(), PluginInfo("validating", "1", "test"))])


def test_a_value_the_check_accepts_loads(plugins: Plugins, tmp_path: Path) -> None:
    rule = load_rules(plugins, [_pack(tmp_path, "odd-only", "3")]).rules.get("ODD001")
    assert rule is not None and rule.parameters["count"].plain is not None
    assert rule.parameters["count"].plain.value == 3


def test_a_value_the_check_refuses_is_the_packs_located_error(
    plugins: Plugins, tmp_path: Path
) -> None:
    pack = _pack(tmp_path, "odd-only", '{ "2024-25" = 4 }')
    with pytest.raises(PackError) as caught:
        load_rules(plugins, [pack])
    assert str(caught.value) == (f"{pack}: rule ODD001: parameter 'count' for 2024-25: "
                                 "expected an odd number, got 4")


def test_a_validation_that_breaks_is_the_plugins_error(plugins: Plugins, tmp_path: Path) -> None:
    with pytest.raises(PluginError) as caught:
        load_rules(plugins, [_pack(tmp_path, "broken", "3")])
    assert str(caught.value) == ("rule ODD001: check 'broken': validating parameter 'count' "
                                 "raised KeyError: 3")
