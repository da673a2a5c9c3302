"""Where a result points in its strategy file, and the audited strategy, for the formats
that show a line (SARIF, JUnit, CSV, HTML) or draw the strategy (HTML, Markdown): both come
from the report (the file's text as audited), so no format reads an input file again."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from vpp_core.loading.errors import VppError
from vpp_core.loading.locations import Locator
from vpp_core.model import Strategy
from vpp_core.plugin_api.results import Result
from vpp_core.reports.report import Report, StrategyAudit


def _line(locator: Locator, result: Result) -> int | None:
    """The line of the result's subject; for the strategy as a whole, of the first field
    its evidence names; ``None`` when neither can be placed."""
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


def audited_strategy(audit: StrategyAudit, report: Report) -> Strategy | None:
    """The strategy audited, read from the text of its file the report carries (``None``
    if it carries none)."""
    import tomli

    from vpp_core.loading.strategy_io import strategy_from_data

    if not audit.source_text:
        return None
    try:
        return strategy_from_data(tomli.loads(audit.source_text), Path(audit.strategy.source))
    except (tomli.TOMLDecodeError, VppError):
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
    """Finds the line a result points at in the text of its strategy file as audited,
    locating each audit's file once."""

    _locators: dict[int, Locator | None] = attrs.field(factory=dict)

    def line(self, audit: StrategyAudit, result: Result) -> int | None:
        if id(audit) not in self._locators:
            self._locators[id(audit)] = (Locator.from_text(audit.source_text)
                                         if audit.source_text else None)
        locator = self._locators[id(audit)]
        return _line(locator, result) if locator is not None else None
