"""The funding family's metrics: budget lines, grants, spend and counts, each with the field
paths it was computed from."""

from __future__ import annotations

from decimal import Decimal

from vpp_core import (
    Funding,
    Measurement,
    MetricContext,
    MetricSpec,
    Unit,
    UsageError,
    did_you_mean,
)
from vpp_plugins._common import (
    budget_lines,
    count,
    find_line,
    funded_interventions,
    funds_interventions,
    line_value,
    money,
    stated_parts,
    top_level_lines,
    year_amount,
    year_core_grant,
)


def _argument(argument: str | None, metric: str) -> str:
    if not argument:
        raise UsageError(f"metric {metric!r} needs an argument")
    return argument


def budget_line(ctx: MetricContext, argument: str | None) -> Measurement:
    """A budget line's (or a part's) amount; a line with no amount of its own adds its parts;
    a carry-over line stating no amount has no value."""
    line_id = _argument(argument, "budget-line")
    found = find_line(ctx.strategy, line_id)
    if found is None:
        ids = [item.id for _, item in budget_lines(ctx.strategy)]
        raise UsageError(f"budget-line:{line_id}: no budget line or part has id {line_id!r}"
                         f"{did_you_mean(line_id, ids)} (the strategy's: {', '.join(ids)}); "
                         "give the line that id, or set the rule's parameter to the line's id "
                         "in a pack of your own")
    path, line = found
    value, source = line_value(line, path)
    parts = tuple(stated_parts(line, path))
    if value is None:
        how = "funded by carry-over" if line.funding in (
            Funding.CARRY_OVER, Funding.PART_CARRY_OVER) else f"funded {line.funding.value}"
        printed = f" (as printed: {line.note!r})" if line.note else ""
        return Measurement(None, Unit.GBP, parts, source,
                           f"{line.label} is {how}; no amount is stated{printed}")
    note = "" if line.amount is not None else f"{line.label} states no amount: its parts added"
    return Measurement(value, Unit.GBP, parts, source, note)


def grant_amount(ctx: MetricContext, argument: str | None) -> Measurement:
    """A grant's whole amount, by id."""
    grant_id = _argument(argument, "grant-amount")
    for index, grant in enumerate(ctx.strategy.grants):
        if grant.id == grant_id:
            source = f"grants[{index}].amount"
            return Measurement(grant.amount.amount, Unit.GBP,
                               (money(grant.name, grant.amount.amount, source),), source)
    raise UsageError(f"grant-amount:{grant_id}: no grant has id {grant_id!r}")


def core_grant_amount(ctx: MetricContext, argument: str | None) -> Measurement:
    """The VRU core grant for the strategy's year (a grant of kind ``core``: never the Duty
    Burden Grant or an uplift); a core grant spanning several years is shared evenly."""
    found = year_core_grant(ctx.strategy)
    if found is None:
        return Measurement(None, Unit.GBP, (), "grants",
                           f"no core grant is recorded for {ctx.strategy.financial_year}")
    path, grant = found
    amount, years = year_amount(grant), len(grant.years)
    note = f"{grant.name} covers {years} years: one year's even share" if years > 1 else ""
    source = f"{path}.amount"
    return Measurement(amount, Unit.GBP, (money(grant.name, grant.amount.amount, source),),
                       source, note)


def budget_lines_total(ctx: MetricContext, argument: str | None) -> Measurement:
    """What the budget's own lines add up to (a line with no amount adds its parts)."""
    parts = []
    notes = []
    for path, line in top_level_lines(ctx.strategy):
        value, source = line_value(line, path)
        if value is None:
            notes.append(f"{line.label} states no amount and is not counted")
        else:
            parts.append(money(line.label, value, source))
    total = sum((part.value for part in parts), Decimal(0))
    return Measurement(total, Unit.GBP, tuple(parts), "budget.lines", "; ".join(notes))


def budget_stated_total(ctx: MetricContext, argument: str | None) -> Measurement:
    """The total the budget states for itself ("Total grant £1.51m"); its parts are the
    budget's lines, so ``total-equals-parts`` reconciles the two."""
    stated = ctx.strategy.budget.stated_total
    lines = budget_lines_total(ctx, None)
    if stated is None:
        return Measurement(None, Unit.GBP, lines.parts, "budget.stated_total",
                           "the budget states no total")
    printed = f"as printed: {stated.as_printed}" if stated.as_printed else ""
    return Measurement(stated.amount, Unit.GBP, lines.parts, "budget.stated_total.amount",
                       "; ".join(note for note in (printed, lines.note) if note))


def whole_budget(ctx: MetricContext, argument: str | None) -> Measurement:
    """The whole yearly budget: its stated total, else what its lines add up to."""
    stated = budget_stated_total(ctx, None)
    return stated if stated.value is not None else budget_lines_total(ctx, None)


