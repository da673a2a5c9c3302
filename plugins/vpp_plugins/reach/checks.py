"""Sanity checks on campaign records, as an evaluator reads a platform export before using it.

Each yields one finding per subject: a channel, area and month (or whatever grouping the
rule's ``by`` parameter asks for), a channel, an audience, the budget line. With no
campaign records a check yields one not-applicable finding that says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    DEFAULT_MAXIMUM_LEFT_OUT,
    CheckSpec,
    Evidence,
    Finding,
    ParameterSpec,
    Quantity,
    Status,
    Subject,
    Unit,
    display_path,
    files_usable_findings,
    format_money,
    format_share,
)
from vpp_plugins.reach.kinds import DELIVERY, IMPRESSIONS_AS_REACH, KINDS, TRAINING
from vpp_plugins.reach.slices import KEYS, Slice

if TYPE_CHECKING:
    from vpp_core import (
        BudgetLine,
        CheckContext,
        LoadedTable,
        Strategy,
    )
    from vpp_plugins.reach.load import LoadedCampaign

MAX_LISTED = 20

_BY = ParameterSpec(
    "by", "strings",
    "Group delivery rows by these of channel, area, month: one finding per group (the "
    "worst row of a group is named by its area and date).",
    required=False, default=("channel",),
)


def _campaign_subject(strategy: Strategy) -> Subject:
    campaign = strategy.campaign
    if campaign is None:
        return Subject("campaign", "none", "no campaign in the strategy")
    return Subject("campaign", campaign.intervention, campaign.name)


def _campaign(ctx: CheckContext) -> LoadedCampaign | None:
    """The run's campaign records, read once for every check and metric; ``None`` when no
    campaign record of any kind was given (the reader is then not even imported)."""
    if not any(ctx.records_of(kind) for kind in KINDS):
        return None
    from vpp_plugins.reach.load import campaign_of

    return campaign_of(ctx)


def _given(ctx: CheckContext, *kinds: str) -> LoadedCampaign | Finding:
    """The run's campaign if records of any of ``kinds`` were given; otherwise the
    not-applicable finding that says so."""
    campaign = _campaign(ctx)
    if campaign is not None and any(KINDS[kind].table in campaign.data.tables for kind in kinds):
        return campaign
    names = " or ".join(kinds)
    return Finding(_campaign_subject(ctx.strategy), Status.NOT_APPLICABLE,
                   f"no {names} records given: nothing to check (give --records)")


def _count(label: str, value: int | Decimal, unit: Unit = Unit.COUNT) -> Quantity:
    return Quantity(label, Decimal(value), unit, DELIVERY.name)


def _by(ctx: CheckContext) -> tuple[str, ...]:
    by = tuple(ctx.params.get("by") or _BY.default)
    unknown = sorted(set(by) - set(KEYS))
    if unknown:
        raise ValueError(f"parameter 'by': {unknown[0]!r} is not one of {', '.join(KEYS)}")
    return by


@attrs.frozen
class _RowRule:
    """A rule every delivery row must keep: SQL for a failing row, for the limit it is
    held to, and for rows it can judge; and the words for findings."""

    condition: str
    limit: str
    checked: str
    what: str
    limit_label: str
    none_checked: str


def _row_findings(ctx: CheckContext, rule: _RowRule, *, needs_population: bool = False
                  ) -> Iterator[Finding]:
    campaign = _given(ctx, DELIVERY.name)
    if isinstance(campaign, Finding):
        yield campaign
        return
    if needs_population and not campaign.data.has_population:
        yield Finding(_campaign_subject(ctx.strategy), Status.NOT_APPLICABLE,
                      "no population records given: reach cannot be checked against the "
                      "population it is drawn from")
        return
    for check in campaign.data.row_check(rule.condition, rule.limit, _by(ctx), rule.checked):
        subject = Subject("campaign-slice", str(check.slice), check.slice.label)
        if check.checked == 0:
            yield Finding(subject, Status.NOT_APPLICABLE,
                          f"{check.slice.label}: {rule.none_checked}")
            continue
        notes: tuple[str, ...] = ()
        if check.failing:
            worst = (f"worst: {check.worst_area} row dated {check.worst_date}, reach "
                     f"{check.worst_reach:,} against {rule.limit_label} {check.worst_limit:,}")
            notes = (worst,)
            message = (f"{check.slice.label}: {check.failing:,} of {check.checked:,} rows "
                       f"{rule.what} ({worst})")
        else:
            message = f"{check.slice.label}: none of {check.checked:,} rows {rule.what}"
        yield Finding(
            subject, Status.FAIL if check.failing else Status.PASS, message,
            Evidence(measured=_count("rows failing", check.failing), operator="==",
                     threshold=_count("rows allowed to fail", 0),
                     parts=(_count("rows checked", check.checked), _count("rows", check.rows)),
                     notes=notes),
        )


# -- REACH: reach against impressions and population -------------------------------------


def reach_within_impressions(ctx: CheckContext) -> Iterator[Finding]:
    return _row_findings(ctx, _RowRule(
        "d.reach > d.impressions", "d.impressions", "d.reach IS NOT NULL",
        what="report reach above impressions", limit_label="impressions",
        none_checked="no row reports reach",
    ))


def reach_within_population(ctx: CheckContext) -> Iterator[Finding]:
    return _row_findings(ctx, _RowRule(
        "d.reach > p.population", "p.population",
        "d.reach IS NOT NULL AND p.population IS NOT NULL",
        what="report reach above the population of their area", limit_label="population",
        none_checked="no row reports reach in an area with population records",
    ), needs_population=True)


def reach_not_impressions(ctx: CheckContext) -> Iterator[Finding]:
    least = int(ctx.params.get("min_impressions", 0) or 0)
    return _row_findings(ctx, _RowRule(
        "d.reach = d.impressions", "d.impressions",
        f"d.reach IS NOT NULL AND d.impressions >= {least}",
        what=f"report 'people reached' equal to impressions (rows of {least:,}+ impressions; "
             "impressions reported as reach?)",
        limit_label="impressions",
        none_checked=f"no row reports reach with {least:,} impressions or more",
    ))


# -- REACH: dates, money, rows left out ----------------------------------------------------


def activity_in_window(ctx: CheckContext) -> Iterator[Finding]:
    campaign = _given(ctx, DELIVERY.name, "exposures", TRAINING.name)
    if isinstance(campaign, Finding):
        yield campaign
        return
    data = campaign.data
    for found in data.outside_window():
        training = found.kind == TRAINING.name
        window = data.training_window if training else data.window
        which = "training window (the targets')" if training else "evaluation window"
        subject = Subject(found.kind, found.group, f"{found.kind}: {found.group}")
        if found.rows == 0:
            yield Finding(subject, Status.PASS,
                          f"{found.group}: every {found.kind} row is inside the {which} {window}")
            continue
        left_out = ""
        if found.kind == DELIVERY.name:
            left_out = (f": {found.impressions:,} impressions and {format_money(found.spend)} "
                        "spend left out of the reach metrics")
        counted = "counts against the targets" if training else "the reach metrics"
        yield Finding(
            subject, Status.FAIL,
            f"{found.group}: {found.rows:,} {found.kind} rows dated outside the {which} "
            f"{window} ({found.before:,} before, {found.after:,} after; {found.first} to "
            f"{found.last}){left_out or f', left out of {counted}'}",
            Evidence(
                measured=_count("rows outside the window", found.rows),
                operator="==", threshold=_count("rows allowed outside", 0),
                parts=(_count("before", found.before), _count("after", found.after),
                       *((_count("impressions outside", found.impressions),
                          _count("spend outside", found.spend, Unit.GBP))
                         if found.kind == DELIVERY.name else ())),
                notes=(f"window {window}",),
            ),
        )


def _budget_line(lines: Sequence[BudgetLine], line_id: str) -> BudgetLine | None:
    for line in lines:
        if line.id == line_id:
            return line
        found = _budget_line(line.parts, line_id)
        if found is not None:
            return found
    return None


def spend_within_budget(ctx: CheckContext) -> Iterator[Finding]:
    campaign = _given(ctx, DELIVERY.name)
    if isinstance(campaign, Finding):
        yield campaign
        return
    strategy = ctx.strategy
    line_id = strategy.campaign.budget_line if strategy.campaign else None
    line = _budget_line(strategy.budget.lines, line_id) if line_id else None
    subject = Subject("budget-line", line_id or "none", line.label if line else "")
    if line is None or line.amount is None:
        reason = ("the strategy names no budget line for the campaign" if line is None
                  else f"budget line {line_id!r} states no amount ({line.funding.value})")
        yield Finding(subject, Status.NOT_APPLICABLE, reason)
        return
    share: Decimal = ctx.params.get("threshold") or Decimal(1)
    year = strategy.financial_year
    by_channel = campaign.data.spend_by_channel(year.period)
    spend = sum(by_channel.values(), Decimal(0))
    budget = line.amount.amount
    limit = budget * share
    ok = spend <= limit
    shown = format_share(spend / budget) if budget else "—"
    message = (f"spend in {year} is {format_money(spend)}, {shown} of the {line.label} budget "
               f"line {format_money(budget)}")
    if share != 1:
        message += f" (at most {format_share(share)} allowed)"
    if not ok:
        message += f": {format_money(spend - limit)} over"
    yield Finding(
        subject, Status.PASS if ok else Status.FAIL, message,
        Evidence(
            measured=_count(f"spend in {year}", spend, Unit.GBP), operator="<=",
            threshold=Quantity("budget line × share", limit, Unit.GBP, f"budget.{line.id}"),
            parts=tuple(_count(f"spend: {channel}", amount, Unit.GBP)
                        for channel, amount in by_channel.items()),
            shortfall=None if ok else _count("over budget", spend - limit, Unit.GBP),
            notes=(f"Spend dated in the financial year {year} ({year.period}), inside the "
                   "evaluation window or not.",),
        ),
    )


def _tables(ctx: CheckContext) -> list[tuple[str, LoadedTable]] | Finding:
    """The campaign tables read, by kind; the not-applicable finding when none was given."""
    campaign = _campaign(ctx)
    if campaign is None or not campaign.tables:
        return Finding(_campaign_subject(ctx.strategy), Status.NOT_APPLICABLE,
                       "no campaign records given: nothing to read (give --records)")
    return sorted(campaign.tables.items())


def records_usable(ctx: CheckContext) -> Iterator[Finding]:
    tables = _tables(ctx)
    if isinstance(tables, Finding):
        yield tables
        return
    for kind, table in tables:
        subject = Subject("records", kind)
        files = ", ".join(display_path(Path(file)) for file in table.files)
        if table.rows_rejected == 0:
            yield Finding(subject, Status.PASS,
                          f"{kind}: all {table.rows_read:,} rows of {files} are usable")
            continue
        reasons = "; ".join(f"{reason} ({count:,})" for _, reason, count in table.reasons)
        listed = tuple(f"{display_path(Path(row.file))}:{row.row}: {row.reason}"
                       for row in table.rejected[:MAX_LISTED])
        more = table.rows_rejected - len(listed)
        yield Finding(
            subject, Status.FAIL,
            f"{kind}: {table.rows_rejected:,} of {table.rows_read:,} rows left out of every "
            f"figure: {reasons}",
            Evidence(
                measured=_count("rows left out", table.rows_rejected),
                operator="==", threshold=_count("rows allowed to be left out", 0),
                parts=(_count("rows read", table.rows_read), _count("rows used", table.rows_used)),
                notes=(*listed, *((f"… and {more:,} more",) if more > 0 else ())),
            ),
        )


def files_usable(ctx: CheckContext) -> Iterator[Finding]:
    """Every campaign file gives usable rows, with at most a share of them left out: never a
    silent table of zeros."""
    tables = _tables(ctx)
    yield from [tables] if isinstance(tables, Finding) else files_usable_findings(
        tables, ctx.params)


def log_within_platform(ctx: CheckContext) -> Iterator[Finding]:
    """Where a channel has both an exposure log and platform figures, they agree: in every
    week (the platform's reporting periods) and over the window, log impressions ≤
    platform impressions and log reach ≤ platform reach (a complete log's reach at least
    the platform's largest period)."""
    campaign = _given(ctx, DELIVERY.name)
    if isinstance(campaign, Finding):
        yield campaign
        return
    from vpp_plugins.reach.model import Cover, channel_figures

    data = campaign.data
    both = [channel for channel in data.values("channel")
            if channel in data.logged_values("channel", Slice())]
    if not both:
        yield Finding(_campaign_subject(ctx.strategy), Status.NOT_APPLICABLE,
                      "no channel has both an exposure log and platform delivery figures")
        return
    for channel in both:
        weeks = sorted(set(data.values("week", Slice(channel=channel)))
                       | set(data.logged_values("week", Slice(channel=channel))))
        checked = [(f"week of {week}", channel_figures(data, Slice(week=week), channel))
                   for week in weeks]
        overall = channel_figures(data, Slice(), channel)
        checked.append(("over the window", overall))
        failing = [(when, figures) for when, figures in checked if figures.problems]
        subject = Subject("campaign-channel", channel)
        cover = overall.cover.value if overall.cover is not Cover.NONE else "no log"
        notes = tuple(f"{when}: {'; '.join(figures.problems)} (log {figures.log_impressions:,} "
                      f"impressions, {figures.log_reach:,} ids; platform "
                      f"{figures.delivery.impressions:,} impressions, reach "
                      f"{figures.reach or 'not reported'})"
                      for when, figures in failing[:MAX_LISTED])
        if failing:
            message = (f"{channel}: the exposure log and the platform disagree in "
                       f"{len(failing):,} of {len(checked):,} periods checked ({notes[0]})")
        else:
            weeks_checked = "its one week" if len(weeks) == 1 else f"all {len(weeks):,} weeks"
            message = (f"{channel}: the exposure log ({cover}) agrees with the platform in "
                       f"{weeks_checked} and over the window")
        yield Finding(
            subject, Status.FAIL if failing else Status.PASS, message,
            Evidence(measured=_count("periods disagreeing", len(failing)), operator="==",
                     threshold=_count("periods allowed to disagree", 0),
                     parts=(_count("periods checked", len(checked)),), notes=notes),
        )


CHECKS: tuple[CheckSpec, ...] = (
    CheckSpec("campaign-reach-within-impressions", reach_within_impressions,
              "No delivery row reports more people reached than impressions.", (_BY,)),
    CheckSpec("campaign-reach-within-population", reach_within_population,
              "No delivery row reports more people reached than live in its area.",
              (_BY,)),
    CheckSpec(
        "campaign-reach-not-impressions", reach_not_impressions,
        "No delivery row reports 'people reached' equal to its impressions (a sign that "
        "impressions were reported as reach).",
        (_BY, ParameterSpec("min_impressions", "integer",
                            "Only rows with at least this many impressions are checked "
                            "(a handful of impressions can each reach a different person).",
                            required=False, default=IMPRESSIONS_AS_REACH)),
    ),
    CheckSpec("campaign-activity-in-window", activity_in_window,
              "Delivery and exposures dated inside the evaluation window, training inside "
              "the targets' window; what falls outside is reported."),
    CheckSpec("campaign-spend-within-budget", spend_within_budget,
              "Spend in the financial year within the campaign's budget line.",
              (ParameterSpec("threshold", "decimal",
                             "Share of the budget line spend may reach (1 = all of it).",
                             required=False, default=Decimal(1)),)),
    CheckSpec("campaign-records-usable", records_usable,
              "Every row of the campaign records can be used; rows left out are listed."),
    CheckSpec("campaign-files-usable", files_usable,
              "Every campaign file gives usable rows, with at most a share of them left out.",
              (ParameterSpec("maximum_share_left_out", "decimal",
                             "The largest share of a file's rows that may be left out.",
                             required=False, default=DEFAULT_MAXIMUM_LEFT_OUT),)),
    CheckSpec("campaign-log-within-platform", log_within_platform,
              "A channel's exposure log and its platform figures agree, week by week and "
              "over the window."),
)
