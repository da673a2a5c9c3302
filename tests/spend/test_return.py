"""``vpp return --quarter 2024-25-Q3`` for Thames Valley in every format, bad rows and bad
input, and ``vpp rules diff`` between two versions of a pack."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.spend.conftest import SPEND_HEADER, write
from vpp_core import CellFormat
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def q3_json() -> Any:
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["return", "--example", "--quarter", "2024-25-Q3", "--format", "json"]) == 0
    return json.loads(buffer.getvalue())


def test_the_q3_return_holds_every_section_as_of_the_quarter_end(
        q3_json: Any) -> None:
    data = q3_json
    assert data["as_of"] == "2024-12-31" and data["quarter"] == "2024-25-Q3"
    assert "no public template" in str(data["layout"])
    forecasts = {row["key"]: row for row in data["forecasts"]}
    core = forecasts["core-2024-25"]
    assert core["allocation"] == "1510000.00"  # exact, as the audit's JSON gives money
    assert core["range"] == [core["forecast_run_rate"], core["forecast_profile_based"]]
    match = data["match_funding"]
    assert match["required"] == "302000.00" and match["evidenced"] == "200000.00"
    assert [s["partner"] for s in match["sources"]] == [
        "Office of the Police & Crime Commissioner", "Oxfordshire County Council",
        "Thames Valley Police"]
    actions = {(row["code"], row["subject"]) for row in data["actions"]}
    assert {("SPEND003", "spend-line:tvt-uplift/mash"), ("SPEND006", "grant:core-2024-25"),
            ("SPEND007", "milestone:school-navigators/2024-09-30"),
            ("FUND003", "grant:core-2024-25")} <= actions
    assert [row["code"] for row in data["conditions"]] == [
        "FUND001", "SPEND004", "FUND002", "SPEND005"]
    assert any(row["code"] == "TGT002" for row in data["targets"])
    spend = next(r for r in data["records"] if r["kind"] == "spend")
    assert (spend["rows_read"], spend["rows_used"]) == (132, 130)
    assert len(spend["left_out"]) == 2  # a month 13 and an unknown grant, by file and reason


def test_the_q3_return_in_markdown_and_html(capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
    code, out, _ = _run(capsys, "return", "--example", "--quarter", "2024-25-Q3",
                        "--format", "markdown")
    assert code == 0
    assert out.startswith("# Quarterly return, 2024-25-Q3: Thames Valley Violence Prevention")
    assert "## Failures that need action" in out
    assert "| SPEND006 | error | grant:core-2024-25 |" in out
    page = tmp_path / "return.html"
    assert main(["return", "--example", "--quarter", "2024-25-Q3", "--output", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    parser = HTMLParser()
    parser.feed(text)
    assert "<h2>Year-end forecasts and risk</h2>" in text
    assert '<td class="red">red</td>' in text
    assert "Office of the Police &amp; Crime Commissioner" in text


def test_a_published_return_suppresses_small_counts(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "return", "--example", "--quarter", "2024-25-Q3", "--format", "json",
                     "--published")
    data = json.loads(out)
    rows = {row["subject"]: row for row in data["value_for_money"]}
    blue = rows["Blue Light Mentoring, professionals trained"]  # 2 trained
    assert (blue["reached"], blue["per_head"]) == ("<5", "")
    assert data["audience"].startswith("Published report")
    trained = next(row for row in data["targets"]
                   if row["subject"] == "target:blue-light-mentoring/professionals-trained")
    assert (trained["status"], trained["message"]) == ("withheld", (  # 2 of 3: "fail" tells
        "Blue Light Mentoring, professionals trained: status withheld; counts of people "
        "suppressed for publication (fewer than 5)"))


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (CI installs it)")
def test_the_html_return_renders_in_a_browser(tmp_path: Path) -> None:
    page = tmp_path / "return.html"
    assert main(["return", "--example", "--quarter", "2024-25-Q3", "--output", str(page)]) == 0
    assert BROWSER is not None
    with tempfile.TemporaryDirectory(prefix="vpp-chromium-") as profile:
        dumped = subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert re.search(r"<h2>Match funding: £200,000 evidenced against £302,000", dumped.stdout)


def test_a_bad_row_is_reported_and_left_out(tmp_path: Path) -> None:
    from vpp_plugins.spend.ledger import read_spend_records

    from vpp_core import RecordSource, load_strategy

    spend = write(tmp_path, "s.csv", SPEND_HEADER + (
        "2024-05-10,core-2024-25,programme-team,60000,cash,,\n"
        "2024-05-11,core-2024-25,programme-team,sixty,cash,,\n"
        "2024-05-12,core-2099-00,programme-team,10,cash,,\n"))
    records = read_spend_records(load_strategy(bundled_strategy()),
                                 [RecordSource("spend", spend)])
    table = records.account("spend")
    assert table is not None
    assert (table.rows_read, table.rows_used) == (3, 1)
    assert [(row.row, row.reason) for row in table.rejected] == [
        (3, 'bad number in "amount"'), (4, 'unknown "grant"')]
    assert [row.amount for row in records.spent] == [60000]


def test_a_spend_file_without_an_amount_column_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spend = write(tmp_path, "s.csv", "date,grant,line,type\n2024-05-10,core-2024-25,x,cash\n")
    code, _, err = _run(capsys, "return", str(bundled_strategy()), "--quarter", "2024-25-Q3",
                        "--records", f"spend={spend}")
    assert code == 2
    assert re.fullmatch(r"error: .*s\.csv: no column 'amount' \(its columns: .*\)\n", err)


def test_a_quarter_of_another_year_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "return", "--example", "--quarter", "2023-24-Q3")
    assert code == 2 and "the strategy is for 2024-25" in err
    code, _, err = _run(capsys, "return", "--example", "--quarter", "Q3")
    assert code == 2 and "expected a quarter such as 2024-25-Q3" in err


def test_rules_diff_between_two_versions_of_a_pack(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = (Path(__file__).parents[2] / "rules" / "home-office-vru-core.toml").read_text()
    new = (old.replace('version = "2024.1"', 'version = "2025.1"', 1)
           .replace('"2024-25" = "0.20" }', '"2024-25" = "0.20", "2025-26" = "0.25" }', 1))
    new = re.sub(r'(code = "FUND004"\n(?:.*\n)*?severity = )"warning"', r'\1"error"', new,
                 count=1)
    start = new.index('[[rules]]\ncode = "FUND008"')
    following = new.find("[[rules]]", start + 1)
    new = new[:start] + (new[following:] if following > 0 else "")
    new_path = write(tmp_path, "home-office-2025.toml", new)
    code, out, _ = _run(capsys, "rules", "diff", "home-office-vru-core", str(new_path))
    assert code == 0
    assert out.splitlines() == [
        "--- home-office-vru-core 2024.1",
        "+++ home-office-vru-core 2025.1",
        "removed  FUND008 (info) Activity funded by carry-over from the previous year is "
        "stated with its amount",
        "changed  FUND003 Match funding recorded is at least 25% of the year's core grant",
        "           parameter share for 2025-26: (none) → 0.25",
        "changed  FUND004 The budget's lines add up to the total it states",
        "           severity: warning → error",
    ]
    code, out, _ = _run(capsys, "rules", "diff", str(new_path), "home-office-vru-core")
    assert "added    FUND008 (info)" in out
    code, _, err = _run(capsys, "rules", "diff", "home-office-vru-core")
    assert code == 2 and "expected 'vpp rules diff OLD NEW'" in err


def test_another_vru_gets_its_return_from_its_own_data(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    essex = Path(__file__).parents[2] / "fixtures" / "essex-2024-25" / "strategy.toml"
    ledger, profile = tmp_path / "spend.csv", tmp_path / "profile.csv"
    assert main(["generate-spend", str(ledger), "--strategy", str(essex), "--rows", "2000",
                 "--profile", str(profile)]) == 0
    # A finance export names its columns its own way: mapped on the command line.
    exported = tmp_path / "export.csv"
    exported.write_text(ledger.read_text().replace("date,grant,line,amount",
                                                   "Posted,Fund,Cost centre,Net", 1))
    code, out, _ = _run(capsys, "return", str(essex), "--quarter", "2024-25-Q2", "--format",
                        "json", "--records",
                        f"spend={exported};date=Posted,grant=Fund,line=Cost centre,amount=Net",
                        "--records", f"spend-profile={profile}")
    assert code == 0
    data = json.loads(out)
    assert data["partnership"] == "Essex Violence and Vulnerability Unit"
    (grant,) = data["spend_against_profile"]["grants"]
    assert grant["profile_for_year"] == "1512572.00"  # the Essex budget's lines
    assert data["records"][0] == {"kind": "spend", "rows_read": 2000, "rows_used": 2000,
                                  "left_out": [], "notes": []}


def test_vpp_records_kinds_lists_the_spend_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "records", "kinds", "match-funding")
    assert code == 0
    assert "fte" in out and "annual_cost" in out and "evidence" in out


def test_a_profile_given_twice_is_refused_with_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The bundled strategy has its own [[spend_profile]]: a second profile as records is
    # an error, never a mix of the two.
    profile = write(tmp_path, "p.csv", "grant,line,period,amount\n"
                    "core-2024-25,programme-team,2024-25-Q1,1\n")
    spend = Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25" / "spend"
    code, out, err = _run(capsys, "return", str(bundled_strategy()), "--quarter", "2024-25-Q3",
                          "--records", str(spend), "--records", f"spend-profile={profile}")
    assert (code, out) == (2, "")
    assert err.strip() == (f"error: {profile}: spend-profile records given, but the strategy "
                           "has its own spend profile (58 entries in [[spend_profile]]): give "
                           "the profile in one place only")


def _pounds(text: str) -> Decimal:
    """Money in the JSON return (``"-1234.50"``) as a number."""
    return Decimal(text)


def _number(cell: Any) -> Decimal:
    return Decimal(str(cell.value))


def test_the_q3_return_as_a_workbook_holds_the_json_figures(
        q3_json: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "return.xlsx"
    assert main(["return", "--example", "--quarter", "2024-25-Q3", "--format", "xlsx",
                 "--output", str(path)]) == 0
    book = load_workbook(path)
    assert book.sheetnames == [
        "Summary", "Spend against profile", "Forecasts and risk", "Grant conditions",
        "Spend needing a reason", "Match funding", "Targets to date", "Value for money",
        "Milestones", "Actions", "Records read"]
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)
               if row[0].value}
    assert summary["As of"].value.date() == date(2024, 12, 31)
    assert summary["Match funding required"].value == 302000
    assert summary["Match funding required"].number_format == CellFormat.MONEY

    sheet = book["Spend against profile"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:I{sheet.max_row}"
    spend = q3_json["spend_against_profile"]
    expected = [*spend["grants"], *spend["lines"], *spend["interventions"]]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(expected) == 3 + 16 + 10  # grants, grant lines, interventions
    for row, want in zip(rows, expected, strict=True):
        assert row[1].value == want["label"]
        for cell, field in zip(row[2:5], ("spend_to_date", "profile_to_date", "variance"),
                               strict=True):
            assert (_number(cell), cell.number_format) == (_pounds(want[field]), CellFormat.MONEY)
        share = row[5]
        if want["variance_share"]:
            assert share.number_format == CellFormat.SHARE
            assert round(_number(share), 6) == Decimal(str(want["variance_share"]))
        assert row[6].value == want["rag"]

    forecasts = list(book["Forecasts and risk"].iter_rows(min_row=2))
    assert [(row[0].value, _number(row[2]), _number(row[3]), _number(row[5]))
            for row in forecasts] == [
        (f["label"], _pounds(f["forecast_profile_based"]), _pounds(f["forecast_run_rate"]),
         _pounds(f["allocation"])) for f in q3_json["forecasts"]]
    sources = list(book["Match funding"].iter_rows(min_row=2))
    assert [(row[0].value, _number(row[2])) for row in sources] == [
        (s["partner"], _pounds(s["contribution"])) for s in q3_json["match_funding"]["sources"]]
    value = list(book["Value for money"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], "" if row[2] is None else row[2]) for row in value] == [
        (v["subject"], v["reached"]) for v in q3_json["value_for_money"]]
    assert any(isinstance(row[2], int) for row in value)  # counts are numbers
    milestones = list(book["Milestones"].iter_rows(min_row=2))
    assert [(row[0].value, row[2].value.date().isoformat(), row[4].value)
            for row in milestones] == [
        (m["intervention"], m["due"], m["overdue"]) for m in q3_json["milestones"]]
    actions = list(book["Actions"].iter_rows(min_row=2, values_only=True))
    assert [(code, subject) for code, _, subject, _ in actions] == [
        (a["code"], a["subject"]) for a in q3_json["actions"]]


def test_text_in_the_workbook_is_never_a_formula(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    partner = '=HYPERLINK("http://example.com","pay")'
    evidence = write(tmp_path, "m.csv",
                     "grant,partner,type,amount,fte,annual_cost,start,end,evidence\n"
                     f'core-2024-25,"{partner.replace(chr(34), chr(34) * 2)}",cash,1000,,,'
                     "2024-04-01,2025-03-31,@SUM(A1)\n")
    spend = Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25" / "spend"
    path = tmp_path / "return.xlsx"
    code, _, err = _run(capsys, "return", str(bundled_strategy()), "--quarter", "2024-25-Q3",
                        "--records", str(spend), "--records", f"match-funding={evidence}",
                        "--format", "xlsx", "--output", str(path))
    assert code == 0, err
    rows = list(load_workbook(path)["Match funding"].iter_rows(min_row=2))
    (row,) = [row for row in rows if row[0].value == partner]
    assert (row[0].data_type, row[4].value, row[4].data_type) == ("s", "@SUM(A1)", "s")


def test_a_partner_name_with_an_escape_sequence_or_override_is_inert_in_the_page(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A match-funding partner's name from another organisation's file: markup escaped,
    # and no escape sequence, control character or right-to-left override kept.
    evidence = write(tmp_path, "m.csv",
                     "grant,partner,type,amount,fte,annual_cost,start,end,evidence\n"
                     'core-2024-25,"<b>Partner</b>\x1b[2J\u202eTrust\x01",cash,1000,,,'
                     "2024-04-01,2025-03-31,letter\n")
    spend = Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25" / "spend"
    code, page, err = _run(capsys, "return", str(bundled_strategy()), "--quarter", "2024-25-Q3",
                           "--records", str(spend), "--records", f"match-funding={evidence}",
                           "--format", "html")
    assert code == 0, err
    assert "&lt;b&gt;Partner&lt;/b&gt;Trust" in page
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", page)


def test_a_pipe_in_a_partner_name_stays_inside_its_markdown_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence = write(tmp_path, "m.csv",
                     "grant,partner,type,amount,fte,annual_cost,start,end,evidence\n"
                     'core-2024-25,"Trust | Fund",cash,1000,,,2024-04-01,2025-03-31,letter\n')
    spend = Path(__file__).parents[2] / "fixtures" / "thames-valley-2024-25" / "spend"
    code, text, err = _run(capsys, "return", str(bundled_strategy()), "--quarter", "2024-25-Q3",
                           "--records", str(spend), "--records", f"match-funding={evidence}",
                           "--format", "markdown")
    assert code == 0, err
    (row,) = [line for line in text.splitlines() if "Trust" in line and "Fund" in line]
    header = text.splitlines()[text.splitlines().index(row) - 1]
    while not header.startswith("| "):  # the table's heading row, above its rule
        header = text.splitlines()[text.splitlines().index(header) - 1]
    assert "Trust \\| Fund" in row  # one backslash: the pipe is literal
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == len(re.split(r"(?<!\\)\|", header))


def test_a_workbook_needs_a_file_to_go_to(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "return", "--example", "--quarter", "2024-25-Q3",
                          "--format", "xlsx")
    assert (code, out) == (2, "")
    assert "error: vpp return --format xlsx: name the workbook to write with --output" in err
