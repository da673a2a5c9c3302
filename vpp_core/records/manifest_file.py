"""A records manifest (``records.toml``) read: its ``[[sources]]``, structured by the one
converter with located errors (``sources[2].columns``). Imported only when a run names a
manifest; ``KIND=PATH`` needs none of it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import RecordsError
from vpp_core.loading.toml_file import read_toml
from vpp_core.model.fields import doc
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.record_kinds import RecordKind
from vpp_core.records.manifest import records_error, source_problems
from vpp_core.records.tables import not_a_file


@attrs.frozen
class ManifestSource:
    """One ``[[sources]]`` entry of a records manifest."""

    kind: str = attrs.field(metadata=doc("what the file holds: a record kind a loaded plugin "
                                         "registered (vpp records kinds)",
                                         examples=["participants"]))
    path: str = attrs.field(metadata=doc("the CSV or Parquet file, relative to the manifest"))
    columns: dict[str, str] = attrs.field(factory=dict, metadata=doc(
        "our column names mapped to the file's own, where they differ"))
    values: dict[str, dict[str, str]] = attrs.field(factory=dict, metadata=doc(
        "per column of ours, the file's spellings of coded values mapped to ours"))


@attrs.frozen
class Manifest:
    """A ``records.toml``: the record files of a run."""

    sources: tuple[ManifestSource, ...] = attrs.field(default=(), metadata=doc(
        "the records files of the run"))


def _columns(value: object, type_: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("expected a table of ours = the file's, as { person_id = \"Ref\" }")
    return _COLUMNS(value, type_)


def _values(value: object, type_: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("expected a table of column = { the file's spelling = ours }")
    for key, inner in value.items():
        if not isinstance(inner, dict):
            raise ValueError(f"{key!r}: expected a table of the file's spelling = ours, "
                             'as { "HN" = "hospital-navigators" }')
    return _VALUES(value, type_)


def _sources(value: object, type_: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ValueError("expected an array of tables ([[sources]])")
    return _SOURCES(value, type_)


# The manifest's tables and arrays say what they expected when given something else.
_COLUMNS = CONVERTER.get_structure_hook(dict[str, str])
_VALUES = CONVERTER.get_structure_hook(dict[str, dict[str, str]])
_SOURCES = CONVERTER.get_structure_hook(tuple[ManifestSource, ...])
CONVERTER.register_structure_hook(ManifestSource, make_dict_structure_fn(
    ManifestSource, CONVERTER, _cattrs_forbid_extra_keys=True,
    columns=override(struct_hook=_columns), values=override(struct_hook=_values)))
CONVERTER.register_structure_hook(Manifest, make_dict_structure_fn(
    Manifest, CONVERTER, _cattrs_forbid_extra_keys=True,
    sources=override(struct_hook=_sources)))


def sources_from_manifest(manifest: Path, kinds: Mapping[str, RecordKind]
                          ) -> tuple[RecordSource, ...]:
    """The sources a ``records.toml`` lists, each checked against ``kinds``."""
    data = read_toml(manifest, RecordsError)
    try:
        entries = CONVERTER.structure(data, Manifest).sources
    except (ClassValidationError, IterableValidationError) as exc:
        raise records_error(str(manifest), describe_structure_error(exc)) from None
    problems: list[str] = []
    sources: list[RecordSource] = []
    for index, entry in enumerate(entries):
        place = f"sources[{index}]"
        found = source_problems(entry.kind, entry.columns, entry.values, kinds, place)
        if not entry.path:
            found.append(f"{place}.path: expected a file name")
        if found:  # the file of a source in error is never looked at
            problems.extend(found)
            continue
        file = manifest.parent / entry.path
        problem = not_a_file(file)
        if problem == "no such records file":
            problems.append(f"{place}.path: no such file {file}")
            continue
        if problem is not None:  # a folder, a pipe or a device: said, never opened
            problems.append(f"{place}.path: {file} {problem}")
            continue
        sources.append(RecordSource(entry.kind, file, entry.columns, entry.values))
    if problems:
        raise records_error(str(manifest), problems)
    return tuple(sources)


