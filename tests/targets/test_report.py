"""The targets table: totals, disclosure control, and no person id in any output."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from vpp_plugins.targets.checks import check_specs
from vpp_plugins.targets.counting import count_targets
from vpp_plugins.targets.metrics import metric_specs
from vpp_plugins.targets.render import FORMATS, render
from vpp_plugins.targets.report import HIDDEN, build_report

from tests.targets.conftest import Count
from vpp_core.loading.bundled import bundled_strategy
from vpp_core.model import Strategy
from vpp_core.plugin_api.context import CheckContext, MetricContext
from vpp_core.records.disclosure import INTERNAL, Audience, DisclosurePolicy
from vpp_core.records.manifest import record_sources

PUBLISHED = DisclosurePolicy(Audience.PUBLISHED)


def people(intervention: str, how_many: int, prefix: str) -> list[str]:
    return [f"{prefix}{n},{intervention},2024-05-01,2010-01-01,,start,"
            for n in range(how_many)]


def test_totals_add_rows_and_unique_people_count_once(count: Count, strategy: Strategy) -> None:
    # 3 people in Hospital Navigators, the same 3 and 2 more in Custody Coaches.
    rows = people("hospital-navigators", 3, "A") + people("custody-coaches", 3, "A")
    counts = count(rows + people("custody-coaches", 2, "B"))
    report = build_report(strategy, counts, INTERNAL)
    young = {line.intervention: line for line in report.lines if line.cohort == "24 and under"}
    assert (young["hospital-navigators"].reached, young["custody-coaches"].reached) == ("3", "5")
    # As the table adds them: 3 + 5 = 8; its 24-and-under targets add to 843, stated 823.
    total = next(total for total in report.totals if total.cohort == "24 and under")
    assert (total.reached, total.target, total.stated_target) == ("8", 843, 823)
    # Unique people: the 3 A's and 2 B's.
    assert report.unique_people == "5"
    assert "Internal report" in render(report, "text")


def test_published_tables_suppress_small_counts_and_what_reveals_them(
    count: Count, strategy: Strategy
) -> None:
    counts = count(
        people("hospital-navigators", 3, "A") + people("custody-coaches", 6, "B")
        + people("school-navigators", 0, "C") + people("sports-and-inclusion", 10, "D")
    )
    report = build_report(strategy, counts, PUBLISHED)
    young = {line.intervention: line for line in report.lines if line.cohort == "24 and under"}
    # 3 is shown as <5; as the column's total (19) is shown, the next smallest non-zero
    # cell (Custody Coaches' 6) is hidden too; 10 stays.
    assert young["hospital-navigators"].reached == "<5"
    assert young["custody-coaches"].reached == HIDDEN
    assert young["sports-and-inclusion"].reached == "10"
    assert young["school-navigators"].reached == "0"
    # Hidden lines hide their quarters and their percentage.
    assert set(young["custody-coaches"].quarters) == {HIDDEN}
    assert young["hospital-navigators"].percent == "–"
    # Sports and Inclusion: all 10 in Q1; the other quarters are 0 and nothing is hidden.
    assert young["sports-and-inclusion"].quarters == ("10", "0", "0", "0")
    assert report.audience == "published"
    assert "Published report" in render(report, "text")
    rounded = build_report(strategy, counts, DisclosurePolicy(Audience.PUBLISHED, 5, 5))
    total = next(total for total in rounded.totals if total.cohort == "24 and under")
    assert total.reached == "20"  # 19 to the nearest 5


@pytest.mark.parametrize("form", FORMATS)
def test_every_format_states_its_audience(count: Count, strategy: Strategy, form: str) -> None:
    counts = count(people("hospital-navigators", 7, "A"))
    for policy, word in ((INTERNAL, "internal"), (PUBLISHED, "published")):
        text = render(build_report(strategy, counts, policy), form)
        assert word in text.lower()


def _ids(path: Path, column: str) -> set[str]:
    with path.open(encoding="utf-8") as file:
        return {row[column] for row in csv.DictReader(file) if row.get(column)}


def test_no_output_contains_a_person_id() -> None:
    """Every output of the plugin, over the bundled records, malformed rows included."""
    strategy_path = bundled_strategy()
    records = record_sources(strategy_path.parent / "records")
    ids = set()
    for source in records:
        ids |= _ids(source.path, "person_id" if source.kind == "participants" else
                    "professional_id")
    assert len(ids) > 500
    from vpp_core.loading.strategy_io import load_strategy

    strategy = load_strategy(strategy_path)
    outputs = []
    for as_of in (None, date(2024, 9, 30)):
        counts = count_targets(strategy, records, as_of)
        outputs.append(repr(counts))
        for policy in (INTERNAL, PUBLISHED, DisclosurePolicy(Audience.PUBLISHED, 5, 5)):
            report = build_report(strategy, counts, policy)
            outputs.extend(render(report, form) for form in FORMATS)
    metrics = {spec.name: spec for spec in metric_specs()}
    context = MetricContext(strategy, metrics, records)
    for reference in ("target-reached:hospital-navigators/24-and-under",
                      "target-trajectory:school-navigators/24-and-under",
                      "target-reached-in-quarter:custody-coaches/24-and-under/Q2",
                      "targets-total-reached:professionals-trained",
                      "unique-people-reached", "records-rows-left-out:participants"):
        outputs.append(repr(context.metric(reference)))
    for spec in check_specs():
        check_context = CheckContext(strategy, metrics, records, params={})
        outputs.extend(repr(finding) for finding in spec.function(check_context))
    text = "\n".join(outputs)
    json.loads(outputs[2])  # the JSON rendering is JSON
    leaked = sorted(identifier for identifier in ids if identifier in text)
    assert leaked == []
