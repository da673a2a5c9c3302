"""A community safety analyst's police.uk street-level files: several months and forces, an
LSOA lookup that lacks some of their LSOAs, populations for rates, a definition of their own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vpp_core.cli.main import main

HEADER = ("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
          "LSOA name,Crime type,Last outcome category,Context\n")


def _row(crime: str, month: str, force: str, lsoa: str, kind: str) -> str:
    return f"{crime},{month},{force},{force},0.1,51.5,On or near X,{lsoa},,{kind},,\n"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    (tmp_path / "2024-05-essex-street.csv").write_text(HEADER + "".join([
        _row("a1", "2024-05", "Essex Police", "E01000001", "Robbery"),
        _row("a2", "2024-05", "Essex Police", "E01000001", "Possession of weapons"),
        _row("a3", "2024-05", "Essex Police", "E01000001", "Burglary"),
        _row("a4", "2024-05", "Essex Police", "E01000009", "Robbery"),  # not in the lookup
        _row("a5", "2024-05", "Essex Police", "", "Robbery"),  # no LSOA
    ]), encoding="utf-8")
    (tmp_path / "2024-05-kent-street.csv").write_text(HEADER + "".join([
        _row("b1", "2024-05", "Kent Police", "E01000002", "Robbery"),
        _row("b2", "2024-05", "Kent Police", "E01000008", "Possession of weapons"),
    ]), encoding="utf-8")
    (tmp_path / "lookup.csv").write_text(
        "lsoa_code,area\nE01000001,Basildon\nE01000002,Dartford\n", encoding="utf-8")
    (tmp_path / "population.csv").write_text(
        "area,residents,source\nBasildon,2000,ONS mid-2022\nDartford,1000,ONS mid-2022\n",
        encoding="utf-8")
    (tmp_path / "essex-sv.toml").write_text(
        'id = "essex-sv"\ntitle = "Essex serious violence"\nvalid_from = "2023-24"\n'
        'source = { document = "Essex needs assessment" }\n'
        '[[categories]]\nid = "robbery"\nlabel = "Robbery"\n'
        'clauses = [{ offence_codes = ["34A", "34B"] }]\ncoarse_exact = ["Robbery"]\n'
        '[[categories]]\nid = "weapons"\nlabel = "Possession of weapons"\n'
        'clauses = [{ offence_codes = ["10A", "10D"] }]\n'
        'coarse_exact = ["Possession of weapons"]\n', encoding="utf-8")
    manifest = tmp_path / "records.toml"
    manifest.write_text("".join(
        f'[[sources]]\nkind = "{kind}"\npath = "{path}"\n\n' for kind, path in [
            ("street-crime", "2024-05-essex-street.csv"),
            ("street-crime", "2024-05-kent-street.csv"),
            ("lsoa-lookup", "lookup.csv"), ("area-population", "population.csv")]),
        encoding="utf-8")
    return manifest


def _last_year(manifest: Path, *months: str) -> None:
    """A file of last year's Basildon robberies, one a month, added to the manifest."""
    (manifest.parent / "2023-street.csv").write_text(HEADER + "".join(
        _row(f"c{number}", month, "Essex Police", "E01000001", "Robbery")
        for number, month in enumerate(months, 1)), encoding="utf-8")
    with manifest.open("a", encoding="utf-8") as handle:
        handle.write('[[sources]]\nkind = "street-crime"\npath = "2023-street.csv"\n')


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_the_rate_per_1000_counts_every_category_of_a_whole_definition(
        capsys: pytest.CaptureFixture[str], manifest: Path) -> None:
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     str(manifest.parent / "essex-sv.toml"), "--by", "month")
    assert code == 0
    # Basildon: one robbery and one possession of weapons in 2,000 residents = 1 per 1,000
    # (it said 0.000: "any category" was never counted from street-level files).
    assert "Basildon         1        1    2       2000          1.000" in out
    assert "Dartford         1        0    1       1000          1.000" in out
    data = json.loads(_run(capsys, "violence", "--records", str(manifest), "--definition",
                           str(manifest.parent / "essex-sv.toml"), "--format", "json")[1])
    basildon = next(line for line in data["areas"] if line["area"] == "Basildon")
    assert basildon["counts"]["any"] == 2


