"""Plugins as an adversary writes them: nothing runs unless the user asked for it, and
nothing a plugin does — hang in native code, exit 0, return the wrong type, print, raise
KeyboardInterrupt — stops a batch, leaves vpp silent or prints a traceback."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reports.conftest import DATA
from vpp_core import TrustedPlugin, TrustList, VppError, audit
from vpp_core.batch import audit_batch
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

PLUGINS = DATA / "plugins"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack_text(name: str, checks: list[str], *, plugin: Path | None = None,
               extends: Path | None = None) -> str:
    lines = ["[pack]", f'name = "{name}"', 'version = "1"', 'prefix = "LOC"']
    if plugin is not None:
        lines.append(f"plugins = [{json.dumps(str(plugin))}]")
    if extends is not None:
        lines.append(f"extends = [{json.dumps(str(extends))}]")
    for number, check in enumerate(checks, start=1):
        lines += ["[[rules]]", f'code = "LOC{number:03}"', f'name = "local-{check}"',
                  f'title = "The {check} check passes"', 'severity = "warning"',
                  f'check = "{check}"']
    return "\n".join(lines) + "\n"


def _vru(root: Path, name: str, *checks: str, plugin: str | None = None) -> Path:
    """A strategy folder whose own pack names ``plugin`` and runs ``checks``."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "strategy.toml").write_bytes(bundled_strategy().read_bytes())
    (folder / "pack.toml").write_text(
        _pack_text(f"{name}-local", list(checks),
                   plugin=PLUGINS / plugin if plugin is not None else None), encoding="utf-8")
    return folder


