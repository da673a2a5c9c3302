"""The record kinds money through the year is read from, registered with their columns.

``spend``: one row per payment or charge (a ledger line). ``spend-profile``: planned spend
per grant and budget line for a month (``2024-05``) or a quarter (``2024-25-Q3``), for a
strategy that does not hold its profile in ``[[spend_profile]]``.
``match-funding``: one row per evidenced source of match funding. ``carry-over``: an
approved carry-over of a grant's money beyond its year. ``evaluation-milestones``: an
evaluation's dated milestones and their status. Grant, line and intervention values are the
strategy's ids, so a VRU's own grants and lines are read without a change of code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vpp_core import Column, ColumnType, RecordKind, RecordSchema, RowRule
from vpp_plugins._common import budget_lines

if TYPE_CHECKING:
    from vpp_core import Strategy

SPEND = "spend"
PROFILE = "spend-profile"
MATCH_FUNDING = "match-funding"
CARRY_OVER = "carry-over"
MILESTONES = "evaluation-milestones"

SPEND_TYPES = frozenset({"cash", "in-kind", "secondment"})
MILESTONE_STATUSES = frozenset({"planned", "in-progress", "complete", "delayed"})
#: A month (2024-05) or a quarter of a financial year (2024-25-Q3).
PERIOD_PATTERN = r"[0-9]{4}-(0[1-9]|1[0-2])|[0-9]{4}-[0-9]{2}-Q[1-4]"


def grant_ids(strategy: Strategy) -> frozenset[str]:
    return frozenset(grant.id for grant in strategy.grants)


def line_ids(strategy: Strategy) -> frozenset[str]:
    """What spend may be charged to: a budget line or part, or an intervention."""
    return frozenset([line.id for _, line in budget_lines(strategy)]
                     + [intervention.id for intervention in strategy.interventions])


def intervention_ids(strategy: Strategy) -> frozenset[str]:
    return frozenset(intervention.id for intervention in strategy.interventions)


def grant_names(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each grant's name, as a spelling of its id (a ledger names it so)."""
    return tuple((grant.name, grant.id) for grant in strategy.grants)


