"""Grants and the budget they fund."""

from __future__ import annotations

from decimal import Decimal

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, doc, no_extensions
from vpp_core.model.kinds import Funding, GrantKind
from vpp_core.model.periods import MONTH_OR_QUARTER, FinancialYear, Period, month_or_quarter


@attrs.frozen
class Money:
    """An amount with the words the source printed it in (``£1.51m``)."""

    amount: Decimal = attrs.field(metadata=doc(
        "pounds: an integer, or a string with "
        "pence (\"7500.50\"); never a float or negative"))
    as_printed: str = attrs.field(
        default="", metadata=doc("the amount as the document prints it (\"£1.51m\")"))


@attrs.frozen
class MatchFunding:
    """The year's match-funding requirement and what the strategy records against it."""

    required_share: Decimal = attrs.field(
        metadata=doc("the share of the grant to be matched (\"0.20\" is 20%)"))
    recorded: Decimal | None = attrs.field(
        default=None, metadata=doc("the match funding the strategy records, in pounds"))
    met: bool | None = attrs.field(
        default=None, metadata=doc("whether the document says the requirement was met"))
    as_stated: str = attrs.field(
        default="", metadata=doc("the requirement in the document's words"))


@attrs.frozen
class Grant:
    id: str = attrs.field(metadata=doc("an id unique among the grants"))
    name: str = attrs.field(metadata=doc("the grant's name"))
    funder: str = attrs.field(metadata=doc("who pays it"))
    kind: GrantKind = attrs.field(metadata=doc("what sort of grant it is"))
    years: tuple[FinancialYear, ...] = attrs.field(metadata=doc("the financial years it covers"))
    amount: Money = attrs.field(metadata=doc("how much it is"))
    held_by: str = attrs.field(default="", metadata=doc("who holds it"))
    purpose: str = attrs.field(default="", metadata=doc("what it is for"))
    match_funding: MatchFunding | None = attrs.field(
        default=None, metadata=doc("the match funding it requires"))
    as_stated: str = attrs.field(default="", metadata=doc("the grant in the document's words"))
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class BudgetLine:
    """One line of the budget; a line may be made of parts (the pilot interventions)."""

    id: str = attrs.field(metadata=doc("an id unique among the budget's lines"))
    label: str = attrs.field(metadata=doc("the line as printed"))
    strand: str | None = attrs.field(
        default=None, metadata=doc("the id of the strand it belongs to"))
    amount: Money | None = attrs.field(default=None, metadata=doc("what the line spends"))
    funding: Funding = attrs.field(
        default=Funding.GRANT, metadata=doc("how it is paid for this year"))
    intervention: str | None = attrs.field(
        default=None, metadata=doc("the id of the intervention it funds"))
    parts: tuple[BudgetLine, ...] = attrs.field(
        default=(), metadata=doc("lines it is made of (the pilot interventions)"))
    note: str = attrs.field(default="", metadata=doc("a note printed with the line"))


@attrs.frozen
class Budget:
    """The year's budget for one grant, every line and the total the source states."""

    grant: str = attrs.field(metadata=doc("the id of the grant this budget spends"))
    year: FinancialYear = attrs.field(metadata=doc(
        "the financial year it covers: the strategy's own"))
    lines: tuple[BudgetLine, ...] = attrs.field(metadata=doc("the budget's lines"))
    stated_total: Money | None = attrs.field(
        default=None, metadata=doc("the total the document states, to check the lines against"))
    notes: tuple[str, ...] = attrs.field(default=(), metadata=doc("notes printed with the budget"))


@attrs.frozen
class PlannedSpend:
    """One entry of the spend profile: what a grant plans to spend on a budget line (or
    part, or intervention) over a month or a quarter of a financial year."""

    grant: str = attrs.field(metadata=doc("the id of the grant"))
    line: str = attrs.field(metadata=doc(
        "the id of the budget line, part or intervention it is planned on"))
    period: str = attrs.field(metadata=doc(
        "a month (\"2024-05\") or a quarter of a financial year (\"2024-25-Q3\", Q1 is "
        "April to June), within one of the grant's years (or, for a line the strategy "
        "funds by carry-over, the year after one of them)",
        pattern=MONTH_OR_QUARTER, examples=["2024-05", "2024-25-Q3"]))
    amount: Decimal = attrs.field(metadata=doc(
        "planned spend in pounds: an integer, or a string with pence (\"7500.50\"); never "
        "a float or negative"))

    @property
    def days(self) -> Period:
        """The days of its period (checked when the strategy is loaded)."""
        return month_or_quarter(self.period)
