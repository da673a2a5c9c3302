"""Where a result points in its strategy file, for the formats that show a line (SARIF,
JUnit, CSV, HTML), and the audited strategy read again for the formats that draw it (HTML,
Markdown); apart from :mod:`.common` so that a text or JSON report never reads the file."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import attrs

from vpp_core.loading.bundled import fixtures_folder, rules_folder
from vpp_core.loading.errors import VppError
from vpp_core.loading.locations import Locator
from vpp_core.model import Strategy
from vpp_core.plugin_api.results import Result
from vpp_core.reports.report import Report, StrategyAudit


def strategy_file(source: str) -> Path | None:
    """The file a report's ``source`` names: bundled files by package, others as given."""
    for package, folder in (("vpp_fixtures/", fixtures_folder), ("vpp_rules/", rules_folder)):
        if source.startswith(package):
            path = folder() / source.removeprefix(package)
            return path if path.is_file() else None
    path = Path(source)
    return path if path.is_file() else None


def audited_strategy(audit: StrategyAudit, report: Report) -> Strategy | None:
    """The audited strategy, read again, only if the file is unchanged since the audit."""
    from vpp_core.loading.strategy_io import load_strategy

    path = strategy_file(audit.strategy.source)
    if path is None:
        return None
    expected = {item.sha256 for item in report.provenance.inputs
                if item.role == "strategy" and item.path == audit.strategy.source}
    try:
        if expected and hashlib.sha256(path.read_bytes()).hexdigest() not in expected:
            return None
        return load_strategy(path)
    except (OSError, VppError):
        return None


# A row a check's note names in a records file: "participants.csv: row 849: bad date".
_ROW = re.compile(r"^(?P<path>.+?): (?:row|line) (?P<row>\d+)\b")


def records_row(result: Result) -> tuple[str, int] | None:
    """For a finding about records rows (subject ``records:KIND``), the records file and
    the first row its notes name (``FILE: row 849: …``)."""
    if result.subject.kind != "records":
        return None
    for note in result.evidence.notes:
        match = _ROW.match(note)
        if match:
            return match.group("path"), int(match.group("row"))
    return None


@attrs.define
class Lines:
    """Finds the line a result points at in its strategy file, reading each file once."""

    _locators: dict[str, Locator | None] = attrs.field(factory=dict)

    def locator(self, source: str) -> Locator | None:
        if source not in self._locators:
            path = strategy_file(source)
            try:
                self._locators[source] = Locator.from_path(path) if path else None
            except (OSError, UnicodeDecodeError):
                self._locators[source] = None
        return self._locators[source]

    def line(self, audit: StrategyAudit, result: Result) -> int | None:
        """The line of the result's subject; for the strategy as a whole, of the first
        field its evidence names; ``None`` when neither can be placed."""
        locator = self.locator(audit.strategy.source)
        if locator is None:
            return None
        if result.subject.kind != "strategy":
            line = locator.subject_line(result.subject.kind, result.subject.id)
            if line is not None:
                return line
        evidence = result.evidence
        for quantity in (evidence.measured, evidence.threshold, evidence.numerator,
                         evidence.denominator, *evidence.parts):
            if quantity is not None and quantity.source:
                line = locator.path_line(quantity.source)
                if line is not None:
                    return line
        return None