def test_a_partly_resolved_definition_shows_no_rate_rather_than_zero(
        capsys: pytest.CaptureFixture[str], manifest: Path) -> None:
    definition = manifest.parent / "essex-sv.toml"
    definition.write_text(definition.read_text(encoding="utf-8")
                          + '[[categories]]\nid = "gbh"\nlabel = "GBH"\n'
                          'clauses = [{ offence_codes = ["5D"] }]\n', encoding="utf-8")
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     str(definition))
    assert code == 0
    assert "0.000" not in out
    assert "'Any category' is not given: some categories cannot be resolved" in out


def test_rows_without_an_area_say_why(capsys: pytest.CaptureFixture[str], manifest: Path
                                      ) -> None:
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     str(manifest.parent / "essex-sv.toml"))
    assert code == 0
    assert ("Note: 3 records have no area, counted under (no area): 1 has no LSOA code; 2 "
            "have an LSOA code the lookup does not hold (2 codes: E01000008, E01000009)."
            in out)


def test_the_change_by_year_compares_the_same_months_of_last_year(
        capsys: pytest.CaptureFixture[str], manifest: Path) -> None:
    # 2024-25 has May alone; 2023-24 has May and September. It set all of 2023-24 (two
    # robberies) against May 2024, a fall that was only the months missing.
    folder = manifest.parent
    _last_year(manifest, "2023-05", "2023-09")
    definition = str(folder / "essex-sv.toml")
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     definition, "--by", "year")
    assert code == 0
    assert ("2024-25 against 2023-24, over the same months (2024-05); 95% interval" in out)
    assert "robbery   Basildon         1        1  1.000" in out
    data = json.loads(_run(capsys, "violence", "--records", str(manifest), "--definition",
                           definition, "--by", "quarter", "--format", "json")[1])
    assert data["change"]["periods"] == ["2024-05"]
    basildon = next(change for change in data["change"]["changes"]
                    if (change["category"], change["area"]) == ("robbery", "Basildon"))
    assert (basildon["last_year"], basildon["this_year"]) == (1, 1)
    # the series is still by quarter
    assert [item["period"] for item in data["series"]] == ["2023-24 Q1", "2023-24 Q2",
                                                           "2024-25 Q1"]


def test_a_month_that_is_no_month_is_a_row_left_out(capsys: pytest.CaptureFixture[str],
                                                    manifest: Path) -> None:
    # "2024-13" passed the reader's check and stopped the count with an internal error.
    street = manifest.parent / "2024-05-kent-street.csv"
    with street.open("a", encoding="utf-8") as handle:
        handle.write(_row("b3", "2024-13", "Kent Police", "E01000002", "Robbery"))
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     str(manifest.parent / "essex-sv.toml"), "--by", "month")
    assert code == 0
    assert "Rows: 8 read, 7 used, 1 left out." in out
    assert f"  {street}: month not like 2024-03: 1 (row 4)" in out
    assert "2024-13" not in out


def test_the_html_report_gives_the_change_rates_and_rows_left_out(
        capsys: pytest.CaptureFixture[str], manifest: Path) -> None:
    # The page gave counts alone: no change against last year, no rate, no row left out.
    folder = manifest.parent
    _last_year(manifest, "2023-05", "2023-13")
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     str(folder / "essex-sv.toml"), "--format", "html")
    assert code == 0
    assert "2024-25 against 2023-24, over the same months (2024-05)" in out
    assert "<td>robbery</td><td>Basildon</td><td>1</td><td>1</td><td>1.000</td>" in out
    assert "<td>0.063–15.988</td><td>no</td>" in out
    assert "<th scope=col>any per 1,000</th>" in out and "<td>1.000</td>" in out
    assert f"{folder / '2023-street.csv'}: month not like 2024-03: 1 (row 3)" in out
    assert "Rows: 9 read, 8 used, 1 left out." in out


