"""The README's Python examples run as written."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from vpp_core import Status, audit, load_strategy, make_plugins
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
