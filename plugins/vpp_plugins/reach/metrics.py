"""The campaign's metrics, each named so packs can set rules on it.

Each takes a slice as its argument (``total``, ``channel=social``,
``channel=social,area=reading,month=2024-06``; see :mod:`vpp_plugins.reach.slices`),
except population and coverage (an area id or ``total``) and training (a cohort of the
targets table or an audience). Values are exact Decimals; rounding is for display only.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from vpp_core import (
    Measurement,
    MetricContext,
    MetricSpec,
    Quantity,
    Unit,
    UsageError,
)
from vpp_plugins.reach.figures import cpm, frequency, ratio
from vpp_plugins.reach.slices import Slice

# The records are read, and the reader imported, when a metric is first computed: loading
# the plugin (or auditing without campaign metrics) needs neither.
if TYPE_CHECKING:
    from vpp_plugins.reach.campaign import DeliveryTotals
    from vpp_plugins.reach.load import LoadedCampaign
    from vpp_plugins.reach.model import Bounds, SliceFigures

DELIVERY_SOURCE = "campaign-delivery records"
NO_DELIVERY = "no campaign-delivery records given"

Measure = Callable[["LoadedCampaign", str | None], Measurement]


def _people(value: int) -> Quantity:
    return Quantity("people", Decimal(value), Unit.PEOPLE)


def _count(label: str, value: int | Decimal, unit: Unit = Unit.COUNT) -> Quantity:
    return Quantity(label, Decimal(value), unit, DELIVERY_SOURCE)


def _delivery(campaign: LoadedCampaign, argument: str | None) -> DeliveryTotals | None:
    if not campaign.data.has_delivery:
        return None
    return campaign.data.delivery(Slice.parse(argument))


def figures(campaign: LoadedCampaign, argument: str | None) -> SliceFigures:
    """Every figure of a slice (see :mod:`vpp_plugins.reach.model`)."""
    from vpp_plugins.reach.model import slice_figures

    return slice_figures(campaign.data, Slice.parse(argument))


def _range_parts(label: str, value: Bounds | None, source: str) -> tuple[Quantity, ...]:
    if value is None:
        return ()
    if value.point is not None:
        return (Quantity(label, value.low, Unit.PEOPLE, source),)
    return (Quantity(f"{label}, at least", value.low, Unit.PEOPLE, source),
            Quantity(f"{label}, at most", value.high, Unit.PEOPLE, source))


def _range_note(value: Bounds | None) -> str:
    if value is None or value.point is not None:
        return ""
    return (f" Known only as a range, {value}: no single figure; "
            "the '-at-least' metric gives its lower end.")


# -- counts ------------------------------------------------------------------------------


def _summed(field: str, unit: Unit, what: str) -> Measure:
    def measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
        totals = _delivery(campaign, argument)
        if totals is None:
            return Measurement(None, unit, note=NO_DELIVERY)
        value = getattr(totals, field)
        return Measurement(Decimal(value), unit, (_count("rows", totals.rows),),
                           DELIVERY_SOURCE, f"{what}, summed over {totals.rows:,} delivery rows.")
    return measure


def reach(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    totals = _delivery(campaign, argument)
    if totals is None:
        return Measurement(None, Unit.PEOPLE, note=NO_DELIVERY)
    if totals.reach_rows == 0:
        return Measurement(None, Unit.PEOPLE, note="no delivery row in this slice reports reach")
    return Measurement(
        Decimal(totals.reach), Unit.PEOPLE,
        (_count("rows reporting reach", totals.reach_rows), _count("rows", totals.rows)),
        DELIVERY_SOURCE,
        f"Platform-reported reach summed over {totals.reach_rows:,} rows: a person reached "
        "in several periods, areas or channels is counted in each (an upper bound, never a "
        "unique reach).",
    )


def unique_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    found = figures(campaign, argument).unique
    value = found.value.point if found.value is not None else None
    return Measurement(value, Unit.PEOPLE, found.parts, found.method.value,
                       found.note + _range_note(found.value))


def unique_at_least(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    found = figures(campaign, argument).unique
    value = found.value.low if found.value is not None else None
    return Measurement(value, Unit.PEOPLE, _range_parts("unique reach", found.value,
                                                       found.method.value),
                       found.method.value, f"The lower end of the unique reach. {found.note}")


# -- rates over impressions --------------------------------------------------------------


def _rate(field: str, denominator: str, what: str) -> Measure:
    def measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
        totals = _delivery(campaign, argument)
        if totals is None:
            return Measurement(None, Unit.SHARE, note=NO_DELIVERY)
        top, bottom = getattr(totals, field), getattr(totals, denominator)
        return Measurement(
            ratio(top, bottom), Unit.SHARE,
            (_count(what, top), _count(f"impressions on rows reporting {what}", bottom)),
            DELIVERY_SOURCE,
            f"{what.capitalize()} ÷ impressions, the denominator being the {bottom:,} "
            f"impressions on rows that report {what} (rows that do not are left out of both).",
        )
    return measure


def _per_person(campaign: LoadedCampaign, argument: str | None, *, money: bool
                ) -> Measurement:
    """Impressions (or spend) of the channels a unique reach counted, from the source it
    counted them from, ÷ that reach (no value when the reach is only a range)."""
    unit = Unit.GBP if money else Unit.RATE
    if not (campaign.data.has_delivery or campaign.data.has_exposures):
        return Measurement(None, unit, note=NO_DELIVERY)
    found = figures(campaign, argument)
    people = found.unique
    spend = sum((channel.delivery.spend for channel in found.channels
                 if channel.channel in people.channels), Decimal(0))
    impressions = found.counted_impressions
    top = _count("spend", spend, Unit.GBP) if money else _count("impressions", impressions)
    unpriced = [channel.channel for channel in found.channels if money
                and channel.channel in people.channels
                and channel.delivery.spend_rows < channel.delivery.rows]
    if unpriced:  # what those people cost is not known: never £0.00 for them
        return Measurement(None, unit, (top,), DELIVERY_SOURCE,
                           f"Spend ÷ unique reach: no value, as rows of {', '.join(unpriced)} "
                           "report no spend.")
    method = people.method.value
    point = people.value.point if people.value is not None else None
    value = None
    if point is not None:
        value = ratio(spend, point) if money else frequency(impressions, point)
    return Measurement(
        value, unit, (top, *_range_parts(f"unique reach ({method})", people.value, method)),
        DELIVERY_SOURCE,
        f"{top.label.capitalize()} ÷ unique reach ({method}). {people.note}"
        f"{_range_note(people.value)}".strip(),
    )


def frequency_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    return _per_person(campaign, argument, money=False)


def cpm_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    totals = _delivery(campaign, argument)
    if totals is None:
        return Measurement(None, Unit.GBP, note=NO_DELIVERY)
    return Measurement(
        cpm(totals.spend, totals.spend_impressions), Unit.GBP,
        (_count("spend", totals.spend, Unit.GBP),
         _count("impressions on rows reporting spend", totals.spend_impressions)),
        DELIVERY_SOURCE,
        "Spend ÷ impressions × 1,000, over the rows that report spend.",
    )


def cost_per_person_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    return _per_person(campaign, argument, money=True)


# -- population and coverage -------------------------------------------------------------


def _area(argument: str | None) -> str | None:
    return None if argument in (None, "", "total") else argument


def population_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    area = _area(argument)
    people = campaign.data.population(area)
    if people is None:
        where = f" for {area}" if area else ""
        return Measurement(None, Unit.PEOPLE, note=f"no population records{where}")
    sources = "; ".join(campaign.data.population_sources())
    return Measurement(Decimal(people), Unit.PEOPLE, source="population records",
                       note=f"Every age band given, added up. Source: {sources or 'not stated'}.")


def _coverage(campaign: LoadedCampaign, argument: str | None, *, low: bool) -> Measurement:
    area = _area(argument)
    people = campaign.data.population(area)
    reached = figures(campaign, "total" if area is None else f"area={area}").unique
    if people is None or reached.value is None:
        missing = "population" if people is None else "unique reach"
        return Measurement(None, Unit.SHARE, note=f"no {missing}: {reached.note}".strip())
    value = reached.value.low if low else reached.value.point
    method = reached.method.value
    note = f"Unique reach ({method}) ÷ population. {reached.note}"
    note += "" if low else _range_note(reached.value)
    share = ratio(value, people) if value is not None else None
    if share is not None and share > 1:
        note += " Reach above the population cannot be a share: capped at 100%."
    return Measurement(
        min(share, Decimal(1)) if share is not None else None, Unit.SHARE,
        (*_range_parts(f"unique reach ({method})", reached.value, method), _people(people)),
        method, note.strip(),
    )


def coverage_measure(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    return _coverage(campaign, argument, low=False)


def coverage_at_least(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    return _coverage(campaign, argument, low=True)


# -- training against the targets --------------------------------------------------------


def _audiences(campaign: LoadedCampaign,
               argument: str | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """One audience by id or label (loosely: "Youth Workers" for ``youth-workers``), or every
    audience (``all``, or no argument): ``(id, label)`` each."""
    from vpp_core import loose_key

    text = (argument or "all").strip()
    if text == "all":
        return text, campaign.audiences
    exact = [audience for audience in campaign.audiences if audience[0] == text]
    for audience in exact or campaign.audiences:
        if loose_key(text) in (loose_key(audience[0]), loose_key(audience[1])):
            return audience[1], (audience,)
    names = ", ".join(["all", *(audience_id for audience_id, _ in campaign.audiences)])
    raise UsageError(f"campaign training: unknown audience {text!r} (one of {names})")


def training_reached(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    label, audiences = _audiences(campaign, argument)
    if not campaign.data.has_training:
        return Measurement(None, Unit.PEOPLE, note="no campaign-training records given")
    by_audience, before = campaign.data.training_reached()
    continuing = sum(before.get(audience_id.lower(), 0) for audience_id, _ in audiences)
    parts = tuple(Quantity(name, Decimal(by_audience.get(audience_id.lower(), 0)),
                           Unit.PEOPLE, "campaign-training records")
                  for audience_id, name in audiences)
    window = campaign.data.training_window
    return Measurement(
        sum((part.value for part in parts), Decimal(0)), Unit.PEOPLE, parts,
        "campaign-training records",
        f"New attendees ({label}): first attendance {window}; {continuing:,} attendees "
        "who first came before it are continuing and not counted.",
    )


# -- the specs ---------------------------------------------------------------------------

summed_impressions = _summed("impressions", Unit.COUNT, "Impressions")
_spend_reported = _summed("spend", Unit.GBP, "Spend")


def summed_spend(campaign: LoadedCampaign, argument: str | None) -> Measurement:
    """Spend over the rows that report it; no value (never £0.00) when none does."""
    totals = _delivery(campaign, argument)
    if totals is not None and totals.rows and not totals.spend_rows:
        return Measurement(None, Unit.GBP, note="no delivery row in this slice reports spend")
    return _spend_reported(campaign, argument)
engagement_rate = _rate("engagements", "engagement_impressions", "engagements")
click_through_rate = _rate("clicks", "click_impressions", "clicks")


@attrs.frozen
class _Spec:
    name: str
    measure: Measure
    unit: Unit
    description: str


_SLICE = ("Argument: a slice ('total', 'channel=X', 'channel=X,area=Y,month=YYYY-MM', "
          "'week=YYYY-MM-DD'), treated as one period.")
_SPECS = (
    _Spec("campaign-impressions", summed_impressions, Unit.COUNT,
          f"Impressions delivered in the evaluation window. {_SLICE}"),
    _Spec("campaign-reach", reach, Unit.PEOPLE,
          f"Platform-reported reach, summed over reporting periods (not de-duplicated). {_SLICE}"),
    _Spec("campaign-unique-reach", unique_measure, Unit.PEOPLE,
          "People reached across channels: exact from an exposure log, otherwise estimated as "
          "population × (1 − Π(1 − rᵢ)); no value when known only as a range (platform reach "
          f"over several reporting periods). {_SLICE}"),
    _Spec("campaign-unique-reach-at-least", unique_at_least, Unit.PEOPLE,
          f"The lower end of the unique reach (the figure itself when known exactly). {_SLICE}"),
    _Spec("campaign-frequency", frequency_measure, Unit.RATE,
          f"Impressions ÷ unique reach, when the unique reach is a single figure. {_SLICE}"),
    _Spec("campaign-engagements", _summed("engagements", Unit.COUNT, "Engagements"),
          Unit.COUNT, f"Engagements reported. {_SLICE}"),
    _Spec("campaign-engagement-rate", engagement_rate, Unit.SHARE,
          f"Engagements ÷ impressions, on rows that report engagements. {_SLICE}"),
    _Spec("campaign-clicks", _summed("clicks", Unit.COUNT, "Clicks"), Unit.COUNT,
          f"Clicks reported. {_SLICE}"),
    _Spec("campaign-click-through-rate", click_through_rate, Unit.SHARE,
          f"Clicks ÷ impressions, on rows that report clicks. {_SLICE}"),
    _Spec("campaign-video-views", _summed("video_views", Unit.COUNT, "Video views"),
          Unit.COUNT, f"Video views reported. {_SLICE}"),
    _Spec("campaign-video-view-rate",
          _rate("video_views", "video_impressions", "video views"), Unit.SHARE,
          f"Video views ÷ impressions, on rows that report video views. {_SLICE}"),
    _Spec("campaign-spend", summed_spend, Unit.GBP,
          f"Spend reported in the evaluation window. {_SLICE}"),
    _Spec("campaign-cpm", cpm_measure, Unit.GBP,
          f"Cost per thousand impressions: spend ÷ impressions × 1,000. {_SLICE}"),
    _Spec("campaign-cost-per-person-reached", cost_per_person_measure, Unit.GBP,
          f"Spend ÷ unique reach. {_SLICE}"),
    _Spec("campaign-population", population_measure, Unit.PEOPLE,
          "People in an area (a local partnership id) or in all ('total'), from the "
          "population records."),
    _Spec("campaign-coverage", coverage_measure, Unit.SHARE,
          "Unique reach ÷ population of an area (a local partnership id) or of all ('total'); "
          "no value when the unique reach is known only as a range."),
    _Spec("campaign-coverage-at-least", coverage_at_least, Unit.SHARE,
          "The lower end of the coverage of an area or of all ('total')."),
    _Spec("campaign-training-attendees", training_reached, Unit.PEOPLE,
          "New attendees at the campaign's own training sessions (campaign-training "
          "records), by audience (an id or label of the strategy's campaign audiences; "
          "young-person, parent, practitioner or professional when it states none) or "
          "all. Not the count "
          "against the targets table, which the target-counting rules (TGT) make."),
)


def _campaign(ctx: MetricContext) -> LoadedCampaign:
    from vpp_plugins.reach.load import campaign_of

    return campaign_of(ctx)


def _metric(spec: _Spec) -> MetricSpec:
    def compute(ctx: MetricContext, argument: str | None) -> Measurement:
        return spec.measure(_campaign(ctx), argument)
    return MetricSpec(spec.name, compute, spec.unit, spec.description, takes_argument=True)


METRICS: tuple[MetricSpec, ...] = tuple(_metric(spec) for spec in _SPECS)
