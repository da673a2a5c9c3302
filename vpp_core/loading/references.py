"""Checks that a strategy's ids are unique and every reference points at something.

These are errors in the input, not findings: a strategy that names an unknown local
partnership cannot be audited. Each problem is one ``field.path: message`` line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from vpp_core.model import Funding
from vpp_core.model.life_cycle import NOT_ON_LIFE_CYCLE
from vpp_core.model.periods import FinancialYear, month_or_quarter

if TYPE_CHECKING:
    from vpp_core.model import BudgetLine, Strategy, TargetsTable
    from vpp_core.model.periods import Period

_TOP = 10_000  # an open upper age bound, for comparing bands


def _duplicates(path: str, ids: Iterable[str], key: str = "id") -> Iterator[str]:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield f"{path}[{index}].{key}: duplicate {key} {str(item_id)!r}"
        seen.add(item_id)


def _unknown(path: str, value: str | None, known: set[str], what: str) -> Iterator[str]:
    if value is not None and value not in known:
        yield f"{path}: unknown {what} {value!r}"


def _budget_lines(lines: tuple[BudgetLine, ...], path: str) -> Iterator[tuple[str, BudgetLine]]:
    for index, line in enumerate(lines):
        here = f"{path}[{index}]"
        yield here, line
        yield from _budget_lines(line.parts, f"{here}.parts")


def _cohort_problems(table: TargetsTable) -> Iterator[str]:
    """Cohorts declared once, age bands apart, and every target naming a declared one."""
    yield from _duplicates("targets.cohorts", (cohort.id for cohort in table.cohorts))
    bands = table.people_cohorts
    for i, first in enumerate(bands):
        for second in bands[i + 1:]:
            low = max(first.min_age or 0, second.min_age or 0)
            high = min(_TOP if first.max_age is None else first.max_age,
                       _TOP if second.max_age is None else second.max_age)
            if low <= high:
                place = table.cohorts.index(second)
                yield (f"targets.cohorts[{place}]: ages {second.ages} overlap cohort "
                       f"{first.id!r} ({first.ages}); a person belongs to one age band")
    declared = {cohort.id for cohort in table.cohorts}
    what = "cohort (declare it in [[targets.cohorts]])" if not declared else "cohort"
    for i, row in enumerate(table.rows):
        for j, target in enumerate(row.targets):
            yield from _unknown(f"targets.rows[{i}].targets[{j}].cohort", target.cohort,
                                declared, what)
    for i, target in enumerate(table.stated_totals):
        yield from _unknown(f"targets.stated_totals[{i}].cohort", target.cohort, declared, what)


def _life_cycle_problems(strategy: Strategy) -> Iterator[str]:
    """The stated stages: some, each id once and none the off-cycle choice, at most one
    marked for a trial under way; every evaluation's gate one of them."""
    life_cycle = strategy.life_cycle
    if strategy.evaluation_life_cycle is not None:
        stages = life_cycle.stages
        if not stages:
            yield "evaluation_life_cycle.stages: no stages (state them in order, first to last)"
        yield from _duplicates("evaluation_life_cycle.stages", (stage.id for stage in stages))
        marked: int | None = None
        for i, stage in enumerate(stages):
            here = f"evaluation_life_cycle.stages[{i}]"
            if stage.id == NOT_ON_LIFE_CYCLE:
                yield (f"{here}.id: {NOT_ON_LIFE_CYCLE!r} is the choice off the life cycle, "
                       "not a stage")
            if stage.trial_under_way and marked is not None:
                yield (f"{here}.trial_under_way: a second stage marked (the first is "
                       f"evaluation_life_cycle.stages[{marked}]); mark one")
            elif stage.trial_under_way:
                marked = i
    known = set(life_cycle.ids)
    for i, item in enumerate(strategy.interventions):
        gate = item.evaluation.gate if item.evaluation else None
        if gate is not None and gate not in known:
            yield (f"interventions[{i}].evaluation.gate: unknown stage {str(gate)!r} "
                   f"(stages: {', '.join(life_cycle.ids)})")


