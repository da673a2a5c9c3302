"""The Home Office knife or sharp instrument table, read from the checked-in sample (headers
as we read the published layout): what it counts, by force, and what it cannot resolve."""

from __future__ import annotations

from pathlib import Path

import pytest
from vpp_plugins.violence.counting import ANY, Granularity
from vpp_plugins.violence.definition import load_definition
from vpp_plugins.violence.tally import count_records

from vpp_core import RecordsError, RecordSource
from vpp_core.cli.main import main

# A third VRU's definition: knife-involved assaults (GBH with intent and assault with injury)
# and knife robbery, with one definition-wide exclusion by code and one category by age.
THIRD = """\
id = "third"
title = "A third VRU's knife definition"
valid_from = "2023-24"
source = { document = "Test" }
[[categories]]
id = "knife-assault"
label = "Knife-involved assault"
clauses = [{ flags = ["knife"], offence_codes = ["5D", "8N"] }]
[[categories]]
id = "knife-robbery"
label = "Knife robbery"
clauses = [{ flags = ["knife"], offence_codes = ["34A", "34B"] }]
[[categories]]
id = "youth-knife"
label = "Knife crime against under-25s"
clauses = [{ flags = ["knife"], victim_age = { max = 24 } }]
"""


def _knife(samples: Path) -> list[RecordSource]:
    return [RecordSource("knife-offences", samples / "knife-offences.csv")]


