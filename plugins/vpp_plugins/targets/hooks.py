"""The target-counting plugin's hook implementations."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

from vpp_core.markers import hookimpl
from vpp_core.specs import CheckSpec, CommandSpec, MetricSpec
from vpp_plugins.targets.checks import check_specs
from vpp_plugins.targets.command import command_specs
from vpp_plugins.targets.metrics import metric_specs


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return check_specs()


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return metric_specs()


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return command_specs()


@hookimpl
def vpp_register_pack_folders() -> list[Path]:
    """The ``targets`` pack (prefix TGT) lives with the plugin whose checks it runs."""
    with as_file(files("vpp_plugins.targets") / "packs") as folder:
        return [Path(folder)]
