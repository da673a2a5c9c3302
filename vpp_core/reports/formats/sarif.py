"""SARIF 2.1.0, so code-scanning tools show findings against the strategy file and line.

One run: the rules that produced results are the driver's rules; every result points at
its strategy file (and the line its subject or evidence is defined on, where known) and
names its subject as a logical location. A waived failure is a suppressed result; a rule
that errored and a strategy that could not be audited are tool execution notifications.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from vpp_core.model.escaping import http_url
from vpp_core.plugin_api.results import Result, Severity, Status
from vpp_core.reports.formats.common import (
    evidence_rows,
    reference_text,
    waiver_text,
)
from vpp_core.reports.formats.lines import Lines
from vpp_core.reports.report import Report, StrategyAudit

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/vpp-core/"

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_KINDS = {Status.PASS: "pass", Status.FAIL: "fail", Status.WAIVED: "fail",
          Status.NOT_APPLICABLE: "notApplicable"}


def artifact_uri(source: str) -> str:
    """A URI reference for a report's ``source``: relative paths stay relative."""
    path = PurePosixPath(source.replace("\\", "/"))
    if path.is_absolute():
        return "file://" + quote(str(path))
    return quote(str(path))


def _rule(result: Result) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": result.code,
        "name": result.name,
        "shortDescription": {"text": result.title},
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


def _location(audit: StrategyAudit, result: Result, artifact: int, lines: Lines
              ) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": artifact_uri(audit.strategy.source), "index": artifact},
    }
    line = lines.line(audit, result)
    if line is not None:
        physical["region"] = {"startLine": line}
    return {
        "physicalLocation": physical,
        "logicalLocations": [{
            "name": result.subject.id,
            "kind": result.subject.kind,
            "fullyQualifiedName": str(result.subject),
        }],
    }


def _result(audit: StrategyAudit, result: Result, rule_index: int, artifact: int,
            lines: Lines) -> dict[str, Any]:
    data: dict[str, Any] = {
        "ruleId": result.code,
        "ruleIndex": rule_index,
        "kind": _KINDS[result.status],
        "level": _LEVELS[result.severity] if result.status in (Status.FAIL, Status.WAIVED)
        else "none",
        "message": {"text": _message(result)},
        "locations": [_location(audit, result, artifact, lines)],
        "partialFingerprints": {"vppSubject/v1": f"{result.code}:{result.subject}"},
        "properties": {
            "status": result.status.value,
            "strategy": audit.strategy.source,
            "subject": str(result.subject),
            "evidence": [{"what": what, "value": value}
                         for what, value in evidence_rows(result.evidence)],
            "plugin": f"{result.plugin.name} {result.plugin.version}",
        },
    }
    if result.status is Status.WAIVED:
        data["suppressions"] = [{"kind": "external", "status": "accepted",
                                 "justification": waiver_text(result)}]
    return data


def sarif_data(report: Report) -> dict[str, Any]:
    """The report as a SARIF 2.1.0 log (plain data)."""
    lines = Lines()
    rules: dict[str, dict[str, Any]] = {}
    for audit in report.audits:
        for result in audit.results:
            rules.setdefault(result.code, _rule(result))
    ordered = sorted(rules)
    rule_index = {code: index for index, code in enumerate(ordered)}
    artifacts: list[dict[str, Any]] = []
    hashes = {item.path: item.sha256 for item in report.provenance.inputs
              if item.role == "strategy"}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for audit in report.audits:
        artifact = len(artifacts)
        entry: dict[str, Any] = {"location": {"uri": artifact_uri(audit.strategy.source)},
                                 "roles": ["analysisTarget"]}
        if audit.strategy.source in hashes:
            entry["hashes"] = {"sha-256": hashes[audit.strategy.source]}
        artifacts.append(entry)
        for result in audit.results:
            if result.status is Status.ERROR:
                notifications.append({
                    "level": "error",
                    "message": {"text": f"{result.code} ({audit.strategy.source}): "
                                        f"{result.message}"},
                    "associatedRule": {"id": result.code, "index": rule_index[result.code]},
                    "locations": [_location(audit, result, artifact, lines)],
                })
            else:
                results.append(_result(audit, result, rule_index[result.code], artifact,
                                       lines))
    for failed in report.failed:
        notifications.append({
            "level": "error",
            "message": {"text": f"{failed.source}: {failed.message}"},
            "descriptor": {"id": failed.reason},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(failed.source)}}}],
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
            "artifacts": artifacts,
            "results": results,
            "properties": {
                "packs": [f"{pack.name} {pack.version}" for pack in report.provenance.packs],
            },
        }],
    }


def render_sarif(report: Report, options: Mapping[str, Any]) -> str:
    return json.dumps(sarif_data(report), indent=2, ensure_ascii=False) + "\n"
