"""The HTML report in a real browser: headless Chromium renders it, its script runs without
error, and the key numbers are visible on the rendered page.

Skipped only when no Chromium is installed (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape, unescape
from pathlib import Path
from typing import Any

import pytest

from tests.reports.conftest import DATA, PACK, WAIVERS
from vpp_core import AuditOptions, Report, audit
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_records, bundled_strategy
from vpp_core.plugin_api.manager import make_plugins
from vpp_core.reports.formats.common import measurement_text, progress
from vpp_core.reports.formats.html import render_html

YEAR_END = date(2025, 3, 31)
REACH_PACK = DATA / "packs" / "reports-reach.toml"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium on this machine (apt-get install chromium); CI installs it",
)

# Runs before the page's own script: records every uncaught error on the page.
HEAD_PROBE = """<script>window.__errors = [];
window.addEventListener("error", function (event) { window.__errors.push(event.message); });
</script>"""
# Runs after it: writes what a reader sees (innerText leaves out what is not rendered).
TAIL_PROBE = """<script>
var seen = document.body.innerText;
var probe = document.createElement("pre"); probe.id = "probe-text"; probe.textContent = seen;
var errors = document.createElement("pre"); errors.id = "probe-errors";
errors.textContent = JSON.stringify(window.__errors);
document.body.appendChild(probe); document.body.appendChild(errors);
</script>"""


def _chromium(*arguments: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    with tempfile.TemporaryDirectory(prefix="vpp-chromium-") as profile:
        return subprocess.run(
            [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0", "--window-size=1280,2000", *arguments],
            capture_output=True, text=True, timeout=120, check=False,
        )


def _probed(page: str) -> str:
    return (page.replace("<head>", "<head>\n" + HEAD_PROBE, 1)
            .replace("</body>", TAIL_PROBE + "\n</body>", 1))


def _probe(dom: str, probe_id: str) -> str:
    match = re.search(rf'<pre id="{probe_id}">(.*?)</pre>', dom, re.S)
    assert match is not None, f"the probe {probe_id!r} did not run"
    return unescape(match.group(1))


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and re.search(r"error|uncaught", line, re.I)]


@pytest.fixture(scope="module")
def full_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The Thames Valley audit at the year's end with the report tests' packs and the
    target-counting pack, over the bundled participant records and generated campaign
    records (in place of the bundled campaign's: two campaigns' populations of the same areas
    are refused): findings of every status, real progress against each target, and campaign
    reach figures."""
    campaign = tmp_path_factory.mktemp("campaign")
    assert main(["generate-campaign", str(campaign)]) == 0
    participants = [path for path in bundled_records() if path.parent.name != "campaign"]
    return audit(bundled_strategy(), packs=[str(PACK), str(REACH_PACK), "targets"],
                 waivers=str(WAIVERS), records=[*participants, campaign / "records.toml"],
                 options=AuditOptions(as_of=YEAR_END), plugins=make_plugins())


@pytest.fixture(scope="module")
def page(full_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(full_report, {}), encoding="utf-8")
    return path


def test_the_page_needs_nothing_from_outside(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe|object|embed)\b", text)
    assert not re.search(r"<script[^>]*\bsrc=", text)
    assert not re.search(r"url\((?!#)|@import", text)  # only fragments of the page itself
    assert "<svg" in text


