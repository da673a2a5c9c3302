"""The reach model: for a slice of the campaign (a period, an area, a channel, or all of it),
each channel's platform figures and exposure-log figures side by side, and the people
reached across channels, never mixing the two sources.

- **Platform** figures come from the delivery rows used (in the window, passing the row
  sanity checks). A channel's reported reach over one reporting period (a row's date) is
  that figure; over several it is bounds: the largest single period ≤ unique reach ≤ the
  sum (a person reached in two periods is in both), and never above the population.
- **Log** figures come from the exposure log: each row one impression, distinct ids the
  unique reach, impressions ÷ unique reach the frequency. A channel's log is *complete*
  when its impressions equal the platform's, *partial* when fewer (it never replaces the
  platform figure), *log only* when the platform reports nothing for the channel.
- **Across channels**: channels counted exactly (complete or log only) are counted
  together as distinct ids; with no other channel that is the unique reach (exact). One
  platform channel alone gives its reported reach or bounds. Otherwise the estimate
  population × (1 − Π(1 − rᵢ ÷ population)), which assumes channels reach people
  independently, taken at each channel's lower and at its upper figure (bounds).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import attrs

from vpp_core import Quantity, Unit
from vpp_plugins.reach.campaign import CampaignData, DeliveryTotals
from vpp_plugins.reach.figures import estimate_unique_reach, ratio, rounded
from vpp_plugins.reach.slices import Slice

EXPOSURE_LOG = "exposure log (distinct ids)"
REPORTED = "platform-reported reach"
INDEPENDENCE = ("population × (1 − Π(1 − reachᵢ ÷ population)), assuming channels reach "
                "people independently of each other")


class Method(StrEnum):
    EXACT = "exact"
    REPORTED = "reported"
    BOUNDS = "reported bounds"
    ESTIMATED = "estimated"


class Cover(StrEnum):
    """How much of a channel's platform impressions the exposure log holds."""

    NONE = ""
    COMPLETE = "complete"
    PARTIAL = "partial"
    ONLY = "log only"
    ABOVE = "above platform"


@attrs.frozen
class Bounds:
    """A figure known to lie between ``low`` and ``high`` (equal when known exactly)."""

    low: Decimal
    high: Decimal

    @classmethod
    def exactly(cls, value: int | Decimal) -> Bounds:
        return cls(Decimal(value), Decimal(value))

    @property
    def point(self) -> Decimal | None:
        return self.low if self.low == self.high else None

    def __str__(self) -> str:
        low, high = (f"{rounded(value, 0):,}" for value in (self.low, self.high))
        return low if self.point is not None else f"{low} to {high}"


@attrs.frozen
class ChannelFigures:
    """One channel in one slice: the platform's figures and the log's, and their checks."""

    channel: str
    delivery: DeliveryTotals
    #: Reported reach (bounds over several reporting periods); ``None`` if none reported.
    reach: Bounds | None
    #: Reporting periods (dates) with reach reported.
    periods: int
    log_impressions: int
    log_reach: int
    cover: Cover
    problems: tuple[str, ...]

    @property
    def exact(self) -> bool:
        """Whether the log counts this channel's people (complete, or the only source)."""
        return self.cover in (Cover.COMPLETE, Cover.ONLY)

    @property
    def frequency(self) -> Bounds | None:
        """Platform impressions ÷ reported reach (bounds when reach is)."""
        if self.reach is None or self.reach.low == 0:
            return None
        impressions = self.delivery.impressions
        low, high = ratio(impressions, self.reach.high), ratio(impressions, self.reach.low)
        return None if low is None or high is None else Bounds(low, high)

    @property
    def log_frequency(self) -> Decimal | None:
        return ratio(self.log_impressions, self.log_reach)


@attrs.frozen
class UniqueReach:
    """People reached across the channels of a slice, how it was found, and from what."""

    value: Bounds | None
    method: Method
    parts: tuple[Quantity, ...] = ()
    note: str = ""
    #: The channels counted; each counted from the log when in ``exact``.
    channels: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    #: Channels with impressions but no reach reported and no complete log: not counted,
    #: so the people reached are at least the figure.
    leaves_out: tuple[str, ...] = ()


@attrs.frozen
class SliceFigures:
    where: Slice
    channels: tuple[ChannelFigures, ...]
    unique: UniqueReach
    log_impressions: int
    log_reach: int
    population: int | None

    @property
    def counted_impressions(self) -> int:
        """Impressions of the channels the unique reach counts, from the same source."""
        found = {figures.channel: figures for figures in self.channels}
        return sum(found[name].log_impressions if name in self.unique.exact
                   else found[name].delivery.impressions for name in self.unique.channels)


def _cap(value: int, population: int | None) -> Decimal:
    return Decimal(value if population is None else min(value, population))


