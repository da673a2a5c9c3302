"""The hooks through which plugins contribute checks, metrics, extensions, reporters,
packs, commands and the kinds of record they read.

Plugins implement any of these with :data:`vpp_core.hookimpl`; an implementation may take
fewer arguments than the spec names. Every hook returns a sequence: the host gathers the
contributions of every plugin and refuses two plugins offering the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

from vpp_core.plugin_api.markers import hookspec

if TYPE_CHECKING:
    from vpp_core.loading.extension_spec import ExtensionSpec
    from vpp_core.plugin_api.record_kinds import RecordKind
    from vpp_core.plugin_api.specs import CheckSpec, CommandSpec, MetricSpec, ReporterSpec


# -------------------------------------------------------------------------
# Rules: what packs can refer to
# -------------------------------------------------------------------------


@hookspec
def vpp_register_checks() -> Sequence[CheckSpec]:
    """Return the checks this plugin implements; a rule names one in its ``check`` field.

    A check is called with a :class:`vpp_core.plugin_api.context.CheckContext` (the strategy, its
    records, the rule's parameters resolved for the strategy's year) and yields one
    :class:`vpp_core.plugin_api.results.Finding` per subject. A check that raises gives its rule an
    ``error`` result; the other rules still run.
    """


@hookspec
def vpp_register_metrics() -> Sequence[MetricSpec]:
    """Return the metrics this plugin computes: named values rules can compare.

    A metric is called with a :class:`vpp_core.plugin_api.context.MetricContext` and its argument
    (``None`` unless the spec ``takes_argument``) and returns a
    :class:`vpp_core.plugin_api.specs.Measurement`.
    """


@hookspec
def vpp_register_extensions() -> Sequence[ExtensionSpec]:
    """Return the ``[extensions.NAME]`` tables this plugin claims, with their shape.

    Each :class:`vpp_core.ExtensionSpec` names the extension, the attrs class its table is
    structured into, and where it may stand (the strategy, grants, interventions, local
    partnerships). Checks and metrics read it with ``ctx.extension(NAME, Shape, of=...)``.
    """


@hookspec
def vpp_register_pack_folders() -> Sequence[Path | Traversable]:
    """Return folders holding this plugin's rule packs (``*.toml``), found by pack name."""


# -------------------------------------------------------------------------
# Records: the kinds of file plugins read
# -------------------------------------------------------------------------


@hookspec
def vpp_register_record_kinds() -> Sequence[RecordKind]:
    """Return the kinds of delivery record this plugin reads, with their columns.

    A records manifest, ``--records KIND=PATH`` and the API accept only registered kinds;
    ``vpp records kinds`` lists them. Read a kind's files with
    :func:`vpp_core.load_table` and ``kind.schema_for(strategy)``.
    """


# -------------------------------------------------------------------------
# Output and the command line
# -------------------------------------------------------------------------


@hookspec
def vpp_register_reporters() -> Sequence[ReporterSpec]:
    """Return the output formats this plugin renders (``--format`` / ``--output`` names)."""


@hookspec
def vpp_register_commands() -> Sequence[CommandSpec]:
    """Return ``vpp`` subcommands this plugin adds (``vpp targets``, ``vpp reach``)."""
