"""The YEF Toolkit family (pack ``yef-toolkit``, codes YEF): every funded intervention maps to
a Toolkit approach; an approach rated harmful, or with no clear evidence, is reported; and
the share of intervention spend on high-impact approaches is a metric packs can floor.

The Toolkit's approaches and bands are versioned reference data shipped with this package
(``data/yef-toolkit-2024.toml``); a rule picks an edition with its ``toolkit`` parameter, a
name in the package or a path to a file of the same shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import tomli

from vpp_core import (
    CheckSpec,
    Evidence,
    Finding,
    Measurement,
    MetricSpec,
    ParameterSpec,
    PluginError,
    Status,
    Unit,
    format_money,
    hookimpl,
)
from vpp_plugins._common import (
    NO_FUNDED,
    funded_interventions,
    intervention_subject,
    money,
    or_not_applicable,
)

if TYPE_CHECKING:
    from vpp_core import (
        CheckContext,
        Intervention,
        MetricContext,
    )

DEFAULT_TOOLKIT = "yef-toolkit-2024"
BANDS = ("high", "moderate", "low", "no-clear-evidence", "harmful")


@attrs.frozen
class Approach:
    id: str
    name: str
    band: str | None
    source: str
    url: str = ""


@attrs.frozen
class Toolkit:
    """One edition of the Toolkit's approaches and bands."""

    name: str
    edition: str
    compiled: date
    source: str
    bands: Mapping[str, str]
    approaches: Mapping[str, Approach]

    @property
    def title(self) -> str:
        return f"{self.name} ({self.edition} edition)"

    def band_label(self, band: str | None) -> str:
        return "band not recorded in the reference data" if band is None else self.bands[band]


