"""The plugin registry: built from pluggy's hook implementations, once until a plugin registers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from vpp_core import CheckSpec, PluginError, PluginInfo
from vpp_core.plugin_api.manager import Plugins


def _nothing(ctx: object) -> list[object]:
    return []


class Counting:
    """A plugin object (not a module) offering one check, counting how often it is asked."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.asked = 0

    def vpp_register_checks(self) -> list[CheckSpec]:
        self.asked += 1
        return [CheckSpec(self.name, _nothing, "does nothing")]


def test_what_plugins_offer_is_gathered_once_until_a_plugin_registers(
    vpp_make_plugins: Callable[..., Plugins]
) -> None:
    first = Counting("first-check")
    plugins = vpp_make_plugins(extra=[(first, PluginInfo("first", "1", "test"))])
    assert plugins.checks()["first-check"][1].name == "first"
    plugins.checks()
    plugins.checks()
    assert first.asked == 1
    second = Counting("second-check")
    plugins.register(second, PluginInfo("second", "2", "test"))
    assert plugins.checks()["second-check"][1] == PluginInfo("second", "2", "test")
    assert (first.asked, second.asked) == (2, 1)


def test_two_plugins_offering_one_check_are_refused(
    vpp_make_plugins: Callable[..., Plugins]
) -> None:
    plugins = vpp_make_plugins(extra=[(Counting("same"), PluginInfo("one", "1", "test")),
                                      (Counting("same"), PluginInfo("two", "1", "test"))])
    with pytest.raises(PluginError) as caught:
        plugins.checks()
    assert str(caught.value) == ("plugin 'one' (test): check 'same' is also offered by "
                                 "plugin 'two' (test)")


def test_two_plugins_of_one_name_are_both_named(
        vpp_make_plugins: Callable[..., Plugins]) -> None:
    # A plugin installed as 'funding' beside vpp-core's own stopped every command with only
    # "plugin 'funding' is registered twice".
    class Empty:
        pass

    with pytest.raises(PluginError) as raised:
        vpp_make_plugins(["funding"], extra=[(Empty(), PluginInfo("funding", "0.1.0",
                                                     "installed (funding-rules 0.1.0)"))])
    assert str(raised.value) == (
        "plugin 'funding' (installed (funding-rules 0.1.0)) has the name of plugin 'funding' "
        "(core) already loaded: rename one (its entry point in the 'vpp' group, or its file)")
