"""SARIF 2.1.0, so code-scanning tools show findings against the strategy file and line.

One run: the rules that produced results are the driver's rules; every result points at
its strategy file (and the line its subject or evidence is defined on, where known) and
names its subject as a logical location. A waived failure is a suppressed result; a rule
that errored and a strategy that could not be audited are tool execution notifications.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from vpp_core.model.escaping import (
    http_url,
    json_document,
    markdown_code,
    markdown_link,
    markdown_text,
)
from vpp_core.plugin_api.results import Result, Severity, Status
from vpp_core.reports.formats.common import (
    evidence_rows,
    reference_text,
    waiver_text,
)
from vpp_core.reports.formats.lines import Lines, records_row
from vpp_core.reports.report import Report, RuleDoc, StrategyAudit, finding_key, fingerprint

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/vpp-core/"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_KINDS = {Status.PASS: "pass", Status.FAIL: "fail", Status.WAIVED: "fail",
          Status.NOT_APPLICABLE: "notApplicable", Status.WITHHELD: "review"}


def artifact_uri(source: str) -> str:
    """A URI reference for a report's ``source``: relative paths stay relative."""
    path = PurePosixPath(source.replace("\\", "/"))
    if path.is_absolute():
        return "file://" + quote(str(path))
    return quote(str(path))


def rule_help(result: Result, doc: RuleDoc | None) -> dict[str, str]:
    """The rule's documentation as ``vpp rule`` gives it — what it checks, its references,
    its failing and passing examples — as SARIF ``help``: plain text and Markdown (text from
    packs escaped, only http(s) links)."""
    plain = [f"{result.code} {result.name}: {result.title}"]
    markdown = [f"**{result.code} {markdown_text(result.name)}**: {markdown_text(result.title)}"]
    if doc is not None and doc.description:
        plain.append(doc.description)
        markdown.append(markdown_text(doc.description))
    plain.append(f"Severity: {result.severity.value}. Check: {result.check}.")
    markdown.append(f"Severity: {result.severity.value}. Check: {markdown_code(result.check)}.")
    if result.references:
        plain.append("References:\n" + "\n".join(
            f"- {reference_text(reference)}" + (f" <{url}>" if (url := http_url(reference.url))
                                                 else "")
            for reference in result.references))
        markdown.append("References:\n\n" + "\n".join(
            f"- {markdown_link(reference_text(reference), reference.url)}"
            for reference in result.references))
    if doc is not None and doc.examples:
        plain.append("Examples:\n" + "\n".join(
            f"- {outcome}: {text}" for outcome, text in doc.examples))
        markdown.append("Examples:\n\n" + "\n".join(
            f"- {markdown_text(outcome)}: {markdown_text(text)}" for outcome, text in doc.examples))
    plain.append(f"vpp rule {result.code} shows its parameters and where each came from.")
    markdown.append(f"`vpp rule {result.code}` shows its parameters and where each came from.")
    return {"text": "\n\n".join(plain), "markdown": "\n\n".join(markdown)}


def _rule(result: Result, doc: RuleDoc | None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": result.code,
        "name": result.name,
        "shortDescription": {"text": result.title},
        "fullDescription": {"text": doc.description if doc and doc.description
                            else result.title},
        "help": rule_help(result, doc),
        "defaultConfiguration": {"level": _LEVELS[result.severity]},
        "properties": {
            "check": result.check,
            "severity": result.severity.value,
            "references": [reference_text(reference) for reference in result.references],
        },
    }
    urls = [url for url in (http_url(reference.url) for reference in result.references) if url]
    if urls:
        rule["helpUri"] = urls[0]
    return rule


def _message(result: Result) -> str:
    rows = [f"{what}: {value}" for what, value in evidence_rows(result.evidence)]
    return result.message + (" (" + "; ".join(rows) + ")" if rows else "")


# The results a code-scanning tool shows by default: what needs attention.
_SHOWN = (Status.FAIL, Status.WAIVED)


def records_kind(result: Result) -> str | None:
    """The kind of records a finding was counted from (``records:participants`` subjects,
    or a measured figure counted from records), or ``None``."""
    if result.subject.kind == "records":
        return result.subject.id
    measured = result.evidence.measured
    if measured is not None and measured.source.startswith("records:"):
        return measured.source.removeprefix("records:")
    return None


class _Artifacts:
    """The files results point at: each strategy file and each records file, once."""

    def __init__(self, report: Report) -> None:
        self.entries: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self.hashes = {item.path: item.sha256 for item in report.provenance.inputs}
        by_kind: dict[str, set[str]] = {}
        for item in report.provenance.inputs:
            if item.role.startswith("records:"):
                by_kind.setdefault(item.role.removeprefix("records:"), set()).add(item.path)
        # A kind read from one file only (a batch may read one per strategy).
        self.records = {kind: paths.pop() for kind, paths in by_kind.items() if len(paths) == 1}

    def add(self, source: str, role: str) -> int:
        if source not in self.index:
            entry: dict[str, Any] = {"location": {"uri": artifact_uri(source)}, "roles": [role]}
            if source in self.hashes:
                entry["hashes"] = {"sha-256": self.hashes[source]}
            self.index[source] = len(self.entries)
            self.entries.append(entry)
        return self.index[source]


