"""A plainly written CSV file is read with the dialect DuckDB's sniffer would find, without
sniffing it; anything else is still sniffed. Rows past the first block checked, malformed
or quoted, are read and numbered as after sniffing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.test_record_tables import load
from vpp_core.records import tables
from vpp_core.records.plain_csv import BLOCK_BYTES, MAX_BYTES, PlainDialect, plain_dialect
from vpp_core.records.tables import LoadedTable, sql_literal

HEADER = "person_id,intervention,event_date,age_at_event"
ROW = "A{},hospital-navigators,2024-05-01,20"
#: Enough rows to fill the first block, so that what follows is past it.
PAST_BLOCK = BLOCK_BYTES // len(ROW) + 10


def sniffed(path: Path) -> PlainDialect:
    """What DuckDB's sniffer finds, as :class:`PlainDialect` (its delimiter a comma)."""
    found = duckdb.connect().execute(
        "SELECT Delimiter, Quote, Escape, NewLineDelimiter, SkipRows, Columns FROM "
        f"sniff_csv({sql_literal(str(path))}, header = true, all_varchar = true, "
        "store_rejects = true)").fetchall()[0]
    delimiter, quote, escape, new_line, skip, columns = found
    assert (delimiter, skip) == (",", 0)
    none = "(empty)"
    return PlainDialect("" if quote == none else quote, "" if escape == none else escape,
                        new_line, tuple(column["name"] for column in columns))


PLAIN = {
    "lf": f"{HEADER}\n{ROW.format(1)}\n{ROW.format(2)}\n",
    "crlf": f"{HEADER}\r\n{ROW.format(1)}\r\n{ROW.format(2)}\r\n",
    "no last newline": f"{HEADER}\n{ROW.format(1)}\n{ROW.format(2)}",
    "quoted": f'"Client Ref",intervention,event_date,age_at_event\n'
              f'"A,1",hospital-navigators,2024-05-01,20\n{ROW.format(2)}\n',
    "a doubled quote": f'{HEADER}\n"A ""1""",hospital-navigators,2024-05-01,20\n',
    "an empty quoted value": f'{HEADER}\n"A1",hospital-navigators,2024-05-01,""\n',
    "a malformed line past the first block": HEADER + "\n"
        + "".join(ROW.format(n) + "\n" for n in range(PAST_BLOCK)) + "A,x\n",
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_a_plain_file_gets_the_dialect_the_sniffer_finds(tmp_path: Path, name: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(PLAIN[name].encode())
    assert plain_dialect(path) == sniffed(path)


NOT_PLAIN = {
    "semicolons": "person_id;intervention\nA1;x\n",
    "one column": "person_id\nA1\n",
    "a byte-order mark": "\ufeff" + PLAIN["lf"],
    "a blank line": f"{HEADER}\n\n{ROW.format(1)}\n",
    "a title line": f"Referrals 2024\n{HEADER}\n{ROW.format(1)}\n",
    "a comment line": f"{HEADER}\n# exported\n{ROW.format(1)}\n",
    "names alike but for case": "person_id,Person_ID\nA1,A2\n",
    "a name with spaces around it": "person_id, intervention\nA1,x\n",
    "an empty name": "person_id,\nA1,x\n",
    "newlines of both kinds": f"{HEADER}\r\n{ROW.format(1)}\n",
    "a quote inside an unquoted value": f'{HEADER}\nA"1,hospital-navigators,2024-05-01,20\n',
    "a quote first past the first block": HEADER + "\n"
        + "".join(ROW.format(n) + "\n" for n in range(PAST_BLOCK)) + ROW.format('"x"') + "\n",
    "only a header": f"{HEADER}\n",
}


@pytest.mark.parametrize("name", list(NOT_PLAIN))
def test_a_file_not_plainly_written_is_left_to_the_sniffer(tmp_path: Path, name: str) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(NOT_PLAIN[name].encode())
    assert plain_dialect(path) is None


def test_a_file_over_the_size_checked_is_left_to_the_sniffer(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    rows = MAX_BYTES // len(ROW) + 1
    path.write_text(HEADER + "\n" + "".join(ROW.format(n % 10) + "\n" for n in range(rows)))
    assert plain_dialect(path) is None
    path.write_text(HEADER + "\n" + ROW.format(1) + "\n")
    assert plain_dialect(path) is not None


def test_a_file_that_is_not_utf8_is_left_to_the_sniffer(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(f"{HEADER}\nRen\u00e9e,hospital-navigators,2024-05-01,20\n".encode("cp1252"))
    assert plain_dialect(path) is None


def test_rows_past_the_first_block_are_read_and_numbered_as_after_sniffing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = ['"A,0",hospital-navigators,2024-05-01,20',  # quoted in the first block
            *(ROW.format(n) for n in range(1, PAST_BLOCK))]
    path = tmp_path / "p.csv"
    path.write_text("\n".join([
        HEADER, *rows,
        '"B,1",hospital-navigators,2024-05-01,21',  # a quoted comma: a value, kept
        "B2,x",  # too few fields
        "B3,hospital-navigators,2024-13-01,22",  # bad date
    ]) + "\n")
    last = PAST_BLOCK + 1  # the last generated row's line (the header is line 1)
    assert plain_dialect(path) is not None
    loaded, kept = load(path)
    assert isinstance(loaded, LoadedTable)
    assert [(row.row, row.reason) for row in loaded.rejected] == [
        (last + 2, "malformed line (missing columns)"),
        (last + 3, 'bad date in "event_date"')]
    assert (loaded.rows_read, loaded.rows_used) == (PAST_BLOCK + 3, PAST_BLOCK + 1)
    assert kept[-1][:2] == ("B,1", "hospital-navigators")
    monkeypatch.setattr(tables, "plain_dialect", lambda path, data: None)  # sniffed instead
    assert load(path) == (loaded, kept)
