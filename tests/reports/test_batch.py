"""Batches: the bundled strategies plus broken ones; the good reported in full, the bad as
errors, the batch never stopped by one of them; every output written; inputs untouched."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jsonschema
import pytest

from tests.reports.conftest import AS_OF, DATA, PACK, WAIVERS
from vpp_core import AuditOptions
from vpp_core.batch import BatchItem, audit_batch, collect
from vpp_core.cli.main import main
from vpp_core.cli.outputs import ProgressBar
from vpp_core.loading.bundled import bundled_strategy, fixtures_folder
from vpp_core.loading.errors import UsageError
from vpp_core.reports.report import Report, report_data, report_schema

PLUGINS = DATA / "plugins"


def _pack(folder: Path, plugin: str | None = None, check: str | None = None) -> None:
    """The folder's own pack: the report tests' pack, plus a rule running ``check``."""
    lines = ["[pack]", f'name = "{folder.name}-local"', 'version = "1"', 'prefix = "LOC"',
             f"extends = [{json.dumps(str(PACK))}]"]
    if plugin is not None:
        lines.append(f"plugins = [{json.dumps(str(PLUGINS / plugin))}]")
    if check is not None:
        lines += ["[[rules]]", 'code = "LOC001"', 'name = "local-check"',
                  'title = "A local check runs"', 'severity = "warning"', f'check = "{check}"']
    (folder / "pack.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def trust_list(path: Path, *plugins: str | Path) -> Path:
    """A trust list at ``path`` pinning by hash ``plugins`` (names of files under
    ``PLUGINS``, or paths) and the plugin of the pack every test folder's own pack extends."""
    lines = []
    for plugin in ("report_metrics.py", *plugins):
        file = plugin if isinstance(plugin, Path) else PLUGINS / plugin
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        lines += ["[[plugins]]", f"path = {json.dumps(str(file))}", f'sha256 = "{digest}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _vru(root: Path, name: str, *, text: str | None = None, plugin: str | None = None,
         check: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "strategy.toml").write_text(
        text if text is not None else bundled_strategy().read_text(encoding="utf-8"),
        encoding="utf-8")
    _pack(folder, plugin, check)
    return folder


@pytest.fixture
def vrus(tmp_path: Path) -> Path:
    """Every bundled strategy (with its records) plus four that cannot be audited."""
    root = tmp_path / "vrus"
    for bundled in sorted(path.parent for path in fixtures_folder().glob("*/strategy.toml")):
        shutil.copytree(bundled, root / bundled.name)
        _pack(root / bundled.name)
    text = bundled_strategy().read_text(encoding="utf-8")
    _vru(root, "malformed", text=text.replace('financial_year = "2024-25"',
                                              'financial_year = "2024-25'))
    _vru(root, "plugin-fails-to-load", plugin="fails_to_import.py")
    _vru(root, "plugin-kills-its-process", plugin="kills_process.py", check="kills-process")
    _vru(root, "renamed", text=text.replace('short_name = "Thames Valley VPP"',
                                            'short_name = "Renamed VPP"'))
    return root


