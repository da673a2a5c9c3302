"""This audit against an earlier one (``vpp audit --baseline previous.json``).

A finding is a failing result (waived ones included); its fingerprint is its code and
subject (SARIF's ``partialFingerprints``), within its partnership. Each finding of this
audit is ``new`` or ``unchanged``; a finding of the baseline that this audit no longer
gives, for a partnership audited in both, is ``fixed``.
"""

from __future__ import annotations

import attrs

from vpp_core.plugin_api.results import Status
from vpp_core.reports.report import Baseline, FixedFinding, Report, finding_key, fingerprint
from vpp_core.reports.saved import SavedReport

FINDING = (Status.FAIL.value, Status.WAIVED.value)


def with_baseline(report: Report, previous: SavedReport) -> Report:
    """``report`` with each finding marked against ``previous``."""
    before: dict[str, tuple[str, str, str, str]] = {}
    for saved in previous.audits:
        for old in saved.results:
            if old.status in FINDING:
                key = f"{saved.partnership}\0{fingerprint(old.code, old.subject)}"
                before[key] = (saved.partnership, old.code, old.title, old.severity)
    states: dict[str, str] = {}
    partnerships = set()
    for audit in report.audits:
        partnerships.add(audit.strategy.partnership)
        for result in audit.results:
            if result.status.value in FINDING:
                key = finding_key(audit, result)
                states[key] = "unchanged" if key in before else "new"
    fixed = tuple(
        FixedFinding(strategy, code, key.split("\0", 1)[1].removeprefix(f"{code}:"), title,
                     severity)
        for key, (strategy, code, title, severity) in sorted(before.items())
        if key not in states and strategy in partnerships)
    return attrs.evolve(report, baseline=Baseline(previous.path, states, fixed))
