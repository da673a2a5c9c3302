"""People reached across channels: counted exactly from an exposure log, or estimated.

With a log holding every channel in a slice, unique reach is the number of distinct ids in
it. Otherwise each channel's coverage of the population, rᵢ = reachᵢ ÷ population, is
combined as 1 − Π(1 − rᵢ), which assumes channels reach people independently; channels
the log does hold are counted together exactly and enter the product as one. A single
channel without a log has only its platform-reported reach.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_core import Quantity, Unit
from vpp_plugins.reach.campaign import CampaignData
from vpp_plugins.reach.figures import estimate_unique_reach
from vpp_plugins.reach.slices import Slice


class Method(StrEnum):
    EXACT = "exact"
    ESTIMATED = "estimated"
    REPORTED = "reported"


@attrs.frozen
class UniqueReach:
    value: Decimal | None
    method: Method
    parts: tuple[Quantity, ...] = ()
    note: str = ""
    #: The channels counted: impressions and spend of these go with this reach.
    channels: tuple[str, ...] = ()


EXPOSURE_LOG = "exposure log (distinct ids)"
REPORTED = "platform-reported reach"


def unique_reach(data: CampaignData, where: Slice) -> UniqueReach:
    """Unique people (viewers or devices) reached in a slice, and how it was found."""
    channels = data.channels(where)
    exact = [channel for channel in channels if data.can_be_exact(channel, where)]
    others = [channel for channel in channels if channel not in exact]
    if not channels:
        return UniqueReach(Decimal(0), Method.EXACT if data.has_exposures else Method.REPORTED,
                           note="nothing delivered in this slice")
    if not others:
        count = data.exact_reach(where)
        return UniqueReach(
            Decimal(count), Method.EXACT,
            (Quantity(f"distinct ids: {', '.join(exact)}", Decimal(count), Unit.PEOPLE,
                      EXPOSURE_LOG),),
            "Exact: distinct viewer or device ids in the exposure log (a device is not "
            "always one person).",
            tuple(exact),
        )
    parts: list[Quantity] = []
    reaches: list[Decimal] = []
    if exact:
        logged = Decimal(data.exact_reach(where, exact))
        parts.append(
            Quantity(f"distinct ids: {', '.join(exact)}", logged, Unit.PEOPLE, EXPOSURE_LOG)
        )
        reaches.append(logged)
    silent = []
    counted = list(exact)
    for channel in others:
        totals = data.delivery(attrs.evolve(where, channel=channel))
        if totals.reach_rows == 0:
            silent.append(channel)
            continue
        reach = Decimal(totals.reach)
        parts.append(Quantity(f"reach: {channel}", reach, Unit.PEOPLE, REPORTED))
        reaches.append(reach)
        counted.append(channel)
    one = len(silent) == 1
    gaps = (f" Leaves out {', '.join(silent)}, which report{'s' if one else ''} no reach "
            f"({'its' if one else 'their'} impressions and spend are left out of frequency "
            "and cost per person too)." if silent else "")
    included = tuple(sorted(counted))
    population = data.population(where.area)
    if not reaches:
        return UniqueReach(None, Method.REPORTED, tuple(parts), gaps.strip())
    if len(reaches) == 1 and not exact:
        value = reaches[0] if population is None else min(reaches[0], Decimal(population))
        return UniqueReach(
            value, Method.REPORTED, tuple(parts),
            "Platform-reported reach summed over reporting periods: a person reached in "
            f"several periods is counted in each, so this is at most the true reach.{gaps}",
            included,
        )
    if population is None:
        return UniqueReach(
            None, Method.ESTIMATED, tuple(parts),
            "Cannot combine channels without a population for this area: give population "
            f"records.{gaps}",
            included,
        )
    parts.append(Quantity("population", Decimal(population), Unit.PEOPLE, "population records"))
    return UniqueReach(
        estimate_unique_reach(reaches, population), Method.ESTIMATED, tuple(parts),
        "Estimated as population × (1 − Π(1 − reachᵢ ÷ population)) over "
        f"{len(reaches)} channel groups, assuming they reach people independently.{gaps}",
        included,
    )
