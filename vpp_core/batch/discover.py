"""What a batch audits: strategy files, strategy folders (with their records and packs),
folders of such folders, and globs of any of these."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs
import tomli

from vpp_core.loading.bundled import display_path
from vpp_core.loading.errors import UsageError
from vpp_core.records.manifest import MANIFEST

STRATEGY_FILE = "strategy.toml"
RECORDS_FOLDER = "records"
_GLOB_CHARACTERS = frozenset("*?[")


@attrs.frozen
class BatchItem:
    """One strategy to audit, with the records and packs its folder holds.

    ``packs`` were *found* beside the strategy, not named by the user: a local plugin they
    name runs only if a trust list pins it."""

    strategy: Path
    records: tuple[str, ...] = ()
    packs: tuple[str, ...] | None = None

    @property
    def source(self) -> str:
        return display_path(self.strategy)


def _is_pack(path: Path) -> bool:
    """A TOML file with a ``[pack]`` table; one that cannot be read counts, so that its
    error is reported for the strategy beside it rather than passed over."""
    try:
        with path.open("rb") as handle:
            return "pack" in tomli.load(handle)
    except (OSError, ValueError, RecursionError):  # not UTF-8, not TOML, too long or deep
        return True


def folder_packs(folder: Path) -> tuple[str, ...]:
    """The rule packs a strategy's folder holds: its TOML files other than the strategy and
    the records manifest that have a ``[pack]`` table, sorted."""
    return tuple(str(path) for path in sorted(folder.glob("*.toml"))
                 if path.name not in (STRATEGY_FILE, MANIFEST) and _is_pack(path))


def _folder_item(folder: Path) -> BatchItem:
    records: tuple[str, ...] = ()
    if (folder / MANIFEST).is_file():
        records = (str(folder / MANIFEST),)
    elif (folder / RECORDS_FOLDER).is_dir():
        records = (str(folder / RECORDS_FOLDER),)
    return BatchItem(folder / STRATEGY_FILE, records, folder_packs(folder) or None)


def _items_of(path: Path, given: str) -> Iterator[BatchItem]:
    if path.is_file():
        yield BatchItem(path)
    elif path.is_dir():
        if (path / STRATEGY_FILE).is_file():
            yield _folder_item(path)
            return
        found = sorted(path.rglob(STRATEGY_FILE))
        if not found:
            raise UsageError(f"{given}: no {STRATEGY_FILE} in this folder or below it")
        for strategy in found:
            yield _folder_item(strategy.parent)
    elif path.is_symlink():
        raise UsageError(f"{given}: cannot be read (a symbolic link to nothing, or a loop)")
    elif path.exists():  # a pipe or a device: reading it says what is wrong
        yield BatchItem(path)
    else:
        raise UsageError(f"{given}: no such file or folder")


def collect(inputs: Iterable[str | Path]) -> list[BatchItem]:
    """The strategies ``inputs`` name (files, folders, globs), in order, each once."""
    items: list[BatchItem] = []
    seen: set[Path] = set()
    for given in inputs:
        text = str(given)
        if _GLOB_CHARACTERS & set(text) and not Path(text).exists():
            import glob

            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise UsageError(f"{text}: no file or folder matches")
            paths = [Path(match) for match in matches]
        else:
            paths = [Path(text)]
        for path in paths:
            for item in _items_of(path, str(path)):
                key = item.strategy.resolve()
                if key not in seen:
                    seen.add(key)
                    items.append(item)
    return items
