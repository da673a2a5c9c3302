"""A value from a records file never reaches a message or a report through DuckDB's errors:
DuckDB quotes the value it fails on, and a value may identify a person."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vpp_core import AuditOptions, Status, audit
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy, fixtures_folder
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.records.tables import duckdb_reason

RECORDS = fixtures_folder() / "thames-valley-2024-25" / "records"
#: A person's number in the delivery partner's system: too large for an age (UBIGINT).
PERSON_NUMBER = "18446744073709551557"
FORMATS = {"json": "r.json", "sarif": "r.sarif", "junit": "r.xml", "csv": "r.csv",
           "html": "r.html", "markdown": "r.md", "text": "r.txt"}


@pytest.fixture(scope="module")
def mismapped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Participants as Parquet with the person's number in a UBIGINT column, mapped by
    mistake to the age at the event (and no date of birth)."""
    folder = tmp_path_factory.mktemp("records")
    source = str(RECORDS / "participants.csv").replace("'", "''")
    target = str(folder / "participants.parquet").replace("'", "''")
    duckdb.connect().execute(
        "COPY (SELECT person_id, intervention, event_date, event_type, local_partnership, "
        f"CAST('{PERSON_NUMBER}' AS UBIGINT) AS client_number "
        f"FROM read_csv('{source}', all_varchar = true, store_rejects = true)) "
        f"TO '{target}' (FORMAT parquet)")
    manifest = folder / "records.toml"
    manifest.write_text(
        '[[sources]]\nkind = "participants"\npath = "participants.parquet"\n'
        'columns = { age_at_event = "client_number" }\n\n'
        f'[[sources]]\nkind = "training"\npath = "{RECORDS / "training.csv"}"\n',
        encoding="utf-8")
    return manifest


def test_a_person_number_mapped_to_an_age_appears_in_no_output(
    mismapped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = [f"--output={name}:{tmp_path / file}" for name, file in FORMATS.items()]
    code = main(["audit", str(bundled_strategy()), "--records", str(mismapped),
                 "--as-of", "2025-03-31", *outputs])
    out, err = capsys.readouterr()
    assert PERSON_NUMBER not in out + err
    assert code in (0, 1)  # audited: the rows are left out as bad numbers, not a crash
    for name, file in FORMATS.items():
        text = (tmp_path / file).read_text(encoding="utf-8")
        assert PERSON_NUMBER not in text, name
    # every participant row is left out: the table is printed and the exit is 1 (TGT004)
    assert main(["targets", str(bundled_strategy()), "--records", str(mismapped)]) == 1
    out, err = capsys.readouterr()
    assert PERSON_NUMBER not in out + err
    assert 'bad number in "client_number"' in out  # each row left out, by row and reason


def test_duckdbs_message_is_replaced_by_ours() -> None:
    with pytest.raises(duckdb.ConversionException) as caught:  # as our typed SELECT casts
        duckdb.connect().execute(
            'SELECT CAST("text:age_at_event" AS BIGINT) FROM '
            f"(SELECT CAST('{PERSON_NUMBER}' AS UBIGINT) AS \"text:age_at_event\")").fetchall()
    assert PERSON_NUMBER in str(caught.value)  # what DuckDB would have said
    reason = duckdb_reason(caught.value, "parquet", {"age_at_event": "client_number"})
    assert reason == ("a value cannot be converted to its column's type in column "
                      "'client_number' (age_at_event); values are not shown")
    malformed = duckdb.InvalidInputException(
        f"Invalid Input Error: CSV Error on Line: 7\nOriginal Line: {PERSON_NUMBER},x")
    assert duckdb_reason(malformed, "csv") == (
        "not a valid CSV file (line 7); values are not shown")


def test_a_check_failing_in_duckdb_errors_without_the_value(tmp_path: Path) -> None:
    plugin = tmp_path / "counting.py"
    plugin.write_text(
        "import duckdb\n"
        "from vpp_core import CheckSpec, hookimpl\n\n"
        "def count(ctx):\n"
        f"    duckdb.connect().execute(\"SELECT CAST('{PERSON_NUMBER}' AS INTEGER)\")\n"
        "    return []\n\n"
        "@hookimpl\n"
        "def vpp_register_checks():\n"
        "    return [CheckSpec('demo-count', count, 'Counts in DuckDB.')]\n",
        encoding="utf-8")
    pack = tmp_path / "pack.toml"
    pack.write_text(
        '[pack]\nname = "demo-count"\nversion = "1.0"\nprefix = "CNT"\n\n'
        '[[rules]]\ncode = "CNT001"\nname = "counts"\ntitle = "People are counted"\n'
        'severity = "error"\ncheck = "demo-count"\n', encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], options=AuditOptions(),
                   plugins=make_plugins(local=[plugin]))
    [result] = report.results
    assert result.status is Status.ERROR
    assert result.message.startswith("the check raised ConversionException: DuckDB's message "
                                     "is not shown")
    assert PERSON_NUMBER not in result.message
