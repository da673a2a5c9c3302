"""``vpp show`` and ``vpp toc``: a first look at a strategy from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from vpp_core.cli.scaffold import scaffold_commands
from vpp_core.cli.strategy_choice import add_strategy_arguments, chosen_strategy
from vpp_core.model.escaping import terminal_text
from vpp_core.plugin_api.markers import hookimpl
from vpp_core.plugin_api.specs import CommandSpec

if TYPE_CHECKING:
    from vpp_core.model import Strategy

TOC_FORMATS = ("dot", "mermaid", "graphml", "json")


def _strategy_argument(parser: argparse.ArgumentParser) -> None:
    add_strategy_arguments(parser)


def _strategy(options: argparse.Namespace) -> Strategy:
    """The strategy chosen, read (with the converter, imported only by a command that reads one)."""
    from vpp_core.loading.strategy_io import load_strategy

    return load_strategy(chosen_strategy(options))


def _run_show(options: argparse.Namespace) -> int:
    from vpp_core.reports.summary import summarise

    strategy = _strategy(options)
    sys.stdout.write(terminal_text(summarise(strategy), newlines=True))
    return 0


def _add_toc_arguments(parser: argparse.ArgumentParser) -> None:
    _strategy_argument(parser)
    parser.add_argument("--format", choices=TOC_FORMATS, default="mermaid",
                        help="output format (default: mermaid)")


def _run_toc(options: argparse.Namespace) -> int:
    from vpp_core.model import toc

    strategy = _strategy(options)
    sys.stdout.write(toc.EXPORTS[options.format](toc.build_graph(strategy)))
    return 0


def _add_schema_arguments(parser: argparse.ArgumentParser) -> None:
    from vpp_core.cli.schema_command import add_arguments

    add_arguments(parser)


def _run_schema(options: argparse.Namespace) -> int:
    from vpp_core.cli.schema_command import run

    return run(options)


@hookimpl
def vpp_register_commands() -> Sequence[CommandSpec]:
    return (
        CommandSpec("show", "summarise a strategy: partnerships, grants, budget, "
                    "interventions, targets", _strategy_argument, _run_show),
        CommandSpec("toc", "export the strategy's Theory of Change graph",
                    _add_toc_arguments, _run_toc),
        CommandSpec("schema", "print the JSON Schema (or, with --markdown, the reference "
                    "page) of the strategy, pack, waivers or records format",
                    _add_schema_arguments, _run_schema),
        *scaffold_commands(),
    )
