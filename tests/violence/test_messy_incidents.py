"""A force's extract as it arrives: the same crime reference on two rows, a blank line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from vpp_core.cli.main import main

HEADER = "incident_id,offence_date,offence_code,area,knife\n"


def incidents(folder: Path, *lines: str) -> str:
    """``police-incidents=PATH`` for a file of these lines under the header."""
    path = folder / "incidents.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return f"police-incidents={path}"


def test_a_crime_given_twice_is_counted_once_and_the_repeat_reported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "NR4,2024-07-01,8N,Northby,Y",
                        "NR4,2024-07-01,8N,Northby,Y",  # the same crime again
                        "NR5,2024-07-02,8N,Northby,Y")
    assert main(["violence", "--records", records, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (area,) = data["areas"]
    assert area["counts"]["knife-enabled-serious-violence"] == 2
    assert data["rows"]["used"] == 2
    assert data["rows"]["left_out"] == [
        {"file": str(tmp_path / "incidents.csv"), "reason": "duplicate incident id",
         "count": 1, "rows": [3]}]
    assert "NR4" not in json.dumps(data)


def test_compare_counts_a_crime_given_twice_once_as_the_report_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "NR4,2024-07-01,8N,Northby,Y",
                        "NR4,2024-07-01,8N,Northby,Y",  # the same crime again
                        "NR5,2024-07-02,8N,Northby,Y")
    assert main(["violence", "--records", records, "--definition", "thames-valley",
                 "--compare", "national-baseline"]) == 0
    out = capsys.readouterr().out
    assert "The same 2 records under 'thames-valley' and 'national-baseline':" in out
    assert "  in both: 2; only under thames-valley: 0; only under national-baseline: 0." in out


def test_compare_accounts_for_every_row_and_publishes_no_small_count(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "NR4,2024-07-01,8N,Northby,Y",
                        "NR4,2024-07-01,8N,Northby,Y",  # the same crime again
                        "NR5,2024-13-02,8N,Northby,Y")  # a bad date
    compared = ["violence", "--records", records, "--definition", "thames-valley",
                "--compare", "national-baseline"]
    assert main(compared) == 0
    out = capsys.readouterr().out
    assert f"Rows: 3 read, 1 used, 2 left out.\n  {tmp_path / 'incidents.csv'}: " in out
    assert "duplicate incident id: 1" in out and 'bad date in "offence_date": 1' in out
    assert main([*compared, "--published"]) == 0
    out = capsys.readouterr().out
    assert ("in both: <5; only under thames-valley: 0; only under national-baseline: 0."
            in out)
    counted = [line.split()[2] for line in out.splitlines() if line.startswith("national-")]
    assert counted == ["0", "<5"]  # homicide, knife-enabled serious violence


@pytest.mark.parametrize("asked", [["--explain", "2"], ["--compare", "national-baseline"]])
def test_explain_and_compare_refuse_what_they_cannot_give(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], asked: list[str]) -> None:
    records = incidents(tmp_path, "NR4,2024-07-01,8N,Northby,Y")
    assert main(["violence", "--records", records, *asked, "--format", "json"]) == 2
    assert capsys.readouterr().err == (
        "error: vpp violence: --explain and --compare write text only (drop --format)\n")
    if asked[0] == "--explain":
        assert main(["violence", "--records", records, *asked, "--published"]) == 2
        assert capsys.readouterr().err == (
            "error: vpp violence: --explain tells of single records, never published "
            "(drop --published)\n")


@pytest.mark.parametrize(("dates", "note"), [
    (["2024-07-01"], "Note: The definition applies from 2025-26; the data cover only 2024-25, "
                     "outside the years it applies to."),
    (["2024-07-01", "2025-07-01"], "Note: The definition applies from 2025-26; the data also "
                                   "cover 2024-25."),
])
def test_a_definition_not_yet_in_force_is_said_of_the_years_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], dates: list[str],
        note: str) -> None:
    baseline = Path(__file__).parents[2] / "plugins" / "vpp_plugins" / "violence" / \
        "definitions" / "national-baseline.toml"
    later = tmp_path / "later.toml"
    later.write_text(baseline.read_text(encoding="utf-8").replace(
        'valid_from = "2022-23"', 'valid_from = "2025-26"'), encoding="utf-8")
    records = incidents(tmp_path, *(f"NR{n},{day},8N,Northby,Y" for n, day in enumerate(dates)))
    for by in ("year", "quarter", "month"):  # by month was an internal error
        assert main(["violence", "--records", records, "--definition", str(later),
                     "--by", by]) == 0
        assert capsys.readouterr().out.splitlines()[-1] == note


def test_counts_by_month_name_their_months(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "NR1,2024-07-01,8N,Northby,Y", "NR2,2025-01-31,8N,Northby,Y")
    assert main(["violence", "--records", records, "--by", "month", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["period"] for row in data["series"]] == ["2024-07", "2025-01"]


def test_explain_says_a_repeated_crime_is_left_out(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "NR4,2024-07-01,8N,Northby,Y",
                        "NR4,2024-07-01,8N,Northby,Y")  # line 3: the same crime again
    assert main(["violence", "--records", records, "--explain", "2,3"]) == 0
    line_2, line_3 = capsys.readouterr().out.split("row 3:")
    assert "counted in knife-enabled-serious-violence" in line_2
    assert line_3.strip() == "left out by the reader: duplicate incident id"


def test_a_crime_in_two_files_is_counted_once_as_first_given(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("incident_id,offence_date,offence_code,area,knife\n"
                     "NR4,2024-07-01,8N,Northby,Y\n"
                     "NR6,not a date,8N,Northby,Y\n"  # line 3: left out
                     "NR7,2024-07-05,8N,Northby,Y\n", encoding="utf-8")
    second.write_text("incident_id,offence_date,offence_code,area,knife\n"
                      "NR6,2024-07-03,8N,Northby,Y\n"  # line 2: the crime of a.csv's line 3
                      "\n"
                      "NR4,2024-07-01,8N,Northby,Y\n"  # line 4: a repeat
                      "NR8,2024-07-06,8N,Northby,Y\n", encoding="utf-8")
    assert main(["violence", "--records", f"police-incidents={first}",
                 "--records", f"police-incidents={second}", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "Rows: 6 read, 3 used, 3 left out." in out
    assert f"{second}: duplicate incident id: 2 (rows 2, 4)" in out
    assert f'{first}: bad date in "offence_date": 1 (row 3)' in out


def test_rows_of_empty_cells_are_skipped_and_said_so(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "incidents.csv"
    path.write_text("incident_id;offence_date;offence_code;area;knife\r\n"
                    "NR4;2024-07-01;8N;Northby;Y\r\n;;;;\r\n", encoding="utf-8")
    assert main(["violence", "--records", f"police-incidents={path}"]) == 0
    assert ("Rows: 1 read, 1 used, 0 left out; 1 row of empty cells skipped, as blank lines."
            in capsys.readouterr().out)


def test_explain_finds_each_row_by_its_line_past_a_blank_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "A1,2024-07-01,8N,Northby,Y",
                        "",  # line 3: blank, as exports leave them
                        "A2,2024-07-02,1,Northby,N",  # line 4: a homicide
                        "A3,2024-07-03,5D,Northby,Y")  # line 5: a knife crime
    assert main(["violence", "--records", records, "--explain", "4,5"]) == 0
    line_4, line_5 = capsys.readouterr().out.split("row 5:")
    assert "counted in homicide: clause 1 takes it in" in line_4
    assert "counted in knife-enabled-serious-violence: clause 1 takes it in" in line_5


@pytest.mark.parametrize("padded", [False, True])
def test_a_parquet_crime_reference_is_compared_trimmed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], padded: bool) -> None:
    # the spaces around the second reference make it the first one again
    path = tmp_path / "incidents.parquet"
    second = " NR4 " if padded else "NR5"
    duckdb.sql("SELECT * FROM (VALUES ('NR4', DATE '2024-07-01', '8N', 'Northby', 'Y'), "
               f"('{second}', DATE '2024-07-02', '8N', ' Northby', ' y ')) "
               "AS t(incident_id, offence_date, offence_code, area, knife)"
               ).write_parquet(str(path))
    assert main(["violence", "--records", f"police-incidents={path}", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (area,) = data["areas"]
    assert area["area"] == "Northby"
    assert area["counts"]["knife-enabled-serious-violence"] == (1 if padded else 2)
    assert data["rows"]["left_out"] == ([
        {"file": str(path), "reason": "duplicate incident id", "count": 1, "rows": [2]}]
        if padded else [])


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize("order", ["rising", "falling"])
@pytest.mark.parametrize("repeat", [None, 4321])
def test_a_repeat_is_found_whatever_the_order_of_the_references(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, order: str,
        repeat: int | None) -> None:
    # 5,000 records, past DuckDB's chunks of 2,048 rows: references rising (as a force's
    # export by reference) or falling, and record ``repeat`` giving the second's again
    references = [f"NR{n:05d}" for n in range(5000)]
    if order == "falling":
        references.reverse()
    if repeat is not None:
        references[repeat - 1] = references[1]
    path = tmp_path / f"incidents{suffix}"
    rows = duckdb.sql("SELECT reference AS incident_id, DATE '2024-07-01' AS offence_date, "
                      "'8N' AS offence_code, 'Northby' AS area, 'Y' AS knife "
                      f"FROM (SELECT unnest({references!r}) AS reference)")
    if suffix == ".csv":
        rows.write_csv(str(path))
    else:
        rows.write_parquet(str(path))
    assert main(["violence", "--records", f"police-incidents={path}", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (area,) = data["areas"]
    assert area["counts"]["knife-enabled-serious-violence"] == (4999 if repeat else 5000)
    assert data["rows"]["left_out"] == ([
        {"file": str(path), "reason": "duplicate incident id", "count": 1,
         "rows": [repeat + 1 if suffix == ".csv" else repeat]}] if repeat else [])


def test_a_flag_is_read_whatever_its_case_and_spaces(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    records = incidents(tmp_path, "A1,2024-07-01,8N,Northby,Y",
                        "A2,2024-07-01,8N,Northby, Y ",  # padded: still yes
                        "A3,2024-07-01,8N,Northby,y",
                        "A4,2024-07-01,8N,Northby,N",
                        "A5,2024-07-01,8N,Northby, yes",
                        "A6,2024-07-01,8N,Northby,N ",
                        "A7,2024-07-01,8N,Northby,maybe",  # line 8: not a flag's value
                        "A8,2024-07-01,8N,Northby,")  # no flag given: not knife-enabled
    assert main(["violence", "--records", records, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (area,) = data["areas"]
    assert area["counts"]["knife-enabled-serious-violence"] == 4  # A1, A2, A3, A5
    assert data["rows"]["used"] == 7
    assert data["rows"]["left_out"] == [
        {"file": str(tmp_path / "incidents.csv"), "reason": 'unknown "knife"', "count": 1,
         "rows": [8]}]
