"""What a plugin declares to claim an ``[extensions.NAME]`` table: its name, shape and places.

Apart from the claiming itself (:mod:`vpp_core.loading.extensions`), so that the plugin
manager reads the declarations without importing the model or the converter.
"""

from __future__ import annotations

from enum import StrEnum

import attrs


class ExtensionPlace(StrEnum):
    """Where an extension table may stand."""

    STRATEGY = "strategy"
    GRANT = "grant"
    INTERVENTION = "intervention"
    LOCAL_PARTNERSHIP = "local-partnership"


@attrs.frozen
class ExtensionSpec:
    """An extension a plugin claims: its name, the attrs class of its table, where it goes.

    ``shape`` is structured with vpp-core's converter: its fields are the keys of the
    ``[extensions.NAME]`` table, typed as the strategy's own (``Decimal`` money, dates).
    """

    name: str
    shape: type
    places: tuple[ExtensionPlace, ...] = (ExtensionPlace.STRATEGY,)
    description: str = ""
