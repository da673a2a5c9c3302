"""Counter-narrative campaign reach: delivery, exposures, training and population records.

The plugin offers the campaign's metrics (impressions, reach, frequency, rates, CPM,
unique reach exact, reported or estimated, coverage, training attendance; the model is in
:mod:`vpp_plugins.reach.model`), the sanity checks
its ``campaign-reach`` pack (``REACH``, in ``packs/``) runs, and the ``vpp reach`` and
``vpp generate-campaign`` commands.
"""

from __future__ import annotations

from pathlib import Path

from vpp_core import (
    CheckSpec,
    CommandSpec,
    MetricSpec,
    RecordKind,
    hookimpl,
    lazy,
    package_folder,
)
from vpp_plugins.reach.kinds import RECORD_KINDS

# Each command's module is imported when the command runs.
COMMANDS = (
    CommandSpec(
        "reach",
        "Show a counter-narrative campaign's reach: platform and exposure-log figures per "
        "channel, people reached across channels, coverage by area, training attendance.",
        lazy("vpp_plugins.reach.commands:add_arguments"),
        lazy("vpp_plugins.reach.commands:run"),
    ),
    CommandSpec(
        "generate-campaign",
        "Write seeded synthetic campaign records (delivery, exposures, training, "
        "population) and their records.toml.",
        lazy("vpp_plugins.reach.generate:add_arguments"),
        lazy("vpp_plugins.reach.generate:run"),
    ),
)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    # The checks and metrics (and the campaign model) are imported when the engine asks.
    from vpp_plugins.reach.checks import CHECKS

    return list(CHECKS)


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    from vpp_plugins.reach.metrics import METRICS

    return list(METRICS)


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return list(COMMANDS)


@hookimpl
def vpp_register_pack_folders() -> list[Path]:
    """The ``campaign-reach`` pack (prefix REACH) lives with the checks it runs."""
    return [package_folder("vpp_plugins.reach", "packs")]


@hookimpl
def vpp_register_record_kinds() -> list[RecordKind]:
    """Campaign delivery, exposures, campaign training and population (``vpp records kinds``)."""
    return list(RECORD_KINDS)


__all__ = [
    "vpp_register_checks",
    "vpp_register_commands",
    "vpp_register_metrics",
    "vpp_register_pack_folders",
    "vpp_register_record_kinds",
]
