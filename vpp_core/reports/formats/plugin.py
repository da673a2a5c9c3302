"""The core plugin offering the report formats beyond text and JSON.

Each format's module is imported only when a report is rendered in it, so that loading
the plugin costs ``vpp`` nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.specs import ReporterSpec

if TYPE_CHECKING:
    from vpp_core.reports.report import Report

# name → (module, function, file extension, description)
FORMATS = {
    "csv": ("csv_report", "render_csv", "csv",
            "Every result as a row of CSV, for an auditor's spreadsheet."),
    "html": ("html", "render_html", "html",
             "One self-contained HTML page: summary, findings with evidence, metrics, the "
             "Theory of Change; printable."),
    "junit": ("junit", "render_junit", "xml",
              "JUnit XML: a test case per rule and subject, for CI dashboards."),
    "markdown": ("markdown", "render_markdown", "md", "Markdown, for pasting into a report."),
    "sarif": ("sarif", "render_sarif", "sarif",
              "SARIF 2.1.0 pointing at the strategy file and line, for code scanning."),
    "xlsx": ("xlsx", "render_xlsx", "xlsx",
             "A workbook for auditors: Summary, Findings, Targets, Reach, Rules and "
             "Provenance sheets with typed cells (binary: write it with --output)."),
}


#: The formats written as bytes, only to a file.
BINARY = frozenset({"xlsx"})


def _lazy(module: str, function: str) -> Any:
    def render(report: Report, options: Mapping[str, Any]) -> str | bytes:
        renderer = getattr(import_module(f"vpp_core.reports.formats.{module}"), function)
        text: str | bytes = renderer(report, options)
        return text

    render.__module__ = __name__
    render.__qualname__ = render.__name__ = function
    return render


@hookimpl
def vpp_register_reporters() -> list[ReporterSpec]:
    return [ReporterSpec(name, _lazy(module, function), extension, description,
                         binary=name in BINARY)
            for name, (module, function, extension, description) in FORMATS.items()]
