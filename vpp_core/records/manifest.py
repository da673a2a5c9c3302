"""Which records files a run reads: a ``records.toml`` manifest, a folder, or ``KIND=PATH``.

A manifest lists each file with its kind and, where the delivery partner names columns
its own way, how they map to ours::

    [[sources]]
    kind = "participants"
    path = "participants.csv"
    columns = { person_id = "Client Ref", event_date = "Date" }

Paths in a manifest are relative to the manifest. Reading the files themselves is the
job of the plugin that knows the kind (target counting, campaign reach), with DuckDB.
"""

from __future__ import annotations

from pathlib import Path

from vpp_core.loading.errors import RecordsError
from vpp_core.loading.strategy_io import read_toml
from vpp_core.plugin_api.context import RecordSource
from vpp_core.records.tables import check_readable

MANIFEST = "records.toml"


def _sources_from_manifest(manifest: Path) -> tuple[RecordSource, ...]:
    data = read_toml(manifest, RecordsError)
    unknown = sorted(set(data) - {"sources"})
    if unknown:
        raise RecordsError(f"{manifest}: unknown key {unknown[0]!r}")
    entries = data.get("sources", [])
    if not isinstance(entries, list):
        raise RecordsError(f"{manifest}: sources: expected an array of tables")
    sources = []
    for index, entry in enumerate(entries):
        where = f"{manifest}: sources[{index}]"
        if not isinstance(entry, dict):
            raise RecordsError(f"{where}: expected a table")
        extra = sorted(set(entry) - {"kind", "path", "columns"})
        if extra:
            raise RecordsError(f"{where}: unknown key {extra[0]!r}")
        kind, path, columns = entry.get("kind"), entry.get("path"), entry.get("columns", {})
        if not isinstance(kind, str) or not kind:
            raise RecordsError(f"{where}.kind: expected a string")
        if not isinstance(path, str) or not path:
            raise RecordsError(f"{where}.path: expected a string")
        if not isinstance(columns, dict) or not all(
            isinstance(key, str) and isinstance(value, str) for key, value in columns.items()
        ):
            raise RecordsError(f"{where}.columns: expected a table of column names")
        file = manifest.parent / path
        if not file.is_file():
            raise RecordsError(f"{where}.path: no such file {file}")
        sources.append(RecordSource(kind=kind, path=file, columns=dict(columns)))
    return tuple(sources)


def record_sources(specification: str | Path) -> tuple[RecordSource, ...]:
    """The record files named by one ``--records`` value.

    ``KIND=PATH`` names one file; a folder means its ``records.toml``; any other path is
    read as a manifest.
    """
    text = str(specification)
    kind, equals, path_text = text.partition("=")
    if equals and kind and "/" not in kind and "\\" not in kind:
        path = Path(path_text)
        check_readable(path)
        return (RecordSource(kind=kind, path=path),)
    path = Path(text)
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        raise RecordsError(f"{path}: no such records manifest")
    return _sources_from_manifest(path)
