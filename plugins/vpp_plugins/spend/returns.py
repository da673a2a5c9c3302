"""The quarterly return: one document of spend against profile, forecasts and risk, spend
needing a reason, match funding by source, targets to date, value for money, milestones
and the failures that need action — as plain data every format renders: money as
:class:`Pounds`, shares as :class:`Share` and dates as dates, each read as text where text
is written and kept as a typed number or date in a workbook.

The layout is vpp-core's own: no public template for a VRU's quarterly return is known.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from vpp_core import (
    AuditOptions,
    DisclosurePolicy,
    FinancialYear,
    Plugins,
    RecordSource,
    Result,
    Status,
    Strategy,
    UsageError,
    audit,
    display_path,
    format_share,
    load_rules,
    published_result,
)
from vpp_plugins._common import year_amount, year_core_grant
from vpp_plugins.spend.evidence import MATCH_RULE, contributions, overdue
from vpp_plugins.spend.figures import (
    FORECAST_RULE,
    Position,
    YearSpend,
    irregular_spend,
    signed_money,
)
from vpp_plugins.spend.kinds import KINDS, MATCH_FUNDING
from vpp_plugins.spend.ledger import (
    FROM_STRATEGY,
    SpendRecords,
    read_spend_records,
    records_read,
)

LAYOUT = ("Our own layout (vpp-core): no public template for a Violence Reduction Unit's "
          "quarterly return is known.")
#: The packs a return runs: in-year spend and delivery against targets.
RETURN_PACKS = ("home-office-vru-core", "in-year-spend", "targets")
#: The grant conditions on the budget and, beside them, on actual spend.
CONDITIONS = ("FUND001", "SPEND004", "FUND002", "SPEND005")
_QUARTER = re.compile(r"^(\d{4}-\d{2})-Q([1-4])$")


def parse_quarter(text: str) -> tuple[FinancialYear, int]:
    """``2024-25-Q3`` → (2024-25, 3)."""
    match = _QUARTER.match(text.strip())
    if match is None:
        raise UsageError(f"--quarter: expected a quarter such as 2024-25-Q3, got {text!r}")
    try:
        return FinancialYear.parse(match.group(1)), int(match.group(2))
    except ValueError as error:
        raise UsageError(f"--quarter: {error}") from None


class Pounds(Decimal):
    """Money in the return: read as ``£1,510,000`` (``-£40,500`` below zero) in text, JSON,
    Markdown and HTML, and written to a workbook as a number in currency format."""

    def __str__(self) -> str:
        return signed_money(Decimal(self))

    def __format__(self, spec: str, context: Any = None, /) -> str:
        return str(self) if not spec else super().__format__(spec, context)


class Share(Decimal):
    """A share in the return: read as ``-2.09%``, written to a workbook as a percentage."""

    def __str__(self) -> str:
        return format_share(Decimal(self))

    def __format__(self, spec: str, context: Any = None, /) -> str:
        return str(self) if not spec else super().__format__(spec, context)


class Range(tuple[Pounds, Pounds]):
    """A forecast range: read as ``£1,048,855.46 to £1,085,864.50``; in JSON, two amounts."""

    def __str__(self) -> str:
        return f"{self[0]} to {self[1]}"


def _money(value: Decimal | None) -> Pounds | str:
    return "" if value is None else Pounds(value)


def _position(position: Position, green: Decimal, amber: Decimal) -> dict[str, Any]:
    share = position.variance_share
    return {
        "key": position.key, "label": position.label,
        "spend_to_date": _money(position.actual),
        "profile_to_date": _money(position.planned_to_date),
        "variance": _money(position.variance),
        "variance_share": "" if share is None else Share(share),
        "rag": position.rag(green, amber).value,
        "profile_for_year": _money(position.planned_year),
        "not_cash": _money(sum((amount for _, amount in position.not_cash), Decimal(0))),
    }


def _forecast(grant: Position) -> dict[str, Any]:
    low, high = grant.forecast_range
    under = {label: grant.underspend(value) for label, value in
             (("profile_based", grant.forecast_profile), ("run_rate", grant.forecast_run_rate))}
    return {
        "key": grant.key, "label": grant.label,
        "spend_to_date": _money(grant.actual),
        "forecast_profile_based": _money(grant.forecast_profile),
        "forecast_run_rate": _money(grant.forecast_run_rate),
        "range": Range((Pounds(low), Pounds(high))),
        "allocation": _money(grant.allocation),
        "allocation_basis": grant.allocation_basis,
        "underspend_profile_based": _money(under["profile_based"]),
        "underspend_run_rate": _money(under["run_rate"]),
    }


def _result(result: Result) -> dict[str, str]:
    """A result as the return shows it (disclosed as the audit's published report is)."""
    return {"code": result.code, "severity": result.severity.value,
            "status": result.status.value, "subject": str(result.subject),
            "title": result.title, "message": result.message}


def build_return(strategy: Strategy, strategy_path: str, sources: Sequence[RecordSource],
                 quarter: str, policy: DisclosurePolicy, plugins: Plugins,
                 packs: Sequence[str] = ()) -> dict[str, Any]:
    """The return for ``quarter`` (``2024-25-Q3``) as plain JSON-ready data; ``packs`` (by
    name or path) run with the return's own, their overrides applied."""
    year, number = parse_quarter(quarter)
    if year != strategy.financial_year:
        raise UsageError(f"--quarter {quarter}: the strategy is for {strategy.financial_year}")
    as_of = year.quarter(number).end
    spend_sources = [source for source in sources if source.kind in KINDS]
    records = read_spend_records(strategy, spend_sources)
    rules = load_rules(plugins, [*RETURN_PACKS, *packs], given_as="--pack")
    with records_read(strategy, spend_sources, records):  # the audit's rules share them
        report = audit(strategy, rules=rules, records=list(sources),
                       options=AuditOptions(as_of=as_of), plugins=plugins)
    exact = report.results
    results = [published_result(result, policy) for result in exact]
    spend = YearSpend.of(strategy, records, as_of)
    rule = rules.rules.get("SPEND001")
    assert rule is not None  # the spend plugin's own pack
    tolerances = rule.parameters_for(year)
    green, amber = (Decimal(tolerances[name]) for name in ("green_tolerance", "amber_tolerance"))
    return {
        "document": f"Quarterly return, {quarter}",
        "layout": LAYOUT,
        "strategy": strategy.document.title,
        "strategy_file": strategy_path,
        "partnership": strategy.partnership.name,
        "quarter": quarter,
        "as_of": as_of.isoformat(),
        "audience": policy.statement,
        "rules": {"spend": FORECAST_RULE, "match_funding": MATCH_RULE},
        "profile": _profile_source(records, strategy_path),
        "not_counted": spend.outside,
        "spend_against_profile": {
            "grants": [_position(p, green, amber) for p in spend.grants()],
            "lines": [_position(p, green, amber) for p in spend.lines()],
            "interventions": [_position(p, green, amber) for p in spend.interventions()],
        },
        "forecasts": [_forecast(g) for g in spend.grants() if g.allocation is not None],
        "conditions": sorted((_result(r) for r in results if r.code in CONDITIONS),
                             key=lambda row: CONDITIONS.index(row["code"])),
        "needs_a_reason": [
            {"grant": i.grant, "line": i.line, "reason": i.reason, "amount": _money(i.amount),
             "covered": _money(i.covered), "uncovered": _money(i.uncovered),
             "days": f"{i.first_day} to {i.last_day}", "carry_over": "; ".join(i.cover)}
            for i in irregular_spend(strategy, records, as_of)],
        "match_funding": _match_funding(strategy, records),
        "targets": [_result(r) for r in results if r.code == "TGT002"],
        "value_for_money": _value_for_money(exact, results, policy),
        "milestones": _milestones(records, as_of),
        "records": _accounts(records),
        "actions": [_result(r) for r in results if r.status in (Status.FAIL, Status.ERROR)],
        "sources": sorted({display_path(source.path) for source in sources}),
        "packs": [f"{pack.name} {pack.version} ({pack.source})"
                  for pack in report.provenance.packs],
        "switched_off": {rule.code: rule.enabled_from for rule in rules.rules.rules
                         if not rule.enabled},
    }


def _profile_source(records: SpendRecords, strategy_path: str) -> str:
    if records.profile_source == FROM_STRATEGY:
        return f"the strategy's [[spend_profile]] ({strategy_path})"
    table = records.account("spend-profile")
    return ("none given" if table is None else
            f"spend-profile records ({', '.join(table.files)})")


def _match_funding(strategy: Strategy, records: SpendRecords) -> dict[str, Any]:
    year = strategy.financial_year
    core = year_core_grant(strategy)
    grant = core[1] if core else None
    if grant is None or grant.match_funding is None:
        return {"required": "", "evidenced": "", "sources": []}
    found = contributions(records.match_sources, grant.id, year)
    required = year_amount(grant) * grant.match_funding.required_share
    total = sum((c.value for c in found), Decimal(0))
    given = records.given(MATCH_FUNDING)  # none given: nothing evidenced is known, not £0
    return {
        "grant": grant.id,
        "given": given,
        "required_share": Share(grant.match_funding.required_share),
        "required": Pounds(required),
        "evidenced": Pounds(total) if given else "",
        "short": Pounds(max(Decimal(0), required - total)) if given else "",
        "sources": [{"partner": c.source.partner, "type": c.source.type,
                     "contribution": Pounds(c.value), "basis": c.basis,
                     "evidence": c.source.evidence} for c in found],
    }


def _count(shown: str) -> int | str:
    """A count as the policy shows it: a number, or text such as ``<5``."""
    return int(shown) if shown.isdigit() else shown


def _value_for_money(exact: Sequence[Result], shown: Sequence[Result],
                     policy: DisclosurePolicy) -> list[dict[str, str | int | Pounds]]:
    """SPEND008's rows from its exact results, each with the status its published
    result may show."""
    rows = []
    for result, disclosed in zip(exact, shown, strict=True):
        if result.code != "SPEND008":
            continue
        parts = {part.label: part.value for part in result.evidence.parts}
        reached = parts.get("reached")
        per = result.evidence.measured.value if result.evidence.measured else None
        hidden = reached is not None and policy.is_suppressed(int(reached))
        rows.append({
            "subject": result.subject.label or str(result.subject),
            "spend_to_date": _money(parts.get("spend to date")),
            "reached": "" if reached is None else _count(policy.show(int(reached))),
            "per_head": "" if per is None or hidden else Pounds(per),
            "status": disclosed.status.value, "message": "" if hidden else result.message,
        })
    return rows


def _milestones(records: SpendRecords, as_of: date) -> list[dict[str, str | date]]:
    late = overdue(records.milestones, as_of)
    return [{"intervention": m.intervention, "milestone": m.milestone, "due": m.due,
             "status": m.status, "overdue": "yes" if m in late else "no"}
            for m in records.milestones]


def _accounts(records: SpendRecords) -> list[dict[str, Any]]:
    return [{"kind": kind, "rows_read": table.rows_read, "rows_used": table.rows_used,
             "left_out": [f"{file}: {reason}: {count}" for file, reason, count in table.reasons],
             "notes": list(table.encoding_notes)}  # "FILE: read as Windows-1252 (not UTF-8)"
            for kind, table in records.accounts]
