"""The TGT pack: found through the plugin's pack folder, run by default, every rule documented."""

from __future__ import annotations

from vpp_core.plugin_api.manager import make_plugins
from vpp_core.rules.pack_model import read_pack


def test_the_targets_pack_is_the_plugins_and_runs_by_default() -> None:
    folders = make_plugins(load_entry_points=True).pack_folders()
    packs = [read_pack(path) for folder in folders for path in sorted(folder.glob("targets.toml"))]
    assert len(packs) == 1
    pack = packs[0]
    assert (pack.name, pack.prefix, pack.default) == ("targets", "TGT", True)
    assert [rule.code for rule in pack.rules] == ["TGT001", "TGT002", "TGT003", "TGT004"]
    for rule in pack.rules:
        assert rule.title and rule.description and rule.references, rule.code
