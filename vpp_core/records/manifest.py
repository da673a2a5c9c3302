"""Which records files a run reads: a ``records.toml`` manifest, a folder, or ``KIND=PATH``.

A manifest lists each file with its kind and, where the delivery partner names columns
or spells coded values its own way, how they map to ours::

    [[sources]]
    kind = "participants"
    path = "participants.csv"
    columns = { person_id = "Client Ref", event_date = "Date" }
    values.intervention = { "HN" = "hospital-navigators" }

On the command line, ``KIND=PATH`` names one file and may map columns after a
semicolon: ``participants=p.csv;person_id=Client Ref,event_date=Date``.

Every kind must be one a loaded plugin registered (``vpp records kinds``), and every
column named must be one of that kind's: anything else is a located input error, and
the file of a source in error is never opened. Paths in a manifest are relative to the
manifest. Reading the files is the job of the plugin that knows the kind, with DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, override

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import RecordsError
from vpp_core.loading.strategy_io import read_toml
from vpp_core.loading.suggestions import unknown
from vpp_core.model.fields import doc
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.manager import Plugins, make_plugins
from vpp_core.plugin_api.record_kinds import ColumnType, RecordKind
from vpp_core.records.tables import check_readable

MANIFEST = "records.toml"

#: Registered record kinds by name, or the plugins that registered them.
Kinds = Plugins | Mapping[str, RecordKind]


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


def registered(kinds: Kinds | None = None) -> dict[str, RecordKind]:
    """The record kinds by name, from the plugins or as given (``None``: those of the
    installed plugins)."""
    if kinds is None:
        kinds = make_plugins()
    if isinstance(kinds, Plugins):
        return {name: kind for name, (kind, _) in kinds.record_kinds().items()}
    return dict(kinds)


def _fail(where: str, problems: list[str]) -> RecordsError:
    lines = tuple(f"{where}: {problem}" for problem in problems)
    summary = lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more)"
    return RecordsError(summary, problems=lines)


def source_problems(
    kind_name: str, columns: Mapping[str, str], values: Mapping[str, Mapping[str, str]],
    kinds: Mapping[str, RecordKind], place: str = "",
) -> list[str]:
    """What is wrong with a source's kind, column mapping and values table, each line
    starting with its place (``place`` then ``kind``, ``columns``, ``values.COLUMN``)."""
    at = f"{place}." if place else ""
    kind = kinds.get(kind_name)
    if kind is None:
        return [f"{at}kind: {unknown('record kind', kind_name, kinds)}"]
    names = kind.schema.column_names
    problems = [f"{at}columns: {unknown(f'{kind.name} column', ours, names)}"
                for ours in columns if ours not in names]
    for ours, spellings in values.items():
        if ours not in names:
            problems.append(
                f"{at}values: {unknown(f'{kind.name} column', ours, names)}")
            continue
        column = kind.schema.column(ours)
        if column.type not in (ColumnType.ID, ColumnType.STRING):
            article = "an" if str(column.type)[0] in "aeiou" else "a"  # an integer column
            problems.append(f"{at}values.{ours}: {article} {column.type} column has no coded "
                            "values to map (only id and string columns do)")
            continue
        seen: dict[str, str] = {}
        for theirs in spellings:
            same = seen.setdefault(theirs.strip().lower(), theirs)
            if same != theirs:
                problems.append(f"{at}values.{ours}: {same!r} and {theirs!r} are one spelling "
                                "(case and surrounding spaces are ignored)")
        allowed = column.allowed
        if allowed is None:
            continue
        folded = {value.casefold() for value in allowed}
        problems.extend(
            f"{at}values.{ours}: {theirs!r} maps to {value!r}, which is not one of "
            f"{', '.join(sorted(allowed))}"
            for theirs, value in spellings.items() if value.strip().casefold() not in folded
        )
    return problems


def check_sources(sources: Iterable[RecordSource], kinds: Kinds | None = None) -> None:
    """Refuse a source of a kind no plugin registered, or naming a column its kind lacks."""
    known = registered(kinds)
    for source in sources:
        problems = source_problems(source.kind, source.columns, source.values, known)
        if problems:
            raise _fail(f"{source.kind}={source.path}", problems)


def _sources_from_manifest(manifest: Path, kinds: Mapping[str, RecordKind]
                           ) -> tuple[RecordSource, ...]:
    data = read_toml(manifest, RecordsError)
    try:
        entries = CONVERTER.structure(data, Manifest).sources
    except (ClassValidationError, IterableValidationError) as exc:
        raise _fail(str(manifest), describe_structure_error(exc)) from None
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
        if not file.is_file():
            problems.append(f"{place}.path: no such file {file}")
            continue
        sources.append(RecordSource(entry.kind, file, entry.columns, entry.values))
    if problems:
        raise _fail(str(manifest), problems)
    return tuple(sources)


def _mapping(text: str, where: str) -> dict[str, str]:
    """``ours=Theirs,ours2=Theirs 2`` as a column mapping."""
    columns: dict[str, str] = {}
    for pair in text.split(","):
        ours, equals, theirs = pair.partition("=")
        if not equals or not ours.strip() or not theirs.strip():
            raise RecordsError(f"{where}: column mapping {pair!r} is not OURS=THEIRS "
                               "(as in person_id=Client Ref,event_date=Date)")
        columns[ours.strip()] = theirs.strip()
    return columns


def _one_file(kind: str, rest: str, kinds: Mapping[str, RecordKind]) -> RecordSource:
    """``KIND=PATH`` or ``KIND=PATH;ours=Theirs,…``: one file, checked before it is opened."""
    path_text, semicolon, mapping = rest.partition(";")
    where = f"{kind}={path_text}"
    if not path_text.strip():  # Path("") is the working folder: say what is missing
        raise RecordsError(f"{where}: no file named after '=' (as in {kind}={kind}.csv)")
    columns = _mapping(mapping, where) if semicolon else {}
    problems = source_problems(kind, columns, {}, kinds)
    if problems:
        raise _fail(where, problems)
    path = Path(path_text)
    check_readable(path)
    return RecordSource(kind=kind, path=path, columns=columns)


def record_sources(specification: str | Path, kinds: Kinds | None = None
                   ) -> tuple[RecordSource, ...]:
    """The record files named by one ``--records`` value, checked against ``kinds`` (by
    default those of the installed plugins; a command passes the plugins it loaded).

    ``KIND=PATH`` (optionally ``;ours=Theirs,…``) names one file; a folder means its
    ``records.toml``; any other path is read as a manifest.
    """
    known = registered(kinds)
    text = str(specification)
    kind, equals, rest = text.partition("=")
    if equals and kind and not any(
        separator in kind for separator in "/\\;"
    ):
        return (_one_file(kind, rest, known),)
    path = Path(text)
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        raise RecordsError(f"{path}: no such records manifest")
    return _sources_from_manifest(path, known)
