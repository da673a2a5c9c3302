"""Reading a plugin's own TOML data into its attrs classes, with the strategy's rules:
the one converter, unknown keys refused, one located line per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from cattrs.errors import ClassValidationError, IterableValidationError

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import VppError
from vpp_core.loading.toml_file import read_toml

T = TypeVar("T")


def structure_as(data: Any, cls: type[T], source: Path | str,
                 error: type[VppError] = VppError) -> T:
    """``data`` structured as ``cls``; problems raise ``error`` naming ``source`` and the
    field path of each (``categories[2].offence_codes: …``)."""
    try:
        return CONVERTER.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = tuple(f"{source}: {problem}" for problem in describe_structure_error(exc))
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise error(problems[0] + more, problems=problems) from None


def load_toml_as(path: Path, cls: type[T], error: type[VppError] = VppError) -> T:
    """Read the TOML file at ``path`` as ``cls`` (see :func:`structure_as`)."""
    return structure_as(read_toml(path, error), cls, path, error)
