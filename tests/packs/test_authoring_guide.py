"""Every code block of docs/authoring.md runs, in order, in one folder: a block starting
``# file: NAME`` is written to that file, every other Python block is executed, and the
test file the guide writes is run with pytest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import vpp_core

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
BLOCK = re.compile(r"```(python|toml)\n(.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    return [(language, text) for language, text in BLOCK.findall(
        GUIDE.read_text(encoding="utf-8"))]


def test_every_block_of_the_guide_runs(tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    namespace: dict[str, object] = {}
    executed = 0
    for index, (language, text) in enumerate(_blocks()):
        first = text.splitlines()[0]
        if first.startswith("# file: "):
            target = tmp_path / first.removeprefix("# file: ").strip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            if language == "toml":
                tomllib.loads(text)
            continue
        assert language == "python", f"block {index} is TOML but names no file"
        exec(compile(text, f"{GUIDE.name} block {index}", "exec"), namespace)
        executed += 1
    assert executed >= 4
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "test_our_rules.py"], cwd=tmp_path, capture_output=True, text=True,
                           check=False, env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout


def test_the_guide_uses_only_names_vpp_core_exports() -> None:
    imported = set()
    for language, text in _blocks():
        if language != "python":
            continue
        for group in re.findall(r"from vpp_core import \(?([^)]*?)\)?\n(?!\s)", text + "\n"):
            imported |= {name.strip() for name in group.replace("\n", ",").split(",")
                         if name.strip()}
        assert not re.search(r"from vpp_core\.|import vpp_core\.", text)
    assert imported and imported <= set(vpp_core.__all__), imported - set(vpp_core.__all__)


def test_the_guide_covers_what_a_rule_author_needs() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for topic in ("## 2. Hooks", "ParameterSpec", "ctx.params", "Evidence", "Quantity",
                  "shortfall", "ctx.records_of", "vpp_run_case", "case.toml",
                  "[project.entry-points.vpp]", "## 9. Versioning"):
        assert topic in text, topic