def _read(where: str, text: str) -> Toolkit:
    try:
        data = tomli.loads(text)
        meta = data["toolkit"]
        bands = {key: str(value["label"]) for key, value in data["bands"].items()}
        approaches = {}
        for index, item in enumerate(data["approaches"]):
            band = item.get("band")
            if band is not None and band not in bands:
                raise ValueError(f"approaches[{index}].band: unknown band {band!r}")
            approaches[item["id"]] = Approach(item["id"], item["name"], band, item["source"],
                                              item.get("url", ""))
        unknown = sorted(set(bands) - set(BANDS))
        if unknown:
            raise ValueError(f"bands: {unknown[0]!r} is not one of {', '.join(BANDS)}")
        return Toolkit(meta["name"], str(meta["edition"]), meta["compiled"], meta["source"],
                       bands, approaches)
    except (tomli.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        missing = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise PluginError(f"{where}: not a YEF Toolkit reference file: {missing}") from None


@cache
def _parsed(where: str, data: bytes) -> Toolkit:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PluginError(f"{where}: not a YEF Toolkit reference file: not UTF-8 text") from None
    return _read(where, text)


def load_toolkit(ctx: MetricContext, reference: str = DEFAULT_TOOLKIT) -> Toolkit:
    """An edition by name (``yef-toolkit-2024``, shipped in this package) or a file path,
    read through ``ctx`` so that the report's provenance holds its SHA-256."""
    if reference.endswith(".toml") or "/" in reference:
        path = Path(reference)
        try:
            return _parsed(str(path), ctx.read_data(path))
        except OSError as exc:
            raise PluginError(f"{path}: cannot read YEF Toolkit data ({exc.strerror})") from None
    resource = files("vpp_plugins") / "data" / f"{reference}.toml"
    if not resource.is_file():
        raise PluginError(f"no YEF Toolkit edition named {reference!r} in vpp_plugins/data")
    where = f"vpp_plugins/data/{reference}.toml"
    return _parsed(where, ctx.read_data(resource, where))


def _mapped(toolkit: Toolkit, item: Intervention) -> Approach | None:
    return toolkit.approaches.get(item.yef_approach) if item.yef_approach else None


@or_not_applicable(NO_FUNDED)
def approach_mapped(ctx: CheckContext) -> Iterator[Finding]:
    """Every funded intervention records an approach of the Toolkit edition the rule names."""
    toolkit = load_toolkit(ctx, ctx.params["toolkit"])
    for item, _, _ in funded_interventions(ctx.strategy):
        subject = intervention_subject(item)
        approach = _mapped(toolkit, item)
        if item.yef_approach is None:
            yield Finding(subject, Status.FAIL,
                          f"{item.name} records no {toolkit.name} approach")
        elif approach is None:
            yield Finding(subject, Status.FAIL,
                          f"{item.name} records {item.yef_approach!r}, which is not an approach "
                          f"in the {toolkit.title}")
        else:
            yield Finding(subject, Status.PASS,
                          f"{item.name} maps to {approach.name} "
                          f"({toolkit.band_label(approach.band)})",
                          Evidence(notes=(f"source: {approach.source}",)))


@or_not_applicable("No funded intervention maps to a YEF Toolkit approach")
def band_absent(ctx: CheckContext) -> Iterator[Finding]:
    """No funded intervention maps to an approach the Toolkit rates in the rule's band."""
    toolkit = load_toolkit(ctx, ctx.params["toolkit"])
    band: str = ctx.params["band"]
    if band not in BANDS:
        raise ValueError(f"band {band!r} is not one of {', '.join(BANDS)}")
    for item, _, _ in funded_interventions(ctx.strategy):
        approach = _mapped(toolkit, item)
        if approach is None:
            continue
        label = toolkit.band_label(approach.band)
        notes = (f"{toolkit.title}: {approach.source}",)
        status = Status.FAIL if approach.band == band else Status.PASS
        yield Finding(intervention_subject(item), status,
                      f"{item.name} maps to {approach.name}: {label}", Evidence(notes=notes))


def _spend(item: Intervention, line_amount: Decimal | None) -> Decimal | None:
    """What an intervention costs this year: its budget line's amount, else its funding's."""
    if line_amount is not None:
        return line_amount
    return item.funding.amount.amount if item.funding.amount is not None else None


def high_impact_share(ctx: MetricContext, argument: str | None) -> Measurement:
    """The share of funded interventions' spend that goes to approaches the Toolkit
    (default edition) rates high impact; unmapped interventions count as not high impact."""
    toolkit = load_toolkit(ctx, DEFAULT_TOOLKIT)
    total = Decimal(0)
    high = []
    unmapped = []
    for item, path, line in funded_interventions(ctx.strategy):
        approach = _mapped(toolkit, item)
        if approach is None:
            unmapped.append(item.name)
        spend = _spend(item, line.amount.amount if line.amount is not None else None)
        if spend is None:
            continue
        total += spend
        if approach is not None and approach.band == "high":
            high.append(money(f"{item.name} ({approach.name})", spend, f"{path}.amount"))
    note = f"{len(unmapped)} funded interventions map to no approach" if unmapped else ""
    if total == 0:
        return Measurement(None, Unit.SHARE, (), "budget.lines",
                           "no funded intervention states its spend")
    share = sum((part.value for part in high), Decimal(0)) / total
    return Measurement(share, Unit.SHARE, tuple(high), "budget.lines",
                       "; ".join(text for text in (f"of {format_money(total)} funded intervention "
                                                   "spend", note) if text))


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    toolkit = ParameterSpec("toolkit", "string",
                            "The Toolkit edition: a name shipped with vpp_plugins or a path.",
                            required=False, default=DEFAULT_TOOLKIT)
    return [
        CheckSpec("toolkit-approach-mapped", approach_mapped,
                  "Every funded intervention maps to a YEF Toolkit approach.", (toolkit,)),
        CheckSpec("toolkit-band-absent", band_absent,
                  "No funded intervention maps to an approach in the given impact band.",
                  (ParameterSpec("band", "string", f"One of {', '.join(BANDS)}.",
                                 choices=BANDS), toolkit)),
    ]


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return [
        MetricSpec("high-impact-share", high_impact_share, Unit.SHARE,
                   "Share of funded interventions' spend on high-impact Toolkit approaches."),
    ]
