"""The REACH pack inside ``vpp audit``, and packs setting rules on the campaign's metrics."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from vpp_plugins.reach.commands import bundled_campaign

from vpp_core.api import audit
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.results import Status
from vpp_core.rules.engine import AuditOptions

# REACH007 is retired (the targets row is counted by TGT alone)
REACH_CODES = ["REACH001", "REACH002", "REACH003", "REACH004", "REACH005", "REACH006",
               "REACH008", "REACH009"]


def test_audit_with_the_bundled_campaign_records(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["audit", "--example", "--records", str(bundled_campaign()), "--select", "REACH",
                 "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    results = [r for audited in data["strategies"] for r in audited["results"]]
    assert sorted({r["code"] for r in results}) == REACH_CODES
    failing = {(r["code"], r["subject"]["id"]) for r in results if r["status"] == "fail"}
    # The generator's anomalies, each found: swapped columns, impressions as reach, the
    # soft launch, the malformed rows.
    assert ("REACH001", "channel=paid-social") in failing
    assert ("REACH003", "channel=online-video") in failing
    assert ("REACH004", "paid-social") in failing
    assert ("REACH006", "campaign-delivery") in failing
    assert ("REACH005", "stay-true-to-you") not in failing
    assert not {code for code, _ in failing if code == "REACH009"}  # 1 of 1,549 rows left out
    assert code == 1  # REACH001 is an error


def test_audit_without_records_says_reach_is_not_applicable() -> None:
    report = audit(bundled_strategy(), packs=["campaign-reach"])
    assert {result.status for result in report.results} == {Status.NOT_APPLICABLE}
    assert len(report.results) == 8
    assert report.exit_code() == 0


def test_a_pack_sets_a_rule_on_a_campaign_metric(tmp_path: Path) -> None:
    # Over the whole window the bundled records' coverage is a range (each channel between
    # its largest week and the sum of its weeks): 2.62% to 74.78% (see the README). A rule
    # on its lower end asking for 2% passes and one asking for 5% fails; a rule on the
    # coverage itself has no single figure to judge.
    pack = tmp_path / "coverage.toml"
    pack.write_text("""
[pack]
name = "local-coverage"
version = "1"
prefix = "COVER"
title = "Local campaign coverage"

[[rules]]
code = "COVER001"
name = "half-of-young-people"
title = "The campaign reaches half of young people"
severity = "warning"
check = "metric-at-least"
[rules.parameters]
metric = "campaign-coverage-at-least:total"
threshold = "0.02"

[[rules]]
code = "COVER002"
name = "most-young-people"
title = "The campaign reaches 90% of young people"
severity = "warning"
check = "metric-at-least"
[rules.parameters]
metric = "campaign-coverage-at-least:total"
threshold = "0.05"

[[rules]]
code = "COVER003"
name = "coverage-as-one-figure"
title = "The campaign reaches half of young people, as one figure"
severity = "warning"
check = "metric-at-least"
[rules.parameters]
metric = "campaign-coverage:total"
threshold = "0.5"
""", encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], records=[bundled_campaign()],
                   options=AuditOptions())
    statuses = {result.code: result.status for result in report.results}
    assert statuses == {"COVER001": Status.PASS, "COVER002": Status.FAIL,
                        "COVER003": Status.NOT_APPLICABLE}
    coverage = report.audits[0].metrics["campaign-coverage-at-least:total"]
    assert coverage.value is not None
    assert Decimal("0.02") < coverage.value < Decimal("0.05")
    assert coverage.source == "estimated"
    assert "Known only as a range" in report.audits[0].metrics["campaign-coverage:total"].note
