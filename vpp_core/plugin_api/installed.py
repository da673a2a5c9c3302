"""The entry points installed distributions offer, found as ``importlib.metadata`` finds
them but without importing it (with the email parser it needs, some 15 ms of ``vpp``'s
start-up).

Distributions are searched for as ``importlib.metadata.distributions()`` does: each
``sys.path`` folder in turn, its ``*.dist-info`` and ``*.egg-info`` folders grouped by
normalised name, the first of a name winning. Where that search could go further than
plain folders (a zip file or an ``.egg`` on ``sys.path``, an import hook that offers
distributions of its own), ``importlib.metadata`` itself is asked.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import attrs

_INFO_SUFFIXES = (".dist-info", ".egg-info")
_SEPARATORS = re.compile(r"[-_.]+")
_REFERENCE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


@attrs.frozen
class InstalledEntryPoint:
    """One entry point of a group, with the distribution that offers it."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> Any:
        """The object the entry point names (``module:attribute``), its module imported."""
        match = _REFERENCE.match(self.value)
        if match is None:
            raise ValueError(f"{self.value!r} is not a 'module:attribute' reference")
        loaded: Any = import_module(match["module"])
        for part in filter(None, (match["attr"] or "").split(".")):
            loaded = getattr(loaded, part)
        return loaded


def _normalized(name: str) -> str:
    return _SEPARATORS.sub("-", name).lower().replace("-", "_")


def _plain_folders_only() -> bool:
    """Whether every distribution is in a plain ``sys.path`` folder, as this module reads."""
    finders = [finder for finder in sys.meta_path if hasattr(finder, "find_distributions")]
    if any(getattr(finder, "__module__", "") != "_frozen_importlib_external"
           for finder in finders):
        return False
    for entry in sys.path:
        if entry.lower().endswith(".egg") or os.path.isfile(entry or "."):
            return False
    return True


def _info_folders() -> Iterator[tuple[str, Path]]:
    """Each distribution's normalised name and metadata folder, the first of each name."""
    seen: set[str] = set()
    for entry in sys.path:
        try:
            children = os.listdir(entry or ".")
        except OSError:
            continue
        by_name: dict[str, list[str]] = {}
        for child in children:
            low = child.lower()
            if low.endswith(_INFO_SUFFIXES):
                name = _normalized(low.rpartition(".")[0].partition("-")[0])
                by_name.setdefault(name, []).append(child)
        for name, found in by_name.items():
            if name not in seen:
                seen.add(name)
                yield name, Path(entry, found[0])


def _read(folder: Path, filename: str) -> str | None:
    try:
        return (folder / filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _headers(folder: Path) -> dict[str, str]:
    """The distribution's core metadata headers (``Name``, ``Version``, …)."""
    text = _read(folder, "METADATA") or _read(folder, "PKG-INFO") or ""
    headers: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and not line[:1].isspace():
            headers.setdefault(key.strip().lower(), value.strip())
    return headers


def _group(text: str, group: str) -> Iterator[tuple[str, str]]:
    """``name = value`` pairs of one ``[group]`` of an ``entry_points.txt``."""
    section = None
    for line in filter(None, map(str.strip, text.splitlines())):
        if line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section == group:
            name, _, value = line.partition("=")
            yield name.strip(), value.strip()


def entry_points(group: str) -> list[InstalledEntryPoint]:
    """The entry points of ``group`` offered by the installed distributions."""
    if not _plain_folders_only():
        return _from_importlib(group)
    found: list[InstalledEntryPoint] = []
    for _, folder in _info_folders():
        text = _read(folder, "entry_points.txt")
        pairs = list(_group(text, group)) if text else []
        if pairs:
            headers = _headers(folder)
            found.extend(InstalledEntryPoint(name, value, headers.get("name", "unknown"),
                                             headers.get("version", "0"))
                         for name, value in pairs)
    return found


def version(distribution: str) -> str | None:
    """The version of the installed distribution of that name; ``None`` if none is."""
    if not _plain_folders_only():
        import importlib.metadata

        try:
            return importlib.metadata.version(distribution)
        except importlib.metadata.PackageNotFoundError:
            return None
    wanted = _normalized(distribution)
    for name, folder in _info_folders():
        if name == wanted:
            return _headers(folder).get("version")
    return None


def _from_importlib(group: str) -> list[InstalledEntryPoint]:
    import importlib.metadata

    found: list[InstalledEntryPoint] = []
    for entry_point in importlib.metadata.entry_points(group=group):
        metadata = entry_point.dist.metadata if entry_point.dist is not None else None
        found.append(InstalledEntryPoint(
            entry_point.name, entry_point.value,
            metadata["Name"] if metadata is not None else "unknown",
            metadata["Version"] if metadata is not None else "0"))
    return found