def channel_figures(data: CampaignData, where: Slice, channel: str, *, log: bool = True
                    ) -> ChannelFigures:
    """A channel's platform and log figures in a slice, and how they compare (platform
    figures alone unless ``log``)."""
    here = attrs.evolve(where, channel=channel)
    delivery = data.delivery(here)
    periods = data.reported_reach(here)
    population = data.population(where.area)
    # rows that report no reach reached at most as many people as they made impressions
    unreported = delivery.impressions - delivery.reach_impressions
    reach = (Bounds(_cap(max(periods), population),
                    _cap(sum(periods) + unreported, population)) if periods else None)
    impressions, people = data.log(here) if log else (0, 0)
    if impressions == 0:
        cover = Cover.NONE
    elif delivery.rows == 0:
        cover = Cover.ONLY
    elif impressions == delivery.impressions:
        cover = Cover.COMPLETE
    else:
        cover = Cover.PARTIAL if impressions < delivery.impressions else Cover.ABOVE
    problems = []
    if cover is Cover.ABOVE:
        problems.append("log impressions above platform impressions")
    if reach is not None and cover is not Cover.NONE:
        if people > reach.high:
            problems.append("log reach above platform reach")
        elif cover is Cover.COMPLETE and people < reach.low:
            problems.append("complete log's reach below the platform's largest period")
    return ChannelFigures(channel, delivery, reach, len(periods), impressions, people, cover,
                          tuple(problems))


def _silent(channels: tuple[ChannelFigures, ...]) -> tuple[str, ...]:
    """The channels no unique reach can count: no reach reported and no complete log."""
    return tuple(figures.channel for figures in channels
                 if not figures.exact and figures.reach is None)


def _unique(data: CampaignData, where: Slice, channels: tuple[ChannelFigures, ...],
            population: int | None) -> UniqueReach:
    if not channels:
        return UniqueReach(Bounds.exactly(0), Method.EXACT if data.has_exposures
                           else Method.REPORTED, note="nothing delivered in this slice")
    exact = tuple(figures.channel for figures in channels if figures.exact)
    platform = [figures for figures in channels if not figures.exact and figures.reach]
    silent = _silent(channels)
    gaps = (f" Leaves out {', '.join(silent)}: no reach reported and no complete log."
            if silent else "")
    counted = tuple(sorted([*exact, *(figures.channel for figures in platform)]))
    parts: list[Quantity] = []
    logged = None
    if exact:
        logged = data.log_union(where, exact)
        parts.append(Quantity(f"distinct ids: {', '.join(exact)}", Decimal(logged),
                              Unit.PEOPLE, EXPOSURE_LOG))
    for figures in platform:
        assert figures.reach is not None
        parts.append(Quantity(f"reach: {figures.channel} ({figures.reach})",
                              figures.reach.high, Unit.PEOPLE, REPORTED))
    if not platform:
        if logged is None:
            return UniqueReach(None, Method.REPORTED, (), gaps.strip())
        return UniqueReach(
            Bounds.exactly(logged), Method.EXACT, tuple(parts),
            f"Exact: distinct viewer or device ids in the exposure log (a device is not "
            f"always one person).{gaps}", counted, exact)
    if logged is None and len(platform) == 1:
        only = platform[0]
        assert only.reach is not None
        if only.periods == 1 and only.reach.low == only.reach.high:
            return UniqueReach(only.reach, Method.REPORTED, tuple(parts),
                               f"Reported by the platform for one reporting period.{gaps}",
                               counted)
        return UniqueReach(
            only.reach, Method.BOUNDS, tuple(parts),
            f"Platform reach over {only.periods} reporting "
            f"period{'' if only.periods == 1 else 's'} with reach: at least the largest "
            f"single period, at most their sum (a person reached in several periods is in "
            f"each), with the impressions of rows that report no reach, and the "
            f"population.{gaps}", counted)
    if population is None:
        return UniqueReach(None, Method.ESTIMATED, tuple(parts),
                           "Cannot combine channels without a population for this area: give "
                           f"population records.{gaps}", counted, exact)
    parts.append(Quantity("population", Decimal(population), Unit.PEOPLE, "population records"))
    lows = [Decimal(logged)] if logged is not None else []
    highs = list(lows)
    for figures in platform:
        assert figures.reach is not None
        lows.append(figures.reach.low)
        highs.append(figures.reach.high)
    low, high = estimate_unique_reach(lows, population), estimate_unique_reach(highs, population)
    if low is None or high is None:
        return UniqueReach(None, Method.ESTIMATED, tuple(parts),
                           f"No people in the population of this area.{gaps}", counted, exact)
    groups = len(platform) + (1 if exact else 0)
    spread = ("" if low == high else " Bounds: each channel taken at its largest single "
              "reporting period, then at the sum of its periods.")
    return UniqueReach(Bounds(low, high), Method.ESTIMATED, tuple(parts),
                       f"Estimated as {INDEPENDENCE}, over {groups} channel groups (channels "
                       f"counted from the log together as one).{spread}{gaps}", counted, exact)


def slice_figures(data: CampaignData, where: Slice, *, log: bool = True) -> SliceFigures:
    """Every figure of a slice, treated as one period (from the platform's figures alone
    unless ``log``: all areas, when the log cannot be split by area as the areas are)."""
    channels = tuple(channel_figures(data, where, channel, log=log)
                     for channel in (data.channels(where) if log else data.values("channel",
                                                                                  where)))
    population = data.population(where.area)
    impressions, people = data.log(where) if log and data.can_log(where) else (0, 0)
    unique = attrs.evolve(_unique(data, where, channels, population),
                          leaves_out=_silent(channels))
    return SliceFigures(where, channels, unique, impressions, people, population)
