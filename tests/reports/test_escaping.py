"""Hostile text in a strategy stays inert in every output: markup, links, formulas, escape
sequences and characters XML forbids are shown as text, never acted on."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w

from tests.reports.conftest import AS_OF, PACK
from vpp_core import AuditOptions, Reference, Report, audit
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy, fixtures_folder
from vpp_core.loading.strategy_io import load_strategy
from vpp_core.model.toc import EXPORTS, build_graph
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.reports.formats.csv_report import render_csv
from vpp_core.reports.formats.html import render_html
from vpp_core.reports.formats.json_report import render_json
from vpp_core.reports.formats.junit import render_junit
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.formats.sarif import render_sarif
from vpp_core.reports.formats.text import render_text

#: Starts like a spreadsheet formula; then HTML, a Markdown link with a script scheme, a
#: table-breaking pipe and line break, an OSC 8 hyperlink and a clear-screen sequence, a
#: control character TOML allows (``\u0001``), quotes of every kind, and bidirectional
#: overrides that would show the text after them reversed (right-to-left override, isolate).
PAYLOAD = ('=HYPERLINK("http://evil.example","x") <script>alert(1)</script>'
           "<img src=x onerror=alert(2)> [click](javascript:alert(3)) | cell\nnext "
           "\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\x1b[2J\x01 \"q' `tick` "
           "\u202egnp.exe\u2067 # end")
#: The bidirectional embedding, override and isolate controls (Unicode's "Trojan Source"
#: characters): a reader would see the text around them in another order than it is.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: The fields of a strategy that hold free text (not ids, codes, dates or amounts).
TEXT_FIELDS = {"name", "summary", "label", "next_steps", "location", "text", "funder", "note",
               "notes", "purpose", "title", "publisher", "short_name", "host", "contact",
               "senior_responsible_officer", "impact", "training_provider", "evaluator",
               "results_expected", "end_not_set_reason", "delivery_partners"}
FIXTURE = fixtures_folder() / "thames-valley-2024-25"
BAD_URL = "javascript:alert(document.cookie)"


def _hostile(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {name: _hostile(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_hostile(item, key) for item in value]
    if isinstance(value, str) and key in TEXT_FIELDS:
        return f"{PAYLOAD} {value}"
    return value


@pytest.fixture(scope="module")
def hostile_strategy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Thames Valley strategy with the payload at the start of every text field."""
    data = tomllib.loads(bundled_strategy().read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("hostile") / "strategy.toml"
    path.write_text(tomli_w.dumps(_hostile(data)), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_report(hostile_strategy: Path) -> Report:
    """Its audit, every reference link given a script scheme (as a plugin could)."""
    report = audit(hostile_strategy, packs=[str(PACK)], options=AuditOptions(as_of=AS_OF),
                   plugins=make_plugins())
    bad = (Reference(f"{PAYLOAD} guidance", "Section <b>1</b>", 3, BAD_URL),)
    audits = tuple(attrs.evolve(item, results=tuple(
        attrs.evolve(result, references=bad) for result in item.results))
        for item in report.audits)
    return attrs.evolve(report, audits=audits)


def test_the_payload_reaches_every_report(hostile_report: Report) -> None:
    """The fixture is worth testing with: input text is in the findings."""
    assert any(PAYLOAD in result.message or PAYLOAD in result.subject.label
               for result in hostile_report.results)
    assert PAYLOAD in hostile_report.audits[0].strategy.partnership


# -------------------------------------------------------------------------
# HTML and Markdown: no markup, no live link but http(s)
# -------------------------------------------------------------------------


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_shows_hostile_text_as_text(hostile_report: Report) -> None:
    page = render_html(hostile_report, {})
    parser = _Elements()
    parser.feed(page)
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("script") == 1  # the page's own filter script
    assert "img" not in tags
    assert not [name for _, attributes in parser.tags for name in attributes
                if name.startswith("on")]
    links = [attributes["href"] or "" for tag, attributes in parser.tags if tag == "a"]
    assert links and all(link.startswith(("#", "https://", "http://")) for link in links)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x01" not in page
    assert "javascript:" not in "".join(links)


def _outside_code(line: str) -> str:
    return re.sub(r"(`+)(.*?)\1", "", line)


def _unescaped(line: str, character: str) -> int:
    """How many times ``character`` appears in ``line`` without a backslash before it."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*" + re.escape(character), _outside_code(line)))


def test_markdown_shows_hostile_text_as_text(hostile_report: Report) -> None:
    text = render_markdown(hostile_report, {})
    assert "\\<script\\>alert(1)\\</script\\>" in text
    for line in text.splitlines():
        assert _unescaped(line, "<") == 0, line  # no raw HTML
        assert not line.startswith("next"), line  # a line break in input ends no line
        links = re.findall(r"(?<!\\)\]\(([^)]*)\)", _outside_code(line))
        assert all(link.startswith(("https://", "http://")) for link in links), line
        if line.startswith("|"):  # a table row: the pipes in input are escaped
            assert _unescaped(line, "|") == line.count(" | ") + 2, line
    assert "javascript:alert(document" not in text.replace("\\", "")
    assert "\x1b" not in text and "\x01" not in text
    diagram = _mermaid_block(text)
    assert any("HYPERLINK" in line for line in diagram)
    assert all(re.fullmatch(r'  n\d+\["[^"<>`\[\]|]*"\]:::\w+|  n\d+ -->\|[a-z-]+\| n\d+'
                            r"|  classDef \w+ stroke-width:2px", line) for line in diagram[1:])


def _mermaid_block(text: str) -> list[str]:
    start = text.index("```mermaid\n") + len("```mermaid\n")
    return text[start:text.index("\n```\n", start)].splitlines()


def test_markdown_includes_the_theory_of_change_as_mermaid(thames_valley_report: Report
                                                           ) -> None:
    diagram = _mermaid_block(render_markdown(thames_valley_report, {}))
    assert diagram[0] == "flowchart LR"
    assert '  n0["Less serious violence"]:::impact' in diagram


def test_links_other_than_http_are_never_live(hostile_report: Report) -> None:
    sarif = json.loads(render_sarif(hostile_report, {}))
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules and not [rule["helpUri"] for rule in rules if "helpUri" in rule]
    assert f'href="{BAD_URL}"' not in render_html(hostile_report, {})
    assert f"]({BAD_URL})" not in render_markdown(hostile_report, {})


def test_an_http_link_stays_live(hostile_report: Report) -> None:
    url = "https://www.gov.uk/guidance?a=1&b=(2)"
    good = (Reference("VRU grant guidance", "", None, url),)
    first = hostile_report.audits[0]
    result = attrs.evolve(first.results[0], references=good)
    report = attrs.evolve(hostile_report, audits=(attrs.evolve(first, results=(result,)),))
    assert 'href="https://www.gov.uk/guidance?a=1&amp;b=(2)"' in render_html(report, {})
    assert "(https://www.gov.uk/guidance?a=1&b=%282%29)" in render_markdown(report, {})
    sarif = json.loads(render_sarif(report, {}))
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] == url


def test_a_pack_reference_with_a_script_link_is_refused_at_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "pack.toml"
    pack.write_text(PACK.read_text(encoding="utf-8").replace(
        'url = "https://', 'url = "javascript:alert(1)//', 1), encoding="utf-8")
    assert 'url = "javascript:' in pack.read_text(encoding="utf-8")
    code = main(["audit", str(bundled_strategy()), "--pack", str(pack)])
    err = capsys.readouterr().err
    assert code == 2
    assert re.fullmatch(rf"error: {re.escape(str(pack))}: rule RPT\d{{3}}: references\[0\]: "
                        r"url: a link must start with http:// or https:// "
                        r"\(scheme: 'javascript:'\)\n", err), err


# -------------------------------------------------------------------------
# XML, JSON, SARIF: always parse
# -------------------------------------------------------------------------


def test_junit_parses_whatever_the_strategy_holds(hostile_report: Report) -> None:
    root = ET.fromstring(render_junit(hostile_report, {}))
    names = [prop.get("value") or "" for prop in root.iter("property")
             if prop.get("name") == "partnership"]
    assert names[0].startswith('=HYPERLINK("http://evil.example","x") <script>')
    assert "\ufffd" in names[0]  # the forbidden character, replaced


def test_json_and_sarif_carry_the_text_as_data(hostile_report: Report) -> None:
    data = json.loads(render_json(hostile_report, {}))
    assert data["strategies"][0]["strategy"]["partnership"].startswith(PAYLOAD)
    sarif = json.loads(render_sarif(hostile_report, {}))
    assert any(PAYLOAD in result["message"]["text"] for result in sarif["runs"][0]["results"])


@pytest.mark.parametrize("render", [render_json, render_sarif], ids=["json", "sarif"])
def test_json_and_sarif_write_overrides_and_c1_controls_as_escapes(
    render: Any, hostile_report: Report
) -> None:
    # Printed on a terminal (vpp audit --format json), a raw override would show the rest
    # of the line reversed, and U+009B starts an escape sequence; as \u escapes they are
    # the same data and inert.
    hostile = attrs.evolve(hostile_report, audits=(attrs.evolve(
        hostile_report.audits[0], strategy=attrs.evolve(
            hostile_report.audits[0].strategy, partnership=f"{PAYLOAD}\x9b2J\u2028")),))
    text = render(hostile, {})
    assert not BIDI.search(text) and not re.search("[\x7f-\x9f\u2028\u2029]", text)
    assert "\\u202e" in text
    if render is render_json:
        assert "\\u009b" in text
        partnership = json.loads(text)["strategies"][0]["strategy"]["partnership"]
        assert partnership == f"{PAYLOAD}\x9b2J\u2028"


def test_theory_of_change_exports_keep_hostile_labels_inside_their_quotes(
    hostile_strategy: Path
) -> None:
    graph = build_graph(load_strategy(hostile_strategy))
    root = ET.fromstring(EXPORTS["graphml"](graph))
    labels = [element.text or "" for element in root.iter()
              if element.text and "HYPERLINK" in element.text]
    assert labels and all("\ufffd" in label for label in labels)
    dot = EXPORTS["dot"](graph).splitlines()
    quoted = r'"(?:[^"\\\n]|\\.)*"'
    statement = re.compile(rf"  {quoted}( -> {quoted})? \[label={quoted}(, shape=\w+, "
                           rf"kind={quoted})?\];")
    assert all(statement.fullmatch(line) for line in dot[2:-1]), dot
    mermaid = EXPORTS["mermaid"](graph).splitlines()
    nodes = [line for line in mermaid if ":::" in line]
    assert nodes and all(re.fullmatch(r'  n\d+\["[^"<>`\[\]|]*"\]:::\w+', line)
                         for line in nodes), nodes


# -------------------------------------------------------------------------
# CSV: formulas guarded, numbers and data left alone
# -------------------------------------------------------------------------


def _csv_cells(text: str) -> Iterator[str]:
    for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))):
        yield from row


def _formula_like(cell: str) -> bool:
    """Starts as a spreadsheet formula does, and is neither a number nor a bare operator."""
    return cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not re.fullmatch(
        r"[+-]?\d[\d,.]*%?|[=<>]{1,2}", cell)


def test_csv_guards_formulas_from_the_strategy(hostile_report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(hostile_report, {}).removeprefix(
        "\ufeff"))))
    labelled = [row["subject_label"] for row in rows if "HYPERLINK" in row["subject_label"]]
    assert labelled and all(label.startswith("'=HYPERLINK(") for label in labelled)
    assert not [cell for row in rows for cell in row.values() if _formula_like(cell)]
    assert not [cell for row in rows for cell in row.values() if "\x1b" in cell]


def test_csv_guard_leaves_numbers_and_operators_alone(thames_valley_report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(thames_valley_report, {}).removeprefix(
        "\ufeff"))))
    assert "==" in {row["operator"] for row in rows}
    assert not [row["operator"] for row in rows if row["operator"].startswith("'")]
    numbers = [row[column] for row in rows
               for column in ("measured_value", "threshold_value", "shortfall_value", "line")]
    assert numbers and not [value for value in numbers if value.startswith("'")]


def test_targets_and_reach_csv_guard_formulas(
    hostile_strategy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["targets", str(hostile_strategy), "--records", str(FIXTURE / "records"),
                 "--format", "csv"]) == 0
    targets = capsys.readouterr().out
    assert "'=HYPERLINK(" in targets
    assert not [cell for cell in _csv_cells(targets) if _formula_like(cell)]
    assert main(["reach", str(hostile_strategy), "--records", str(FIXTURE / "campaign"),
                 "--format", "csv"]) == 0
    reach = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert reach and not [cell for row in reach for cell in row.values() if _formula_like(cell)]
    counts = [row["value"] for row in reach if row["unit"] in ("count", "people") and row["value"]]
    assert counts and all(re.fullmatch(r"\d+", value) for value in counts)  # numbers as numbers


# -------------------------------------------------------------------------
# The terminal: no escape sequences, no control characters
# -------------------------------------------------------------------------


def _terminal_safe(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) and not BIDI.search(text)


def test_text_report_strips_escape_sequences(hostile_report: Report) -> None:
    plain = render_text(hostile_report, {"verbose": True})
    assert _terminal_safe(plain)
    assert "link" in plain and "[2J" not in plain
    coloured = render_text(hostile_report, {"color": True})
    assert "\x1b[1;31mFAIL" in coloured  # our colours stay
    assert "\x1b]" not in coloured and "\x1b[2J" not in coloured


@pytest.mark.parametrize("command", [
    ["show"],
    ["audit", "--pack", str(PACK), "--as-of", "2025-01-31"],
    ["targets", "--records", str(FIXTURE / "records")],
    ["reach", "--records", str(FIXTURE / "campaign")],
    ["toc", "--format", "dot"],
    ["toc", "--format", "mermaid"],
], ids=lambda command: command[0] + ("-" + command[-1] if command[0] == "toc" else ""))
def test_commands_print_no_escape_sequences(
    command: list[str], hostile_strategy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([command[0], str(hostile_strategy), *command[1:]])
    out, err = capsys.readouterr()
    assert "HYPERLINK" in out
    assert _terminal_safe(out), [line for line in out.splitlines() if not _terminal_safe(line)]
    assert _terminal_safe(err)


def test_an_unfinished_escape_sequence_hides_nothing_after_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tomllib.loads(bundled_strategy().read_text(encoding="utf-8"))
    data["document"]["title"] = "\x1b]0;window title, never ended\nReal title"
    strategy = tmp_path / "strategy.toml"
    strategy.write_text(tomli_w.dumps(data), encoding="utf-8")
    assert main(["show", str(strategy)]) == 0
    out = capsys.readouterr().out
    assert _terminal_safe(out)
    assert out.splitlines()[0] == " Real title"  # the field's line break is a space
    assert out.splitlines()[1].startswith("Financial year 2024-25")
    assert "Interventions: 11" in out


def test_error_lines_strip_escape_sequences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "evil\x1b]8;;evil.example\x07name\x1b[2J.toml"
    broken.write_text("[partnership\n", encoding="utf-8")
    assert main(["show", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path}/evilname.toml:")
    assert _terminal_safe(err)


def test_rule_documentation_strips_escape_sequences_from_pack_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A pack is input too: its title, description, references, examples and parameter
    # values reach `vpp rule CODE` and `vpp rules --pack` as text, never as sequences.
    pack = tmp_path / "hostile.toml"
    pack.write_text(tomli_w.dumps({
        "pack": {"name": "hostile", "version": "1", "prefix": "HOS", "title": PAYLOAD},
        "rules": [{
            "code": "HOS001", "name": "hostile", "title": f"{PAYLOAD} title",
            "severity": "warning", "check": "metric-at-least",
            "description": f"{PAYLOAD} description",
            "references": [{"document": f"{PAYLOAD} guidance", "section": PAYLOAD,
                            "url": "https://example.org/guide"}],
            "parameters": {"metric": "high-impact-share", "threshold": "0.25",
                           "subject": f"grant:{PAYLOAD}"},
            "examples": [{"outcome": "pass", "text": f"{PAYLOAD} example"}],
        }],
    }), encoding="utf-8")
    for command in (["rule", "HOS001", "--pack", str(pack)], ["rules", "--pack", str(pack)]):
        assert main(command) == 0
        out = capsys.readouterr().out
        assert "HYPERLINK" in out and "link" in out
        assert _terminal_safe(out), [
            line for line in out.splitlines() if not _terminal_safe(line)]


# -------------------------------------------------------------------------
# Bidirectional overrides: no report shows text in another order than it is
# -------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_html, render_markdown, render_csv, render_junit,
                                    render_text], ids=lambda render: render.__name__)
def test_no_report_carries_a_bidirectional_override(
    render: Any, hostile_report: Report
) -> None:
    text = render(hostile_report, {})
    assert "gnp.exe" in text
    assert not BIDI.search(text), [line for line in text.splitlines() if BIDI.search(line)][:3]


@pytest.mark.parametrize("command", [
    ["targets", "--records", str(FIXTURE / "records"), "--format", "json"],
    ["reach", "--records", str(FIXTURE / "campaign"), "--format", "json"],
    ["return", "--quarter", "2024-25-Q3", "--records", str(FIXTURE / "spend"), "--format",
     "json"],
    ["toc", "--format", "json"],
], ids=lambda command: command[0])
def test_commands_writing_json_write_overrides_as_escapes(
    command: list[str], hostile_strategy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main([command[0], str(hostile_strategy), *command[1:]])
    out = capsys.readouterr().out
    assert "\\u202e" in out and "HYPERLINK" in json.dumps(json.loads(out))
    assert not BIDI.search(out)


@pytest.mark.parametrize(("title", "shown"), [
    ("1. Evil", "1\\. Evil"), ("2) Evil", "2\\) Evil"), ("- Evil", "\\- Evil"),
    ("+ Evil", "\\+ Evil"), ("-", "\\-"), ("---", "\\---"), ("-12 Evil", "-12 Evil"),
])
def test_a_title_at_the_start_of_a_markdown_line_starts_no_list(
    title: str, shown: str, thames_valley_report: Report
) -> None:
    # The strategy's title opens a line of the Markdown report: a list marker there would
    # turn the line into a list item; escaped, it reads as written.
    first = thames_valley_report.audits[0]
    report = attrs.evolve(thames_valley_report, audits=(attrs.evolve(
        first, strategy=attrs.evolve(first.strategy, title=title)),))
    lines = render_markdown(report, {}).splitlines()
    assert f"{shown} — `{first.strategy.source}`" in lines


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A strategy sent from a Latin-1 system: its name's byte 0xFF is no UTF-8 (Python holds
    # it as a lone surrogate), and every report still writes, naming it with U+FFFD.
    name = os.fsdecode(b"strat\xe9gie.toml")
    try:
        (tmp_path / name).write_bytes(bundled_strategy().read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    outputs = {form: tmp_path / f"report.{form}" for form in
               ("json", "csv", "markdown", "sarif", "text", "junit", "html")}
    code = main(["audit", str(tmp_path / name), "--pack", str(PACK), "--as-of", "2025-01-31",
                 *(f"--output={form}:{path}" for form, path in outputs.items())])
    err = capsys.readouterr().err
    assert code == 3 and "internal error" not in err, err  # the pack's own erroring rule
    for path in outputs.values():
        assert "strat\ufffdgie.toml" in path.read_text(encoding="utf-8"), path.name


def test_a_records_file_name_that_is_not_utf8_is_an_input_error_in_every_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"particip\xe9nts.csv")
    try:
        (tmp_path / name).write_bytes(b"person_id\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes only UTF-8 names")
    report = tmp_path / "report.json"
    code = main(["audit", str(bundled_strategy()), "--records",
                 f"participants={tmp_path / name}", "--output", f"json:{report}"])
    err = capsys.readouterr().err
    assert code == 2 and "internal error" not in err, err
    (failed,) = json.loads(report.read_text(encoding="utf-8"))["failed"]
    assert "particip\ufffdnts.csv" in failed["message"]
