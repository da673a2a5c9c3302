"""``vpp violence`` and ``vpp generate-incidents`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from vpp_plugins.violence.definition import DefinitionError, load_definition

from vpp_core import RecordSource
from vpp_core.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_says_which_definition_and_where_it_comes_from(
        capsys: pytest.CaptureFixture[str], incidents: RecordSource) -> None:
    path = incidents.path
    code, out, _ = _run(capsys, "violence", "--records", f"police-incidents={path}",
                        "--definition", "thames-valley", "--by", "year")
    assert code == 0
    assert "Definition: thames-valley, from Thames Valley VPP Response Strategy 2024–2025" in out
    assert "Reading         2                     2      2             1    6" in out
    assert "Rows: 11 read, 10 used, 1 left out." in out


def test_json_counts_are_numbers_and_published_counts_are_suppressed(
        capsys: pytest.CaptureFixture[str], incidents: RecordSource) -> None:
    path = incidents.path
    _, out, _ = _run(capsys, "violence", "--records", f"police-incidents={path}",
                     "--definition", "thames-valley", "--format", "json")
    data = json.loads(out)
    reading = next(a for a in data["areas"] if a["area"] == "Reading")
    assert reading["counts"]["any"] == 6 and data["audience"] == "internal"
    _, out, _ = _run(capsys, "violence", "--records", f"police-incidents={path}",
                     "--definition", "thames-valley", "--format", "json", "--published")
    reading = next(a for a in json.loads(out)["areas"] if a["area"] == "Reading")
    assert reading["counts"]["homicide"] == "<5" and reading["counts"]["any"] == 6


def test_no_incident_id_in_any_format(capsys: pytest.CaptureFixture[str],
                                      incidents: RecordSource) -> None:
    path = incidents.path
    for form in ("text", "json", "csv", "html"):
        _, out, err = _run(capsys, "violence", "--records", f"police-incidents={path}",
                           "--definition", "thames-valley", "--format", form)
        assert "A10" not in out + err and "A3," not in out + err


def test_hostile_area_names_are_inert(capsys: pytest.CaptureFixture[str], tmp_path: Path
                                      ) -> None:
    records = tmp_path / "hostile.csv"
    records.write_text('incident_id,offence_date,offence_code,area\n'
                       'X1,2024-06-01,1,"<script>alert(1)</script>"\n'
                       'X2,2024-06-01,1,"=HYPERLINK(""http://x"")"\n', encoding="utf-8")
    _, html, _ = _run(capsys, "violence", "--records", f"police-incidents={records}",
                      "--format", "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    _, csv_text, _ = _run(capsys, "violence", "--records", f"police-incidents={records}",
                          "--format", "csv")
    assert "'=HYPERLINK" in csv_text and "\n=HYPERLINK" not in csv_text.replace(",", "\n")


@pytest.mark.parametrize("form", ["text", "html"])
def test_a_hostile_definition_file_prints_no_escape_sequence(
        form: str, capsys: pytest.CaptureFixture[str], incidents: RecordSource,
        tmp_path: Path) -> None:
    # A definition is data from another partnership: its title and source reach the
    # report's first lines, shown without the sequence or the override.
    bundled = Path(load_definition.__code__.co_filename).parent / "definitions"
    text = (bundled / "thames-valley.toml").read_text(encoding="utf-8").replace(
        'title = "', 'title = "\\u001b[2J\\u202eEvil ', 1)
    definition = tmp_path / "ours.toml"
    definition.write_text(text, encoding="utf-8")
    code, out, _ = _run(capsys, "violence", "--records", f"police-incidents={incidents.path}",
                        "--definition", str(definition), "--format", form)
    assert code == 0
    assert "Evil Thames Valley serious violence definition" in out
    assert "\x1b" not in out and "\u202e" not in out


def test_explaining_a_hostile_offence_code_prints_no_escape_sequence(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # The code is shown as the reader normalised it (upper case), never as a sequence that
    # recolours the terminal or an override that shows the rest of the line reversed.
    records = tmp_path / "hostile.csv"
    records.write_text("incident_id,offence_date,offence_code,area\n"
                       "X1,2024-06-01,\x1b]8;;http://x\x07Z9\x1b[2J\u202e,North\n",
                       encoding="utf-8")
    code, out, _ = _run(capsys, "violence", "--records", f"police-incidents={records}",
                        "--explain", "2")
    assert code == 0
    assert "  not counted in homicide: no clause takes it in (clause 1: offence code Z9 is " \
           "not one of" in out
    assert "\x1b" not in out and "\u202e" not in out


def test_explain_and_compare_from_the_command_line(
        capsys: pytest.CaptureFixture[str], incidents: RecordSource) -> None:
    path = incidents.path
    code, out, _ = _run(capsys, "violence", "--records", f"police-incidents={path}",
                        "--definition", "thames-valley", "--explain", "7,11")
    assert code == 0
    assert "  counted in knife: clause 2 takes it in" in out
    assert 'row 11: left out by the reader: bad date in "offence_date"' in out
    code, out, _ = _run(capsys, "violence", "--records", f"police-incidents={path}",
                        "--definition", "thames-valley", "--compare", "national-baseline")
    assert "in both: 6; only under thames-valley: 3; only under national-baseline: 0." in out


def test_a_bad_definition_is_a_located_input_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, incidents: RecordSource) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('id = "x"\ntitle = "X"\nvalid_from = "2024-25"\nsource = { document = "T" }\n'
                    '[[categories]]\nid = "a"\nlabel = "A"\nclauses = [{ flags = ["knives"] }]\n',
                    encoding="utf-8")
    with pytest.raises(DefinitionError) as raised:
        load_definition(path)
    assert f"{path}: categories[0].clauses[0].flags[0]" in raised.value.problems[0]
    records = incidents.path
    code, _, err = _run(capsys, "violence", "--records", f"police-incidents={records}",
                        "--definition", str(path))
    assert code == 2 and err.startswith(f"error: {path}: categories[0]")
    code, _, err = _run(capsys, "violence", "--records", f"police-incidents={records}",
                        "--definition", "thames-vally")
    assert code == 2 and "bundled: national-baseline, thames-valley" in err


def test_generate_incidents_is_seeded_and_never_overwrites(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert _run(capsys, "generate-incidents", str(first), "--rows", "1000", "--seed", "3")[0] == 0
    assert _run(capsys, "generate-incidents", str(second), "--rows", "1000", "--seed", "3")[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert len(first.read_text().splitlines()) == 1001
    code, _, err = _run(capsys, "generate-incidents", str(first), "--rows", "10")
    assert code == 2 and "already exists (use --force to replace it)" in err


def test_csv_and_json_give_every_category_by_area_by_period(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Two areas, two quarters: homicide once in Oxford in Q1; a knife GBH twice in Slough in
    # Q2 (5D with the knife flag: both grievous-bodily-harm and knife).
    records = tmp_path / "incidents.csv"
    records.write_text("incident_id,offence_date,offence_code,area,knife\n"
                       "A1,2024-05-01,1,Oxford,N\n"
                       "A2,2024-08-01,5D,Slough,Y\n"
                       "A3,2024-09-30,5D,Slough,Y\n", encoding="utf-8")
    argv = ["violence", "--records", f"police-incidents={records}",
            "--definition", "thames-valley", "--by", "quarter"]
    _, out, _ = _run(capsys, *argv, "--format", "csv")
    rows = out.splitlines()
    assert "thames-valley,homicide,Oxford,2024-25 Q1,1,internal" in rows
    assert "thames-valley,homicide,Oxford,2024-25 Q2,0,internal" in rows
    assert "thames-valley,knife,Slough,2024-25 Q2,2,internal" in rows
    assert "thames-valley,grievous-bodily-harm,Slough,2024-25 Q1,0,internal" in rows
    assert "thames-valley,any,all,all,3,internal" in rows  # the whole count, once
    _, out, _ = _run(capsys, *argv, "--format", "json")
    cells = json.loads(out)["cells"]
    assert {"category": "knife", "area": "Slough", "period": "2024-25 Q2", "count": 2} in cells
    assert len(cells) == len(json.loads(out)["categories"]) * 2 * 2  # every combination
    _, out, _ = _run(capsys, *argv, "--format", "json", "--published")
    cells = json.loads(out)["cells"]
    assert {"category": "knife", "area": "Slough", "period": "2024-25 Q2",
            "count": "<5"} in cells