def intervention_names(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each intervention's name, as a spelling of its id."""
    return tuple((item.name, item.id) for item in strategy.interventions)


def line_labels(strategy: Strategy) -> tuple[tuple[str, str], ...]:
    """Each budget line's and part's label and each intervention's name, as spellings of
    their ids: a finance system names a line as the strategy prints it."""
    return tuple((line.label, line.id) for _, line in budget_lines(strategy)) \
        + intervention_names(strategy)


_MONEY = "exact, in pounds (DECIMAL(18,4))"

SPEND_KIND = RecordKind(
    RecordSchema(SPEND, (
        Column("date", ColumnType.DATE, description="the day the spend was incurred"),
        Column("grant", ColumnType.ID, description="the grant it is charged to (its id or name)"),
        Column("line", ColumnType.ID,
               description="the budget line, part or intervention it is charged to (id, "
                           "label or name)"),
        Column("amount", ColumnType.DECIMAL, description=f"the amount, {_MONEY}"),
        Column("type", ColumnType.ID, allowed=SPEND_TYPES, required=False,
               description="cash, in-kind or secondment (blank, or no such column: cash)"),
        Column("partner", ColumnType.STRING, required=False,
               description="the partner paid or contributing"),
        Column("reference", ColumnType.STRING, required=False,
               description="the ledger's own reference (invoice, journal)"),
    )),
    "one row per payment or charge against a grant: when, which grant and line, how much",
    strategy_values={"grant": grant_ids, "line": line_ids},
    strategy_aliases={"grant": grant_names, "line": line_labels},
)

PROFILE_KIND = RecordKind(
    RecordSchema(PROFILE, (
        Column("grant", ColumnType.ID, description="the grant (its id or name)"),
        Column("line", ColumnType.ID,
               description="the budget line, part or intervention (id, label or name)"),
        Column("period", ColumnType.STRING,
               description="a month (2024-05) or a quarter of a financial year (2024-25-Q3)"),
        Column("amount", ColumnType.DECIMAL, description=f"planned spend, {_MONEY}"),
    ), rules=(RowRule(f"NOT regexp_full_match(period, '{PERIOD_PATTERN}')",
                      "bad period (expected 2024-05 or 2024-25-Q3)"),
                     RowRule("regexp_full_match(period, '[0-9]{4}-[0-9]{2}-Q[1-4]') AND "
                             "(CAST(substr(period, 1, 4) AS INTEGER) + 1) % 100 "
                             "<> CAST(substr(period, 6, 2) AS INTEGER)",
                             "bad period (a financial year spans consecutive years)"),
                     RowRule("amount < 0", "a negative amount"))),
    "planned spend per grant and line for a month or a quarter, for a strategy without its "
    "own [[spend_profile]] (both at once is an error); a line a grant has a profile for is "
    "a line that grant funds",
    strategy_values={"grant": grant_ids, "line": line_ids},
    strategy_aliases={"grant": grant_names, "line": line_labels},
)

MATCH_FUNDING_KIND = RecordKind(
    RecordSchema(MATCH_FUNDING, (
        Column("grant", ColumnType.ID, description="the grant it matches (its id or name)"),
        Column("partner", ColumnType.STRING, description="the source partner"),
        Column("type", ColumnType.ID, allowed=SPEND_TYPES,
               description="cash, in-kind or secondment"),
        Column("amount", ColumnType.DECIMAL, required=False,
               description=f"the contribution, {_MONEY} (or fte and annual_cost)"),
        Column("fte", ColumnType.DECIMAL, required=False,
               description="full-time equivalents seconded"),
        Column("annual_cost", ColumnType.DECIMAL, required=False,
               description="the yearly cost of one full-time post"),
        Column("start", ColumnType.DATE, description="the first day the contribution covers"),
        Column("end", ColumnType.DATE, description="the last day it covers"),
        Column("evidence", ColumnType.STRING,
               description="the evidence reference (letter, agreement, journal)"),
    ), rules=(
        RowRule("amount IS NULL AND (fte IS NULL OR annual_cost IS NULL)",
                "neither an amount nor fte and annual_cost"),
        RowRule('"end" < start', "end before start"),
        RowRule("amount < 0 OR fte < 0 OR annual_cost < 0", "a negative contribution"),
    )),
    "one row per source of match funding, with its evidence: a secondment as FTE × annual "
    "cost over its period",
    strategy_values={"grant": grant_ids},
    strategy_aliases={"grant": grant_names},
)

CARRY_OVER_KIND = RecordKind(
    RecordSchema(CARRY_OVER, (
        Column("grant", ColumnType.ID,
               description="the grant whose money is carried over (its id or name)"),
        Column("line", ColumnType.ID, required=False,
               description="the line it may be spent on (empty: any line the grant funds)"),
        Column("spend_until", ColumnType.DATE,
               description="the last day spend may be dated under it"),
        Column("amount", ColumnType.DECIMAL, description=f"the amount approved, {_MONEY}"),
        Column("approved_by", ColumnType.STRING, description="who approved it"),
        Column("reference", ColumnType.STRING, description="the approval's reference"),
    ), rules=(RowRule("amount < 0", "a negative amount"),)),
    "an approved carry-over: a grant's money that may be spent after its year",
    strategy_values={"grant": grant_ids, "line": line_ids},
    strategy_aliases={"grant": grant_names, "line": line_labels},
)

MILESTONES_KIND = RecordKind(
    RecordSchema(MILESTONES, (
        Column("intervention", ColumnType.ID,
               description="the intervention evaluated (its id or name)"),
        Column("milestone", ColumnType.STRING, description="what is due"),
        Column("due", ColumnType.DATE, description="the day it is due"),
        Column("status", ColumnType.ID, allowed=MILESTONE_STATUSES,
               description="planned, in-progress, complete or delayed"),
        Column("completed", ColumnType.DATE, required=False,
               description="the day it was completed"),
    )),
    "an evaluation's dated milestones (from the evaluation table) and their status",
    strategy_values={"intervention": intervention_ids},
    strategy_aliases={"intervention": intervention_names},
)

RECORD_KINDS = (SPEND_KIND, PROFILE_KIND, MATCH_FUNDING_KIND, CARRY_OVER_KIND, MILESTONES_KIND)
KINDS = {kind.name: kind for kind in RECORD_KINDS}
