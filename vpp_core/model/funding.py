"""Grants and the budget they fund."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_core.model.fields import EXTENSIONS_DOC, Extensions, no_extensions
from vpp_core.model.periods import FinancialYear


class GrantKind(StrEnum):
    CORE = "core"
    DUTY_BURDEN = "duty-burden"
    UPLIFT = "uplift"
    OTHER = "other"


class Funding(StrEnum):
    """How a budget line or an intervention is paid for this year."""

    GRANT = "grant"
    CARRY_OVER = "carry-over"
    PART_CARRY_OVER = "part-carry-over"
    WITHIN_ANOTHER_LINE = "within-another-line"
    NOT_STATED = "not-stated"


@attrs.frozen
class Money:
    """An amount with the words the source printed it in (``£1.51m``)."""

    amount: Decimal
    as_printed: str = ""


@attrs.frozen
class MatchFunding:
    """The year's match-funding requirement and what the strategy records against it."""

    required_share: Decimal
    recorded: Decimal | None = None
    met: bool | None = None
    as_stated: str = ""


@attrs.frozen
class Grant:
    id: str
    name: str
    funder: str
    kind: GrantKind
    years: tuple[FinancialYear, ...]
    amount: Money
    held_by: str = ""
    purpose: str = ""
    match_funding: MatchFunding | None = None
    as_stated: str = ""
    extensions: Extensions = attrs.field(factory=no_extensions, hash=False,
                                         metadata=EXTENSIONS_DOC)


@attrs.frozen
class BudgetLine:
    """One line of the budget; a line may be made of parts (the pilot interventions)."""

    id: str
    label: str
    strand: str | None = None
    amount: Money | None = None
    funding: Funding = Funding.GRANT
    intervention: str | None = None
    parts: tuple[BudgetLine, ...] = ()
    note: str = ""


@attrs.frozen
class Budget:
    """The year's budget for one grant, every line and the total the source states."""

    grant: str
    year: FinancialYear
    lines: tuple[BudgetLine, ...]
    stated_total: Money | None = None
    notes: tuple[str, ...] = ()
