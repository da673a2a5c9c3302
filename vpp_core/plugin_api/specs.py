"""What plugins contribute through the hooks: checks, metrics, reporters, commands.

Each is a small frozen description holding a function; the engine calls the function.
A function can be given as :func:`lazy` ``("package.module:function")``, so that the
module holding it is imported when it is first called rather than when the plugin loads.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from importlib import import_module
from typing import TYPE_CHECKING, Any

import attrs

from vpp_core.plugin_api.results import Finding, Quantity, Unit, pickled_by_fields

if TYPE_CHECKING:
    from vpp_core.plugin_api.context import CheckContext, MetricContext


@attrs.frozen
class Measurement:
    """A metric's value, with the parts it was computed from for evidence."""

    value: Decimal | None
    unit: Unit
    parts: tuple[Quantity, ...] = ()
    source: str = ""
    note: str = ""

    __reduce__ = pickled_by_fields


@attrs.frozen
class ParameterSpec:
    """A parameter a check takes from its rule; ``kind`` is one of
    ``decimal``, ``money``, ``integer``, ``string``, ``boolean``, ``date``, ``strings``,
    ``metric`` (a metric reference, checked to exist) or ``metrics`` (a list of them);
    ``choices``, if given, the values a pack may set, or set in a list (anything else is
    the pack's error, not the check's); ``validate``, if given, is called with each value a
    pack sets (converted to ``kind``) when the pack is loaded, and raises ``ValueError``
    saying what is wrong with it (the pack's error, located, before any check runs)."""

    name: str
    kind: str
    description: str
    required: bool = True
    default: Any = None
    choices: tuple[str, ...] = ()
    validate: Callable[[Any], object] | None = None


@attrs.frozen
class CheckSpec:
    """A rule implementation packs can name in a rule's ``check`` field."""

    name: str
    function: Callable[[CheckContext], Iterable[Finding]]
    description: str
    parameters: tuple[ParameterSpec, ...] = ()


@attrs.frozen
class MetricSpec:
    """A named value computed from a strategy (and records): ``name`` or ``name:argument``."""

    name: str
    function: Callable[[MetricContext, str | None], Measurement]
    unit: Unit
    description: str
    takes_argument: bool = False


@attrs.frozen
class ReporterSpec:
    """An output format: ``render`` turns a report (or batch) into text, or into bytes for
    a binary format (written only to a file)."""

    name: str
    function: Callable[[Any, Mapping[str, Any]], str | bytes]
    extension: str
    description: str
    #: A binary format (xlsx): ``render`` gives bytes, written only to a file.
    binary: bool = False


@attrs.frozen
class CommandSpec:
    """A ``vpp`` subcommand a plugin adds (``vpp targets``, ``vpp reach``)."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def lazy(reference: str) -> Callable[..., Any]:
    """The function ``reference`` names (``"package.module:function"``), imported on its
    first call: a plugin offers a command without importing the command's module until it
    runs. The function reports the module it names as its own, so that the plugin offering
    it is found as for the function itself."""
    module, _, name = reference.partition(":")
    if not module or not name:
        raise ValueError(f"expected 'package.module:function', got {reference!r}")

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(module), name)(*args, **kwargs)

    call.__module__ = module
    call.__name__ = call.__qualname__ = name
    return call
