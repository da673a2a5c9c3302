"""A VRU's own pack as its reports show it: a long rule code keeps apart from its title,
and a threshold says which pack, rule, parameter and year it came from in every format
people read."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpp_core import Report, audit
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.reports.formats.html import render_html
from vpp_core.reports.formats.junit import render_junit
from vpp_core.reports.formats.markdown import render_markdown
from vpp_core.reports.formats.text import render_text

PACK = """\
[pack]
name = "northmoor-local"
version = "2024.2"
prefix = "NORTHMOOR"

[[rules]]
code = "NORTHMOOR001"
name = "evaluation-floor"
title = "The evaluation line is at least {threshold:£}"
severity = "warning"
check = "metric-at-least"
parameters = { metric = "budget-line:evaluation", threshold = { "2024-25" = "150000" } }
"""
SOURCE = "pack northmoor-local 2024.2: NORTHMOOR001 threshold (2024-25)"


@pytest.fixture
def report(tmp_path: Path) -> Report:
    pack = tmp_path / "northmoor.toml"
    pack.write_text(PACK, encoding="utf-8")
    return audit(bundled_strategy(), packs=[str(pack)])


def test_a_code_longer_than_eight_characters_is_kept_apart_from_its_title(
        report: Report) -> None:
    for options in ({}, {"quiet": True}):
        text = render_text(report, options)
        assert "NORTHMOOR001 The evaluation line is at least £150,000" in text


def test_every_format_people_read_names_where_the_threshold_came_from(report: Report) -> None:
    (result,) = report.results
    assert result.evidence.threshold is not None
    assert result.evidence.threshold.source == SOURCE
    text = " ".join(render_text(report, {}).split())  # lines wrap at 100 columns
    assert f"£140,000 >= threshold £150,000 (from {SOURCE})" in text
    for render in (render_markdown, render_html, render_junit):
        assert f"(from {SOURCE})" in render(report, {}), render.__name__


def test_verbose_text_with_nothing_passed_has_no_empty_passed_heading(report: Report) -> None:
    # The one rule fails: "Passed:" with nothing beneath it read as a list cut short.
    lines = render_text(report, {"verbose": True}).splitlines()
    assert "Passed:" not in lines
    assert "Passed: none" in lines