def test_a_published_change_hides_the_ratio_of_counts_it_hides(
        capsys: pytest.CaptureFixture[str], samples: Path) -> None:
    # Reading's homicides, shown "<5" in both years, had their ratio 2.000 beside them (1 and
    # 2, or 2 and 4); Slough's "<5" then 0 had 0.333, which only a count of 1 gives.
    table = f"csp-offences={samples / 'csp-open-data.csv'}"
    code, out = _run(capsys, "violence", "--records", table, "--definition",
                     "national-baseline", "--by", "year", "--published")
    assert code == 0
    assert "homicide  Reading       <5       <5    [c]  [c]           [c]" in out
    assert "0.333" not in out and "2.000" not in out
    data = json.loads(_run(capsys, "violence", "--records", table, "--definition",
                           "national-baseline", "--by", "year", "--published",
                           "--format", "json")[1])
    reading = data["change"]["changes"][0]
    assert (reading["area"], reading["ratio"], reading["low"], reading["high"],
            reading["unlikely_noise"]) == ("Reading", "[c]", "[c]", "[c]", "[c]")
    internal = _run(capsys, "violence", "--records", table, "--definition",
                    "national-baseline", "--by", "year")[1]
    assert "homicide  Reading        1        2  2.000  0.181–22.056  no" in internal


def test_a_published_rate_hides_a_suppressed_count(capsys: pytest.CaptureFixture[str],
                                                   manifest: Path) -> None:
    # Basildon: "<5" crimes beside 2,000 residents and a rate of 1.000 per 1,000: 2 crimes.
    definition = str(manifest.parent / "essex-sv.toml")
    code, out = _run(capsys, "violence", "--records", str(manifest), "--definition",
                     definition, "--published")
    assert code == 0
    assert "Basildon        <5       <5   <5       2000            [c]" in out
    data = json.loads(_run(capsys, "violence", "--records", str(manifest), "--definition",
                           definition, "--published", "--format", "json")[1])
    basildon = next(line for line in data["areas"] if line["area"] == "Basildon")
    assert basildon["rates_per_1000"] == {"robbery": "[c]", "weapons": "[c]", "any": "[c]"}


def test_a_rounded_published_change_is_the_change_of_the_counts_shown(
        capsys: pytest.CaptureFixture[str], samples: Path) -> None:
    # Slough's GBH, 9 then 6, shown rounded as 10 and 10 beside the exact ratio 0.667.
    table = f"csp-offences={samples / 'csp-open-data.csv'}"
    code, out = _run(capsys, "violence", "--records", table, "--definition", "thames-valley",
                     "--by", "year", "--published", "--round-to", "10")
    assert code == 0
    assert "grievous-bodily-harm  Slough        10       10  1.000" in out
    assert "grievous-bodily-harm  Reading       30       20  0.667" in out


def test_published_bars_do_not_measure_a_suppressed_count(
        capsys: pytest.CaptureFixture[str], samples: Path) -> None:
    # A bar's height is the count over the largest: Slough's "<5" homicide bar was drawn
    # exactly as tall as a count of 1 makes it.
    table = f"csp-offences={samples / 'csp-open-data.csv'}"
    internal = _run(capsys, "violence", "--records", table, "--definition",
                    "national-baseline", "--by", "quarter", "--format", "html")[1]
    published = _run(capsys, "violence", "--records", table, "--definition",
                     "national-baseline", "--by", "quarter", "--format", "html",
                     "--published")[1]
    assert 'height="30"><title>2023-24 Q1: 1</title>' in internal
    assert 'height="30"><title>' not in published
    assert ('<rect class=hidden x="0" y="0" width="12" height="60"><title>2023-24 Q1: &lt;5'
            in published)
