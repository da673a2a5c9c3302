"""The report: provenance, counts, exit codes, and deterministic JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engine.conftest import AS_OF, BROKEN, CORE, DATA, LOCAL, one
from tests.engine.test_waivers import WAIVERS
from vpp_core import (
    ENGINE_VERSION,
    AuditOptions,
    CheckSpec,
    Column,
    ColumnType,
    Finding,
    PluginInfo,
    RecordKind,
    RecordSchema,
    Report,
    Severity,
    Status,
    audit,
    hookimpl,
    report_data,
)
from vpp_core.cli.main import main
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.plugin_api.manager import Plugins
from vpp_core.reports.formats.json_report import render_json
from vpp_core.reports.formats.text import render_text


def sha(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_provenance(run: Callable[..., Report]) -> None:
    report = run(packs=[LOCAL], waivers=WAIVERS)
    provenance = report.provenance
    assert provenance.engine_version == ENGINE_VERSION
    assert [(p.name, p.version, p.sha256) for p in provenance.packs] == [
        ("demo-core", "1.0", sha(CORE)), ("demo-local", "1.0", sha(LOCAL))]
    plugins = {info.name: info for info in provenance.plugins}
    assert plugins["core-checks"].origin == "core"
    assert plugins["local:demo_rules"].version == "1.2"
    inputs = {item.role: item for item in provenance.inputs}
    assert inputs["strategy"].path == "vpp_fixtures/thames-valley-2024-25/strategy.toml"
    assert inputs["strategy"].sha256 == sha(bundled_strategy())
    assert inputs["waivers"].sha256 == sha(WAIVERS)
    strategy = report.audits[0].strategy
    assert (strategy.short_name, strategy.financial_year) == ("Thames Valley VPP", "2024-25")


@pytest.mark.parametrize(
    ("fail_on", "select", "code"),
    [
        (Severity.ERROR, "DEMO005", 0),  # a warning fails: not at or above error
        (Severity.WARNING, "DEMO005", 1),
        (Severity.INFO, "DEMO005", 1),
        (Severity.ERROR, "DEMO001", 1),  # the local pack's 60% threshold fails
        (Severity.INFO, "DEMO004", 0),  # everything passes
    ],
)
def test_exit_codes(run: Callable[..., Report], fail_on: Severity, select: str,
                    code: int) -> None:
    options = AuditOptions(select=(select,), fail_on=fail_on, as_of=AS_OF)
    assert run(packs=[LOCAL], options=options).exit_code() == code


def test_a_rule_error_beats_failures(run: Callable[..., Report]) -> None:
    report = run(packs=[BROKEN], options=AuditOptions(fail_on=Severity.INFO, as_of=AS_OF))
    assert report.counts()["error"] == 1
    assert report.counts()["fail"] == 1
    assert report.exit_code() == 3


def test_json_is_deterministic_plain_data(run: Callable[..., Report]) -> None:
    first = render_json(run(packs=[LOCAL], waivers=WAIVERS), {})
    second = render_json(run(packs=[LOCAL], waivers=WAIVERS), {})
    assert first == second
    for repr_marker in ("Decimal(", "PosixPath", "<", "object at", "Status."):
        assert repr_marker not in first
    data = json.loads(first)
    assert data["schema_version"] == 1
    assert data["exit_code"] == 1
    assert data["counts"] == {"pass": 24, "fail": 1, "not-applicable": 0, "error": 0,
                              "waived": 1}
    [strategy] = data["strategies"]
    share = next(r for r in strategy["results"] if r["code"] == "DEMO001")
    assert share["status"] == "fail"
    assert share["evidence"]["numerator"]["value"] == "832500"
    assert share["evidence"]["threshold"]["value"] == "0.60"
    assert share["evidence"]["shortfall"] == {"label": "shortfall", "source": "",
                                              "unit": "GBP", "value": "73500.00"}
    assert share["subject"] == {"id": "core-2024-25", "kind": "grant", "label": ""}
    assert strategy["metrics"]["demo-grant:core-2024-25"]["value"] == "1510000"
    assert [note["state"] for note in data["waivers"]] == ["applied", "expired", "unused"]


def test_report_data_round_trips_through_json(run: Callable[..., Report]) -> None:
    report = run(packs=[CORE])
    data = report_data(report)
    assert json.loads(json.dumps(data)) == data


def test_text_report_shows_evidence_for_failures(run: Callable[..., Report]) -> None:
    report = run(packs=[LOCAL], waivers=WAIVERS)
    text = render_text(report, {})
    result = one(report, "DEMO001")
    assert f"\nFAIL   error   DEMO001  {result.title}\n  grant:core-2024-25: " in text
    assert " ".join(result.message.split()) in " ".join(text.split())  # wrapped, not cut
    assert "      to comply: shortfall £73,500\n" in text
    assert "\n  source: VRU grant guidance 2024-25, Grant conditions, p.13\n" in text
    assert "\nWAIVED warning DEMO005  Every intervention says how it is funded\n" in text
    assert "waived: Funded by Thames Valley Police" in text
    assert "expired: waiver of DEMO001" in text
    assert "\nPassed: 24 results of 5 rules (shown with -v)\n" in text
    assert text.endswith("1 failure in 1 rule: 1 error, 0 warning, 0 info\n"
                         "24 passed, 0 not applicable, 1 waived, 0 rule errors\n"
                         "Exit code 1: 1 failure at or above --fail-on error\n")


def test_records_files_are_hashed_and_reach_the_checks(
    vpp_make_plugins: Callable[..., Plugins],
) -> None:
    from vpp_core.plugin_api.context import CheckContext

    seen: list[tuple[str, ...]] = []

    def records_seen(ctx: CheckContext) -> list[Finding]:
        seen.append(tuple(source.path.name for source in ctx.records_of("participants")))
        return []

    class RecordsCheck:
        @staticmethod
        @hookimpl
        def vpp_register_checks() -> list[CheckSpec]:
            return [CheckSpec("demo-records", records_seen, "Looks at the records given.")]

        @staticmethod
        @hookimpl
        def vpp_register_record_kinds() -> list[RecordKind]:
            schema = RecordSchema("participants", (Column("person_id", ColumnType.ID),))
            return [RecordKind(schema, "the records this check reads")]

    csv = DATA / "records" / "participants.csv"
    plugins = vpp_make_plugins(extra=[(RecordsCheck(), PluginInfo("records-check", "1", "test"))])
    pack = DATA / "packs" / "records.toml"
    report = audit(bundled_strategy(), packs=[str(pack)], records=[f"participants={csv}"],
                   plugins=plugins)
    assert seen == [("participants.csv",)]
    inputs = {item.role: item for item in report.provenance.inputs}
    assert inputs["records:participants"].sha256 == sha(csv)
    [result] = report.results
    assert (result.status, result.message) == (Status.NOT_APPLICABLE,
                                               "nothing to check in this strategy")


def test_a_section_the_strategy_does_not_list_is_not_cited_as_its_own(tmp_path: Path) -> None:
    # A strategy whose document has no governance section: the Duty rules' pointer into
    # "Governance" must not read as a section of this VRU's document.
    strategy = tmp_path / "strategy.toml"
    assert main(["new-strategy", str(strategy)]) == 0
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text("".join(line for line in text.splitlines(keepends=True)
                                if 'id = "governance"' not in line), encoding="utf-8")
    report = audit(strategy, packs=["serious-violence-duty", "home-office-vru-core"])
    svd001 = next(r for r in report.results if r.code == "SVD001")
    own = svd001.references[-1]
    assert own.document == "Our VRU Response Strategy 2024-25"
    assert own.section == ("Governance (no section 'governance' in the strategy's "
                           "[document] sections)")
    assert own.page is None
    fund004 = next(r for r in report.results if r.code == "FUND004")
    listed = fund004.references[-1]
    assert (listed.section, listed.page) == ("Our budget", 1)
