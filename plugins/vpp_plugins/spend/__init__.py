"""Money through the year: spend against profile, forecasts, match funding by evidenced
source, evaluation milestones, value for money, and the quarterly return (``vpp return``).

Record kinds ``spend``, ``spend-profile``, ``match-funding``, ``carry-over`` and
``evaluation-milestones``; the ``in-year-spend`` pack (prefix SPEND) in ``packs``; commands
``vpp return`` and ``vpp generate-spend``.
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
from vpp_plugins.spend.kinds import RECORD_KINDS
from vpp_plugins.spend.specs import CHECKS, METRICS


@hookimpl
def vpp_register_record_kinds() -> list[RecordKind]:
    return list(RECORD_KINDS)


@hookimpl
def vpp_register_checks() -> list[CheckSpec]:
    return list(CHECKS)


@hookimpl
def vpp_register_metrics() -> list[MetricSpec]:
    return list(METRICS)


@hookimpl
def vpp_register_pack_folders() -> list[Path]:
    return [package_folder("vpp_plugins.spend", "packs")]


@hookimpl
def vpp_register_commands() -> list[CommandSpec]:
    return [
        CommandSpec("return", "The quarterly return: spend against profile, forecasts and "
                    "risk, match funding, targets, milestones and the failures needing action "
                    "(HTML, Markdown, JSON or xlsx).",
                    lazy("vpp_plugins.spend.command:add_arguments"),
                    lazy("vpp_plugins.spend.command:run")),
        CommandSpec("generate-spend", "Write a seeded synthetic spend ledger (CSV or Parquet).",
                    lazy("vpp_plugins.spend.generate:add_arguments"),
                    lazy("vpp_plugins.spend.generate:run")),
    ]