def _records_location(artifacts: _Artifacts, path: str, line: int | None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {
        "uri": artifact_uri(path), "index": artifacts.add(path, "analysisTarget")}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _location(audit: StrategyAudit, result: Result, artifacts: _Artifacts, lines: Lines
              ) -> dict[str, Any]:
    """A finding about records (their rows) points at the records file and the first row
    named; any other at the strategy file and the line its subject is defined on."""
    kind = records_kind(result)
    row = records_row(result)
    records = artifacts.records.get(kind) if kind is not None else None
    if row is not None:
        location = _records_location(artifacts, *row)
    elif records is not None and result.subject.kind == "records":
        location = _records_location(artifacts, records, None)
    else:
        source = audit.strategy.source
        physical: dict[str, Any] = {"artifactLocation": {
            "uri": artifact_uri(source), "index": artifacts.add(source, "analysisTarget")}}
        line = lines.line(audit, result)
        if line is not None:
            physical["region"] = {"startLine": line}
        location = {"physicalLocation": physical}
    location["logicalLocations"] = [{
        "name": result.subject.id,
        "kind": result.subject.kind,
        "fullyQualifiedName": str(result.subject),
    }]
    return location


def _related(result: Result, artifacts: _Artifacts) -> list[dict[str, Any]]:
    """The records file a figure of a finding about the strategy was counted from."""
    kind = records_kind(result)
    records = artifacts.records.get(kind) if kind is not None else None
    if records is None or result.subject.kind == "records":
        return []
    related = _records_location(artifacts, records, None)
    related["id"] = 1
    related["message"] = {"text": f"counted from the {kind} records"}
    return [related]


def _result(report: Report, audit: StrategyAudit, result: Result, rule_index: int,
            artifacts: _Artifacts, lines: Lines) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ruleId": result.code,
        "ruleIndex": rule_index,
        "kind": _KINDS[result.status],
        "level": _LEVELS[result.severity] if result.status in (Status.FAIL, Status.WAIVED)
        else "none",
        "message": {"text": _message(result)},
        "locations": [_location(audit, result, artifacts, lines)],
        "partialFingerprints": {"vppSubject/v1": fingerprint(result.code, str(result.subject))},
        "properties": {
            "status": result.status.value,
            "strategy": audit.strategy.source,
            "subject": str(result.subject),
            "evidence": [{"what": what, "value": value}
                         for what, value in evidence_rows(result.evidence)],
            "plugin": f"{result.plugin.name} {result.plugin.version}",
        },
    }
    related = _related(result, artifacts)
    if related:
        data["relatedLocations"] = related
    if report.baseline is not None and result.status in _SHOWN:
        state = report.baseline.states.get(finding_key(audit, result), "new")
        data["baselineState"] = state
    if result.status is Status.WAIVED:
        data["suppressions"] = [{"kind": "external", "status": "accepted",
                                 "justification": waiver_text(result)}]
    return data


def _fixed(report: Report) -> Iterator[dict[str, Any]]:
    """The baseline's findings this audit no longer gives, as ``absent`` results."""
    if report.baseline is None:
        return
    for fixed in report.baseline.fixed:
        yield {
            "ruleId": fixed.code,
            "kind": "pass",
            "level": "none",
            "baselineState": "absent",
            "message": {"text": f"Fixed since the baseline: {fixed.title} ({fixed.subject})"},
            "partialFingerprints": {"vppSubject/v1": fingerprint(fixed.code, fixed.subject)},
            "properties": {"strategy": fixed.strategy, "subject": fixed.subject},
        }


def sarif_data(report: Report, *, everything: bool = False) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain data): failures (waived ones suppressed) and
    errors; passes and not-applicable results too when ``everything``."""
    lines = Lines()
    shown = [(audit, result) for audit in report.audits for result in audit.results
             if everything or result.status in (*_SHOWN, Status.ERROR)]
    rules: dict[str, dict[str, Any]] = {}
    for _, result in shown:
        if result.code not in rules:
            rules[result.code] = _rule(result, report.rule_doc(result.code))
    ordered = sorted(rules)
    rule_index = {code: index for index, code in enumerate(ordered)}
    artifacts = _Artifacts(report)
    for audit in report.audits:  # each strategy with the pack versions it ran
        entry = artifacts.entries[artifacts.add(audit.strategy.source, "analysisTarget")]
        entry["properties"] = {"packs": [
            dict(zip(("name", "version"), item.role.removeprefix("pack:").rsplit("@", 1),
                     strict=True)) | {"sha-256": item.sha256}
            for item in audit.inputs if item.role.startswith("pack:")]}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for audit, result in shown:
        if result.status is Status.ERROR:
            notifications.append({
                "level": "error",
                "message": {"text": f"{result.code} ({audit.strategy.source}): "
                                    f"{result.message}"},
                "associatedRule": {"id": result.code, "index": rule_index[result.code]},
                "locations": [_location(audit, result, artifacts, lines)],
            })
        else:
            results.append(_result(report, audit, result, rule_index[result.code],
                                   artifacts, lines))
    results.extend(_fixed(report))
    for unaudited, problem in ((failed, problem) for failed in report.failed
                               for problem in failed.named_lines):
        notifications.append({
            "level": "error",
            "message": {"text": problem},
            "descriptor": {"id": unaudited.reason},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(unaudited.source)}}}],
        })
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "vpp-core",
                "version": report.provenance.engine_version,
                "informationUri": INFORMATION_URI,
                "rules": [rules[code] for code in ordered],
            }},
            "invocations": [invocation],
            "artifacts": artifacts.entries,
            "results": results,
            "properties": {
                "packs": [f"{pack.name} {pack.version}" for pack in report.provenance.packs],
                "audience": report.audience,
                "disclosure": report.disclosure,
                "shown": "every result" if everything else "failures and errors",
            },
        }],
    }


def render_sarif(report: Report, options: Mapping[str, Any]) -> str:
    return json_document(sarif_data(report, everything=bool(options.get("sarif_all"))))
