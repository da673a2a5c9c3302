"""Entry points are found as ``importlib.metadata`` finds them (compared with it, in this
environment and in made-up ones), without importing it on the way to an audit."""

from __future__ import annotations

import importlib.metadata
import json
import os.path
import sys
import zipfile
from pathlib import Path

import pytest

from vpp_core.plugin_api.installed import InstalledEntryPoint, entry_points, version


def _importlib_view(group: str) -> list[InstalledEntryPoint]:
    found = []
    for entry_point in importlib.metadata.entry_points(group=group):
        assert entry_point.dist is not None
        found.append(InstalledEntryPoint(entry_point.name, entry_point.value,
                                         entry_point.dist.metadata["Name"],
                                         entry_point.dist.metadata["Version"]))
    return found


def _distribution(site: Path, folder: str, headers: str, points: str | None) -> None:
    info = site / folder
    info.mkdir(parents=True)
    metadata = "PKG-INFO" if folder.endswith(".egg-info") else "METADATA"
    (info / metadata).write_text(headers, encoding="utf-8")
    if points is not None:
        (info / "entry_points.txt").write_text(points, encoding="utf-8")


@pytest.mark.parametrize("group", ["vpp", "console_scripts", "pytest11", "no-such-group"])
def test_this_environment_gives_what_importlib_metadata_gives(group: str) -> None:
    assert entry_points(group) == _importlib_view(group)


def test_the_engine_version_is_the_installed_distributions() -> None:
    assert version("vpp-core") == importlib.metadata.version("vpp-core")
    assert version("VPP_Core") == importlib.metadata.version("vpp-core")
    assert version("no-such-distribution") is None


@pytest.fixture
def made_up_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two folders first on sys.path: the first shadows a distribution of the second."""
    first, second = tmp_path / "first", tmp_path / "second"
    _distribution(first, "Our_Rules-2.0.dist-info",
                  "Metadata-Version: 2.1\nName: Our_Rules\nVersion: 2.0\n\nName: not this\n",
                  "# a comment\n\n[vpp]\n  our-rules =  our_rules.hooks : plugin  \n"
                  "[console_scripts]\nour = our_rules:main\n")
    _distribution(second, "our.rules-1.0.dist-info",
                  "Metadata-Version: 2.1\nName: our.rules\nVersion: 1.0\n",
                  "[vpp]\nold-rules = old_rules\n")
    _distribution(second, "legacy_rules.egg-info",
                  "Metadata-Version: 1.0\nName: legacy-rules\nVersion: 0.3\n",
                  "[vpp]\nlegacy = legacy_rules\n[vpp.extra]\nnot-this = x\n")
    _distribution(second, "no_points-1.0.dist-info",
                  "Metadata-Version: 2.1\nName: no-points\nVersion: 1.0\n", None)
    monkeypatch.setattr(sys, "path", [str(first), str(second), *sys.path])
    return first, second


def test_made_up_distributions_give_what_importlib_metadata_gives(
        made_up_sites: tuple[Path, Path]) -> None:
    found = entry_points("vpp")
    assert found == _importlib_view("vpp")
    mine = [point for point in found if point.distribution != "vpp-core"]
    assert mine == [
        InstalledEntryPoint("our-rules", "our_rules.hooks : plugin", "Our_Rules", "2.0"),
        InstalledEntryPoint("legacy", "legacy_rules", "legacy-rules", "0.3"),
    ]
    assert version("our-rules") == "2.0"  # the first on sys.path wins, as for imports
    assert version("legacy_rules") == "0.3"


def test_a_zip_on_sys_path_is_searched_by_importlib_metadata(
        made_up_sites: tuple[Path, Path], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "zipped.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("zipped-1.0.dist-info/METADATA",
                        "Metadata-Version: 2.1\nName: zipped\nVersion: 1.0\n")
        zipped.writestr("zipped-1.0.dist-info/entry_points.txt", "[vpp]\nzipped = zipped\n")
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    found = entry_points("vpp")
    assert InstalledEntryPoint("zipped", "zipped", "zipped", "1.0") in found
    assert found == _importlib_view("vpp")
    assert version("zipped") == "1.0"


def test_an_entry_point_loads_the_object_it_names() -> None:
    assert InstalledEntryPoint("x", "json", "d", "1").load() is json
    assert InstalledEntryPoint("x", "os.path : join", "d", "1").load() is os.path.join
    assert InstalledEntryPoint("x", "json:JSONDecoder.decode", "d", "1").load() is (
        json.JSONDecoder.decode)
    with pytest.raises(ValueError, match="not a 'module:attribute' reference"):
        InstalledEntryPoint("x", "not a reference!", "d", "1").load()

