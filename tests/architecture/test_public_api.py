"""Our own plugins use vpp_core's public API and nothing else, so it is proof that the public
API suffices for anyone else's plugin."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import vpp_plugins

import vpp_core

PLUGINS = Path(vpp_plugins.__file__).parent


def _plugin_modules() -> list[Path]:
    return sorted(PLUGINS.rglob("*.py"))


@pytest.mark.parametrize("path", _plugin_modules(), ids=lambda p: p.relative_to(PLUGINS).as_posix())
def test_plugins_import_only_public_names(path: Path) -> None:
    private = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vpp_core"):
            if node.module != "vpp_core":
                private.append(f"line {node.lineno}: from {node.module} import …")
            else:
                private += [
                    f"line {node.lineno}: {a.name} is not in vpp_core.__all__"
                    for a in node.names
                    if a.name not in vpp_core.__all__
                ]
        elif isinstance(node, ast.Import):
            private += [f"line {node.lineno}: import {a.name}" for a in node.names
                        if a.name.startswith("vpp_core")]
    assert not private, private


def test_every_public_name_is_importable_once() -> None:
    assert len(set(vpp_core.__all__)) == len(vpp_core.__all__)
    missing = [name for name in vpp_core.__all__ if not hasattr(vpp_core, name)]
    assert not missing


def _imported_for_type_checkers() -> dict[str, tuple[str, ...]]:
    """The names ``vpp_core/__init__.py`` imports under ``TYPE_CHECKING``, by module."""
    tree = ast.parse(Path(vpp_core.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
    return {node.module: tuple(alias.name for alias in node.names) for node in block.body
            if isinstance(node, ast.ImportFrom) and node.module}


def test_what_type_checkers_see_is_what_the_package_gives() -> None:
    assert _imported_for_type_checkers() == vpp_core._PUBLIC
    assert sorted(name for names in vpp_core._PUBLIC.values() for name in names) == sorted(
        vpp_core.__all__)
    for module, names in vpp_core._PUBLIC.items():
        defined = importlib.import_module(module)
        assert all(getattr(vpp_core, name) is getattr(defined, name) for name in names)


def test_importing_the_package_imports_none_of_its_modules() -> None:
    code = ("import sys, vpp_core\n"
            "print(sorted(name for name in sys.modules if name.startswith('vpp_core.')))\n"
            "print(vpp_core.__version__ == vpp_core.ENGINE_VERSION, 'audit' in dir(vpp_core))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]


def test_a_name_the_package_does_not_have_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'vpp_core' has no attribute 'auditt'"):
        vpp_core.auditt  # noqa: B018
