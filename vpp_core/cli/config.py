"""The ``vpp audit`` settings a project keeps beside its strategy: ``vpp.toml``, or the
``[tool.vpp]`` table of ``pyproject.toml``, in the working directory. The command line
overrides each setting it gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from vpp_core.loading.errors import UsageError
from vpp_core.loading.strategy_io import read_toml
from vpp_core.loading.suggestions import unknown
from vpp_core.loading.typed_toml import structure_as
from vpp_core.plugin_api.results import Severity

#: The keys a configuration may set (TOML spelling).
KEYS = ("fail-on", "ignore", "outputs", "packs", "records", "select")


@attrs.frozen
class Config:
    """Settings for ``vpp audit``; ``source`` names where they came from (``None``: none)."""

    source: str | None = None
    packs: tuple[str, ...] | None = None
    records: tuple[str, ...] = ()
    fail_on: str | None = None
    outputs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


def _structure(table: Any, source: str, place: str) -> Config:
    if not isinstance(table, dict):
        raise UsageError(f"{source}: {place or 'the file'}: expected a table of settings")
    for key in table:
        if key not in KEYS:
            where = f"{place}.{key}" if place else key
            raise UsageError(f"{source}: {where}: {unknown('key', key, KEYS)}")
    data = {key.replace("-", "_"): value for key, value in table.items()}
    config = structure_as(data, Config, f"{source}: {place}" if place else source, UsageError)
    severities = [severity.value for severity in Severity]
    if config.fail_on is not None and config.fail_on not in severities:
        where = f"{place}.fail-on" if place else "fail-on"
        raise UsageError(f"{source}: {where}: expected one of {', '.join(severities)}, "
                         f"got {config.fail_on!r}")
    return attrs.evolve(config, source=source)


def _outside(folder: Path, source: str, place: str, outputs: tuple[str, ...]) -> None:
    """Refuse an output a settings file names outside its own folder: the file may have
    come with a folder sent in, and must not overwrite anything elsewhere (an absolute
    path, a way up, a link to a folder outside)."""
    inside = folder.resolve()
    for index, value in enumerate(outputs):
        _, colon, rest = value.partition(":")
        # ``FORMAT:PATH`` or a bare path (which may hold a colon): each reading must be inside.
        for path in (rest, value) if colon else (value,):
            target = (folder / path).resolve()
            if not target.is_relative_to(inside) or target == inside:
                where = f"{place}.outputs" if place else "outputs"
                raise UsageError(f"{source}: {where}[{index}]: {path} is outside the folder "
                                 f"of {source} (its outputs are written below it; write "
                                 "elsewhere with --output)")


def find_config(folder: Path | None = None) -> Config:
    """The configuration in ``folder`` (the working directory): ``vpp.toml`` first, then
    ``pyproject.toml``'s ``[tool.vpp]``; an empty one if neither holds any."""
    folder = folder if folder is not None else Path()
    own = folder / "vpp.toml"
    if own.is_file():
        config = _structure(read_toml(own, UsageError), "vpp.toml", "")
        _outside(folder, "vpp.toml", "", config.outputs)
        return config
    project = folder / "pyproject.toml"
    if project.is_file():
        tool = read_toml(project, UsageError).get("tool", {})
        if isinstance(tool, dict) and "vpp" in tool:
            config = _structure(tool["vpp"], "pyproject.toml", "tool.vpp")
            _outside(folder, "pyproject.toml", "tool.vpp", config.outputs)
            return config
    return Config()
