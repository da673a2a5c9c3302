"""Counts under each bundled definition and a third one with flags, ages and exclusions, all
derived by hand from the eleven rows in conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from vpp_plugins.violence.counting import ANY, Granularity, count
from vpp_plugins.violence.definition import load_definition

from vpp_core import RecordSource

# A third VRU's definition: youth violence (victims 10–24), firearms, domestic abuse left out.
THIRD = """\
id = "youth"
title = "Youth serious violence (test)"
valid_from = "2024-25"
source = { document = "Test definition" }
[[exclusions]]
id = "domestic"
reason = "domestic abuse is counted by its own board"
criteria = { flags = ["domestic_abuse"] }

[[categories]]
id = "youth-injury"
label = "Violence with injury against victims aged 10 to 24"
clauses = [{ offence_codes = ["5D", "8N", "2"], victim_age = { min = 10, max = 24 } }]

[[categories]]
id = "firearm"
label = "Any crime with a firearm"
clauses = [{ flags = ["firearm"] }]

[[categories]]
id = "young-suspect-knife"
label = "Knife crime by suspects under 18"
clauses = [{ flags = ["knife"], suspect_age = { max = 17 } }]
[[categories.exclusions]]
id = "robbery"
reason = "robbery is reported apart"
criteria = { offence_codes = ["34A", "34B"] }
"""


def test_thames_valley_counts_by_category_and_area(incidents: RecordSource) -> None:
    counts = count(load_definition("thames-valley"), [incidents], Granularity.YEAR)
    assert (counts.rows_read, counts.rows_used) == (11, 10)
    assert counts.left_out[0][1:] == ('bad date in "offence_date"', 1)
    # Reading: A1, A2 homicide; A3, A9 GBH (5D, "5d"); A3, A11 knife flag; A7 county lines.
    assert [counts.count(c, "Reading") for c in
            ("homicide", "grievous-bodily-harm", "knife", "county-lines", ANY)] == [2, 2, 2, 1, 6]
    # Slough: A4 and A8 knife flag (Y, yes); A6 possession of a blade (10D, clause 2).
    assert [counts.count(c, "Slough") for c in
            ("homicide", "grievous-bodily-harm", "knife", "county-lines", ANY)] == [0, 0, 3, 0, 3]
    assert counts.periods() == ("2024-25",)


def test_national_baseline_needs_the_knife_flag_on_a_listed_offence(
        incidents: RecordSource) -> None:
    counts = count(load_definition("national-baseline"), [incidents], Granularity.YEAR)
    # A3 (5D), A11 (2) in Reading; A4 (8N), A8 (34B) in Slough. A6 (10D) has no flag.
    assert counts.count("knife-enabled-serious-violence", "Reading") == 2
    assert counts.count("knife-enabled-serious-violence", "Slough") == 2
    assert counts.count(ANY) == 6


def test_a_third_definition_with_ages_flags_and_exclusions(
        tmp_path: Path, incidents: RecordSource) -> None:
    path = tmp_path / "youth.toml"
    path.write_text(THIRD, encoding="utf-8")
    counts = count(load_definition(path), [incidents], Granularity.YEAR)
    # Victims 10–24 with 5D, 8N or 2: A3 (19), A4 (17), A11 (23); A5 (40, and domestic
    # abuse) and A9 (50) are too old.
    assert counts.count("youth-injury") == 3
    assert counts.count("firearm") == 0
    # Knife flag and suspect under 18: A8 (16) is robbery, excluded; no other row qualifies
    # (A4's suspect is 18, A3's 22).
    assert counts.count("young-suspect-knife") == 0
    assert counts.count(ANY) == 3


def test_the_domestic_abuse_exclusion_takes_a_row_out(tmp_path: Path) -> None:
    path = tmp_path / "youth.toml"
    path.write_text(THIRD, encoding="utf-8")
    records = tmp_path / "two.csv"
    records.write_text(
        "incident_id,offence_date,offence_code,area,domestic_abuse,knife,victim_age,suspect_age\n"
        "X1,2024-06-01,8N,North,Y,N,20,30\n"
        "X2,2024-06-01,8N,North,N,N,20,30\n"
        "X3,2024-06-01,58A,North,N,Y,40,16\n", encoding="utf-8")
    counts = count(load_definition(path), [RecordSource("police-incidents", records)])
    assert counts.count("youth-injury") == 1  # X2: X1 is taken out as domestic abuse
    assert counts.count("young-suspect-knife") == 1  # X3: any offence, knife, suspect 16


def test_periods_follow_the_financial_year(incidents: RecordSource) -> None:
    quarters = count(load_definition("thames-valley"), [incidents], Granularity.QUARTER)
    # April–June is Q1 (A1, A2, A3, A4 in any category), October–December Q3 (A8, A9, A11).
    assert quarters.count(ANY, period="2024-25 Q1") == 4
    assert quarters.count(ANY, period="2024-25 Q3") == 3
    months = count(load_definition("thames-valley"), [incidents], Granularity.MONTH)
    assert months.count("knife", period="2024-05") == 2


def test_lsoas_roll_up_to_areas_and_unmatched_ones_are_said(tmp_path: Path) -> None:
    records = tmp_path / "lsoa.csv"
    records.write_text("incident_id,offence_date,offence_code,lsoa_code\n"
                       "X1,2024-06-01,1,E01000001\nX2,2024-06-02,1,E01000002\n"
                       "X3,2024-06-03,1,E09999999\n", encoding="utf-8")
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("lsoa_code,area\nE01000001,North\nE01000002,North\n", encoding="utf-8")
    counts = count(load_definition("thames-valley"),
                   [RecordSource("police-incidents", records),
                    RecordSource("lsoa-lookup", lookup)])
    assert counts.count("homicide", "North") == 2
    assert counts.count("homicide", "(no area)") == 1
    assert counts.notes == ("1 records have no area (no area given and no LSOA found in the "
                            "lookup): counted under (no area).",)


def test_crime_records_of_two_kinds_are_refused(incidents: RecordSource, samples: Path) -> None:
    from vpp_core import RecordsError

    with pytest.raises(RecordsError, match="one kind"):
        count(load_definition("thames-valley"),
              [incidents, RecordSource("csp-offences", samples / "csp-open-data.csv")])


def test_rates_per_thousand_residents(tmp_path: Path, incidents: RecordSource) -> None:
    from vpp_plugins.violence.report import build_report

    from vpp_core import DisclosurePolicy

    population = tmp_path / "population.csv"
    population.write_text("area,residents,source\nReading,174000,ONS mid-2022 (illustrative)\n"
                          "Slough,158000,ONS mid-2022 (illustrative)\n", encoding="utf-8")
    counts = count(load_definition("thames-valley"),
                   [incidents, RecordSource("area-population", population)])
    report = build_report(counts, DisclosurePolicy())
    reading = next(line for line in report.areas if line.area == "Reading")
    # 6 records in any category among 174,000 residents: 0.03448 per 1,000.
    assert str(reading.rate(6)) == "0.034"
    assert report.residents_source == ("ONS mid-2022 (illustrative)",)
