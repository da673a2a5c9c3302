"""The report of an audit: results per strategy, waiver notes, metrics, provenance.

A report is data. :meth:`Report.exit_code` holds the command line's exit-code rule and
:func:`report_data` turns a report into plain, deterministic JSON-ready data (decimals
as strings, dates as ISO text), so it can be stored and diffed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import attrs
import cattrs

from vpp_core.plugin_api.results import PluginInfo, Result, Severity, Status
from vpp_core.plugin_api.specs import Measurement
from vpp_core.rules.engine import AuditOptions
from vpp_core.rules.waivers import WaiverNote

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT_ERROR = 2
EXIT_RULE_ERROR = 3

REPORT_SCHEMA_VERSION = 1
REPORT_SCHEMA = f"schemas/report-{REPORT_SCHEMA_VERSION}.schema.json"


def report_schema() -> dict[str, Any]:
    """The JSON Schema that :func:`report_data` (``--format json``) follows, shipped in the
    package as ``vpp_core/schemas/report-1.schema.json``."""
    schema: dict[str, Any] = json.loads(
        files("vpp_core").joinpath(REPORT_SCHEMA).read_text(encoding="utf-8"))
    return schema


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@attrs.frozen
class PackInfo:
    """A pack a run used: its name, version, where it was read from, the hash of its bytes."""

    name: str
    version: str
    source: str
    sha256: str


@attrs.frozen
class InputFile:
    """An input file a run read (``strategy``, ``waivers``, ``records:<kind>``)."""

    role: str
    path: str
    sha256: str


@attrs.frozen
class Provenance:
    """What produced a report: the engine, the packs, the plugins, the input files."""

    engine_version: str
    packs: tuple[PackInfo, ...] = ()
    plugins: tuple[PluginInfo, ...] = ()
    inputs: tuple[InputFile, ...] = ()


@attrs.frozen
class StrategyIdentity:
    """Which strategy was audited: the partnership, the year, the document, the file."""

    partnership: str
    short_name: str
    financial_year: str
    title: str
    source: str


@attrs.frozen
class SwitchedOff:
    """A rule a pack switched off (``enabled = false``): never run, listed in every report
    with the pack that switched it off, for each strategy whose packs did."""

    code: str
    name: str
    title: str
    pack: str


@attrs.frozen
class StrategyAudit:
    """One strategy's results (sorted by code, then subject), the metrics computed, and the
    files that shaped them (its strategy file, the records and plugin data its rules read,
    the local plugins, waivers and trust list), so a batch says which strategy read what."""

    strategy: StrategyIdentity
    results: tuple[Result, ...]
    metrics: Mapping[str, Measurement] = attrs.field(factory=dict)
    inputs: tuple[InputFile, ...] = ()
    #: The rules its packs switched off (in a batch, strategies may have packs of their own).
    switched_off: tuple[SwitchedOff, ...] = ()
    #: The text of its strategy file as audited, for the formats that draw the strategy
    #: (HTML, Markdown) or point at its lines (SARIF, JUnit, CSV, HTML): no report format
    #: reads an input file again. (Text, not the model: a batch's workers send it cheaply.)
    source_text: str = attrs.field(default="", eq=False, repr=False)


@attrs.frozen
class FailedAudit:
    """A strategy a batch could not audit: bad input, a plugin that failed, a time-out.

    ``reason`` is ``input`` (bad input, a :class:`vpp_core.loading.errors.VppError`) or ``plugin``
    (a local plugin that cannot be loaded), both exit code 2; ``crash`` (a plugin or the
    process running it failed outside any check) or ``timeout``, both exit code 3.
    ``problems`` holds every line of the error.
    """

    source: str
    reason: str
    message: str
    problems: tuple[str, ...] = ()
    exit_code: int = EXIT_INPUT_ERROR

    @property
    def lines(self) -> tuple[str, ...]:
        """Every problem, one line each (the message, when no problem is listed)."""
        return self.problems or (self.message,)

    @property
    def named_lines(self) -> tuple[str, ...]:
        """Every problem, naming the strategy where the problem lies in another file (a
        pack, a records file), so a batch's reader knows which strategy it stopped."""
        return tuple(line if line.startswith(self.source) else f"{line} (auditing {self.source})"
                     for line in self.lines)


@attrs.frozen
class RuleDoc:
    """A rule's documentation as ``vpp rule`` prints it, for the formats that carry help
    (SARIF): its description filled with its parameters, and its examples."""

    code: str
    description: str = ""
    #: ``(outcome, text)`` for each of the rule's examples.
    examples: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class FixedFinding:
    """A finding of the baseline report that this audit no longer gives."""

    strategy: str
    code: str
    subject: str
    title: str
    severity: str