_CARRIED = frozenset({Funding.CARRY_OVER, Funding.PART_CARRY_OVER})


def _carried_over(strategy: Strategy) -> set[str]:
    """Lines, parts and interventions the strategy funds (in part) by carry-over this year,
    with the interventions such a line pays for and the lines paying for such an
    intervention."""
    lines = [line for _, line in _budget_lines(strategy.budget.lines, "budget.lines")]
    found = {line.id for line in lines if line.funding in _CARRIED}
    found |= {item.id for item in strategy.interventions
              if item.funding.source in _CARRIED}
    paired = [(line.id, line.intervention) for line in lines if line.intervention]
    return (found | {item for line, item in paired if line in found}
            | {line for line, item in paired if item in found})


def _profile_problems(strategy: Strategy, lines: set[str]) -> Iterator[str]:
    """Each entry of the spend profile names a grant and a line (or intervention) that exist,
    a month or quarter within one of the grant's years (or, for a line the strategy funds by
    carry-over, the year after one of them), and no entry overlaps another."""
    grants = {grant.id: grant.years for grant in strategy.grants}
    known = lines | {item.id for item in strategy.interventions}
    carried = _carried_over(strategy)
    seen: dict[tuple[str, str], list[tuple[int, Period]]] = {}
    for i, entry in enumerate(strategy.spend_profile):
        here = f"spend_profile[{i}]"
        yield from _unknown(f"{here}.grant", entry.grant, set(grants), "grant")
        yield from _unknown(f"{here}.line", entry.line, known,
                            "budget line, part or intervention")
        try:
            days = month_or_quarter(entry.period)
        except ValueError as exc:
            yield f"{here}.period: {exc}"
            continue
        years = grants.get(entry.grant, ())
        allowed = set(years) | ({y.next() for y in years} if entry.line in carried else set())
        if years and FinancialYear.containing(days.start) not in allowed:
            shown = ", ".join(str(y) for y in sorted(allowed))
            yield (f"{here}.period: {entry.period} is outside the years of grant "
                   f"{entry.grant!r} ({shown})")
        for j, other in seen.get((entry.grant, entry.line), []):
            if days.start <= other.end and other.start <= days.end:
                yield (f"{here}.period: {entry.period} overlaps spend_profile[{j}] "
                       f"({strategy.spend_profile[j].period}) for the same grant and line")
                break
        seen.setdefault((entry.grant, entry.line), []).append((i, days))


