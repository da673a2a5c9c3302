"""The in-year checks: spend against profile, forecasts, spend needing a reason, match
funding evidenced by source, overdue milestones, spend per person against a benchmark."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from vpp_core import (
    CheckContext,
    Evidence,
    Finding,
    Quantity,
    Status,
    Subject,
    Unit,
    format_money,
    format_share,
    format_value,
)
from vpp_plugins._common import year_amount, year_core_grant
from vpp_plugins.spend.evidence import MATCH_RULE, contributions, overdue
from vpp_plugins.spend.figures import (
    FORECAST_RULE,
    Irregular,
    Position,
    YearSpend,
    irregular_spend,
    signed_money,
)
from vpp_plugins.spend.kinds import MATCH_FUNDING, MILESTONES, PROFILE, SPEND
from vpp_plugins.spend.ledger import FROM_STRATEGY, SpendRecords, spend_records
from vpp_plugins.spend.value import reach_lines, value_for_money
from vpp_plugins.spend.year import as_of_day, before_the_year, year_spend

_SUBJECT_KIND = {"line": "spend-line", "grant": "grant", "intervention": "intervention"}


def spend_money(label: str, value: Decimal, source: str = f"records:{SPEND}") -> Quantity:
    return Quantity(label, value, Unit.GBP, source)


def _not_cash(position: Position) -> tuple[Quantity, ...]:
    """The in-kind and secondment spend within a position's spend to date."""
    return tuple(spend_money(f"of which {kind}", amount) for kind, amount in position.not_cash)


def _subject(position: Position) -> Subject:
    return Subject(_SUBJECT_KIND[position.kind], position.key, position.label)


def missing_records(what: str, kind: str) -> Finding:
    return Finding(Subject("records", kind), Status.NOT_APPLICABLE,
                   f"{kind} records were not supplied, so {what} cannot be checked")


def _no_profile(what: str) -> Finding:
    return Finding(Subject("records", SPEND), Status.NOT_APPLICABLE,
                   f"no spend records, or no spend profile (the strategy's [[spend_profile]] "
                   f"or {PROFILE} records), so {what} cannot be checked")


#: Why a spend rule cannot run when the records give no day to measure to.
NO_DAY = Finding(Subject("records", SPEND), Status.NOT_APPLICABLE,
                 "no usable spend row and no --as-of: no day to measure spend to")


def _before_the_year(context: CheckContext) -> Finding | None:
    """Not applicable when the as-of day is before the strategy's year begins."""
    reason = before_the_year(context)
    return None if reason is None else Finding(Subject("records", SPEND),
                                               Status.NOT_APPLICABLE, reason)


def _measured(context: CheckContext) -> YearSpend | Finding:
    """The year's spend to the as-of day, or why there is none to measure."""
    spend = year_spend(context)
    if spend is None:
        return NO_DAY
    return _before_the_year(context) or spend


def _profile_note(records: SpendRecords) -> str:
    return ("The profile is the strategy's [[spend_profile]]."
            if records.profile_source == FROM_STRATEGY else
            f"The profile is the {PROFILE} records (the strategy has none).")


def against_profile(context: CheckContext) -> Iterator[Finding]:
    """Spend to date within a tolerance of the profile to date, per line, grant and
    intervention, with variance and RAG."""
    records = spend_records(context)
    if not (records.given(SPEND) and records.has_profile):
        yield _no_profile("spend against profile")
        return
    green = Decimal(context.params["green_tolerance"])
    amber = Decimal(context.params["amber_tolerance"])
    spend = _measured(context)
    if isinstance(spend, Finding):
        yield spend
        return
    for position in [*spend.grants(), *spend.lines(), *spend.interventions()]:
        rag = position.rag(green, amber)
        share = position.variance_share
        shown = "no profile to date" if share is None else format_share(share)
        yield Finding(
            _subject(position), Status.FAIL if rag.value == "red" else Status.PASS,
            f"{position.label}: {position.spent_text} to {position.as_of} "
            f"against {format_money(position.planned_to_date)} profiled; variance "
            f"{signed_money(position.variance)} ({shown}), {rag.value}",
            Evidence(
                measured=spend_money("spend to date", position.actual),
                operator="≈",
                threshold=spend_money("profile to date", position.planned_to_date,
                                 records.profile_source),
                parts=(spend_money("variance", position.variance),
                       spend_money("profile for the year", position.planned_year,
                              records.profile_source),
                       *_not_cash(position)),
                notes=(f"RAG: green within ±{format_share(green)} of the profile to date, "
                       f"amber within ±{format_share(amber)}, red beyond (a failure)",
                       FORECAST_RULE, _profile_note(records),
                       *filter(None, [spend.not_counted, spend.not_planned])),
            ),
        )


