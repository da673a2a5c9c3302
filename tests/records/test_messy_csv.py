"""Partner files as they arrive from Excel: CRLF with a bare LF inside a quoted value, blank
lines, Windows-1252 bytes. Every row left out is numbered by the line it starts on."""

from __future__ import annotations

from pathlib import Path

from tests.test_record_tables import load
from vpp_core.records.tables import LoadedTable


def rejected(path: Path) -> list[tuple[int, str]]:
    loaded, _ = load(path, {"person_id": "Client Ref"})
    assert isinstance(loaded, LoadedTable)
    return [(row.row, row.reason) for row in loaded.rejected]


def test_a_crlf_file_with_a_bare_lf_inside_a_quoted_value_is_read(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"Client Ref;intervention;event_date;age_at_event\r\n"  # 1
        b'"A\n1";hospital-navigators;2024-05-01;20\r\n'  # 2-3: LF inside quotes
        b"\r\n"  # 4 blank
        b"A2;hospital-navigators;N/A;20\r\n"  # 5 bad date
        b"A3;boxing;01/06/2024;20\r\n"  # 6 unknown intervention
    )
    assert rejected(path) == [(5, 'bad date in "event_date"'), (6, 'unknown "intervention"')]


def test_windows_1252_lines_and_a_value_over_two_lines_keep_the_numbering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(
        b"Client Ref;intervention;event_date;age_at_event\r\n"  # 1
        + "Ren\u00e9e;hospital-navigators;2024-05-01;20\r\n".encode("cp1252")  # 2 not UTF-8
        + b"\r\n"  # 3 blank
        + b'"A\n2";hospital-navigators;2024-05-02;20\r\n'  # 4-5
        + b"A3;hospital-navigators;unknown;20\r\n"  # 6 bad date
    )
    assert rejected(path) == [(2, "malformed line (invalid encoding)"),
                              (6, 'bad date in "event_date"')]
