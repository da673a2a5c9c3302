"""vpp_core's folders are its layers: a module imports only from its own layer and those below.

``model`` → ``loading`` → ``plugin_api`` → ``rules`` | ``records`` → ``reports`` → ``api`` →
``batch`` | ``testing`` → ``cli``. Rooms of one rank stand side by side and import
neither each other nor anything above them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import vpp_core

PACKAGE = Path(vpp_core.__file__).parent

#: Each room and its rank; a module may import a room of a lower rank, or its own.
LAYERS = {
    "model": 0,
    "loading": 1,
    "plugin_api": 2,
    "rules": 3,
    "records": 3,
    "reports": 4,
    "api": 5,
    "batch": 6,
    "testing": 6,
    "cli": 7,
}


def _room(module: str) -> str | None:
    """The layer of ``vpp_core.X...``; None for the package itself (its public API)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "vpp_core":
                names = [f"vpp_core.{alias.name}" for alias in node.names]
            found.extend((node.lineno, name) for name in names if name.startswith("vpp_core"))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("vpp_core"))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def test_every_module_lives_in_a_known_layer() -> None:
    rooms = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    assert rooms <= set(LAYERS), sorted(rooms - set(LAYERS))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_import_runs_up_a_layer(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    upward = []
    for line, module in _imports(path):
        room = _room(module)
        if room is None or room not in LAYERS:
            # ``from vpp_core import name`` of a public name: only the command line may.
            if own != "cli":
                upward.append(f"line {line}: {module}")
            continue
        if room == own:
            continue
        if LAYERS[room] >= LAYERS[own]:
            upward.append(f"line {line}: {module} ({room} is not below {own})")
    assert not upward, upward
