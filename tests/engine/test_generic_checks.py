"""The generic checks: exact thresholds, shortfalls, totals and parts, fields present."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from tests.engine.conftest import by_code, one
from vpp_core import AuditOptions, Measurement, MetricSpec, Report, Status, Strategy, Unit
from vpp_core.plugin_api.context import MetricContext
from vpp_core.plugin_api.results import Subject
from vpp_core.rules.generic_checks import metric_at_most, share_at_most

AS_OF_OPTIONS = AuditOptions(select=("DEMO001",))


def _pilot(amount: str) -> dict[str, object]:
    return {"budget": {"lines": {"pilot-interventions": {"amount": {"amount": amount}}}}}


@pytest.mark.parametrize(
    ("amount", "status", "shortfall"),
    [
        ("453000", Status.PASS, None),  # exactly 30% of £1,510,000
        ("452999.99", Status.FAIL, Decimal("0.01")),  # one penny under
        ("453000.01", Status.PASS, None),  # one penny over
    ],
)
def test_share_at_least_boundary(
    run: Callable[..., Report], vpp_make_strategy: Callable[..., Strategy],
    amount: str, status: Status, shortfall: Decimal | None,
) -> None:
    report = run(vpp_make_strategy(_pilot(amount)), options=AS_OF_OPTIONS)
    result = one(report, "DEMO001")
    assert result.status is status
    evidence = result.evidence
    assert evidence.numerator is not None
    assert evidence.numerator.value == Decimal(amount)
    assert evidence.denominator is not None
    assert evidence.denominator.value == 1510000
    assert evidence.threshold is not None
    assert evidence.threshold.value == Decimal("0.30")
    if shortfall is None:
        assert evidence.shortfall is None
    else:
        assert evidence.shortfall is not None
        assert (evidence.shortfall.value, evidence.shortfall.unit) == (shortfall, Unit.GBP)
        assert "£0.01 short" in result.message


def test_share_shortfall_in_pounds(
    run: Callable[..., Report], vpp_make_strategy: Callable[..., Strategy]
) -> None:
    result = one(run(vpp_make_strategy(_pilot("400000")), options=AS_OF_OPTIONS), "DEMO001")
    assert result.status is Status.FAIL
    assert result.subject == Subject("grant", "core-2024-25")
    assert result.evidence.shortfall is not None
    assert result.evidence.shortfall.value == Decimal("53000.00")  # 0.30 × 1,510,000 − 400,000
    assert result.message == (
        "demo-budget-line:pilot-interventions £400,000 is 26.49% of demo-grant:core-2024-25 "
        "£1,510,000; at least 30% required: £53,000 short"
    )
    assert [part.label for part in result.evidence.parts][:2] == [
        "hospital-navigators", "school-navigators"]


def test_total_equals_parts_passes_as_published_and_fails_when_a_part_changes(
    run: Callable[..., Report], vpp_make_strategy: Callable[..., Strategy]
) -> None:
    options = AuditOptions(select=("DEMO003",))
    published = one(run(options=options), "DEMO003")
    assert published.status is Status.PASS
    assert published.evidence.measured is not None
    assert published.evidence.measured.value == 832500
    assert len(published.evidence.parts) == 9  # Custody Coaches is carry-over: no amount

    changed = vpp_make_strategy({"budget": {"lines": {"pilot-interventions": {
        "amount": {"amount": 850000}}}}})
    result = one(run(changed, options=options), "DEMO003")
    assert result.status is Status.FAIL
    assert result.evidence.shortfall is not None
    assert result.evidence.shortfall.value == 17500
    assert "the total is £17,500 more" in result.message


def test_field_present_one_result_per_item(
    run: Callable[..., Report], vpp_strategy: Strategy
) -> None:
    interventions = vpp_strategy.interventions
    first = interventions[0]
    without = attrs.evolve(vpp_strategy, interventions=(
        attrs.evolve(first, evaluation=None), *interventions[1:]))
    report = run(without, options=AuditOptions(select=("DEMO004",)))
    results = by_code(report, "DEMO004")
    assert len(results) == len(interventions)
    failing = [result for result in results if result.status is Status.FAIL]
    assert [result.subject.id for result in failing] == [first.id]
    assert failing[0].message == f"interventions[{first.id}].evaluation is missing"


def test_field_present_for_the_strategy(
    run: Callable[..., Report], vpp_make_strategy: Callable[..., Strategy]
) -> None:
    from tests.engine.conftest import LOCAL

    options = AuditOptions(select=("LOCAL001",))
    assert one(run(packs=[LOCAL], options=options), "LOCAL001").status is Status.PASS
    report = run(vpp_make_strategy(definition=None), packs=[LOCAL], options=options)
    result = one(report, "LOCAL001")
    assert (result.status, result.message) == (Status.FAIL, "definition is missing")


def test_metric_at_least_counts(run: Callable[..., Report], vpp_strategy: Strategy) -> None:
    result = one(run(options=AuditOptions(select=("DEMO006",))), "DEMO006")
    evaluated = sum(1 for item in vpp_strategy.interventions if item.evaluation is not None)
    assert result.status is (Status.PASS if evaluated >= 5 else Status.FAIL)
    assert result.evidence.measured is not None
    assert result.evidence.measured.value == evaluated


def test_metric_without_a_value_is_not_applicable(
    run: Callable[..., Report], vpp_make_strategy: Callable[..., Strategy]
) -> None:
    strategy = vpp_make_strategy({"budget": {"lines": {"pilot-interventions": {
        "amount": None, "funding": "carry-over"}}}})
    result = one(run(strategy, options=AS_OF_OPTIONS), "DEMO001")
    assert result.status is Status.NOT_APPLICABLE
    assert result.message == "demo-budget-line:pilot-interventions has no value: carry-over"


def _context(strategy: Strategy, values: dict[str, int | str], **params: object):  # type: ignore[no-untyped-def]
    def metric(name: str, unit: Unit) -> MetricSpec:
        return MetricSpec(name, lambda ctx, arg: Measurement(Decimal(values[name]), unit),
                          unit, name)

    metrics = {"spend": metric("spend", Unit.GBP), "budget": metric("budget", Unit.GBP),
               "reached": metric("reached", Unit.PEOPLE)}
    return MetricContext(strategy, metrics).for_rule("T001", {"subject": None, **params})


@pytest.mark.parametrize(
    ("spend", "status", "excess"),
    [("250000", Status.PASS, None), ("250000.01", Status.FAIL, "0.01"),
     ("249999.99", Status.PASS, None)],
)
def test_share_at_most_boundary(
    vpp_strategy: Strategy, spend: str, status: Status, excess: str | None
) -> None:
    context = _context(vpp_strategy, {"spend": spend, "budget": 1000000},
                       numerator="spend", denominator="budget", threshold=Decimal("0.25"))
    [finding] = share_at_most(context)
    assert finding.status is status
    assert (finding.evidence.shortfall.value if finding.evidence.shortfall else None) == (
        Decimal(excess) if excess else None)


def test_metric_at_most_excess_in_people(vpp_strategy: Strategy) -> None:
    context = _context(vpp_strategy, {"reached": 1203}, metric="reached",
                       threshold=Decimal(1200))
    [finding] = metric_at_most(context)
    assert finding.status is Status.FAIL
    assert finding.message == (
        "reached is 1,203 people; at most 1,200 people required: 3 people over")
    assert finding.evidence.shortfall is not None
    assert (finding.evidence.shortfall.value, finding.evidence.shortfall.unit) == (3, Unit.PEOPLE)


def test_share_of_zero_is_not_applicable(vpp_strategy: Strategy) -> None:
    context = _context(vpp_strategy, {"spend": 5, "budget": 0}, numerator="spend",
                       denominator="budget", threshold=Decimal("0.1"))
    [finding] = share_at_most(context)
    assert (finding.status, finding.message) == (Status.NOT_APPLICABLE, "budget is zero: no share")
