"""Reading a strategy from TOML and writing it back."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from cattrs.errors import ClassValidationError, IterableValidationError

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import StrategyError, VppError
from vpp_core.loading.references import reference_problems
from vpp_core.model import Strategy

_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def located_error(path: Path | str, problems: list[str]) -> StrategyError:
    """One :class:`StrategyError` holding a ``file: place: problem`` line per problem."""
    lines = tuple(f"{path}: {problem}" for problem in problems)
    summary = lines[0] if len(lines) == 1 else f"{lines[0]} (and {len(lines) - 1} more)"
    return StrategyError(summary, problems=lines)


def read_toml(path: Path, error: type[VppError] = StrategyError) -> dict[str, Any]:
    """Parse a TOML file; a syntax error names the file, line and column."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory, not a TOML file") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        match = _POSITION.match(str(exc))
        if match is None:
            raise error(f"{path}: {exc}") from None
        message = match["message"][:1].lower() + match["message"][1:]
        raise error(f"{path}:{match['line']}:{match['column']}: {message}") from None
    except UnicodeDecodeError:
        raise error(f"{path}: is not UTF-8 text") from None


def strategy_from_data(data: dict[str, Any], source: Path) -> Strategy:
    """Structure parsed TOML into a :class:`Strategy`, checking every reference."""
    try:
        strategy = CONVERTER.structure(data, Strategy)
    except (ClassValidationError, IterableValidationError) as exc:
        raise located_error(source, describe_structure_error(exc)) from None
    problems = reference_problems(strategy)
    if problems:
        raise located_error(source, problems)
    return strategy


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
