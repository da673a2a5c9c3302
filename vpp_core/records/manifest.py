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

from vpp_core.loading.errors import RecordsError
from vpp_core.loading.suggestions import unknown
from vpp_core.plugin_api.context import RecordSource
from vpp_core.plugin_api.manager import Plugins, make_plugins
from vpp_core.plugin_api.record_kinds import ColumnType, RecordKind
from vpp_core.records.tables import DATA_SUFFIXES, check_readable

MANIFEST = "records.toml"

#: Registered record kinds by name, or the plugins that registered them.
Kinds = Plugins | Mapping[str, RecordKind]


def registered(kinds: Kinds | None = None) -> dict[str, RecordKind]:
    """The record kinds by name, from the plugins or as given (``None``: those of the
    installed plugins)."""
    if kinds is None:
        kinds = make_plugins()
    if isinstance(kinds, Plugins):
        return {name: kind for name, (kind, _) in kinds.record_kinds().items()}
    return dict(kinds)


def records_error(where: str, problems: list[str]) -> RecordsError:
    """One error for all of ``problems`` at ``where``, the first line its summary."""
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
            raise records_error(f"{source.kind}={source.path}", problems)


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
        raise records_error(where, problems)
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
    if path.suffix.lower() in DATA_SUFFIXES:  # not TOML: say what is missing, its kind
        example = "participants" if "participants" in known else min(known, default="KIND")
        raise RecordsError(f"{path}: a records file, not a manifest: name its kind, as in "
                           f"{example}={path} (kinds: {', '.join(sorted(known))})")
    if path.is_dir():
        path = path / MANIFEST
    if not path.exists():  # a pipe or a device is said by reading it as TOML
        raise RecordsError(f"{path}: no such records manifest")
    from vpp_core.records.manifest_file import sources_from_manifest  # with the converter

    return sources_from_manifest(path, known)
