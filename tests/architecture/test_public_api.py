"""Our own plugins use vpp_core's public API and nothing else, so it is proof that the public
API suffices for anyone else's plugin."""

from __future__ import annotations

import ast
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
