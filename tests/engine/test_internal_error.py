"""An exception nobody expected: one line naming where and its type, exit 3, no traceback
(unless ``VPP_DEBUG=1``), never the exception's message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vpp_core.cli.main import main

# A local plugin whose command fails as a defect would, with an input value in its message.
BROKEN_COMMAND = '''
from vpp_core import CommandSpec, hookimpl


def run(options):
    raise ValueError("person C-0042 aged 17")


@hookimpl
def vpp_register_commands():
    return [CommandSpec("boom", "fail as a defect would", lambda parser: None, run)]
'''


@pytest.fixture
def plugin(tmp_path: Path) -> Path:
    path = tmp_path / "broken_command.py"
    path.write_text(BROKEN_COMMAND, encoding="utf-8")
    return path


def test_an_unexpected_exception_is_one_line_and_exit_3(
    plugin: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VPP_DEBUG", raising=False)
    code = main(["--plugin", str(plugin), "boom"])
    out, err = capsys.readouterr()
    assert code == 3
    assert out == ""
    assert err == ("vpp: internal error in vpp boom (broken_command.run): ValueError — "
                   "please report it\n")


def test_vpp_debug_adds_the_traceback_still_ending_with_the_one_line(
    plugin: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VPP_DEBUG", "1")
    code = main(["--plugin", str(plugin), "boom"])
    _, err = capsys.readouterr()
    assert code == 3
    assert err.startswith("Traceback (most recent call last):\n")
    assert "ValueError: person C-0042 aged 17\n" in err  # the developer asked for it
    assert err.endswith("vpp: internal error in vpp boom (broken_command.run): ValueError — "
                        "please report it\n")


def test_the_installed_command_prints_no_traceback(plugin: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "VPP_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-m", "vpp_core.cli.main", "--plugin", str(plugin), "boom"],
        capture_output=True, text=True, env=environment, check=False,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr
    assert "C-0042" not in done.stderr
    assert done.stderr.startswith("vpp: internal error in vpp boom")


def test_where_passes_over_the_standard_librarys_functions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vpp_core.reports import summary

    def fails(*args: object, **kwargs: object) -> None:
        json.loads("budget.lines[3] C-0042")  # raises inside the json module

    monkeypatch.delenv("VPP_DEBUG", raising=False)
    monkeypatch.setattr(summary, "summarise", fails)
    code = main(["show", "--example"])
    _, err = capsys.readouterr()
    assert code == 3
    assert err == ("vpp: internal error in vpp show (test_internal_error.fails): "
                   "JSONDecodeError — please report it\n")
