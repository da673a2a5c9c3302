"""Reading a strategy from TOML and writing it back."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomli_w
from cattrs.errors import ClassValidationError, IterableValidationError

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import StrategyError
from vpp_core.loading.references import reference_problems
from vpp_core.loading.toml_file import parse_toml, read_toml
from vpp_core.model import Strategy

__all__ = ["dump_strategy", "load_strategy", "load_strategy_text", "read_toml",
           "strategy_from_data", "strategy_to_data"]


def located_error(path: Path | str, problems: list[str]) -> StrategyError:
    """One :class:`StrategyError` holding a ``file: place: problem`` line per problem."""
    lines = tuple(f"{path}: {problem}" for problem in problems)
    summary = lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more)"
    return StrategyError(summary, problems=lines)


def strategy_from_data(data: Mapping[str, Any], source: str | Path = "strategy") -> Strategy:
    """A :class:`Strategy` from plain data (parsed TOML, or a dict built in a program),
    every reference checked; every problem is in one :class:`StrategyError`, located in
    ``source`` (a file, or any name the caller gives) by field path. ``data`` is not
    changed."""
    if not isinstance(data, Mapping):
        raise StrategyError(f"{source}: expected a table (a dict) of the strategy, got "
                            f"{type(data).__name__}")
    try:
        strategy = CONVERTER.structure(data, Strategy)
    except (ClassValidationError, IterableValidationError) as exc:
        raise located_error(source, describe_structure_error(exc)) from None
    problems = reference_problems(strategy)
    if problems:
        raise located_error(source, problems)
    return strategy


def load_strategy_text(text: str, name: str = "strategy") -> Strategy:
    """A strategy from TOML ``text`` (what :func:`load_strategy` reads from a file), every
    problem located in ``name`` by line or field path."""
    return strategy_from_data(parse_toml(text, Path(name)), name)


def load_strategy(path: str | Path) -> Strategy:
    """Read a strategy TOML file; every problem in it is reported in one :class:`StrategyError`."""
    source = Path(path)
    return strategy_from_data(read_toml(source), source)


def strategy_to_data(strategy: Strategy) -> dict[str, Any]:
    """Plain data for a strategy: what ``dump_strategy`` writes."""
    data: dict[str, Any] = CONVERTER.unstructure(strategy)
    return data


def dump_strategy(strategy: Strategy) -> str:
    """The TOML text of a strategy; loading it gives an equal strategy."""
    return tomli_w.dumps(strategy_to_data(strategy))