def forecast_within_allocation(context: CheckContext) -> Iterator[Finding]:
    """Each grant's two year-end forecasts within a tolerance of its allocation."""
    records = spend_records(context)
    if not (records.given(SPEND) and records.has_profile):
        yield _no_profile("the year-end forecast")
        return
    tolerance = Decimal(context.params["tolerance"])
    spend = _measured(context)
    if isinstance(spend, Finding):
        yield spend
        return
    for grant in spend.grants():
        if grant.allocation is None:
            continue
        forecasts = (("profile-based", grant.forecast_profile),
                     ("run-rate", grant.forecast_run_rate))
        allowed = grant.allocation * tolerance
        gaps = []
        for label, value in forecasts:
            gap = grant.underspend(value)
            assert gap is not None
            gaps.append(Quantity(f"{label} {'underspend' if gap >= 0 else 'overspend'}",
                                 abs(gap), Unit.GBP, f"records:{SPEND}"))
        worst = max(gaps, key=lambda q: q.value)
        low, high = grant.forecast_range
        yield Finding(
            _subject(grant), Status.FAIL if worst.value > allowed else Status.PASS,
            f"{grant.label}: year-end forecast {format_money(low)} to {format_money(high)} "
            f"(profile-based {format_money(grant.forecast_profile)}, run-rate "
            f"{format_money(grant.forecast_run_rate)}) against "
            f"{format_money(grant.allocation)}; "
            + "; ".join(f"{gap.label} {format_money(gap.value)}" for gap in gaps),
            Evidence(
                measured=worst, operator="<=",
                # the engine names the pack that set the tolerance; the allocation's basis
                # is the allocation part's source
                threshold=spend_money(f"tolerance: {format_share(tolerance)} of the "
                                      "allocation", allowed, ""),
                parts=(spend_money("spend to date", grant.actual),
                       spend_money("profile-based forecast", grant.forecast_profile),
                       spend_money("run-rate forecast", grant.forecast_run_rate),
                       spend_money("allocation", grant.allocation, grant.allocation_basis),
                       *gaps, *_not_cash(grant)),
                notes=(FORECAST_RULE, _profile_note(records),
                       "An underspend cannot be claimed after the year ends.",
                       *filter(None, [spend.not_counted, spend.not_planned])),
            ),
        )


def in_year_and_funded(context: CheckContext) -> Iterator[Finding]:
    """Spend dated in its grant's years, on a line the grant funds, or covered by a
    recorded carry-over."""
    records = spend_records(context)
    day = as_of_day(context)
    if not records.given(SPEND):
        yield missing_records("spend outside its grant", SPEND)
        return
    if day is None:
        yield NO_DAY
        return
    found = irregular_spend(context.strategy, records, day)
    by_line: dict[tuple[str, str], list[Irregular]] = {}
    for item in found:  # one finding per line, whatever the reasons its spend needs one
        by_line.setdefault((item.grant, item.line), []).append(item)
    for (grant, line), items in by_line.items():
        amount = sum((item.amount for item in items), Decimal(0))
        covered = sum((item.covered for item in items), Decimal(0))
        what = "; ".join(f"{format_money(item.amount)} {item.reason} ({item.days})"
                         for item in items)
        yield Finding(
            Subject("spend-line", f"{grant}/{line}"),
            Status.PASS if covered == amount else Status.FAIL,
            f"{grant} / {line}: {what}; "
            + ("covered by a recorded carry-over" if covered == amount else
               f"{format_money(amount - covered)} not covered by a recorded carry-over"),
            Evidence(
                measured=spend_money("spend not covered", amount - covered), operator="<=",
                threshold=spend_money("allowed", Decimal(0), ""),
                parts=(spend_money("spend", amount),
                       spend_money("covered by carry-over", covered, "records:carry-over")),
                notes=tuple(sorted({cover for item in items for cover in item.cover})),
            ),
        )
    if not found:
        yield Finding(Subject("records", SPEND), Status.PASS,
                      f"all spend to {day} is dated in its grant's years and charged to a "
                      "line its grant funds")