@attrs.frozen
class Baseline:
    """This audit against an earlier report (``--baseline``): each failing finding's state
    (``new`` or ``unchanged``) by :func:`finding_key`, and the findings fixed since."""

    source: str
    states: Mapping[str, str] = attrs.field(factory=dict)
    fixed: tuple[FixedFinding, ...] = ()


def fingerprint(code: str, subject: str) -> str:
    """A finding's stable fingerprint, SARIF's ``partialFingerprints``: ``FUND003:grant:x``."""
    return f"{code}:{subject}"


def finding_key(audit: StrategyAudit, result: Result) -> str:
    """A finding's fingerprint within its strategy (partnership), for baselines."""
    return f"{audit.strategy.partnership}\0{fingerprint(result.code, str(result.subject))}"


def count_statuses(results: Iterable[Result]) -> dict[str, int]:
    """How many results have each status, every status present (zero included), but
    ``withheld`` only where a published report withheld one."""
    counted = Counter(result.status for result in results)
    return {status.value: counted.get(status, 0) for status in Status
            if status is not Status.WITHHELD or status in counted}


@attrs.frozen
class Report:
    """Everything an audit found, in a deterministic order."""

    audits: tuple[StrategyAudit, ...]
    provenance: Provenance
    options: AuditOptions = attrs.field(factory=AuditOptions)
    waivers: tuple[WaiverNote, ...] = ()
    #: The day waivers were judged against (``options.as_of``, or the day of the run).
    waivers_as_of: date | None = None
    notes: tuple[str, ...] = ()
    failed: tuple[FailedAudit, ...] = ()
    #: Every rule switched off for any of its strategies (each strategy lists its own).
    switched_off: tuple[SwitchedOff, ...] = ()
    rule_docs: tuple[RuleDoc, ...] = ()
    #: ``internal`` (exact figures) or ``published`` (small counts of people suppressed).
    audience: str = "internal"
    #: The line every output carries to say which it is.
    disclosure: str = "Internal report: exact counts, not for publication."
    baseline: Baseline | None = None

    def rule_doc(self, code: str) -> RuleDoc | None:
        return next((doc for doc in self.rule_docs if doc.code == code), None)

    @property
    def results(self) -> tuple[Result, ...]:
        """Every result of every strategy, strategy by strategy."""
        return tuple(self._all_results())

    def _all_results(self) -> Iterator[Result]:
        for audit in self.audits:
            yield from audit.results

    def counts(self) -> dict[str, int]:
        """Results by status: pass, fail, not-applicable, error, waived."""
        return count_statuses(self._all_results())

    def failures(self, fail_on: Severity | None = None) -> tuple[Result, ...]:
        """Failing results at or above ``fail_on`` (the options' if unset)."""
        least = fail_on or self.options.fail_on
        return tuple(result for result in self.results
                     if result.status is Status.FAIL and result.severity.rank >= least.rank)

    def exit_code(self, fail_on: Severity | None = None) -> int:
        """3 if a rule errored; else 1 if a failure is at or above ``fail_on``; else 0.

        A strategy a batch could not audit counts with its own code (2 or 3): a batch
        exits with the highest code any of its strategies gives.
        """
        least = (fail_on or self.options.fail_on).rank
        code = EXIT_OK
        for result in self._all_results():
            if result.status is Status.ERROR:
                code = EXIT_RULE_ERROR
                break
            if result.status is Status.FAIL and result.severity.rank >= least:
                code = EXIT_FINDINGS
        return max([code, *(failed.exit_code for failed in self.failed)])


def _data_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(Decimal, str)
    converter.register_unstructure_hook(date, date.isoformat)
    converter.register_unstructure_hook(Path, str)
    return converter


_DATA = _data_converter()


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain data for JSON: stable keys, decimals as strings, no reprs."""
    # The strategies' results are unstructured below, once, with their counts.
    data: dict[str, Any] = _DATA.unstructure(attrs.evolve(report, audits=()))
    data.pop("audits")
    data.pop("rule_docs")
    if report.baseline is None:
        data.pop("baseline")
    else:
        data["baseline"]["states"] = dict(sorted(
            (key.replace("\0", " "), state) for key, state in report.baseline.states.items()))
    data["strategies"] = [
        {
            "strategy": _DATA.unstructure(audit.strategy),
            "counts": count_statuses(audit.results),
            "results": [_DATA.unstructure(result) for result in audit.results],
            "metrics": {name: _DATA.unstructure(value) for name, value in audit.metrics.items()},
            "inputs": [_DATA.unstructure(item) for item in audit.inputs],
            "switched_off": [_DATA.unstructure(item) for item in audit.switched_off],
        }
        for audit in report.audits
    ]
    data["counts"] = report.counts()
    data["exit_code"] = report.exit_code()
    data["schema_version"] = REPORT_SCHEMA_VERSION
    return data
