"""The README's Python examples run as written."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import tomllib
from pathlib import Path

import pytest

from vpp_core import Status, audit, load_strategy, make_plugins
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_block(containing: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    (block,) = (block for block in blocks if containing in block)
    return str(block)


def test_the_api_example_runs_and_reports_failures(capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(_python_block("report = audit(strategy"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "FUND003 grant:core-2024-25 No match-funding amount is recorded" in out
    assert out.rstrip().splitlines()[-1] == "1"


def test_the_strategy_from_text_example_gives_the_file_s_strategy() -> None:
    text = bundled_strategy().read_text(encoding="utf-8")
    names: dict[str, object] = {"toml_text": text, "data": tomllib.loads(text)}
    exec(compile(_python_block("load_strategy_text("), "README.md", "exec"), names)
    assert names["strategy"] == load_strategy(bundled_strategy())


def test_the_plugin_example_adds_a_metric_and_a_check(tmp_path: Path) -> None:
    plugin = tmp_path / "my_rules.py"
    plugin.write_text(_python_block("def vpp_register_checks"), encoding="utf-8")
    pack = tmp_path / "my_pack.toml"
    pack.write_text(
        '[pack]\nname = "my-pack"\nversion = "1"\nprefix = "MY"\n'
        '[[rules]]\ncode = "MY001"\nname = "definition-recorded"\n'
        'title = "A local definition is recorded"\nseverity = "error"\n'
        'check = "has-definition"\n'
        '[[rules]]\ncode = "MY002"\nname = "custody-share-small"\n'
        'title = "Custody coaching is at most 10% of intervention spend"\n'
        'severity = "warning"\ncheck = "metric-at-most"\n'
        'parameters = { metric = "custody-share", threshold = "0.10" }\n',
        encoding="utf-8",
    )
    report = audit(bundled_strategy(), packs=[pack], plugins=make_plugins(local=[plugin]))
    statuses = {result.code: result.status for result in report.results}
    # Thames Valley records its definition; Custody Coaches are funded by carry-over (£0 here).
    assert statuses == {"MY001": Status.PASS, "MY002": Status.PASS}


def test_the_extension_example_claims_local_data(tmp_path: Path) -> None:
    from vpp_core import claim_extensions, load_strategy

    plugin = tmp_path / "csp.py"
    plugin.write_text(_python_block("def vpp_register_extensions"), encoding="utf-8")
    (table,) = re.findall(r"```toml\n(\[\[grants\.extensions.*?)```",
                          README.read_text(encoding="utf-8"), re.DOTALL)
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(bundled_strategy().read_text(encoding="utf-8") + "\n" + table,
                        encoding="utf-8")
    specs = {name: spec for name, (spec, _) in make_plugins(local=[plugin]).extensions().items()}
    claimed = claim_extensions(load_strategy(strategy), specs)
    grant = next(grant for grant in claimed.grants if grant.extensions)
    assert [(item.partnership, item.amount)
            for item in grant.extensions["csp-allocations"].allocations] == [("reading", 400000)]


def test_the_unknown_key_example_is_what_vpp_prints(tmp_path: Path) -> None:
    from vpp_core import StrategyError, load_strategy

    (example,) = re.findall(r"```\nerror: strategy\.toml: (.*?)\n```",
                            README.read_text(encoding="utf-8"))
    text = bundled_strategy().read_text(encoding="utf-8")
    second = text.split("[[grants]]\n")[2]
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(text.replace("[[grants]]\n" + second,
                                     "[[grants]]\nallocations = 1\n" + second), encoding="utf-8")
    with pytest.raises(StrategyError) as caught:
        load_strategy(strategy)
    assert str(caught.value) == f"{strategy}: {example}"


# -------------------------------------------------------------------------
# The command line as the README states it
# -------------------------------------------------------------------------


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _help(capsys: pytest.CaptureFixture[str], *command: str) -> str:
    assert main([*command, "--help"]) == 0
    return capsys.readouterr().out


def _long_options(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", text))


def test_the_command_table_lists_every_command_with_options_it_takes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    listing = _help(capsys).split("COMMAND\n", 1)[1].split("\noptions:", 1)[0]
    commands = set(re.findall(r"^    (\S+)", listing, flags=re.MULTILINE))
    table = _readme().split("## Commands\n", 1)[1].split("\n\n", 1)[0].strip()
    cells = [re.split(r"(?<!\\)\|", row)[1] for row in table.splitlines()[2:]]
    listed: set[str] = set()
    for synopsis in (part for cell in cells for part in re.findall(r"`(vpp [^`]*)`", cell)):
        words = synopsis.split()
        command = words[1:3] if words[1] == "records" else words[1:2]
        listed.add(words[1])
        unknown = _long_options(synopsis) - _long_options(_help(capsys, *command))
        assert not unknown, f"{synopsis}: {unknown}"
    assert listed == commands


def test_the_audit_options_paragraph_names_every_option_and_no_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    paragraph = _readme().split("`vpp audit` options:", 1)[1].split("\n\n", 1)[0]
    assert _long_options(paragraph) == _long_options(_help(capsys, "audit")) - {"--help"}


def _block(language: str, starting: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", _readme(), re.DOTALL)
    (block,) = (block for block in blocks if block.startswith(starting))
    return str(block)


def test_the_vpp_toml_example_runs_and_writes_its_outputs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copy(bundled_strategy(), tmp_path / "strategy.toml")
    shutil.copytree(bundled_strategy().parent / "records", tmp_path / "records")
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "local.toml").write_text(
        '[pack]\nname = "local"\nversion = "1"\nprefix = "LOC"\nextends = ["default"]\n',
        encoding="utf-8")
    (tmp_path / "vpp.toml").write_text(_block("toml", "# vpp.toml"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["audit"]) == 2  # the README says the reports/ folder must exist
    assert "reports/audit.sarif: cannot write: no such directory reports" in \
        capsys.readouterr().err
    (tmp_path / "reports").mkdir()
    assert main(["audit"]) == 1  # fail-on = "warning": Thames Valley fails warnings
    assert sorted(path.name for path in (tmp_path / "reports").iterdir()) == [
        "audit.html", "audit.sarif", "junit.xml"]
    sarif = (tmp_path / "reports" / "audit.sarif").read_text(encoding="utf-8")
    codes = set(re.findall(r'"ruleId": "([A-Z]+)\d+"', sarif))
    assert codes and codes <= {"FUND", "SVD"}  # select = ["FUND", "SVD"]
    assert '"ruleId": "FUND008"' not in sarif


@pytest.mark.parametrize(("as_of", "status", "state"),
                         [("2024-12-31", "waived", "applied"), ("2025-04-01", "fail", "expired")])
def test_the_waiver_example_applies_until_its_expiry_day(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, as_of: str, status: str, state: str,
) -> None:
    waivers = tmp_path / "waivers.toml"
    waivers.write_text(_block("toml", "[[waivers]]"), encoding="utf-8")
    main(["audit", "--example", "--waivers", str(waivers), "--as-of", as_of, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert [result["status"] for strategy in report["strategies"]
            for result in strategy["results"] if result["code"] == "FUND003"] == [status]
    assert [note["state"] for note in report["waivers"]] == [state]


def test_the_violence_examples_run_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    samples = README.parent / "fixtures" / "police-data-samples"
    shutil.copy(samples / "csp-open-data.csv", tmp_path)
    shutil.copy(samples / "knife-offences.csv", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["generate-incidents", "incidents.csv", "--rows", "1000"]) == 0
    lines = _block("sh", "vpp violence").splitlines()
    assert len(lines) == 5
    for line in lines:
        assert main(shlex.split(line)[1:]) == 0, line
        out = capsys.readouterr().out
        if "--compare" in line:  # two definitions, not one against itself
            assert "under 'thames-valley' and 'national-baseline'" in out


def test_the_pack_example_runs_its_example_and_fills_in_its_title(tmp_path: Path) -> None:
    from vpp_core import pack_examples, read_pack, run_example

    pack = tmp_path / "pack.toml"
    pack.write_text(_block("toml", '[pack]\nname = "home-office-vru-core"'), encoding="utf-8")
    (example,) = pack_examples([read_pack(pack)])
    assert run_example(example) == []  # its "pass" example passes
    (result,) = audit(bundled_strategy(), packs=[pack]).results
    assert (result.code, result.status, result.title) == (
        "FUND003", Status.FAIL, "Match funding recorded is at least 20% of the year's core grant")


def test_the_life_cycle_example_refuses_a_gate_not_among_its_stages(tmp_path: Path) -> None:
    from vpp_core import StrategyError

    (said,) = re.findall(r"\(`(interventions\[3\]\.evaluation\.gate: .*?)…\)`, exit 2\)",
                         " ".join(_readme().split()))
    text = bundled_strategy().read_text(encoding="utf-8")
    start = text.index("[evaluation_life_cycle]")
    end = text.index("]\n", text.index("stages = [", start)) + 2
    text = text[:start] + _block("toml", "[evaluation_life_cycle]") + text[end:]
    lines = text.splitlines(keepends=True)
    gates = [index for index, line in enumerate(lines) if line.startswith("gate = ")]
    for number, index in enumerate(gates):  # one gate per intervention, in order
        if number == 3:
            lines[index] = 'gate = "fieldwork"\n'
        elif "not-on-life-cycle" not in lines[index]:
            lines[index] = 'gate = "pilot"\n'
    text = "".join(lines)
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(text, encoding="utf-8")
    with pytest.raises(StrategyError) as caught:
        load_strategy(strategy)
    assert str(caught.value).startswith(f"{strategy}: {said}")