def match_funding_evidenced(context: CheckContext) -> Iterator[Finding]:
    """The year's match funding, evidenced source by source, at least the share of the
    core grant."""
    records = spend_records(context)
    core = year_core_grant(context.strategy)
    if not records.given(MATCH_FUNDING) or core is None:
        yield missing_records("match funding by evidenced source", MATCH_FUNDING)
        return
    path, grant = core
    year = context.strategy.financial_year
    share = Decimal(context.params["share"])
    amount = year_amount(grant)  # a grant over several years: one year's share
    required = amount * share
    found = contributions(records.match_sources, grant.id, year)
    total = sum((c.value for c in found), Decimal(0))
    short = max(Decimal(0), required - total)
    yield Finding(
        Subject("grant", grant.id, grant.name), Status.PASS if total >= required else Status.FAIL,
        f"{year}: {format_money(total)} evidenced from {len(found)} sources against "
        f"{format_money(required)} required ({format_share(share)} of "
        f"{format_money(amount)})" + (f"; {format_money(short)} short" if short else ""),
        Evidence(
            measured=Quantity("match funding evidenced", total, Unit.GBP,
                              f"records:{MATCH_FUNDING}"),
            operator=">=",
            threshold=Quantity(f"share: {format_share(share)} of the grant", required,
                               Unit.GBP),  # the engine names the pack that set the share
            denominator=Quantity(grant.name, amount, Unit.GBP, f"{path}.amount"),
            parts=tuple(Quantity(c.label, c.value, Unit.GBP, c.basis) for c in found),
            shortfall=Quantity("to evidence", short, Unit.GBP) if short else None,
            notes=(MATCH_RULE, *([f"{grant.name} covers {len(grant.years)} years: one "
                                  "year's even share"] if len(grant.years) > 1 else [])),
        ),
    )


def milestones_on_time(context: CheckContext) -> Iterator[Finding]:
    """No evaluation milestone due before the as-of day is still open."""
    records = spend_records(context)
    day = context.as_of or records.last_day
    if not records.given(MILESTONES):
        yield missing_records("evaluation milestones", MILESTONES)
        return
    if day is None:
        yield Finding(Subject("records", MILESTONES), Status.NOT_APPLICABLE,
                      "no day to judge the milestones against: give --as-of (or spend "
                      "records, whose last day is taken)")
        return
    late = overdue(records.milestones, day)
    shared = Counter((m.intervention, m.due) for m in records.milestones)
    names = {item.id: item.name for item in context.strategy.interventions}
    for milestone in records.milestones:
        key = f"{milestone.intervention}/{milestone.due}"
        if shared[milestone.intervention, milestone.due] > 1:  # one subject per milestone
            key += "/" + "-".join(re.findall(r"[a-z0-9]+", milestone.milestone.casefold()))
        named = names.get(milestone.intervention, milestone.intervention)
        subject = Subject("milestone", key, f"{named}: {milestone.milestone}")
        if milestone in late:
            days = format_value(Decimal((day - milestone.due).days), Unit.DAYS)
            yield Finding(subject, Status.FAIL,
                          f"{named}: {milestone.milestone!r} was due "
                          f"{milestone.due} and is {milestone.status} as of {day} "
                          f"({days} overdue)")
        elif milestone.status == "complete":  # done, on time or early
            yield Finding(subject, Status.PASS, f"{named}: "
                          f"{milestone.milestone!r} due {milestone.due}: complete")
        else:  # due on the day or later: not yet overdue
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{named}: {milestone.milestone!r} is due {milestone.due} and not "
                          f"overdue as of {day} ({milestone.status})")


def spend_per_person_at_most(context: CheckContext) -> Iterator[Finding]:
    """Spend per new person reached (and per professional trained) at most a benchmark."""
    if not spend_records(context).given(SPEND):
        yield missing_records("spend per person", SPEND)
        return
    spend = _measured(context)
    if isinstance(spend, Finding):
        yield spend
        return
    benchmark = Decimal(context.params["benchmark"])
    minimum = int(context.params["minimum_count"])
    for reach in reach_lines(context.strategy):
        value = value_for_money(context, spend, reach)
        subject = Subject("value-for-money", f"{reach.key}/{reach.who}", reach.label)
        if value.reached is None:
            yield Finding(subject, Status.NOT_APPLICABLE, f"{reach.label}: {value.note}")
            continue
        if value.reached < minimum:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{reach.label}: fewer than {minimum} reached, too few to judge "
                          "spend per head (disclosure control)", Evidence(parts=value.parts))
            continue
        per = value.per_head
        assert per is not None
        yield Finding(
            subject, Status.PASS if per <= benchmark else Status.FAIL,
            f"{reach.label}: {format_money(value.spent)} spent for {value.reached} reached "
            f"= {format_money(per)} each against a benchmark of {format_money(benchmark)}",
            Evidence(
                measured=Quantity("spend per head", per, Unit.GBP, f"records:{SPEND}"),
                operator="<=", threshold=Quantity("benchmark", benchmark, Unit.GBP),
                parts=value.parts,
                notes=(f"As of {spend.as_of}; spend on every line paying for "
                       f"{reach.key}, across grants.",),
            ),
        )
