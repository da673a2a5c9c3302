"""Where the data shipped with vpp-core lives, from a checkout or an installed wheel."""

from __future__ import annotations

import functools
import os
from importlib.resources import as_file, files
from pathlib import Path

THAMES_VALLEY = "thames-valley-2024-25"


def package_folder(package: str, *parts: str) -> Path:
    """A folder shipped in ``package`` (``parts`` below it), from a checkout or a wheel:
    where a plugin keeps its packs or other data."""
    with as_file(files(package).joinpath(*parts)) as folder:
        return Path(folder)


def fixtures_folder() -> Path:
    """The folder of bundled fixtures (one folder per strategy)."""
    return package_folder("vpp_fixtures")


def rules_folder() -> Path:
    """The folder of bundled rule packs."""
    return package_folder("vpp_rules")


def bundled_strategy(name: str = THAMES_VALLEY) -> Path:
    """The ``strategy.toml`` of a bundled fixture; Thames Valley 2024–25 by default."""
    return fixtures_folder() / name / "strategy.toml"


def bundled_records(name: str = THAMES_VALLEY) -> tuple[Path, ...]:
    """The records manifests shipped with a bundled fixture (``*/records.toml``), sorted."""
    return tuple(sorted((fixtures_folder() / name).glob("*/records.toml")))


@functools.cache
def _package_folders() -> tuple[tuple[str, Path], ...]:
    """The folders of the packages that ship data, resolved once per process."""
    return tuple((package, package_folder(package).resolve())
                 for package in ("vpp_fixtures", "vpp_rules", "vpp_plugins"))


def display_path(path: Path) -> str:
    """``path`` as reports show it: files shipped in a package by package path
    (``vpp_rules/x.toml``, ``vpp_plugins/targets/packs/targets.toml``), so a
    report reads the same on every machine; any other path as given, a byte of its name
    that is not UTF-8 (from another system) shown as U+FFFD, so every report can hold it."""
    resolved = path.resolve()
    for package, folder in _package_folders():
        if resolved.is_relative_to(folder):
            return f"{package}/{resolved.relative_to(folder).as_posix()}"
    return os.fsencode(path).decode("utf-8", "replace")


def is_bundled(source: str) -> bool:
    """Whether a path as :func:`display_path` shows it is a fixture shipped with vpp-core
    (the bundled examples), so reports of it can say so."""
    return source.startswith("vpp_fixtures/")
