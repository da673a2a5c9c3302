"""JUnit XML, so CI dashboards show an audit: a suite per strategy, a case per rule and subject.

fail at or above ``--fail-on`` → ``<failure>`` (so the failures agree with the exit code); a
fail below it → a passing case whose ``<system-out>`` reports it; error → ``<error>``; not
applicable or waived → ``<skipped>`` with the reason; a strategy that could not be audited is
a suite with one errored case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from vpp_core.model.escaping import xml_text
from vpp_core.plugin_api.results import Result, Severity, Status
from vpp_core.reports.formats.common import (
    audit_counts,
    audit_label,
    evidence_rows,
    reference_text,
    switched_off_text,
    waiver_text,
)
from vpp_core.reports.formats.lines import Lines
from vpp_core.reports.report import Report, StrategyAudit


def _details(result: Result) -> str:
    lines = [result.message]
    lines += [f"{what}: {value}" for what, value in evidence_rows(result.evidence)]
    lines += [f"source: {reference_text(reference)}"
              + (f" <{reference.url}>" if reference.url else "")
              for reference in result.references]
    lines.append(f"plugin: {result.plugin.name} {result.plugin.version} ({result.plugin.origin})")
    return "\n".join(lines)


def _counts(audit: StrategyAudit, fail_on: Severity) -> dict[str, int]:
    """The results by status, a failure below ``fail_on`` counted as passing."""
    counts = audit_counts(audit)
    below = sum(1 for result in audit.results
                if result.status is Status.FAIL and result.severity.rank < fail_on.rank)
    counts[Status.FAIL.value] -= below
    counts[Status.PASS.value] += below
    return counts


def _case(suite: ET.Element, audit: StrategyAudit, result: Result, lines: Lines,
          fail_on: Severity) -> None:
    case = ET.SubElement(suite, "testcase", {
        "classname": f"{audit_label(audit)}.{result.code}",
        "name": f"{result.code} {result.name} [{result.subject}]",
        "file": audit.strategy.source,
    })
    line = lines.line(audit, result)
    if line is not None:
        case.set("line", str(line))
    if result.status is Status.FAIL and result.severity.rank < fail_on.rank:
        output = ET.SubElement(case, "system-out")
        output.text = (f"{result.severity.value} finding, below --fail-on "
                       f"{fail_on.value}: " + _details(result))
    elif result.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", {"message": result.message,
                                                  "type": result.severity.value})
        failure.text = _details(result)
    elif result.status is Status.ERROR:
        error = ET.SubElement(case, "error", {"message": result.message, "type": "rule-error"})
        error.text = _details(result)
    elif result.status is Status.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", {"message": f"not applicable: {result.message}"})
    elif result.status is Status.WAIVED:
        ET.SubElement(case, "skipped", {"message": f"waived: {waiver_text(result)}"})
    elif result.status is Status.WITHHELD:
        ET.SubElement(case, "skipped", {"message": f"withheld: {result.message}"})


def _suite_attributes(name: str, counts: Mapping[str, int]) -> dict[str, str]:
    return {
        "name": name,
        "tests": str(sum(counts.values())),
        "failures": str(counts.get(Status.FAIL.value, 0)),
        "errors": str(counts.get(Status.ERROR.value, 0)),
        "skipped": str(counts.get(Status.NOT_APPLICABLE.value, 0)
                       + counts.get(Status.WAIVED.value, 0)
                       + counts.get(Status.WITHHELD.value, 0)),
    }


def _xml_safe(root: ET.Element) -> None:
    """Replace the characters XML 1.0 forbids in every text and attribute, so the file
    always parses whatever the strategy holds."""
    for element in root.iter():
        if element.text:
            element.text = xml_text(element.text)
        for name, value in element.attrib.items():
            element.set(name, xml_text(value))


def render_junit(report: Report, options: Mapping[str, Any]) -> str:
    """The report as JUnit XML (UTF-8, with declaration)."""
    lines = Lines()
    root = ET.Element("testsuites", {"name": "vpp audit"})
    totals = {status.value: 0 for status in Status}
    for audit in report.audits:
        counts = _counts(audit, report.options.fail_on)
        suite = ET.SubElement(root, "testsuite", _suite_attributes(audit_label(audit), counts))
        properties = ET.SubElement(suite, "properties")
        for name, value in (("partnership", audit.strategy.partnership),
                            ("financial-year", audit.strategy.financial_year),
                            ("source", audit.strategy.source),
                            ("report", report.audience), ("disclosure", report.disclosure),
                            *((f"input:{item.role}", f"{item.path} sha256:{item.sha256}")
                              for item in audit.inputs)):
            ET.SubElement(properties, "property", {"name": name, "value": value})
        for result in audit.results:
            _case(suite, audit, result, lines, report.options.fail_on)
        for rule in audit.switched_off:
            case = ET.SubElement(suite, "testcase", {
                "classname": f"{audit_label(audit)}.{rule.code}",
                "name": f"{rule.code} {rule.name}", "file": audit.strategy.source})
            ET.SubElement(case, "skipped", {"message": switched_off_text(rule)})
        skipped = len(audit.switched_off)
        suite.set("tests", str(int(suite.get("tests", "0")) + skipped))
        suite.set("skipped", str(int(suite.get("skipped", "0")) + skipped))
        totals[Status.NOT_APPLICABLE.value] += skipped
        for status, number in counts.items():
            totals[status] += number
    for failed in report.failed:
        suite = ET.SubElement(root, "testsuite", _suite_attributes(
            failed.source, {Status.ERROR.value: 1}))
        case = ET.SubElement(suite, "testcase", {"classname": failed.source,
                                                 "name": "audit", "file": failed.source})
        error = ET.SubElement(case, "error", {"message": failed.message, "type": failed.reason})
        error.text = "\n".join(failed.problems or (failed.message,))
        totals[Status.ERROR.value] += 1
    root.attrib.update({key: value for key, value in _suite_attributes("vpp audit", totals).items()
                        if key != "name"})
    _xml_safe(root)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
