"""A readable summary of a strategy: what ``vpp show`` prints."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from vpp_core.model import BudgetLine, Grant, Strategy
from vpp_core.model.escaping import terminal_text
from vpp_core.model.money import format_money
from vpp_core.plugin_api.formatting import format_share
from vpp_core.reports.tables import render_table


def _grant_row(grant: Grant) -> list[str]:
    years = str(grant.years[0]) if len(grant.years) == 1 else (
        f"{grant.years[0]} to {grant.years[-1]}"
    )
    match = ""
    if grant.match_funding is not None:
        funding = grant.match_funding
        states = []
        if funding.recorded is not None:
            states.append(f"{format_money(funding.recorded)} recorded")
        if funding.met is not None:
            states.append("met" if funding.met else "not met")
        state = ", ".join(states) or "nothing recorded"
        match = f"{format_share(funding.required_share)} ({state})"
    amount = format_money(grant.amount.amount)
    printed = grant.amount.as_printed
    shown = f"{amount} ({printed})" if printed and printed != amount else amount
    return [years, grant.name, grant.funder, shown, match]


def _line_amount(line: BudgetLine) -> str:
    if line.amount is None:
        return f"{line.note or 'no amount'} ({line.funding.value})"
    return format_money(line.amount.amount)


def _budget_rows(lines: tuple[BudgetLine, ...], depth: int = 0) -> Iterator[list[str]]:
    for line in lines:
        yield ["    " * depth + line.label, _line_amount(line), ""]
        if line.parts:
            yield from _budget_rows(line.parts, depth + 1)
            parts_sum = sum((part.amount.amount for part in line.parts if part.amount), Decimal(0))
            yield ["    " * (depth + 1) + "(sum of these parts)", format_money(parts_sum),
                   _difference(line.amount.amount if line.amount else None, parts_sum)]


def _difference(stated: Decimal | None, computed: Decimal) -> str:
    if stated is None:
        return ""
    if stated == computed:
        return "agrees"
    return f"differs by {format_money(abs(stated - computed))}"


def _intervention_rows(strategy: Strategy) -> Iterator[list[str]]:
    table = strategy.targets
    targets = {row.intervention: row for row in table.rows} if table else {}
    labels = {cohort.id: cohort.label for cohort in table.cohorts} if table else {}
    for item in strategy.interventions:
        funding = item.funding
        amount = (format_money(funding.amount.amount) if funding.amount is not None
                  else funding.as_printed or funding.source.value)
        row = targets.get(item.id)
        wanted = (", ".join(f"{labels.get(t.cohort, t.cohort)}: {t.count}" for t in row.targets)
                  if row else "")
        gate = (strategy.life_cycle.label(item.evaluation.gate)
                if item.evaluation and item.evaluation.gate else "—")
        yield [item.name, amount, wanted, gate]


def summarise(strategy: Strategy) -> str:
    """The strategy's partnerships, grants, budget against its stated total, interventions
    and targets against the totals row, as text: one line per field, whatever line breaks
    or escape sequences the strategy's text holds."""
    doc = strategy.document
    csps = sum(len(lp.community_safety_partnerships) for lp in strategy.local_partnerships)
    icbs = len({icb for lp in strategy.local_partnerships for icb in lp.integrated_care_boards})
    out = [
        terminal_text(doc.title),
        terminal_text(f"Financial year {strategy.financial_year} "
                      f"({strategy.financial_year.period}); published {doc.published}"),
        terminal_text(f"Hosted by {strategy.partnership.host}; senior responsible officer: "
                      f"{strategy.partnership.senior_responsible_officer}"),
        "",
        f"Local partnerships: {len(strategy.local_partnerships)} "
        f"({csps} Community Safety Partnership{'' if csps == 1 else 's'}, "
        f"{icbs} Integrated Care Board{'' if icbs == 1 else 's'})",
        render_table(
            ["id", "name", "CSPs", "Local Plan by"],
            [[lp.id, lp.name, str(len(lp.community_safety_partnerships)),
              str(lp.local_plan.published_by) if lp.local_plan and lp.local_plan.published_by
              else "not recorded"] for lp in strategy.local_partnerships],
            right=[2],
        ),
        "",
        "Grants",
        render_table(["years", "grant", "funder", "amount", "match funding"],
                     [_grant_row(grant) for grant in strategy.grants]),
        "",
    ]
    budget = strategy.budget
    rows = list(_budget_rows(budget.lines))
    lines_sum = sum((line.amount.amount for line in budget.lines if line.amount), Decimal(0))
    rows.append(["Sum of the lines", format_money(lines_sum), ""])
    if budget.stated_total is not None:
        printed = budget.stated_total.as_printed
        rows.append([f"Stated total{f' ({printed})' if printed else ''}",
                     format_money(budget.stated_total.amount),
                     _difference(budget.stated_total.amount, lines_sum)])
    out += [terminal_text(f"Budget {budget.year} ({budget.grant})"),
            render_table(["line", "amount", "against the parts"], rows, right=[1]), ""]
    out += [f"Interventions: {len(strategy.interventions)}",
            render_table(["intervention", "grant funding", "targets", "evaluation gate"],
                         list(_intervention_rows(strategy))), ""]
    if strategy.targets is not None:
        table = strategy.targets
        cohorts = [c.id for c in table.cohorts]
        target_rows = [[row.label, *(str(row.target(c)) if row.target(c) is not None else ""
                                     for c in cohorts),
                        str(row.window) if row.window else ""] for row in table.rows]
        sums = [sum(row.target(c) or 0 for row in table.rows) for c in cohorts]
        stated = {t.cohort: t.count for t in table.stated_totals}
        target_rows.append(["Sum of the rows", *(str(total) for total in sums), ""])
        if stated:
            target_rows.append(["Totals row as printed",
                                *(str(stated[c]) if c in stated else "" for c in cohorts), ""])
        out += [f"Targets ({table.window})",
                render_table(["row", *(c.label for c in table.cohorts), "own window"],
                             target_rows, right=list(range(1, len(cohorts) + 1)))]
    if budget.notes:
        out += ["", "Budget notes:", *(terminal_text(f"  {note}") for note in budget.notes)]
    return "\n".join(out).rstrip() + "\n"
