"""A threshold taken from a pack says which pack, rule and year it came from: an auditor reading
"at least 30% required" can trace the 30% as they trace a measured figure to its field."""

from __future__ import annotations

from pathlib import Path

from vpp_core import Report, audit
from vpp_core.loading.bundled import fixtures_folder

ESSEX = fixtures_folder() / "essex-2024-25"


def _thresholds(report: Report) -> dict[str, str]:
    return {result.code: result.evidence.threshold.source for result in report.results
            if result.evidence.threshold is not None}


def test_a_threshold_names_the_pack_rule_and_year_it_came_from() -> None:
    report = audit(ESSEX / "strategy.toml", packs=[ESSEX / "essex.toml"])
    sources = _thresholds(report)
    assert sources["FUND001"] == "pack home-office-vru-core 2024.1: FUND001 threshold (2024-25)"
    assert sources["ESX001"] == "pack essex-vvu 2024.1: ESX001 threshold"
    assert sources["SVD003"] == "pack serious-violence-duty 2024.1: SVD003 deadline"


def test_a_local_override_is_named_as_the_thresholds_source(tmp_path: Path) -> None:
    pack = tmp_path / "local.toml"
    pack.write_text('[pack]\nname = "local"\nversion = "7"\nprefix = "LOC"\n'
                    'extends = ["default"]\n[[overrides]]\ncode = "FUND001"\n'
                    'parameters = { threshold = { "2024-25" = "0.12" } }\n', encoding="utf-8")
    report = audit(ESSEX / "strategy.toml", packs=[pack])
    [fund001] = [result for result in report.results if result.code == "FUND001"]
    assert fund001.evidence.threshold is not None
    assert str(fund001.evidence.threshold.value) == "0.12"
    assert fund001.evidence.threshold.source == "pack local 7: FUND001 threshold (2024-25)"