def test_the_page_renders_with_its_script_and_no_errors(page: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "report.png"
    shot = _chromium(f"--screenshot={screenshot}", page.as_uri())
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 20_000
    dumped = _chromium("--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    # The page's own script marks the page only when it ran to the end without error.
    assert 'data-report-ready="yes"' in dumped.stdout
    assert _console_errors(dumped.stderr) == []


def test_key_numbers_are_visible_on_the_rendered_page(
    page: Path, tmp_path: Path, full_report: Report
) -> None:
    probed = tmp_path / "probed.html"
    probed.write_text(_probed(page.read_text(encoding="utf-8")), encoding="utf-8")
    dumped = _chromium("--dump-dom", probed.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    assert _probe(dumped.stdout, "probe-errors") == "[]"
    seen = _probe(dumped.stdout, "probe-text")
    # The core grant for the year, as the overview and the failing rule's evidence show it.
    assert "VRU core grant, Year 3\t2024-25\tHome Office\t£1,510,000" in seen
    assert "Total as stated (“£1.51m”)\t£1,510,000" in seen
    # The failing rule, its severity in words, its subject and its shortfall.
    assert "Error RPT001 At least 60% of the core grant is invested in interventions " \
        "(1 subject)" in seen
    assert "grant core-2024-25\ngrant:core-2024-25\tFAIL" in seen
    assert "to comply: £73,500 short" in seen
    # A target's progress, drawn as a bar with its percentage in text.
    [custody] = [result for result in full_report.results if result.code == "TGT001"
                 and result.subject.id == "custody-coaches/24-and-under"]
    found = progress(custody)
    assert found is not None
    reached, target, share = found
    percent = f"{(share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"
    assert f"({percent})" in custody.message  # the figure the finding states
    row = (f"Custody Coaches, 24 and under\t{reached} people\t{target} people\t"
           f"\\s*{percent}\t{custody.status.value.upper()}")
    assert re.search(row, seen), row
    # A share metric drawn the same way, and the campaign's reach among the metrics.
    assert re.search(r"hospital-navigators\s*64%\s*new people reached", seen)
    reach = full_report.audits[0].metrics["campaign-unique-reach-at-least:total"]
    assert ("campaign-unique-reach-at-least\nOf\tValue\tNote\tSource\ntotal\t"
            f"{measurement_text(reach)}") \
        in seen
    assert measurement_text(reach).startswith("about ")
    # The Theory of Change is drawn (its SVG text is rendered) and the summary is there.
    assert "Less serious violence" in seen
    assert "Results per strategy" in seen


def test_a_failing_script_would_be_caught(tmp_path: Path) -> None:
    """The check above can fail: a page whose script throws is not marked ready."""
    broken = tmp_path / "broken.html"
    broken.write_text(_probed(
        '<!DOCTYPE html><html><head><title>x</title></head><body data-report-ready="no">'
        "<p>£1</p><script>undefinedFunction(); document.body.setAttribute("
        '"data-report-ready", "yes");</script></body></html>'), encoding="utf-8")
    dumped = _chromium("--dump-dom", broken.as_uri())
    assert 'data-report-ready="no"' in dumped.stdout
    assert "undefinedFunction" in _probe(dumped.stdout, "probe-errors")


def test_the_page_prints(page: Path, tmp_path: Path) -> None:
    """Printed (to PDF), the report keeps its pages: the print style sheet starts each
    strategy on a new page and hides what only works on screen."""
    assert "@media print" in page.read_text(encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    printed = _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert printed.returncode == 0, printed.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 3


def _at_width(page: Path, width: int, tmp_path: Path) -> dict[str, Any]:
    """What the page measures laid out ``width`` pixels wide: it is loaded into a frame of
    that width (headless Chromium's window is never narrower than 500 px)."""
    frame = tmp_path / f"frame-{width}.html"
    frame.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" style="width:{width}px;'
        f'height:900px;border:0" srcdoc="{escape(page.read_text(encoding="utf-8"))}">'
        "</iframe><script>" + WIDTH_PROBE + "</script></body></html>", encoding="utf-8")
    dumped = _chromium("--dump-dom", frame.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    measured: dict[str, Any] = json.loads(_probe(dumped.stdout, "probe-width"))
    return measured


# Measures the framed page: its width, what sticks out past the viewport (a table or the
# Theory of Change may scroll inside its own box, the page may not), the drawing's text.
WIDTH_PROBE = """window.addEventListener("load", function () {
  var frame = document.getElementById("f"), doc = frame.contentDocument;
  var out = [];
  doc.querySelectorAll("body *").forEach(function (node) {
    var box = node.getBoundingClientRect();
    if (box.right > frame.contentWindow.innerWidth + 1
        && !node.parentElement.closest(".table-wrap, .toc-figure")) {
      out.push(node.tagName + "." + node.className);
    }
  });
  var text = [].map.call(doc.querySelectorAll(".toc-figure svg text"),
                         function (t) { return t.getBoundingClientRect().height; });
  var figure = doc.querySelector(".toc-figure");
  var probe = document.createElement("pre"); probe.id = "probe-width";
  probe.textContent = JSON.stringify({
    viewport: frame.contentWindow.innerWidth, page: doc.documentElement.scrollWidth,
    sticking_out: out.slice(0, 10), toc_text: Math.min.apply(null, text),
    toc_scrolls: figure.scrollWidth > figure.clientWidth});
  document.body.appendChild(probe);
});"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_horizontal_overflow(page: Path, tmp_path: Path, width: int) -> None:
    measured = _at_width(page, width, tmp_path)
    assert measured["viewport"] == width
    assert measured["page"] <= width
    assert measured["sticking_out"] == []
    # The Theory of Change stays legible: its text at least 11 px high, the drawing
    # scrolling sideways on a phone rather than shrinking.
    assert measured["toc_text"] >= 11
    if width == 390:
        assert measured["toc_scrolls"] is True


def test_the_overflow_check_can_fail(tmp_path: Path) -> None:
    """A page with a block wider than the phone is caught at 390 px."""
    wide = tmp_path / "wide.html"
    wide.write_text('<!DOCTYPE html><html><body><p style="width:1024px">'
                    + "sha256 " * 200 + '</p><figure class="toc-figure"><svg><text>x</text>'
                    "</svg></figure></body></html>", encoding="utf-8")
    measured = _at_width(wide, 390, tmp_path)
    assert measured["page"] > 390
    assert measured["sticking_out"]
