"""``[extensions.NAME]`` tables: a VRU's local data, claimed by the plugin that declares it.

A strategy loads without plugins and keeps each extension as the table it read. Once the
plugins are known, :func:`claim_extensions` structures every extension with the one
converter into the attrs class its plugin declared, with located errors
(``grants[1].extensions.gm-csp.allocations[2].amount``); an extension no plugin claims is
an input error naming it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError

from vpp_core.loading.converter import CONVERTER, describe_structure_error
from vpp_core.loading.errors import UsageError
from vpp_core.loading.extension_spec import ExtensionPlace, ExtensionSpec
from vpp_core.loading.strategy_io import located_error
from vpp_core.model import Grant, Intervention, LocalPartnership, Strategy
from vpp_core.model.fields import Extensions

T = TypeVar("T")


#: The class that holds the extensions at each place.
OWNERS: dict[ExtensionPlace, type] = {
    ExtensionPlace.STRATEGY: Strategy,
    ExtensionPlace.GRANT: Grant,
    ExtensionPlace.INTERVENTION: Intervention,
    ExtensionPlace.LOCAL_PARTNERSHIP: LocalPartnership,
}

# The strategy's arrays whose items may carry extensions, by place.
_ARRAYS = {
    ExtensionPlace.GRANT: "grants",
    ExtensionPlace.INTERVENTION: "interventions",
    ExtensionPlace.LOCAL_PARTNERSHIP: "local_partnerships",
}


def _owners(strategy: Strategy) -> Iterator[tuple[ExtensionPlace, str, Any]]:
    yield ExtensionPlace.STRATEGY, "", strategy
    for place, array in _ARRAYS.items():
        for index, item in enumerate(getattr(strategy, array)):
            yield place, f"{array}[{index}].", item


def _claimed(owner: Any, place: ExtensionPlace, at: str, specs: Mapping[str, ExtensionSpec],
             problems: list[str]) -> Extensions:
    extensions: Extensions = owner.extensions
    result: dict[str, Any] = {}
    for name, value in sorted(extensions.items()):
        here = f"{at}extensions.{name}"
        spec = specs.get(name)
        if spec is None:
            problems.append(f"{here}: extension {name!r} is claimed by no loaded plugin; load "
                            "the plugin that defines it (--plugin FILE, or install it)")
            continue
        if place not in spec.places:
            allowed = ", ".join(item.value for item in spec.places)
            problems.append(f"{here}: extension {name!r} belongs on: {allowed}, not on a "
                            f"{place.value}")
            continue
        if isinstance(value, spec.shape):
            result[name] = value
            continue
        try:
            result[name] = CONVERTER.structure(value, spec.shape)
        except (ClassValidationError, IterableValidationError) as exc:
            problems.extend(describe_structure_error(exc, at=here))
    return Extensions(result)


def claim_extensions(strategy: Strategy, specs: Mapping[str, ExtensionSpec],
                     source: Path | str = "strategy") -> Strategy:
    """The strategy with every extension structured by the spec that claims it.

    Every problem (an unclaimed extension, a bad field) is one line of a
    :class:`StrategyError`, located by field path.
    """
    problems: list[str] = []
    claimed: dict[tuple[ExtensionPlace, str], Extensions] = {}
    for place, at, owner in _owners(strategy):
        if owner.extensions:
            claimed[(place, at)] = _claimed(owner, place, at, specs, problems)
    if problems:
        raise located_error(source, problems)
    if not claimed:
        return strategy
    changes: dict[str, Any] = {}
    for place, array in _ARRAYS.items():
        items = getattr(strategy, array)
        changes[array] = tuple(
            attrs.evolve(item, extensions=claimed[(place, f"{array}[{index}].")])
            if (place, f"{array}[{index}].") in claimed else item
            for index, item in enumerate(items)
        )
    if (ExtensionPlace.STRATEGY, "") in claimed:
        changes["extensions"] = claimed[(ExtensionPlace.STRATEGY, "")]
    return attrs.evolve(strategy, **changes)


def extension(owner: Any, name: str, shape: type[T]) -> T | None:
    """The claimed extension ``name`` of ``owner`` (the strategy, a grant, an intervention,
    a local partnership) as ``shape``; ``None`` if the owner has none."""
    value = owner.extensions.get(name)
    if value is None:
        return None
    if not isinstance(value, shape):
        raise UsageError(f"extension {name!r} has not been claimed as {shape.__name__} "
                         "(is the plugin that declares it loaded?)")
    return value


def shapes_by_owner(specs: Iterable[ExtensionSpec]) -> dict[type, dict[str, type]]:
    """The shape of each extension claimed, by the class of the tables it may stand in."""
    shapes: dict[type, dict[str, type]] = {}
    for spec in specs:
        for place in spec.places:
            shapes.setdefault(OWNERS[place], {})[spec.name] = spec.shape
    return shapes
