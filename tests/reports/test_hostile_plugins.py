"""Plugins as an adversary writes them: nothing runs unless the user asked for it, and
nothing a plugin does — hang in native code, exit 0, return the wrong type, print, raise
KeyboardInterrupt — stops a batch, leaves vpp silent or prints a traceback."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.distributions import install, module_project
from tests.reports.conftest import DATA
from vpp_core import AuditOptions, TrustedPlugin, TrustList, VppError, audit
from vpp_core.batch import audit_batch, worker_count
from vpp_core.cli import audit_command
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

PLUGINS = DATA / "plugins"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pack_text(name: str, checks: list[str], *, plugin: Path | None = None,
               extends: Path | str | None = None) -> str:
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


def _vru(root: Path, name: str, *checks: str, plugin: str | None = None,
         extends: str | None = None) -> Path:
    """A strategy folder whose own pack names ``plugin`` and runs ``checks``."""
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "strategy.toml").write_bytes(bundled_strategy().read_bytes())
    (folder / "pack.toml").write_text(
        _pack_text(f"{name}-local", list(checks), extends=extends,
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
    return subprocess.run([sys.executable, "-m", "vpp_core.cli.main", "audit", *arguments],
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


@pytest.mark.parametrize("settings", ["vpp.toml", "pyproject.toml"])
def test_a_pack_named_in_the_working_folders_settings_is_a_found_pack(
    settings: str, tmp_path: Path, marker: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    # `cd sent && vpp audit` is the usual way to audit a folder sent in: its vpp.toml (or
    # pyproject.toml) is theirs, so a pack it names is input, and runs no plugin unpinned.
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    table = "[tool.vpp]\n" if settings == "pyproject.toml" else ""
    (folder / settings).write_text(f'{table}packs = ["pack.toml"]\n', encoding="utf-8")
    monkeypatch.chdir(folder)
    code = main(["audit"])
    err = capsys.readouterr().err
    assert code == 2
    assert not marker.exists()
    assert err.startswith(f"error: pack.toml: a pack named in {settings} names plugin "
                          f"{PLUGINS / 'marks_on_import.py'}, not trusted")
    trust = _trust(tmp_path / "trust.toml", "marks_on_import.py")
    assert main(["audit", "--trust", str(trust), "--select", "LOC", "-q"]) in (0, 1)
    assert marker.exists()  # pinned, it runs


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
    assert main(["audit", "--example", "--trust", str(trust)]) == 2
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
    # No rule that runs reads participants: the file is given but never read.
    report = audit(bundled_strategy(), records=[f"participants={secret}"],
                   options=AuditOptions(select=("FUND", "YEF")))
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
    # Each strategy says which it ran, beside its own file.
    assert [[(item.role, item.path) for item in audited.inputs
             if item.role in ("strategy", "plugin")] for audited in report.audits] == [
        [("strategy", str(first / "strategy.toml")),
         ("plugin", str(PLUGINS / "marks_on_import.py"))],
        [("strategy", str(second / "strategy.toml")),
         ("plugin", str(PLUGINS / "tells_its_process.py"))]]


# -------------------------------------------------------------------------
# Time limits, exits and workers
# -------------------------------------------------------------------------

LIMIT = 2


def test_a_batch_with_a_plugin_stuck_in_native_code_ends_within_its_limit(
    tmp_path: Path
) -> None:
    good = [_vru(tmp_path, f"good-{number}", "which-process", plugin="tells_its_process.py",
                 extends="default") for number in range(3)]
    stuck = _vru(tmp_path, "stuck", "stuck", plugin="stuck_in_native_code.py")
    trust = _trust(tmp_path / "trust.toml", "tells_its_process.py", "stuck_in_native_code.py")
    # subprocess.run kills vpp, and fails the test, if it runs past the limit plus 5 s.
    done = _vpp(str(tmp_path / "good-0"), str(stuck), str(tmp_path / "good-1"),
                str(tmp_path / "good-2"), "--jobs", "2", "--timeout", str(LIMIT),
                "--trust", str(trust), "--format", "json", limit=LIMIT + 5)
    data = json.loads(done.stdout)
    assert done.returncode == 3
    assert [item["strategy"]["source"] for item in data["strategies"]] == [
        str(folder / "strategy.toml") for folder in good]
    for item in data["strategies"]:  # each good one in full: every rule of the defaults too
        assert len(item["results"]) > 20
        assert ("LOC001", "pass") in {(r["code"], r["status"]) for r in item["results"]}
    [failed] = data["failed"]
    assert (failed["reason"], failed["exit_code"]) == ("timeout", 3)
    assert failed["message"] == (
        f"{stuck / 'strategy.toml'}: not finished after the {LIMIT} s time limit (stopped in "
        "rule LOC001, check 'stuck' of plugin 'local:stuck_in_native_code')")
    assert "Traceback" not in done.stderr


def test_a_single_audit_with_a_time_limit_is_bounded(tmp_path: Path) -> None:
    stuck = _vru(tmp_path, "stuck", "stuck", plugin="stuck_in_native_code.py")
    done = _vpp(str(stuck / "strategy.toml"), "--pack", str(stuck / "pack.toml"),
                "--timeout", "1", limit=1 + 5)
    assert done.returncode == 3
    assert "not finished after the 1 s time limit (stopped in rule LOC001" in done.stderr


@pytest.mark.parametrize("value", ["inf", "nan", "1e300", "0", "-1", "soon"])
def test_an_absurd_time_limit_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--example", "--timeout", value]) == 2
    err = capsys.readouterr().err
    assert "argument --timeout: expected a number of seconds above 0 and at most 86400" in err
    assert "Traceback" not in err
    with pytest.raises(VppError, match="--timeout"):
        audit_batch([bundled_strategy()], timeout=float(value) if value != "soon" else -1)


@pytest.mark.parametrize("value", ["0", "-2", str(10**12), "many"])
def test_an_absurd_number_of_jobs_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--example", "--jobs", value]) == 2
    err = capsys.readouterr().err
    assert "argument -j/--jobs: expected a whole number from 1 to 1024" in err
    assert "Traceback" not in err


def test_workers_are_capped_by_the_strategies_and_the_cpus(tmp_path: Path) -> None:
    folders = [_vru(tmp_path, f"vru-{n}", "which-process", plugin="tells_its_process.py")
               for n in range(2)]
    report = audit_batch(folders, jobs=64,
                         trust=_trust(tmp_path / "trust.toml", "tells_its_process.py"))
    processes = {result.message for result in report.results if result.code == "LOC001"}
    assert 1 <= len(processes) <= 2
    assert f"process {os.getpid()}" not in processes
    assert worker_count(64, 2) == min(2, os.cpu_count() or 1)
    assert worker_count(1, 1000) == 1


def test_a_check_that_ends_its_process_with_exit_0_is_an_error_naming_the_plugin(
    tmp_path: Path
) -> None:
    folder = _vru(tmp_path, "quits", "os-exit", plugin="exits_quietly.py")
    done = _vpp(str(folder / "strategy.toml"), "--pack", str(folder / "pack.toml"),
                "--format", "json")
    assert done.returncode == 3
    [failed] = json.loads(done.stdout)["failed"]
    assert failed["message"] == (
        f"{folder / 'strategy.toml'}: the audit crashed: the process auditing it ended (exit "
        "code 0) while running rule LOC001, check 'os-exit' of plugin 'local:exits_quietly'")


def test_an_installed_plugin_that_ends_its_process_is_an_error_naming_it(
    tmp_path: Path
) -> None:
    # Another distribution's plugin (an entry point, no --plugin): the audit runs in a
    # worker process, so its os._exit(0) is exit 3 naming it, never a silent 0.
    project = module_project(tmp_path, "exits-quietly", PLUGINS / "exits_quietly.py")
    install(project, tmp_path / "site", "exits-quietly", "exits_quietly")
    folder = _vru(tmp_path, "quits", "os-exit")
    done = subprocess.run(
        [sys.executable, "-m", "vpp_core.cli.main", "audit", str(folder / "strategy.toml"),
         "--pack", str(folder / "pack.toml"), "--format", "json"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"),
                                                          str(project)])})
    assert done.returncode == 3, done.stderr
    [failed] = json.loads(done.stdout)["failed"]
    assert failed["message"].endswith(
        "the audit crashed: the process auditing it ended (exit code 0) while running rule "
        "LOC001, check 'os-exit' of plugin 'exits-quietly'")


def test_a_plugin_given_before_the_command_runs_in_a_worker_too(tmp_path: Path) -> None:
    # ``vpp --plugin FILE audit …``: the plugin is the audit's wherever it is given, in this
    # process and in the workers (here one, as for any local plugin), never a silent 0.
    folder = _vru(tmp_path, "quits", "os-exit")
    done = subprocess.run(
        [sys.executable, "-m", "vpp_core.cli.main", "--plugin", str(PLUGINS / "exits_quietly.py"),
         "audit", str(folder / "strategy.toml"), "--pack", str(folder / "pack.toml"),
         "--format", "json"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    [failed] = json.loads(done.stdout)["failed"]
    assert failed["message"].endswith(
        "ended (exit code 0) while running rule LOC001, check 'os-exit' of plugin "
        "'local:exits_quietly'")


def test_a_plugin_given_before_the_command_is_in_every_strategy_of_a_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = [_vru(tmp_path, name, "sys-exit") for name in ("one", "two")]
    code = main(["--plugin", str(PLUGINS / "exits_quietly.py"), "audit", *map(str, folders),
                 "--pack", str(folders[0] / "pack.toml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 3
    assert report["failed"] == []
    assert [[result["message"][:58] for result in strategy["results"]]
            for strategy in report["strategies"]] == [
        ["check 'sys-exit' of plugin 'local:exits_quietly' called sy"]] * 2


def test_a_plugin_blocked_before_the_command_is_blocked_in_every_strategy_of_a_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folders = [_vru(tmp_path, name) for name in ("one", "two")]
    code = main(["--block-plugin", "yef-toolkit", "audit", *map(str, folders), "--pack",
                 "home-office-vru-core", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code in (0, 1) and report["failed"] == []
    plugins = {plugin["name"] for plugin in report["provenance"]["plugins"]}
    assert "funding" in plugins and "yef-toolkit" not in plugins


def test_sys_exit_in_a_check_is_that_rules_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _vru(tmp_path, "quits", "sys-exit", plugin="exits_quietly.py")
    report = audit(folder / "strategy.toml", packs=[str(folder / "pack.toml")])
    [result] = report.results
    assert (result.status.value, report.exit_code()) == ("error", 3)
    assert result.message.startswith(
        "check 'sys-exit' of plugin 'local:exits_quietly' called sys.exit(0)")


def test_a_plugin_that_exits_as_it_loads_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = PLUGINS / "exits_on_import.py"
    assert main(["audit", "--example", "--plugin", str(plugin)]) == 2
    assert capsys.readouterr().err == (f"error: {plugin}: failed to import: the plugin called "
                                       "sys.exit(0) while loading\n")
    folder = _vru(tmp_path, "quits", plugin="exits_on_import.py")
    report = audit_batch([folder], trust=_trust(tmp_path / "trust.toml", "exits_on_import.py"))
    assert [(f.reason, f.exit_code) for f in report.failed] == [("plugin", 2)]


def test_os_exit_as_a_plugin_loads_or_registers_is_an_input_error_not_a_silent_0(
    capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = PLUGINS / "hard_exits_on_import.py"
    assert main(["audit", "--example", "--plugin", str(plugin)]) == 2
    assert capsys.readouterr().err == (f"error: {plugin}: failed to import: the plugin called "
                                       "os._exit(0) while loading\n")
    plugin = PLUGINS / "hard_exits_in_hook.py"
    assert main(["audit", "--example", "--plugin", str(plugin)]) == 2
    assert (f"error: plugin 'local:hard_exits_in_hook' (local file {plugin}): hook "
            "vpp_register_checks: the plugin called os._exit(0)\n") in capsys.readouterr().err


# -------------------------------------------------------------------------
# Plugin faults outside checks
# -------------------------------------------------------------------------


def test_a_hook_returning_the_wrong_type_is_an_input_error_naming_plugin_and_hook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = PLUGINS / "wrong_hook_type.py"
    assert main(["audit", "--example", "--plugin", str(plugin)]) == 2
    assert capsys.readouterr().err.startswith(
        f"error: plugin 'local:wrong_hook_type' (local file {plugin}): hook "
        "vpp_register_checks returned dict, not a list of CheckSpec\n")
    folder = _vru(tmp_path, "wrong", plugin="wrong_hook_type.py")
    report = audit_batch([folder], trust=_trust(tmp_path / "trust.toml", "wrong_hook_type.py"))
    assert [(f.reason, f.exit_code) for f in report.failed] == [("plugin", 2)]


@pytest.mark.parametrize(("format_", "problem"), [
    ("raising", "failed: RuntimeError: the template is missing"),
    ("bytes", "returned bytes, not text"),
])
def test_a_broken_reporter_is_one_error_line_naming_it(
    format_: str, problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["audit", "--example", "--plugin", str(PLUGINS / "misbehaving.py"),
                 "--format", format_])
    assert code == 2
    assert capsys.readouterr().err.endswith(
        f"error: reporter {format_!r} of plugin 'local:misbehaving' {problem}\n")
    out = tmp_path / "report.out"
    assert main(["audit", "--example", "--plugin", str(PLUGINS / "misbehaving.py"),
                 "--output", f"{format_}:{out}"]) == 2
    assert not out.exists()


def test_keyboard_interrupt_inside_a_check_is_a_clean_interruption(tmp_path: Path) -> None:
    folder = _vru(tmp_path, "interrupts", "interrupted", plugin="misbehaving.py")
    other = _vru(tmp_path, "other", "chatty", plugin="misbehaving.py")
    for arguments in ([str(folder / "strategy.toml"), "--pack", str(folder / "pack.toml")],
                      [str(folder), str(other), "--trust",
                       str(_trust(tmp_path / "trust.toml", "misbehaving.py"))]):
        done = _vpp(*arguments)
        assert (done.returncode, done.stderr) == (130, "vpp: interrupted\n")


def test_what_a_check_prints_never_reaches_a_json_report(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _vru(tmp_path, "chatty", "chatty", plugin="misbehaving.py")
    arguments = [str(folder / "strategy.toml"), "--pack", str(folder / "pack.toml"),
                 "--format", "json"]
    # In a worker process (a local plugin): as vpp runs it from a shell.
    done = _vpp(*arguments)
    assert json.loads(done.stdout)["strategies"][0]["results"][0]["status"] == "pass"
    assert "debug: checking the strategy" in done.stderr
    # In this process (as for an installed plugin): the same.
    in_process = functools.partial(audit_command.run_batch, isolate=False)
    monkeypatch.setattr(audit_command, "run_batch",
                        lambda *args, isolate, **kwargs: in_process(*args, **kwargs))
    assert main(["audit", *arguments]) == 0
    out, err = capfd.readouterr()
    assert json.loads(out)["strategies"][0]["results"][0]["status"] == "pass"
    assert "debug: checking the strategy" in err


# -------------------------------------------------------------------------
# An output never replaces an input
# -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["strategy", "records", "pack", "plugin", "waivers", "trust"])
def test_an_output_onto_an_input_is_refused_before_anything_runs(
    role: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], marker: Path
) -> None:
    folder = _vru(tmp_path, "sent", "marked", plugin="marks_on_import.py")
    records = tmp_path / "participants.csv"
    records.write_text("person_id,event_date\n", encoding="utf-8")
    waivers = tmp_path / "waivers.toml"
    waivers.write_text("", encoding="utf-8")
    trust = _trust(tmp_path / "trust.toml", "marks_on_import.py")
    plugin_copy = tmp_path / "marks_on_import.py"
    plugin_copy.write_bytes((PLUGINS / "marks_on_import.py").read_bytes())
    targets = {"strategy": folder / "strategy.toml", "records": records,
               "pack": folder / "pack.toml", "plugin": plugin_copy, "waivers": waivers,
               "trust": trust}
    before = {path: path.read_bytes() for path in targets.values()}
    target = targets[role]
    code = main(["audit", str(folder), "--records", f"participants={records}",
                 "--waivers", str(waivers), "--trust", str(trust), "--plugin", str(plugin_copy),
                 "--output", f"json:{tmp_path / 'sent' / '..' / target.relative_to(tmp_path)}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "an output never replaces an input" in err and str(target) in err
    assert {path: path.read_bytes() for path in targets.values()} == before


def test_a_plugin_that_looks_at_every_records_file_has_them_all_listed(tmp_path: Path) -> None:
    from vpp_core import MetricContext, RecordSource, load_strategy

    context = MetricContext(load_strategy(bundled_strategy()), {}, (
        RecordSource("participants", tmp_path / "p.csv"),
        RecordSource("training", tmp_path / "t.csv")))
    assert context.records_of("training") and context.kinds_read() == {"training"}
    assert len(context.records) == 2
    assert context.kinds_read() == {"participants", "training"}