def reference_problems(strategy: Strategy) -> list[str]:
    """Every duplicate id and dangling reference in ``strategy``, as path-first lines."""
    problems: list[str] = []
    partnerships = {lp.id for lp in strategy.local_partnerships}
    strands = {strand.id for strand in strategy.strands}
    interventions = {item.id for item in strategy.interventions}
    grants = {grant.id for grant in strategy.grants}
    measures = {measure.id for measure in strategy.success_measures}
    lines = list(_budget_lines(strategy.budget.lines, "budget.lines"))

    problems += _duplicates("local_partnerships", (lp.id for lp in strategy.local_partnerships))
    problems += _duplicates("strands", (strand.id for strand in strategy.strands))
    problems += _duplicates("interventions", (item.id for item in strategy.interventions))
    problems += _duplicates("grants", (grant.id for grant in strategy.grants))
    problems += _duplicates("success_measures", (m.id for m in strategy.success_measures))
    problems += _duplicates("stated_figures", (figure.id for figure in strategy.stated_figures))
    if strategy.targets is not None:
        problems += _duplicates("targets.stated_totals",
                                (t.cohort for t in strategy.targets.stated_totals), "cohort")
        first_row: dict[tuple[str, str], int] = {}  # what a row counts for → its index
        for i, row in enumerate(strategy.targets.rows):
            problems += _duplicates(f"targets.rows[{i}].targets",
                                    (t.cohort for t in row.targets), "cohort")
            field, key = ("intervention", row.intervention or "") if row.intervention else (
                "strand", row.strand or "")
            if key and (field, key) in first_row:
                problems.append(f"targets.rows[{i}].{field}: a second row for {field} {key!r} "
                                f"(the first is targets.rows[{first_row[field, key]}])")
            elif key:
                first_row[field, key] = i
    seen_lines: set[str] = set()
    for path, line in lines:
        if line.id in seen_lines:
            problems.append(f"{path}.id: duplicate id {line.id!r}")
        seen_lines.add(line.id)

    problems += _unknown("budget.grant", strategy.budget.grant, grants, "grant")
    if strategy.budget.year != strategy.financial_year:  # every condition is the year's
        problems.append(f"budget.year: {strategy.budget.year} is not the strategy's financial "
                        f"year {strategy.financial_year}")
    spent = {grant.id: grant for grant in strategy.grants}.get(strategy.budget.grant)
    if spent is not None and strategy.budget.year not in spent.years:
        problems.append(f"budget.grant: grant {spent.id!r} does not cover {strategy.budget.year} "
                        f"(its years: {', '.join(str(year) for year in spent.years)})")
    for path, line in lines:
        problems += _unknown(f"{path}.strand", line.strand, strands, "strand")
        problems += _unknown(f"{path}.intervention", line.intervention, interventions,
                             "intervention")
    for i, item in enumerate(strategy.interventions):
        for j, lp in enumerate(item.local_partnerships):
            problems += _unknown(f"interventions[{i}].local_partnerships[{j}]", lp,
                                 partnerships, "local partnership")
        problems += _unknown(f"interventions[{i}].strand", item.strand, strands, "strand")
    if strategy.targets is not None:
        problems += _cohort_problems(strategy.targets)
        for i, row in enumerate(strategy.targets.rows):
            problems += _unknown(f"targets.rows[{i}].intervention", row.intervention,
                                 interventions, "intervention")
            problems += _unknown(f"targets.rows[{i}].strand", row.strand, strands, "strand")
    for i, measure in enumerate(strategy.success_measures):
        problems += _unknown(f"success_measures[{i}].strand", measure.strand, strands, "strand")
        measured = measure.measured_by
        if measured is not None and not measured.baseline_year < strategy.financial_year:
            problems.append(f"success_measures[{i}].measured_by.baseline_year: "
                            f"{measured.baseline_year} is not before the strategy's year "
                            f"{strategy.financial_year}")
    if strategy.theory_of_change is not None:
        toc = strategy.theory_of_change
        problems += _duplicates("theory_of_change.inputs", (node.id for node in toc.inputs))
        problems += _duplicates("theory_of_change.outcomes", (node.id for node in toc.outcomes))
        for i, node in enumerate(toc.inputs):
            for j, strand in enumerate(node.feeds):
                problems += _unknown(f"theory_of_change.inputs[{i}].feeds[{j}]", strand,
                                     strands, "strand")
        for i, outcome in enumerate(toc.outcomes):
            here = f"theory_of_change.outcomes[{i}]"
            for j, strand in enumerate(outcome.strands):
                problems += _unknown(f"{here}.strands[{j}]", strand, strands, "strand")
            for j, item_id in enumerate(outcome.interventions):
                problems += _unknown(f"{here}.interventions[{j}]", item_id, interventions,
                                     "intervention")
            for j, measure_id in enumerate(outcome.measures):
                problems += _unknown(f"{here}.measures[{j}]", measure_id, measures,
                                     "success measure")
    problems += _life_cycle_problems(strategy)
    problems += _profile_problems(strategy, seen_lines)
    if strategy.campaign is not None:
        problems += _unknown("campaign.intervention", strategy.campaign.intervention,
                             interventions, "intervention")
        problems += _unknown("campaign.budget_line", strategy.campaign.budget_line,
                             seen_lines, "budget line")
        problems += _duplicates("campaign.audiences",
                                (audience.id for audience in strategy.campaign.audiences))
    return problems
