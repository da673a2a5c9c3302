"""The records manifest and ``KIND=PATH``: through the one converter, located errors, column
mappings checked against the registered kind, a ``values`` table for coded values."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core import RecordsError, RecordSource, record_sources

HEADER = "person_id,intervention,event_date,age_at_event,event_type\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "p.csv").write_text(HEADER + "A1,send,2024-05-01,15,start\n", encoding="utf-8")
    return tmp_path


def _manifest(folder: Path, text: str) -> Path:
    path = folder / "records.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(specification: str | Path) -> tuple[str, ...]:
    with pytest.raises(RecordsError) as caught:
        record_sources(specification)
    return caught.value.problems


def test_a_manifest_maps_columns_and_values(folder: Path) -> None:
    manifest = _manifest(folder, """
[[sources]]
kind = "participants"
path = "p.csv"
columns = { person_id = "Client Ref" }
values.intervention = { "HN" = "hospital-navigators" }
""")
    assert record_sources(manifest) == (RecordSource(
        "participants", folder / "p.csv", {"person_id": "Client Ref"},
        {"intervention": {"HN": "hospital-navigators"}}),)


def test_every_problem_is_located_in_one_error(folder: Path) -> None:
    manifest = _manifest(folder, """
[[sources]]
kind = "participant"
path = "/etc/shadow"

[[sources]]
kind = "participants"
path = "p.csv"
columns = { person = "Client Ref" }

[[sources]]
kind = "participants"
path = "p.csv"
columns = { person_id = 3 }

[[sources]]
kind = "participants"
path = "missing.csv"
values.event_type = { "Started" = "begun" }
values.event_date = { "n/a" = "" }
values.intervention = { "HN" = "hospital-navigators", " hn" = "send" }
""")
    at = f"{manifest}: "
    assert _problems(manifest) == (
        at + "sources[2].columns['person_id']: expected a string, got int",
    )
    manifest.write_text(manifest.read_text().replace("person_id = 3", 'person_id = "Ref"'))
    assert _problems(manifest) == (
        at + "sources[0].kind: unknown record kind 'participant' (did you mean "
             "'participants'?); allowed: area-population, campaign-delivery, "
             "campaign-training, carry-over, csp-offences, evaluation-milestones, "
             "exposures, knife-offences, lsoa-lookup, match-funding, participants, "
             "police-incidents, "
             "population, spend, spend-profile, street-crime, training",
        at + "sources[1].columns: unknown participants column 'person' (did you mean "
             "'person_id'?); allowed: age_at_event, date_of_birth, event_date, event_type, "
             "intervention, local_partnership, person_id",
        at + "sources[3].values.event_type: 'Started' maps to 'begun', which is not one of "
             "exit, referral, session, start",
        at + "sources[3].values.event_date: a date column has no coded values to map "
             "(only id and string columns do)",
        at + "sources[3].values.intervention: 'HN' and ' hn' are one spelling (case and "
             "surrounding spaces are ignored)",
    )


def test_a_missing_file_is_located(folder: Path) -> None:
    manifest = _manifest(folder, '[[sources]]\nkind = "training"\npath = "t.csv"\n')
    assert _problems(manifest) == (
        f"{manifest}: sources[0].path: no such file {folder / 't.csv'}",)


@pytest.mark.parametrize(("text", "problem"), [
    ('[[sources]]\nkind = "participants"\npath = "p.csv"\ncolums = {}\n',
     "sources[0]: unknown key 'colums'; allowed: columns, kind, path, values; "
     "did you mean 'columns'?"),
    ('[source]\n', "unknown key 'source'; allowed: sources; did you mean 'sources'?"),
    ('[[sources]]\npath = "p.csv"\n', "sources[0].kind: required field missing"),
    ('sources = 3\n', "sources: expected an array of tables ([[sources]])"),
    ('sources = [1]\n', "sources: expected an array of tables ([[sources]])"),
    ('[[sources]]\nkind = "participants"\npath = "p.csv"\nvalues = { intervention = 1 }\n',
     "sources[0].values: 'intervention': expected a table of the file's spelling = ours, "
     'as { "HN" = "hospital-navigators" }'),
    ('[[sources]]\nkind = "participants"\npath = "p.csv"\ncolumns = "Ref"\n',
     "sources[0].columns: expected a table of ours = the file's, as { person_id = \"Ref\" }"),
])
def test_a_malformed_manifest_is_located(folder: Path, text: str, problem: str) -> None:
    manifest = _manifest(folder, text)
    assert _problems(manifest) == (f"{manifest}: {problem}",)


def test_kind_equals_path_takes_a_column_mapping(folder: Path) -> None:
    path = folder / "p.csv"
    spec = f"participants={path};person_id=Client Ref, event_date = Date"
    assert record_sources(spec) == (RecordSource(
        "participants", path, {"person_id": "Client Ref", "event_date": "Date"}),)


@pytest.mark.parametrize(("mapping", "problem"), [
    ("person=Client Ref", "columns: unknown participants column 'person' "
                          "(did you mean 'person_id'?)"),
    ("person_id", "column mapping 'person_id' is not OURS=THEIRS"),
    ("person_id=", "column mapping 'person_id=' is not OURS=THEIRS"),
])
def test_kind_equals_path_mapping_errors_are_located(
    folder: Path, mapping: str, problem: str
) -> None:
    path = folder / "p.csv"
    [line] = _problems(f"participants={path};{mapping}")
    assert line.startswith(f"participants={path}: {problem}")


def test_kind_equals_path_with_an_unknown_kind_never_looks_at_the_file() -> None:
    [line] = _problems("participant=/no/such/file.csv")
    assert line.startswith("participant=/no/such/file.csv: kind: unknown record kind "
                           "'participant' (did you mean 'participants'?)")