def _trust(path: Path, *plugins: str, by: str = "path", digest: str | None = None) -> Path:
    lines = []
    for plugin in plugins:
        pinned = f"path = {json.dumps(str(PLUGINS / plugin))}" if by == "path" else (
            f'name = "{Path(plugin).stem}"')
        lines += ["[[plugins]]", pinned, f'sha256 = "{digest or _sha256(PLUGINS / plugin)}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _vpp(*arguments: str, limit: float = 60) -> subprocess.CompletedProcess[str]:
    """``vpp`` as its own process (killed, and the test failed, past ``limit`` seconds)."""
    return subprocess.run([sys.executable, "-m", "vpp_core.cli.main", *arguments],
                          capture_output=True, text=True, timeout=limit, check=False)


@pytest.fixture
def marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the marker plugin writes when it is imported."""
    path = tmp_path / "imported.txt"
    monkeypatch.setenv("VPP_TEST_MARKER", str(path))
    return path


# -------------------------------------------------------------------------
# Trust: a pack found in an input folder runs no plugin the user did not pin
# -------------------------------------------------------------------------


def test_a_found_pack_naming_a_plugin_is_refused_and_the_plugin_never_imported(
    tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    code = main(["audit", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert not marker.exists()
    assert err.startswith(f"error: {folder / 'pack.toml'}: a pack found beside the strategy "
                          f"names plugin {PLUGINS / 'marks_on_import.py'}, not trusted")
    assert "--trust FILE" in err and "--plugin" in err
    assert _sha256(PLUGINS / "marks_on_import.py") in err


def test_a_found_pack_extending_a_pack_elsewhere_that_names_a_plugin_is_refused(
    tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere" / "base.toml"
    elsewhere.parent.mkdir()
    elsewhere.write_text(_pack_text("base", ["marked"], plugin=PLUGINS / "marks_on_import.py"),
                         encoding="utf-8")
    folder = tmp_path / "sent"
    folder.mkdir()
    (folder / "strategy.toml").write_bytes(bundled_strategy().read_bytes())
    (folder / "pack.toml").write_text(
        _pack_text("sent-local", [], extends=elsewhere).replace('prefix = "LOC"',
                                                                'prefix = "SNT"'),
        encoding="utf-8")
    code = main(["audit", str(folder)])
    err = capsys.readouterr().err
    assert code == 2
    assert not marker.exists()
    assert (f"{folder / 'pack.toml'}: a pack found beside the strategy extends pack 'base' "
            f"({elsewhere}), which names plugin {PLUGINS / 'marks_on_import.py'}") in err


@pytest.mark.parametrize("by", ["path", "name"])
def test_a_plugin_pinned_by_its_hash_runs_and_is_hashed_in_provenance(
    tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str], by: str
) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    trust = _trust(tmp_path / "trust.toml", "marks_on_import.py", by=by)
    code = main(["audit", str(folder), "--trust", str(trust), "--format", "json",
                 "--select", "LOC"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert marker.exists()
    assert [(r["code"], r["status"]) for r in data["strategies"][0]["results"]] == [
        ("LOC001", "pass")]
    inputs = {(item["role"], item["path"]): item["sha256"]
              for item in data["provenance"]["inputs"]}
    assert inputs[("plugin", str(PLUGINS / "marks_on_import.py"))] == _sha256(
        PLUGINS / "marks_on_import.py")
    assert inputs[("trust", str(trust))] == _sha256(trust)


def test_a_plugin_pinned_with_another_hash_is_refused(
    tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    trust = _trust(tmp_path / "trust.toml", "marks_on_import.py", digest="0" * 64)
    assert main(["audit", str(folder), "--trust", str(trust)]) == 2
    assert "not trusted" in capsys.readouterr().err
    assert not marker.exists()


def test_a_plugin_the_user_names_runs_without_a_trust_list(
    tmp_path: Path, marker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    assert main(["audit", str(folder / "strategy.toml"), "--pack", str(folder / "pack.toml"),
                 "--select", "LOC"]) == 0
    assert marker.exists()
    marker.unlink()
    assert main(["audit", str(folder), "--plugin", str(PLUGINS / "marks_on_import.py"),
                 "--select", "LOC"]) == 0
    assert marker.exists()


def test_a_broken_trust_list_is_a_located_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = tmp_path / "trust.toml"
    trust.write_text('[[plugins]]\nname = "x"\nsha256 = "abc"\n', encoding="utf-8")
    assert main(["audit", "--trust", str(trust)]) == 2
    assert capsys.readouterr().err == (f"error: {trust}: plugins[0].sha256: expected 64 "
                                       "lower-case hex digits (the output of sha256sum)\n")


def test_the_python_api_takes_the_trust_list(tmp_path: Path, marker: Path) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    refused = audit_batch([folder])
    assert [(failed.reason, failed.exit_code) for failed in refused.failed] == [("plugin", 2)]
    assert not marker.exists()
    with pytest.raises(VppError, match="not trusted"):
        audit(folder / "strategy.toml", packs=[str(folder / "pack.toml")], trust=TrustList())
    assert not marker.exists()
    trusted = audit_batch([folder], trust=_trust(tmp_path / "trust.toml",
                                                 "marks_on_import.py"))
    assert not trusted.failed and marker.exists()
    pinned = TrustList((TrustedPlugin(_sha256(PLUGINS / "marks_on_import.py"),
                                      name="marks_on_import"),))
    report = audit(folder / "strategy.toml", packs=[str(folder / "pack.toml")], trust=pinned)
    assert [result.code for result in report.results] == ["LOC001"]


# -------------------------------------------------------------------------
# Provenance: every plugin file and data file that was read, and nothing else
# -------------------------------------------------------------------------


def test_provenance_hashes_plugin_data_files_and_only_records_that_were_read(
    tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("person_id\nA123\n", encoding="utf-8")
    report = audit(bundled_strategy(), records=[f"participant={secret}"])
    inputs = {(item.role, item.path): item.sha256 for item in report.provenance.inputs}
    toolkit = Path(__import__("vpp_plugins").__file__).parent / "data" / "yef-toolkit-2024.toml"
    assert inputs[("plugin-data", "vpp_plugins/data/yef-toolkit-2024.toml")] == _sha256(toolkit)
    assert not any(str(secret) in path for _, path in inputs)


def test_each_strategy_of_a_batch_brings_its_own_plugins_into_provenance(
    tmp_path: Path, marker: Path
) -> None:
    first = _vru(tmp_path, "first", "marked", plugin="marks_on_import.py")
    second = _vru(tmp_path, "second", "which-process", plugin="tells_its_process.py")
    trust = _trust(tmp_path / "trust.toml", "marks_on_import.py", "tells_its_process.py")
    report = audit_batch([first, second], trust=trust, jobs=2)
    assert not report.failed
    plugins = {item.path: item.sha256 for item in report.provenance.inputs
               if item.role == "plugin"}
    assert plugins == {str(PLUGINS / name): _sha256(PLUGINS / name)
                       for name in ("marks_on_import.py", "tells_its_process.py")}
