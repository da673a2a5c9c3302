"""Every file a batch reads, named before anything runs, so that no output replaces one."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from vpp_core.batch.discover import BatchItem
from vpp_core.batch.settings import BatchSettings
from vpp_core.loading.errors import VppError
from vpp_core.records.manifest import MANIFEST, Kinds, record_sources
from vpp_core.rules.packs import PackLibrary, plugin_files


def _records(value: str, kinds: Kinds | None) -> Iterator[tuple[str, Path]]:
    path = Path(value.partition("=")[2] if "=" in value and "/" not in
                value.partition("=")[0] else value)
    yield "records", path / MANIFEST if path.is_dir() else path
    try:
        sources = record_sources(value, kinds)
    except VppError:  # reported for its strategy when the batch runs
        return
    yield from ((f"records:{source.kind}", source.path) for source in sources)


def _packs(references: Sequence[str], folders: Sequence[Path]) -> Iterator[tuple[str, Path]]:
    library = PackLibrary(tuple(folders))
    for reference in references:
        try:
            chain = library.collect([reference])
        except VppError:  # reported for its strategy when the batch runs
            if reference.endswith(".toml"):
                yield "pack", Path(reference)
            continue
        yield from (("pack", pack.path) for pack in chain)
        yield from (("plugin", path) for _, path in plugin_files(chain))


def input_files(items: Sequence[BatchItem], settings: BatchSettings,
                pack_folders: Sequence[Path] = (), kinds: Kinds | None = None,
                ) -> list[tuple[str, Path]]:
    """Every file the batch reads, with its role: strategies, records manifests and
    files, packs (their ``extends`` chains included, found in ``pack_folders`` by name),
    the plugins they name, local plugins, waivers and the trust list. ``kinds``: the
    record kinds (or the plugins registering them) that records files are read as
    (``None``: those of the installed plugins, loaded anew)."""
    found: list[tuple[str, Path]] = [("strategy", item.strategy) for item in items]
    for value in {*settings.records, *(record for item in items for record in item.records)}:
        found.extend(_records(value, kinds))
    packs = {*(settings.packs or ()), *(pack for item in items for pack in item.packs or ())}
    found.extend(_packs(sorted(packs), pack_folders))
    found.extend(("plugin", Path(path)) for path in settings.plugin_files)
    if settings.waivers is not None:
        found.append(("waivers", Path(settings.waivers)))
    if settings.trust is not None:
        found.append(("trust list", Path(settings.trust)))
    return list(dict.fromkeys(found))
