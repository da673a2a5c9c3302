"""A pack rule that rests on serious violence, with no Python of its own."""

from __future__ import annotations

from pathlib import Path

from vpp_core import RecordSource, Status, audit, bundled_strategy

PACK = """\
[pack]
name = "violence-ceiling"
version = "1"
prefix = "SVX"

[[rules]]
code = "SVX001"
name = "knife-crime-ceiling"
title = "Knife-involved serious violence is at most {threshold} in the year"
severity = "warning"
check = "metric-at-most"
references = [{ document = "Test pack" }]
[rules.parameters]
metric = "serious-violence:thames-valley/knife"
threshold = "THRESHOLD"
"""


def _result(tmp_path: Path, incidents: RecordSource, threshold: int) -> Status:
    pack = tmp_path / f"ceiling-{threshold}.toml"
    pack.write_text(PACK.replace("THRESHOLD", str(threshold)), encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], records=[incidents])
    (result,) = [r for r in report.results if r.code == "SVX001"]
    return result.status


def test_a_rule_on_the_serious_violence_metric(tmp_path: Path, incidents: RecordSource) -> None:
    # The strategy's year is 2024-25; the records hold five knife-involved crimes in it.
    assert _result(tmp_path, incidents, 5) is Status.PASS
    assert _result(tmp_path, incidents, 4) is Status.FAIL


def test_the_definition_read_is_in_the_provenance(tmp_path: Path,
                                                  incidents: RecordSource) -> None:
    import hashlib

    from vpp_plugins.violence.definition import bundled_definitions

    pack = tmp_path / "ceiling.toml"
    pack.write_text(PACK.replace("THRESHOLD", "5"), encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)], records=[incidents])
    digest = hashlib.sha256(bundled_definitions()["thames-valley"].read_bytes()).hexdigest()
    listed = {item.path: item.sha256 for audited in report.audits for item in audited.inputs}
    assert listed["vpp_plugins/violence/definitions/thames-valley.toml"] == digest


def test_the_metric_from_a_knife_table_says_what_it_cannot_resolve(tmp_path: Path,
                                                                  samples: Path) -> None:
    pack = tmp_path / "national.toml"
    pack.write_text(PACK.replace("thames-valley/knife",
                                "national-baseline/knife-enabled-serious-violence")
                    .replace("THRESHOLD", "100"), encoding="utf-8")
    report = audit(bundled_strategy(), packs=[str(pack)],
                   records=[RecordSource("knife-offences", samples / "knife-offences.csv")])
    (result,) = [r for r in report.results if r.code == "SVX001"]
    # The sample has no rows for codes 4.2 and 4.10: no count, never a guess.
    assert result.status is Status.NOT_APPLICABLE
    assert "needs codes 4.2, 4.10, which the table has no rows for" in result.message
