"""Which strategy a command reads when none is named: ``./strategy.toml``, or the bundled
Thames Valley example only when ``--example`` asks for it — never silently."""

from __future__ import annotations

import argparse
from pathlib import Path

from vpp_core.loading.bundled import bundled_strategy
from vpp_core.loading.errors import UsageError

#: The strategy a command reads from the working directory when none is named.
LOCAL_STRATEGY = Path("strategy.toml")


def add_strategy_arguments(parser: argparse.ArgumentParser, *, described: str = "a strategy TOML",
                           many: bool = False) -> None:
    """``STRATEGY`` (one, or with ``many`` several) and ``--example``."""
    parser.add_argument("strategy", nargs="*" if many else "?", default=None,
                        metavar="STRATEGY", help=f"{described} (default: ./strategy.toml)")
    parser.add_argument("--example", action="store_true",
                        help="use the bundled Thames Valley 2024-25 example (and its bundled "
                             "records) instead of a STRATEGY")


def example_chosen(options: argparse.Namespace) -> bool:
    """Whether the bundled example was asked for; an error if a STRATEGY was named too."""
    if not getattr(options, "example", False):
        return False
    if options.strategy:
        raise UsageError("--example: give either STRATEGY or --example, not both")
    return True


def chosen_strategy(options: argparse.Namespace) -> Path:
    """The STRATEGY named; else the bundled example with ``--example``; else
    ``./strategy.toml``; else a usage error (exit 2) saying what to do."""
    if example_chosen(options):
        return bundled_strategy()
    if options.strategy:
        return Path(options.strategy)
    if LOCAL_STRATEGY.is_file():
        return LOCAL_STRATEGY
    raise UsageError("no STRATEGY given and no strategy.toml in this folder: name a strategy "
                     "file or folder, or run the bundled Thames Valley example with --example")
