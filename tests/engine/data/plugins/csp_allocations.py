"""A local plugin claiming an extension on grants: the share of a grant passed to each
Community Safety Partnership, and a check that the shares add up to no more than the grant."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import attrs

from vpp_core import (
    CheckContext,
    CheckSpec,
    ExtensionPlace,
    ExtensionSpec,
    Finding,
    Status,
    Subject,
    format_money,
    hookimpl,
)


@attrs.frozen
class Allocation:
    partnership: str
    amount: Decimal


@attrs.frozen
class CspAllocations:
    allocations: tuple[Allocation, ...]
    note: str = ""


def allocations_within_grant(ctx: CheckContext) -> Iterator[Finding]:
    for grant in ctx.strategy.grants:
        shares = ctx.extension("csp-allocations", CspAllocations, of=grant)
        if shares is None:
            continue
        total = sum((item.amount for item in shares.allocations), Decimal(0))
        within = total <= grant.amount.amount
        yield Finding(Subject("grant", grant.id), Status.PASS if within else Status.FAIL,
                      f"{format_money(total)} passed to partnerships")


@hookimpl
def vpp_register_extensions() -> list[ExtensionSpec]:
    return [ExtensionSpec("csp-allocations", CspAllocations, (ExtensionPlace.GRANT,),
                          "the grant's allocations to Community Safety Partnerships")]


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return [CheckSpec("csp-allocations-within-grant", allocations_within_grant,
                      "the allocations to partnerships add up to no more than the grant")]
