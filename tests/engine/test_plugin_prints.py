"""What a plugin prints as it loads or registers goes to standard error: a JSON report or
graph on standard output stays JSON (a debug print at a module's top level broke it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.local_plugins import one_rule_pack
from tests.spend.conftest import write
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy

NOISY = '''\
from vpp_core import CheckSpec, Finding, Status, hookimpl, whole_strategy

print("debug: noisy loaded")


def quiet_check(ctx):
    yield Finding(whole_strategy(ctx.strategy), Status.PASS, "fine")


@hookimpl
def vpp_register_checks():
    print("debug: registering")
    return [CheckSpec("noisy-check", quiet_check, "a check")]
'''


@pytest.fixture
def noisy(tmp_path: Path) -> Path:
    return write(tmp_path, "noisy.py", NOISY)


def test_a_plugin_printing_as_it_loads_leaves_a_json_audit_on_stdout_intact(
        noisy: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    pack = one_rule_pack(tmp_path, "NOI", "noisy-check")
    assert main(["audit", str(bundled_strategy()), "--plugin", str(noisy), "--pack",
                 str(pack), "--format", "json"]) == 0
    out, err = capfd.readouterr()
    assert json.loads(out)["strategies"][0]["results"][0]["status"] == "pass"
    assert "debug: noisy loaded" in err and "debug: registering" in err


def test_a_plugin_printing_as_it_loads_leaves_a_json_graph_on_stdout_intact(
        noisy: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["toc", "--example", "--format", "json", "--plugin", str(noisy)]) == 0
    out, err = capfd.readouterr()
    assert "nodes" in json.loads(out)
    assert "debug: noisy loaded" in err
