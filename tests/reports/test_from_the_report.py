"""Report formats take what they show from the report: none reads an input file again, so a
strategy file changed (or gone) after the audit changes nothing in the reports."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from vpp_core import AuditOptions, audit, bundled_strategy
from vpp_core.reports.formats.html import render_html
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.formats.sarif import render_sarif


def _lines(sarif: str) -> list[int]:
    runs = json.loads(sarif)["runs"]
    return [location["physicalLocation"]["region"]["startLine"]
            for result in runs[0]["results"] for location in result.get("locations", [])
            if "region" in location["physicalLocation"]]


def test_reports_are_the_same_after_the_strategy_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "strategy.toml"
    shutil.copy(bundled_strategy(), path)
    report = audit(path, options=AuditOptions(as_of=date(2025, 1, 31)))
    before = (render_sarif(report, {}), render_html(report, {}), render_markdown(report, {}))
    lines = _lines(before[0])
    assert lines and "<svg" in before[1] and "Theory of Change" in before[2]
    path.write_text("# edited after the audit\n" * 10 + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    assert (render_sarif(report, {}), render_html(report, {}),
            render_markdown(report, {})) == before
    path.unlink()
    assert _lines(render_sarif(report, {})) == lines
    assert "<svg" in render_html(report, {})
