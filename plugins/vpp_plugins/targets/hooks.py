"""The target-counting plugin's hook implementations.

The checks and metrics (and the counting they need) are imported when the engine asks
for them: a command that runs no rule (``vpp violence``) imports none of them."""

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
from vpp_plugins.targets.schemas import RECORD_KINDS


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    from vpp_plugins.targets.checks import check_specs

    return check_specs()


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    from vpp_plugins.targets.metrics import metric_specs

    return metric_specs()


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    # Each command's module is imported when the command runs.
    return [
        CommandSpec("targets", "Count new people reached against the strategy's targets, "
                    "from participant and training records.",
                    lazy("vpp_plugins.targets.command:add_arguments"),
                    lazy("vpp_plugins.targets.command:run")),
        CommandSpec("generate-records", "Write seeded synthetic participant and training "
                    "records for a strategy.",
                    lazy("vpp_plugins.targets.generate:add_arguments"),
                    lazy("vpp_plugins.targets.generate:run")),
    ]


@hookimpl
def vpp_register_pack_folders() -> list[Path]:
    """The ``targets`` pack (prefix TGT) lives with the plugin whose checks it runs."""
    return [package_folder("vpp_plugins.targets", "packs")]


@hookimpl
def vpp_register_record_kinds() -> list[RecordKind]:
    """Participant events and professionals trained (``vpp records kinds``)."""
    return list(RECORD_KINDS)