def _third(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "third.toml"
    path.write_text(THIRD + extra, encoding="utf-8")
    return path


def test_knife_categories_by_code_are_counted_by_force(tmp_path: Path, samples: Path) -> None:
    counts = count_records(load_definition(_third(tmp_path)), _knife(samples), Granularity.YEAR)
    # 5D 40 + 8N 95 (Q1) + 5D 35 (Q2) in 2023/24; 5D 38 in 2024/25; Surrey 5D 9.
    assert counts.count("knife-assault", "Thames Valley", "2023-24") == 170
    assert counts.count("knife-assault", "Thames Valley", "2024-25") == 38
    assert counts.count("knife-assault", "Surrey", "2024-25") == 9
    # 34B 60 + 34A 4 in 2023/24; Surrey 34B 7.
    assert counts.count("knife-robbery", "Thames Valley") == 64
    assert counts.count("knife-robbery", "Surrey") == 7
    assert counts.areas() == ("Surrey", "Thames Valley")  # forces, never CSPs
    assert any("by police force area" in note for note in counts.notes)
    (youth,) = counts.unresolved
    assert youth.category == "youth-knife" and "clause 1 needs ages" in youth.reason
    assert ANY not in counts.categories()
    assert (counts.rows_read, counts.rows_used) == (12, 12)


def test_quarters_come_from_the_financial_quarter(tmp_path: Path, samples: Path) -> None:
    counts = count_records(load_definition(_third(tmp_path)), _knife(samples),
                           Granularity.QUARTER)
    assert counts.count("knife-assault", "Thames Valley", "2023-24 Q1") == 135
    assert counts.count("knife-assault", "Thames Valley", "2023-24 Q2") == 35


def test_an_exclusion_by_code_takes_rows_out(tmp_path: Path, samples: Path) -> None:
    path = _third(tmp_path, '[[exclusions]]\nid = "abh"\nreason = "ABH left out"\n'
                            'criteria = { offence_codes = ["8N"] }\n')
    counts = count_records(load_definition(path), _knife(samples), Granularity.YEAR)
    assert counts.count("knife-assault", "Thames Valley", "2023-24") == 75  # 170 - 95


def test_an_exclusion_by_flag_cannot_be_applied_so_nothing_is_counted(
        tmp_path: Path, samples: Path) -> None:
    path = _third(tmp_path, '[[exclusions]]\nid = "da"\nreason = "domestic abuse left out"\n'
                            'criteria = { flags = ["domestic_abuse"] }\n')
    counts = count_records(load_definition(path), _knife(samples), Granularity.YEAR)
    assert counts.cells == ()
    reasons = {u.category: u.reason for u in counts.unresolved}
    assert "exclusion 'da' needs more than offence codes" in reasons["knife-assault"]
    bounds = {u.category: u.lower_bound for u in counts.unresolved}
    assert bounds["knife-assault"] is None  # no bound holds past that exclusion


def test_thames_valley_knife_category_gets_a_lower_bound_never_a_count(samples: Path) -> None:
    counts = count_records(load_definition("thames-valley"), _knife(samples), Granularity.YEAR)
    assert counts.cells == ()
    reasons = {u.category: u.reason for u in counts.unresolved}
    assert set(reasons) == {"homicide", "grievous-bodily-harm", "knife", "county-lines"}
    # Clause 1 (any knife-flagged crime) is not the table's selected offences; clause 2
    # (10D, possession) carries no flag. Every row is knife-involved: 1 + 3 + 40 + 95 + 60
    # + 12 + 35 + 4 + 1 + 38 + 9 + 7 = 305 is a floor for the category.
    assert "covers selected offences only" in reasons["knife"]
    assert "clause 2 takes in offences without the knife flag" in reasons["knife"]
    assert "without the knife flag" in reasons["grievous-bodily-harm"]
    bounds = {u.category: u.lower_bound for u in counts.unresolved}
    assert bounds["knife"] == 305
    assert bounds["county-lines"] is None


def test_national_knife_measure_names_the_codes_the_table_lacks(samples: Path) -> None:
    counts = count_records(load_definition("national-baseline"), _knife(samples),
                           Granularity.YEAR)
    measure = next(u for u in counts.unresolved if u.category == "knife-enabled-serious-violence")
    # The sample has no rows for infanticide (4.2) or corporate manslaughter (4.10); the rest
    # of the measure's codes give 305 less threats to kill (3A, 12) = 293 as a floor.
    assert measure.reason == "clause 1 needs codes 4.2, 4.10, which the table has no rows for"
    assert measure.lower_bound == 293


def test_knife_table_is_not_counted_by_month_or_mixed_with_incidents(
        samples: Path, incidents: RecordSource) -> None:
    definition = load_definition("national-baseline")
    with pytest.raises(RecordsError, match="quarterly"):
        count_records(definition, _knife(samples), Granularity.MONTH)
    with pytest.raises(RecordsError, match="one kind"):
        count_records(definition, [*_knife(samples), incidents], Granularity.YEAR)


def test_vpp_violence_reads_the_knife_table(capsys: pytest.CaptureFixture[str],
                                            samples: Path) -> None:
    code = main(["violence", "--records", f"knife-offences={samples / 'knife-offences.csv'}",
                 "--definition", "thames-valley", "--by", "year"])
    out = capsys.readouterr().out
    assert code == 0
    assert "At least 305: the offences this source has" in out and "by police force area" in out


def test_a_published_report_suppresses_a_small_lower_bound_in_every_format(
        tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Surrey's rows alone: 5D 9 + 34B 7 = 16 knife offences, so the youth category's floor
    # is 16; with a published threshold of 20 it is shown as "<20", never as the count.
    text = (samples / "knife-offences.csv").read_text(encoding="utf-8").splitlines()
    surrey = tmp_path / "surrey.csv"
    surrey.write_text("\n".join([text[0], *(line for line in text if "Surrey" in line)]) + "\n",
                      encoding="utf-8")
    definition = _third(tmp_path)
    for form in ("text", "json", "html"):
        out_file = tmp_path / f"out.{form}"
        code = main(["violence", "--records", f"knife-offences={surrey}", "--definition",
                     str(definition), "--by", "year", "--published", "--threshold", "20",
                     "--format", form, "-o", str(out_file)])
        assert code == 0, capsys.readouterr().err
        shown = out_file.read_text(encoding="utf-8")
        assert "At least 16" not in shown and '"lower_bound": "16"' not in shown
        assert ("At least &lt;20" if form == "html" else
                '"lower_bound": "<20"' if form == "json" else "At least <20") in shown


def test_a_broken_knife_row_is_left_out_and_said(tmp_path: Path, samples: Path) -> None:
    text = (samples / "knife-offences.csv").read_text(encoding="utf-8")
    broken = tmp_path / "knife.csv"
    broken.write_text(text + "2024/25,5,Surrey,Robbery,Robbery,Robbery,34B,3\n",
                      encoding="utf-8")
    counts = count_records(load_definition(_third(tmp_path)),
                           [RecordSource("knife-offences", broken)], Granularity.YEAR)
    assert (counts.rows_read, counts.rows_used) == (13, 12)
    assert counts.count("knife-robbery", "Surrey") == 7
