"""Change against last year, row-by-row explanations and two definitions compared."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from vpp_plugins.violence.change import rate_ratio, year_on_year
from vpp_plugins.violence.clauses import Incident, explain
from vpp_plugins.violence.comparing import compare
from vpp_plugins.violence.counting import ANY, Granularity, count
from vpp_plugins.violence.definition import load_definition
from vpp_plugins.violence.explaining import explain_rows
from vpp_plugins.violence.generate import write_incidents

from vpp_core import RecordsError, RecordSource


def test_rate_ratio_by_the_log_method() -> None:
    # ln(120/80) = 0.4055, half-width 1.96 * sqrt(1/120 + 1/80) = 0.2829.
    assert rate_ratio(120, 80) == (Decimal("1.500"), Decimal("1.130"), Decimal("1.990"), False)
    # A zero count: half is added to both (0.5 / 3.5) and the result says so.
    assert rate_ratio(0, 3) == (Decimal("0.143"), Decimal("0.007"), Decimal("2.766"), True)
    assert rate_ratio(0, 0) == (None, None, None, False)


def test_year_on_year_compares_the_same_quarters(tmp_path: Path) -> None:
    records = tmp_path / "two-years.csv"
    rows = ["incident_id,offence_date,offence_code,area"]
    rows += [f"P{n},2023-05-0{1 + n % 9},1,North" for n in range(10)]  # 2023-24 Q1: 10
    rows += [f"Q{n},2023-11-0{1 + n % 9},1,North" for n in range(40)]  # 2023-24 Q3: 40
    rows += [f"R{n},2024-05-0{1 + n % 9},1,North" for n in range(30)]  # 2024-25 Q1: 30
    records.write_text("\n".join(rows) + "\n", encoding="utf-8")
    counts = count(load_definition("thames-valley"),
                   [RecordSource("police-incidents", records)], Granularity.QUARTER)
    change = year_on_year(counts)
    assert change is not None
    assert (change.this_year, change.last_year, change.periods) == (
        "2024-25", "2023-24", ("2024-05",))
    homicide = next(c for c in change.changes if c.category == "homicide")
    # Only Q1 of last year (10) is set against this year's Q1 (30), not last year's 50.
    assert (homicide.this_year, homicide.last_year, homicide.ratio) == (30, 10, Decimal("3.000"))
    assert homicide.unlikely_noise  # 3.0 with 95% interval 1.47–6.13 excludes 1


def test_no_change_without_an_earlier_year(incidents: RecordSource) -> None:
    assert year_on_year(count(load_definition("thames-valley"), [incidents])) is None


def test_explanations_name_the_clause_by_row_number(incidents: RecordSource) -> None:
    explained = explain_rows(load_definition("thames-valley"), incidents, (7, 11, 12))
    by_row = {item.row: item for item in explained}
    knife = {c: (counted, why) for c, counted, why in by_row[7].decisions}["knife"]
    assert knife == (True, "clause 2 takes it in")  # A6: possession of a blade, no flag
    assert by_row[11].left_out_by_reader == 'bad date in "offence_date"'
    homicide = {c: why for c, _, why in by_row[12].decisions}["homicide"]
    assert homicide == ("no clause takes it in (clause 1: offence code 2 is not one of "
                        "1, 4.1, 4.2, 4.10)")
    for item in explained:
        assert "A6" not in str(item) and "A11" not in str(item)  # ids never shown


def test_explaining_a_row_past_the_end_is_an_error(incidents: RecordSource) -> None:
    with pytest.raises(RecordsError, match="row 40: no such row"):
        explain_rows(load_definition("thames-valley"), incidents, (40,))


def test_an_exclusion_is_named_when_it_decides(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        'id = "d"\ntitle = "D"\nvalid_from = "2024-25"\nsource = { document = "T" }\n'
        '[[categories]]\nid = "injury"\nlabel = "Injury"\nclauses = [{ offence_codes = ["8N"] }]\n'
        'exclusions = [{ id = "da", reason = "counted elsewhere", '
        'criteria = { flags = ["domestic_abuse"] } }]\n', encoding="utf-8")
    definition = load_definition(path)
    decided = explain(definition, definition.categories[0],
                      Incident("8N", frozenset({"domestic_abuse"})))
    assert decided == (False, "clause 1 takes it in, but exclusion 'da' leaves it out: "
                              "counted elsewhere")


def test_two_definitions_compared_category_by_category(incidents: RecordSource) -> None:
    result = compare(load_definition("thames-valley"), load_definition("national-baseline"),
                     [incidents])
    # Thames Valley takes in 9 records, the baseline 6, all of them also Thames Valley's.
    assert (result.in_both, result.only_first, result.only_second) == (6, 3, 0)
    outside = {(d.definition, d.category): (d.counted, d.outside_other)
               for d in result.categories}
    assert outside[("thames-valley", "grievous-bodily-harm")] == (2, 1)  # A9, no knife
    assert outside[("thames-valley", "knife")] == (5, 1)  # A6, possession, no flag
    assert outside[("thames-valley", "county-lines")] == (1, 1)  # A7
    assert outside[("national-baseline", "knife-enabled-serious-violence")] == (4, 0)


def test_comparison_on_generated_data_adds_up(tmp_path: Path) -> None:
    path = tmp_path / "generated.parquet"
    write_incidents(path, 20_000, seed=7, areas=("North", "South"))
    source = RecordSource("police-incidents", path)
    first, second = load_definition("thames-valley"), load_definition("national-baseline")
    result = compare(first, second, [source])
    assert result.rows_used == 20_000
    assert result.in_both + result.only_first == count(first, [source]).count(ANY)
    assert result.in_both + result.only_second == count(second, [source]).count(ANY)
    assert result.only_first > 0 and result.in_both > 0


def test_sql_and_the_plain_reading_agree_on_generated_data(tmp_path: Path) -> None:
    """Counting (SQL) and explaining (Python) implement the clauses twice; they must agree."""
    import csv

    path = tmp_path / "generated.csv"
    write_incidents(path, 3_000, seed=11, areas=("North",))
    definition = load_definition("thames-valley")
    counts = count(definition, [RecordSource("police-incidents", path)])
    expected = dict.fromkeys([c.id for c in definition.categories] + [ANY], 0)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values = {k: (v or None) for k, v in row.items()}
            incident = Incident.from_values(values)
            inside = [c.id for c in definition.categories
                      if explain(definition, c, incident)[0]]
            for category in inside:
                expected[category] += 1
            expected[ANY] += bool(inside)
    assert {category: counts.count(category) for category in expected} == expected
