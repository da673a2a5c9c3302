"""The published layouts, read from the checked-in samples with their real headers."""

from __future__ import annotations

from pathlib import Path

from vpp_plugins.violence.counting import ANY, Granularity, count
from vpp_plugins.violence.definition import load_definition

from vpp_core import RecordSource


def test_csp_open_data_counts_what_codes_resolve_and_names_the_rest(samples: Path) -> None:
    counts = count(load_definition("thames-valley"),
                   [RecordSource("csp-offences", samples / "csp-open-data.csv")],
                   Granularity.QUARTER)
    # Homicide: Reading 1 (2023/24 Q1) + 2 (2024/25 Q1); Slough 1 (manslaughter, 4.1).
    assert counts.count("homicide", "Reading") == 3
    assert counts.count("homicide", "Slough") == 1
    # GBH (5D): Reading 14 + 11 + 20; Slough 9 + 6. 8N (160) is not GBH.
    assert counts.count("grievous-bodily-harm", "Reading") == 45
    assert counts.count("grievous-bodily-harm", "Reading", "2023-24 Q2") == 11
    # The knife and county lines categories need flags the table does not carry.
    assert {u.category for u in counts.unresolved} == {"knife", "county-lines"}
    assert "knife flag" in counts.unresolved[0].reason
    assert ANY not in counts.categories()  # no "any category" from a partial definition


def test_csp_open_data_resolves_a_code_only_definition_whole(samples: Path) -> None:
    counts = count(load_definition("national-baseline"),
                   [RecordSource("csp-offences", samples / "csp-open-data.csv")],
                   Granularity.YEAR)
    assert counts.count("homicide", period="2023-24") == 2
    assert [u.category for u in counts.unresolved] == ["knife-enabled-serious-violence"]


def test_police_uk_resolves_nothing_by_guessing_and_gives_upper_bounds(samples: Path) -> None:
    counts = count(load_definition("thames-valley"),
                   [RecordSource("street-crime", samples / "street-crime.csv"),
                    RecordSource("lsoa-lookup", samples / "lsoa-lookup.csv")],
                   Granularity.MONTH)
    assert counts.cells == ()
    bounds = {u.category: u.upper_bound for u in counts.unresolved}
    # Three "Violence and sexual offences" rows; the knife bound adds one robbery and one
    # possession of weapons; county lines adds the one drugs row and the robbery.
    assert bounds == {"homicide": 3, "grievous-bodily-harm": 3, "knife": 5, "county-lines": 5}
    assert (counts.rows_read, counts.rows_used) == (7, 7)


def test_a_definition_naming_an_exact_coarse_type_counts_it(tmp_path: Path, samples: Path
                                                            ) -> None:
    definition = tmp_path / "robbery.toml"
    definition.write_text(
        'id = "robbery"\ntitle = "Robbery"\nvalid_from = "2024-25"\n'
        'source = { document = "Test" }\n[[categories]]\nid = "robbery"\nlabel = "Robbery"\n'
        'clauses = [{ offence_codes = ["34A", "34B"] }]\ncoarse_exact = ["Robbery"]\n',
        encoding="utf-8")
    counts = count(load_definition(definition),
                   [RecordSource("street-crime", samples / "street-crime.csv"),
                    RecordSource("lsoa-lookup", samples / "lsoa-lookup.csv")],
                   Granularity.MONTH)
    assert counts.count("robbery", "Reading", "2024-05") == 1
    assert counts.count("robbery") == 1
