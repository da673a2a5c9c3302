"""Checks for the core grant's conditions: the evaluation share with its base as a parameter,
match funding for the year, carry-over funded activity, and other grants kept out of the core.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from vpp_core import (
    CheckContext,
    CheckSpec,
    Evidence,
    Finding,
    Funding,
    GrantKind,
    ParameterSpec,
    Quantity,
    Status,
    Subject,
    Unit,
    format_money,
    format_share,
    needed,
    whole_strategy,
)
from vpp_plugins._common import (
    budget_lines,
    intervention_subject,
    money,
    year_core_grant,
)

#: The bases an evaluation share can be read against, and how a message names them.
EVALUATION_BASES = {
    "intervention-spend": "intervention spend",
    "whole-budget": "the whole yearly budget",
}

_CARRY_OVER = (Funding.CARRY_OVER, Funding.PART_CARRY_OVER)


def evaluation_share(ctx: CheckContext) -> Iterator[Finding]:
    """Evaluation spend is at least ``threshold`` of the base: intervention spend (the Home
    Office reading) or the whole yearly budget (as some VRUs read the condition)."""
    base: str = ctx.params["base"]
    if base not in EVALUATION_BASES:
        allowed = ", ".join(repr(name) for name in EVALUATION_BASES)
        raise ValueError(f"base {base!r} is not one of {allowed}")
    reference: str = ctx.params["evaluation"]
    threshold: Decimal = ctx.params["threshold"]
    subject = whole_strategy(ctx.strategy)
    top, bottom = ctx.metric(reference), ctx.metric(base)
    for name, measurement in ((reference, top), (base, bottom)):
        if measurement.value is None:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{name} has no value: {measurement.note}",
                          Evidence(notes=(measurement.note,)))
            return
    assert top.value is not None
    assert bottom.value is not None
    numerator = money("evaluation spend", top.value, top.source)
    denominator = money(EVALUATION_BASES[base], bottom.value, bottom.source)
    if bottom.value == 0:
        yield Finding(subject, Status.NOT_APPLICABLE, f"{EVALUATION_BASES[base]} is £0: no share",
                      Evidence(numerator=numerator, denominator=denominator))
        return
    required = threshold * bottom.value
    share = top.value / bottom.value
    message = (f"Evaluation {format_money(top.value)} is {format_share(share, near=threshold)} "
               f"of {EVALUATION_BASES[base]} {format_money(bottom.value)}; at least "
               f"{format_share(threshold)} ({format_money(needed(required, Unit.GBP))}) required")
    shortfall = None
    if top.value < required:
        gap = needed(required - top.value, Unit.GBP)
        shortfall = money("shortfall", gap)
        message += f": {format_money(gap)} short"
    yield Finding(
        subject,
        Status.PASS if shortfall is None else Status.FAIL,
        message,
        Evidence(
            measured=Quantity("share", share.quantize(Decimal("0.000001")), Unit.SHARE),
            operator=">=",
            threshold=Quantity("threshold", threshold, Unit.SHARE),
            numerator=numerator,
            denominator=denominator,
            parts=top.parts + bottom.parts,
            shortfall=shortfall,
            notes=tuple(note for note in (top.note, bottom.note) if note),
        ),
    )


#: The threshold's label, naming the parameter it is computed from (so a report says which
#: pack, version and year set the share).
REQUIRED = "match funding required: share of the grant"


def match_funding_share(ctx: CheckContext) -> Iterator[Finding]:
    """The match funding recorded against the year's core grant is at least ``share`` of it.
    A requirement recorded as met with no amount passes (if stated at ``share`` or more); one
    that states the requirement but records neither amount nor outcome fails."""
    share: Decimal = ctx.params["share"]
    found = year_core_grant(ctx.strategy)
    if found is None:
        yield Finding(whole_strategy(ctx.strategy), Status.NOT_APPLICABLE,
                      f"no core grant is recorded for {ctx.strategy.financial_year}")
        return
    path, grant = found
    subject = Subject("grant", grant.id, grant.name)
    year = ctx.metric("core-grant-amount")  # a grant over several years: one year's share
    assert year.value is not None  # the grant was found
    required = needed(share * year.value, Unit.GBP)
    denominator = money(grant.name, year.value, f"{path}.amount")
    requirement = f"{format_share(share)} of {format_money(year.value)} = {format_money(required)}"
    match = grant.match_funding
    notes = [year.note] if year.note else []
    if match is not None and match.required_share != share:
        notes.append(f"the strategy states a {format_share(match.required_share)} requirement; "
                     f"the grant conditions for {ctx.strategy.financial_year} set "
                     f"{format_share(share)}")
    if match is not None and match.as_stated:
        notes.append(f"the strategy says: {match.as_stated!r}")
    if match is not None and match.recorded is None and match.met is not None:
        # The year's requirement recorded as met (or not) without an amount: honoured when
        # the requirement it was met against is at least the grant conditions' share.
        met = match.met and match.required_share >= share
        said = "met" if match.met else "not met"
        notes.append("no amount is recorded: the strategy's own statement is the evidence")
        message = (f"The strategy records the {format_share(match.required_share)} "
                   f"match-funding requirement for {grant.name} as {said}; {requirement} "
                   "required")
        if match.met and not met:
            message += f": a lower share than the {format_share(share)} the conditions set"
        yield Finding(
            subject, Status.PASS if met else Status.FAIL, message,
            Evidence(operator=">=", threshold=money(REQUIRED, required),
                     denominator=denominator,
                     shortfall=None if met else money("match funding not evidenced", required),
                     notes=tuple(notes)),
        )
        return
    if match is None or match.recorded is None:
        yield Finding(
            subject, Status.FAIL,
            f"No match-funding amount is recorded against {grant.name}: {requirement} "
            "must be evidenced",
            Evidence(operator=">=", threshold=money(REQUIRED, required),
                     denominator=denominator,
                     shortfall=money("match funding not evidenced", required),
                     notes=tuple(notes)),
        )
        return
    recorded = money("match funding recorded", match.recorded, f"{path}.match_funding.recorded")
    gap = required - match.recorded
    message = (f"Match funding {format_money(match.recorded)} recorded against {grant.name}; "
               f"{requirement} required")
    if gap > 0:
        message += f": {format_money(gap)} short"
    yield Finding(
        subject, Status.FAIL if gap > 0 else Status.PASS, message,
        Evidence(measured=recorded, operator=">=",
                 threshold=money(REQUIRED, required),
                 numerator=recorded, denominator=denominator,
                 shortfall=money("shortfall", gap) if gap > 0 else None, notes=tuple(notes)),
    )


@attrs.define
class _CarryOver:
    """What the strategy says about one carry-over funded activity, from every place."""

    subject: Subject
    source: str
    amount: Decimal | None = None
    printed: list[str] = attrs.Factory(list)

    def learn(self, amount: Decimal | None, source: str, printed: str) -> None:
        if self.amount is None and amount is not None:
            self.amount, self.source = amount, source
        self.printed.append(printed)


def carry_over_stated(ctx: CheckContext) -> Iterator[Finding]:
    """Every activity funded by carry-over from the previous year is reported with its amount;
    one whose amount is not stated fails, so an auditor asks for it."""
    strategy = ctx.strategy
    seen: dict[str, _CarryOver] = {}
    for path, line in budget_lines(strategy):
        if line.funding not in _CARRY_OVER:
            continue
        subject = (intervention_subject(strategy.intervention(line.intervention))
                   if line.intervention else Subject("budget-line", line.id, line.label))
        entry = seen.setdefault(line.intervention or f"line:{line.id}",
                                _CarryOver(subject, f"{path}.amount"))
        entry.learn(line.amount.amount if line.amount is not None else None, f"{path}.amount",
                    f"{path}: {line.note!r}" if line.note else path)
    for index, item in enumerate(strategy.interventions):
        if item.funding.source not in _CARRY_OVER:
            continue
        path = f"interventions[{index}].funding"
        entry = seen.setdefault(item.id, _CarryOver(intervention_subject(item), f"{path}.amount"))
        funding = item.funding
        entry.learn(funding.amount.amount if funding.amount is not None else None,
                    f"{path}.amount",
                    f"{path}: {funding.as_printed!r}" if funding.as_printed else path)
    if not seen:
        yield Finding(whole_strategy(strategy), Status.NOT_APPLICABLE,
                      "No activity is funded by carry-over")
        return
    year = strategy.financial_year.previous()
    spellings = (str(year), f"{year.start_year}-{year.start_year + 1}",
                 f"{year.start_year % 100}/{(year.start_year + 1) % 100}", "carry")
    budget_notes = tuple(note for note in strategy.budget.notes
                         if any(text in note.lower() for text in spellings))
    for entry in sorted(seen.values(), key=lambda entry: entry.subject):
        notes = tuple(f"as printed at {text}" for text in entry.printed) + budget_notes
        label = entry.subject.label
        if entry.amount is None:
            yield Finding(entry.subject, Status.FAIL,
                          f"{label} is funded by carry-over from {year}; the amount is not "
                          "stated", Evidence(notes=notes))
        else:
            yield Finding(entry.subject, Status.PASS,
                          f"{label} is funded by {format_money(entry.amount)} carried over "
                          f"from {year}",
                          Evidence(measured=money("carry-over", entry.amount, entry.source),
                                   notes=notes))


def other_grants_outside_core(ctx: CheckContext) -> Iterator[Finding]:
    """The Duty Burden Grant, an uplift or any other grant is never counted into the core
    grant's budget: the budget is not drawn against it, no line is it, and neither the stated
    total nor the lines' sum exceeds the core grant by its amount (or one year's share)."""
    strategy = ctx.strategy
    others = [(i, grant) for i, grant in enumerate(strategy.grants)
              if grant.kind is not GrantKind.CORE and strategy.financial_year in grant.years]
    if not others:
        yield Finding(whole_strategy(strategy), Status.NOT_APPLICABLE,
                      f"No grant other than the core grant covers {strategy.financial_year}")
        return
    core = ctx.metric("core-grant-amount")
    totals = [(label, measurement) for label, measurement in (
        ("the budget's stated total", ctx.metric("budget-stated-total")),
        ("the budget lines' sum", ctx.metric("budget-lines-total")),
    ) if measurement.value is not None]
    line_ids = {line.id: path for path, line in budget_lines(strategy)}
    for index, grant in others:
        subject = Subject("grant", grant.id, grant.name)
        yearly = grant.amount.amount / len(grant.years)
        amounts = {grant.amount.amount, yearly}
        problems = []
        if strategy.budget.grant == grant.id:
            problems.append(f"the budget is drawn up against {grant.name}, not the core grant")
        if grant.id in line_ids:
            problems.append(f"budget line {line_ids[grant.id]} is {grant.name}")
        parts = [money(grant.name, grant.amount.amount, f"grants[{index}].amount")]
        if core.value is not None:
            parts.append(money("core grant", core.value, core.source))
            for label, measurement in totals:
                assert measurement.value is not None
                excess = measurement.value - core.value
                if excess in amounts:
                    problems.append(f"{label} {format_money(measurement.value)} is the core "
                                    f"grant {format_money(core.value)} plus "
                                    f"{format_money(excess)} of {grant.name}")
        if problems:
            text = "; ".join(problems)
            yield Finding(subject, Status.FAIL, text[:1].upper() + text[1:],
                          Evidence(parts=tuple(parts)))
        else:
            yield Finding(subject, Status.PASS,
                          f"{grant.name} ({format_money(grant.amount.amount)}) is kept out of "
                          "the core grant's budget", Evidence(parts=tuple(parts)))


CHECKS = (
    CheckSpec(
        "evaluation-share", evaluation_share,
        "Evaluation spend is at least a share of its base: intervention spend or the whole "
        "yearly budget.",
        (
            ParameterSpec("threshold", "decimal", 'The share, as a decimal string ("0.10").'),
            ParameterSpec("base", "string",
                          "What the share is of: 'intervention-spend' or 'whole-budget'.",
                          required=False, default="intervention-spend",
                          choices=tuple(EVALUATION_BASES)),
            ParameterSpec("evaluation", "metric", "The metric holding evaluation spend.",
                          required=False, default="budget-line:evaluation"),
        ),
    ),
    CheckSpec(
        "match-funding-share", match_funding_share,
        "Match funding recorded against the year's core grant is at least the year's share.",
        (ParameterSpec("share", "decimal",
                       "The year's required share of the core grant, keyed by financial year."),),
    ),
    CheckSpec("carry-over-stated", carry_over_stated,
              "Activity funded by carry-over is reported with its amount."),
    CheckSpec("other-grants-outside-core", other_grants_outside_core,
              "The Duty Burden Grant and any uplift are never counted into the core grant."),
)
