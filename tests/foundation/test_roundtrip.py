"""load → dump → load gives an equal strategy, for the fixture and for generated ones."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from vpp_core.loading.strategy_io import dump_strategy, load_strategy, strategy_from_data
from vpp_core.model import (
    Budget,
    BudgetLine,
    Cohort,
    Evaluation,
    Funding,
    Gate,
    Grant,
    GrantKind,
    Intervention,
    InterventionFunding,
    LocalPartnership,
    MatchFunding,
    Money,
    Partnership,
    PlannedSpend,
    SeriousViolenceDuty,
    SourceDocument,
    Strand,
    Strategy,
    Target,
    TargetRow,
    TargetsTable,
    Trial,
)
from vpp_core.model.periods import FinancialYear, Period


def _reload(strategy: Strategy) -> Strategy:
    return strategy_from_data(tomllib.loads(dump_strategy(strategy)), Path("generated.toml"))


def test_fixture_round_trips(thames_valley: Strategy, tmp_path: Path) -> None:
    written = tmp_path / "strategy.toml"
    written.write_text(dump_strategy(thames_valley), encoding="utf-8")
    assert load_strategy(written) == thames_valley


def test_a_spend_profile_in_pence_round_trips(thames_valley: Strategy, tmp_path: Path) -> None:
    profiled = attrs.evolve(thames_valley, spend_profile=(
        PlannedSpend("core-2024-25", "evaluation", "2024-05", Decimal("7500.50")),
        PlannedSpend("core-2024-25", "evaluation", "2024-25-Q2", Decimal("0.05"))))
    written = tmp_path / "strategy.toml"
    written.write_text(dump_strategy(profiled), encoding="utf-8")
    loaded = load_strategy(written)
    assert loaded.spend_profile == profiled.spend_profile
    assert [entry.days for entry in loaded.spend_profile] == [
        Period(date(2024, 5, 1), date(2024, 5, 31)), Period(date(2024, 7, 1), date(2024, 9, 30))]


ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
pence = st.integers(min_value=0, max_value=10**10).map(lambda p: Decimal(p) / 100)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
money = st.builds(Money, amount=pence, as_printed=texts)


@st.composite
def strategies(draw: st.DrawFn) -> Strategy:
    year = FinancialYear(draw(st.integers(2019, 2030)))
    strand_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    partnership_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    intervention_ids = draw(st.lists(ids, min_size=0, max_size=5, unique=True))
    interventions = []
    for item_id in intervention_ids:
        start = draw(days)
        trial = draw(st.one_of(st.none(), st.builds(
            Trial, start=st.just(start),
            projected_end=st.one_of(st.none(), st.just(start + timedelta(days=200))),
            end_not_set_reason=texts)))
        interventions.append(Intervention(
            id=item_id, name=draw(texts), summary=draw(texts), location=draw(texts),
            local_partnerships=tuple(draw(st.lists(st.sampled_from(partnership_ids),
                                                   unique=True))),
            strand=draw(st.sampled_from(strand_ids)),
            funding=InterventionFunding(
                source=draw(st.sampled_from(Funding)),
                amount=draw(st.one_of(st.none(), money)), as_printed=draw(texts)),
            evaluation=draw(st.one_of(st.none(), st.builds(
                Evaluation, gate=st.one_of(st.none(), st.sampled_from(Gate)),
                trial=st.just(trial)))),
            new_this_year=draw(st.booleans()),
        ))
    parts = tuple(BudgetLine(id=f"part-{item_id}", label=draw(texts), intervention=item_id,
                             amount=draw(st.one_of(st.none(), money)))
                  for item_id in intervention_ids)
    lines = (
        BudgetLine(id="team", label="Team", strand=strand_ids[0], amount=draw(money)),
        BudgetLine(id="pilots", label="Pilots", amount=draw(st.one_of(st.none(), money)),
                   parts=parts),
    )
    cohorts = (Cohort("young", draw(texts), max_age=draw(st.integers(0, 30))),
               Cohort("professionals", draw(texts), professionals=True))
    rows = tuple(TargetRow(label=draw(texts), intervention=item_id, targets=tuple(
        Target(cohort, draw(st.integers(0, 10_000)))
        for cohort in draw(st.lists(st.sampled_from([c.id for c in cohorts]), unique=True))))
        for item_id in intervention_ids)
    return Strategy(
        financial_year=year,
        document=SourceDocument(title=draw(texts), publisher=draw(texts),
                                published=draw(texts), covers=year.period),
        partnership=Partnership(name=draw(texts), short_name=draw(texts), region=draw(texts),
                                host=draw(texts), senior_responsible_officer=draw(texts)),
        local_partnerships=tuple(LocalPartnership(
            id=lp, name=draw(texts), upper_tier_authority=draw(texts),
            community_safety_partnerships=tuple(draw(st.lists(texts, max_size=3))))
            for lp in partnership_ids),
        duty=SeriousViolenceDuty(in_force=draw(days), first_deadline=draw(days),
                                 oversight=draw(texts)),
        grants=(Grant(id="core", name=draw(texts), funder=draw(texts), kind=GrantKind.CORE,
                      years=(year,), amount=draw(money),
                      match_funding=draw(st.one_of(st.none(), st.builds(
                          MatchFunding, required_share=st.decimals(
                              min_value=0, max_value=1, places=3),
                          recorded=st.one_of(st.none(), pence),
                          met=st.one_of(st.none(), st.booleans()))))),),
        budget=Budget(grant="core", year=year, lines=lines,
                      stated_total=draw(st.one_of(st.none(), money))),
        strands=tuple(Strand(id=s, name=draw(texts)) for s in strand_ids),
        interventions=tuple(interventions),
        targets=TargetsTable(window=Period(year.start, year.end), rows=rows, cohorts=cohorts),
    )


@settings(max_examples=60, deadline=None)
@given(strategies())
def test_generated_strategies_round_trip(strategy: Strategy) -> None:
    assert _reload(strategy) == strategy
