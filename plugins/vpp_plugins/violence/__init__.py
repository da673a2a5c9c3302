"""Serious violence counted under a local definition stated as data (``vpp violence``).

A definition (``definitions/*.toml``, or any file of that shape) lists categories of
recorded crime by Home Office offence code, crime flags and ages; this plugin counts police
records under it, by category, area and period, and says what it cannot resolve.
"""

from __future__ import annotations

from vpp_core import CommandSpec, MetricSpec, RecordKind, Unit, hookimpl, lazy
from vpp_plugins.violence.sources import KIND_DESCRIPTIONS, SCHEMAS


@hookimpl
def vpp_register_record_kinds() -> list[RecordKind]:
    return [RecordKind(schema, KIND_DESCRIPTIONS[kind]) for kind, schema in SCHEMAS.items()]


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    # The metric's module (and the counting it needs) is imported when the metric is used.
    return [MetricSpec(
        "serious-violence", lazy("vpp_plugins.violence.metrics:serious_violence"), Unit.COUNT,
        "Serious violence in the strategy's financial year under a definition "
        "(DEFINITION/CATEGORY, e.g. thames-valley/knife, or thames-valley/any).",
        takes_argument=True)]


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return [CommandSpec(
        "violence", "Count serious violence under a definition (categories of recorded "
        "crime, as data) by category, area and period, from police records.",
        lazy("vpp_plugins.violence.command:add_arguments"),
        lazy("vpp_plugins.violence.command:run")),
        CommandSpec("generate-incidents", "Write seeded synthetic police incident records "
                    "(CSV or Parquet) for vpp violence.",
                    lazy("vpp_plugins.violence.generate:add_arguments"),
                    lazy("vpp_plugins.violence.generate:run"))]
