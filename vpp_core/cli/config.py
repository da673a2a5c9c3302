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


def find_config(folder: Path | None = None) -> Config:
    """The configuration in ``folder`` (the working directory): ``vpp.toml`` first, then
    ``pyproject.toml``'s ``[tool.vpp]``; an empty one if neither holds any."""
    folder = folder if folder is not None else Path()
    own = folder / "vpp.toml"
    if own.is_file():
        return _structure(read_toml(own, UsageError), "vpp.toml", "")
    project = folder / "pyproject.toml"
    if project.is_file():
        tool = read_toml(project, UsageError).get("tool", {})
        if isinstance(tool, dict) and "vpp" in tool:
            return _structure(tool["vpp"], "pyproject.toml", "tool.vpp")
    return Config()