def intervention_spend(ctx: MetricContext, argument: str | None) -> Measurement:
    """Spend on interventions: the budget lines that pay for interventions (a line naming an
    intervention, or holding parts that do), each at its stated amount."""
    parts = []
    notes = []
    for path, line in top_level_lines(ctx.strategy):
        if not funds_interventions(line):
            continue
        value, source = line_value(line, path)
        if value is None:
            notes.append(f"{line.label} states no amount and is not counted")
        else:
            parts.append(money(line.label, value, source))
    if not parts:
        return Measurement(None, Unit.GBP, (), "budget.lines",
                           "no budget line pays for interventions")
    total = sum((part.value for part in parts), Decimal(0))
    return Measurement(total, Unit.GBP, tuple(parts), "budget.lines", "; ".join(notes))


def funded_interventions_count(ctx: MetricContext, argument: str | None) -> Measurement:
    """Interventions a budget line pays for, carry-over included."""
    funded = funded_interventions(ctx.strategy)
    parts = tuple(count(item.name, 1, path) for item, path, _ in funded)
    return Measurement(Decimal(len(funded)), Unit.COUNT, parts, "budget.lines")


def new_interventions_count(ctx: MetricContext, argument: str | None) -> Measurement:
    """Interventions new this year."""
    parts = tuple(
        count(item.name, 1, f"interventions[{index}].new_this_year")
        for index, item in enumerate(ctx.strategy.interventions) if item.new_this_year
    )
    return Measurement(Decimal(len(parts)), Unit.COUNT, parts, "interventions")


def local_partnerships_count(ctx: MetricContext, argument: str | None) -> Measurement:
    partnerships = ctx.strategy.local_partnerships
    parts = tuple(count(lp.name, 1, f"local_partnerships[{i}]")
                  for i, lp in enumerate(partnerships))
    return Measurement(Decimal(len(partnerships)), Unit.COUNT, parts, "local_partnerships")


def _distinct(ctx: MetricContext, field: str) -> Measurement:
    first: dict[str, str] = {}
    for i, lp in enumerate(ctx.strategy.local_partnerships):
        for j, name in enumerate(getattr(lp, field)):
            first.setdefault(name, f"local_partnerships[{i}].{field}[{j}]")
    parts = tuple(count(name, 1, source) for name, source in first.items())
    return Measurement(Decimal(len(first)), Unit.COUNT, parts,
                       f"local_partnerships[*].{field}", "each counted once, by name")


def community_safety_partnerships_count(ctx: MetricContext, argument: str | None) -> Measurement:
    """Distinct Community Safety Partnerships across the local partnerships."""
    return _distinct(ctx, "community_safety_partnerships")


def integrated_care_boards_count(ctx: MetricContext, argument: str | None) -> Measurement:
    """Distinct NHS Integrated Care Boards across the local partnerships."""
    return _distinct(ctx, "integrated_care_boards")


def match_funding_recorded(ctx: MetricContext, argument: str | None) -> Measurement:
    """The match funding recorded against the year's core grant; none if no amount is."""
    found = year_core_grant(ctx.strategy)
    if found is None:
        return Measurement(None, Unit.GBP, (), "grants",
                           f"no core grant is recorded for {ctx.strategy.financial_year}")
    path, grant = found
    match = grant.match_funding
    source = f"{path}.match_funding.recorded"
    if match is None or match.recorded is None:
        said = f" (the strategy says: {match.as_stated!r})" if match and match.as_stated else ""
        return Measurement(None, Unit.GBP, (), source,
                           f"no match-funding amount is recorded for {grant.name}{said}")
    return Measurement(match.recorded, Unit.GBP, (), source)


METRICS = (
    MetricSpec("budget-line", budget_line, Unit.GBP,
               "A budget line's or part's amount, by id (budget-line:pilot-interventions).",
               takes_argument=True),
    MetricSpec("grant-amount", grant_amount, Unit.GBP,
               "A grant's whole amount, by id (grant-amount:core-2024-25).",
               takes_argument=True),
    MetricSpec("core-grant-amount", core_grant_amount, Unit.GBP,
               "The VRU core grant for the strategy's year."),
    MetricSpec("budget-lines-total", budget_lines_total, Unit.GBP,
               "What the budget's lines add up to."),
    MetricSpec("budget-stated-total", budget_stated_total, Unit.GBP,
               "The total the budget states."),
    MetricSpec("whole-budget", whole_budget, Unit.GBP,
               "The whole yearly budget: its stated total, else its lines' sum."),
    MetricSpec("intervention-spend", intervention_spend, Unit.GBP,
               "Spend on interventions: the budget lines that pay for them."),
    MetricSpec("funded-interventions-count", funded_interventions_count, Unit.COUNT,
               "Interventions a budget line pays for, carry-over included."),
    MetricSpec("new-interventions-count", new_interventions_count, Unit.COUNT,
               "Interventions new this year."),
    MetricSpec("local-partnerships-count", local_partnerships_count, Unit.COUNT,
               "Local (upper-tier) violence reduction partnerships."),
    MetricSpec("community-safety-partnerships-count", community_safety_partnerships_count,
               Unit.COUNT, "Distinct Community Safety Partnerships."),
    MetricSpec("integrated-care-boards-count", integrated_care_boards_count, Unit.COUNT,
               "Distinct NHS Integrated Care Boards."),
    MetricSpec("match-funding-recorded", match_funding_recorded, Unit.GBP,
               "Match funding recorded against the year's core grant."),
)