def _hashes(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["audit", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_batch_reports_the_good_in_full_and_the_bad_as_errors(
    vrus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _hashes(vrus)
    out = tmp_path / "out"
    out.mkdir()
    # Greater Manchester's own pack names its own plugin: trusted here, by its hash.
    gm_plugin = vrus / "greater-manchester-2024-25" / "plugin" / "gm_vru_rules.py"
    trust = trust_list(tmp_path / "trust.toml", "fails_to_import.py", "kills_process.py",
                       gm_plugin)
    code, stdout, stderr = _run(
        capsys, str(vrus), "--jobs", "2", "--as-of", str(AS_OF), "--waivers", str(WAIVERS),
        "--trust", str(trust),
        "--output", f"json:{out / 'report.json'}", "--output", f"junit:{out / 'junit.xml'}",
        "--output", f"csv:{out / 'findings.csv'}", "--output", f"html:{out / 'report.html'}",
        "--output", f"markdown:{out / 'report.md'}", "--output", f"sarif:{out / 'report.sarif'}",
        "--output", f"text:{out / 'report.txt'}")
    # A crashed audit is exit code 3, which outranks the malformed strategy's 2.
    assert code == 3
    assert stdout == ""
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, report_schema())
    audited = sorted(item["strategy"]["source"] for item in data["strategies"])
    good = sorted(str(path / "strategy.toml") for path in vrus.iterdir()
                  if path.name not in ("malformed", "plugin-fails-to-load",
                                       "plugin-kills-its-process"))
    assert audited == good
    for item in data["strategies"]:  # each reported in full: every rule, every subject
        assert {"RPT001", "RPT002", "RPT003", "RPT004", "RPT005", "RPT006", "RPT007"} <= {
            result["code"] for result in item["results"]}
        assert sum(item["counts"].values()) == len(item["results"]) >= 7
    [thames] = [item for item in data["strategies"]
                if item["strategy"]["source"] == str(vrus / "thames-valley-2024-25" /
                                                      "strategy.toml")]
    assert thames["counts"] == {"pass": 2, "fail": 2, "error": 1, "waived": 1,
                                "not-applicable": 1}
    failed = {Path(item["source"]).parent.name: item for item in data["failed"]}
    assert sorted(failed) == ["malformed", "plugin-fails-to-load", "plugin-kills-its-process"]
    assert failed["malformed"]["reason"] == "input"
    assert failed["malformed"]["exit_code"] == 2
    assert "malformed/strategy.toml:6:" in failed["malformed"]["message"]
    assert failed["plugin-fails-to-load"]["reason"] == "plugin"
    assert "this plugin's settings file is missing" in failed["plugin-fails-to-load"]["message"]
    assert failed["plugin-kills-its-process"]["reason"] == "crash"
    assert failed["plugin-kills-its-process"]["exit_code"] == 3
    # Each failure is also one error line on standard error, then the summary table.
    assert f"error: {failed['malformed']['message']}" in stderr
    summary = stderr[stderr.index("Strategies\n"):]
    assert "not audited (crash)" in summary and "not audited (input)" in summary
    assert summary.rstrip().endswith(
        "Exit code 3: a rule errored, or a strategy's audit crashed or ran out of time")
    # Every other format holds the same batch.
    junit = ET.parse(out / "junit.xml").getroot()
    assert len(junit.findall("testsuite")) == len(good) + 3
    rows = list(csv.DictReader(io.StringIO(
        (out / "findings.csv").read_text(encoding="utf-8-sig"))))
    # Switched-off rules are listed with each strategy whose packs switched them off.
    assert len(rows) == sum(len(item["results"]) + len(item["switched_off"])
                            for item in data["strategies"]) + 3
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    strategies = [artifact for artifact in sarif["runs"][0]["artifacts"]
                  if artifact["location"]["uri"].endswith("strategy.toml")]
    assert len(strategies) == len(good)
    assert "Renamed VPP 2024-25" in (out / "report.md").read_text(encoding="utf-8")
    assert "Renamed VPP 2024-25" in (out / "report.html").read_text(encoding="utf-8")
    text = (out / "report.txt").read_text(encoding="utf-8")
    assert "Thames Valley VPP 2024-25: " in text  # a batch's text is brief
    assert "\nStrategies\n" in text
    assert sorted(path.name for path in out.iterdir()) == [
        "findings.csv", "junit.xml", "report.html", "report.json", "report.md",
        "report.sarif", "report.txt"]
    # Inputs are never modified.
    assert _hashes(vrus) == before


def test_a_strategy_past_its_time_limit_is_an_error_and_the_batch_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    slow = _vru(tmp_path, "slow", plugin="never_finishes.py", check="never-finishes")
    quick = _vru(tmp_path, "quick")
    trust = trust_list(tmp_path / "trust.toml", "never_finishes.py")
    code, stdout, _ = _run(capsys, str(slow), str(quick), "--timeout", "1", "--trust",
                           str(trust), "--format", "json", "--as-of", str(AS_OF))
    data = json.loads(stdout)
    assert code == 3
    [failed] = data["failed"]
    assert failed["reason"] == "timeout"
    assert failed["message"] == (
        f"{slow / 'strategy.toml'}: not finished after the 1 s time limit (stopped in rule "
        "LOC001, check 'never-finishes' of plugin 'local:never_finishes')")
    assert [item["strategy"]["source"] for item in data["strategies"]] == [
        str(quick / "strategy.toml")]


def test_a_single_strategy_is_timed_out_too(tmp_path: Path) -> None:
    slow = _vru(tmp_path, "slow", plugin="never_finishes.py", check="never-finishes")
    report = audit_batch([slow], timeout=0.5,
                         trust=trust_list(tmp_path / "trust.toml", "never_finishes.py"))
    assert [failed.reason for failed in report.failed] == ["timeout"]
    assert report.exit_code() == 3


def test_a_malformed_strategy_alone_exits_2(
    vrus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, stderr = _run(capsys, str(vrus / "malformed"), str(vrus / "renamed"),
                           "--select", "RPT001", "--trust",
                           str(trust_list(vrus.parent / "trust.toml")))
    assert code == 2  # outranks the other strategy's failing RPT001 (1)
    assert stderr.startswith(f"error: {vrus / 'malformed' / 'strategy.toml'}:6:")


def test_the_bundled_fixtures_audited_with_a_named_pack(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _hashes(fixtures_folder())
    report_path = tmp_path / "report.json"
    code, _, stderr = _run(capsys, str(fixtures_folder()), "--pack", str(PACK),
                           "--as-of", str(AS_OF), "--output", f"json:{report_path}")
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert code == data["exit_code"] == 3  # RPT005's check raises
    assert "vpp_fixtures/thames-valley-2024-25/strategy.toml" in [
        item["strategy"]["source"] for item in data["strategies"]]
    assert _hashes(fixtures_folder()) == before
    assert "Strategies\n" in stderr


def test_output_options_are_checked_before_anything_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, stderr = _run(capsys, "--output", f"pdf:{tmp_path / 'r.pdf'}")
    assert code == 2
    assert "error: --output pdf:" in stderr and "unknown format 'pdf'" in stderr
    code, _, stderr = _run(capsys, "--output", f"json:{tmp_path / 'r.json'}",
                           "--output", f"csv:{tmp_path / 'r.json'}")
    assert code == 2 and "named twice" in stderr
    code, _, stderr = _run(capsys, "--jobs", "0")
    assert code == 2 and "--jobs" in stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_report_is_replaced_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "report.json"
    target.write_text("an older report", encoding="utf-8")
    code, _, _ = _run(capsys, "--example", "--pack", str(PACK), "--output", f"json:{target}")
    assert code == 3
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 1
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


# -------------------------------------------------------------------------
# What a batch takes, and the Python API
# -------------------------------------------------------------------------


def test_collect_takes_files_folders_and_globs(vrus: Path) -> None:
    thames = vrus / "thames-valley-2024-25"
    by_folder = collect([thames])
    assert [item.strategy for item in by_folder] == [thames / "strategy.toml"]
    assert by_folder[0].packs == (str(thames / "pack.toml"),)
    if (thames / "records").is_dir():
        assert by_folder[0].records == (str(thames / "records"),)
    # A folder's own packs are its TOML files with a [pack] table (Essex ships one).
    essex = vrus / "essex-2024-25"
    assert collect([essex])[0].packs == (str(essex / "essex.toml"), str(essex / "pack.toml"))
    (vrus / "renamed" / "records.toml").write_text("sources = []\n", encoding="utf-8")
    assert collect([vrus / "renamed"])[0].records == (str(vrus / "renamed" / "records.toml"),)
    everything = collect([vrus])
    assert len(everything) == len(list(vrus.iterdir()))
    assert collect([f"{vrus}/*/strategy.toml"]) == [
        BatchItem(item.strategy) for item in everything]
    assert collect([vrus / "renamed" / "strategy.toml", vrus / "renamed"]) == [
        BatchItem(vrus / "renamed" / "strategy.toml")]
    with pytest.raises(UsageError, match="no such file or folder"):
        collect([vrus / "nowhere"])
    with pytest.raises(UsageError, match="no file or folder matches"):
        collect([f"{vrus}/*/nothing.toml"])
    empty = vrus.parent / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match=r"no strategy\.toml in this folder"):
        collect([empty])


def _same(a: Report, b: Report) -> None:
    assert report_data(a) == report_data(b)


def test_any_executor_gives_the_same_report(vrus: Path) -> None:
    inputs = [vrus / "thames-valley-2024-25", vrus / "renamed", vrus / "malformed"]
    options = AuditOptions(as_of=AS_OF)
    trust = trust_list(vrus.parent / "trust.toml")
    serial = audit_batch(inputs, waivers=WAIVERS, options=options, trust=trust)
    with ThreadPoolExecutor(max_workers=2) as executor:
        threaded = audit_batch(inputs, waivers=WAIVERS, options=options, executor=executor,
                               trust=trust)
    processes = audit_batch(inputs, waivers=WAIVERS, options=options, jobs=2, trust=trust)
    _same(serial, threaded)
    _same(serial, processes)
    assert [audit.strategy.short_name for audit in serial.audits] == [
        "Thames Valley VPP", "Renamed VPP"]
    assert [failed.reason for failed in serial.failed] == ["input"]
    # The waiver applied to both strategies: one note, both counted.
    [note] = serial.waivers
    assert note.state.value == "applied"
    assert serial.counts()["waived"] == 2


def test_time_limit_on_an_executor_thread(tmp_path: Path) -> None:
    slow = _vru(tmp_path, "slow", plugin="never_finishes.py", check="never-finishes")
    quick = _vru(tmp_path, "quick")
    trust = trust_list(tmp_path / "trust.toml", "never_finishes.py")
    with ThreadPoolExecutor(max_workers=2) as executor:
        report = audit_batch([slow, quick], timeout=0.5, executor=executor, trust=trust)
    assert [failed.reason for failed in report.failed] == ["timeout"]
    assert len(report.audits) == 1


def test_progress_is_drawn_on_a_terminal_only(vrus: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    inputs = [vrus / "renamed", vrus / "malformed"]
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        audit_batch(inputs, progress=bar, trust=trust_list(vrus.parent / "trust.toml"))
        bar.finish()
    assert pipe.getvalue() == ""
    drawn = terminal.getvalue()
    assert "] 1/2" in drawn and "] 2/2" in drawn
    assert "[" + "#" * 13 in drawn
    assert drawn.endswith("\r\x1b[2K")
