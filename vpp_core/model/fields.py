"""Field metadata the reference pages and JSON Schemas are generated from, and the
``[extensions.NAME]`` tables a strategy, a grant, an intervention or a local partnership
may carry."""

from __future__ import annotations

from typing import Any, NewType

#: Local data by extension name: the TOML table as read until a plugin claims the
#: extension, then an instance of the attrs class the plugin declared.
Extensions = NewType("Extensions", dict[str, Any])

DOC = "doc"
SCHEMA = "json_schema"
#: The type a field is read as from TOML, where it differs from the field's own (a
#: reference is read as one table, then becomes one of two classes).
SHAPE = "toml_shape"


def doc(text: str, **schema: Any) -> dict[str, Any]:
    """Metadata for ``attrs.field``: what the field means, and any extra JSON Schema
    keywords (``pattern``, ``minimum``, ``examples``) its values must also meet."""
    return {DOC: text, SCHEMA: schema} if schema else {DOC: text}



def no_extensions() -> Extensions:
    return Extensions({})


#: The ``extensions`` field's metadata, for every class that may carry local data.
EXTENSIONS_DOC = doc("local data: one [extensions.NAME] table per extension, each claimed by "
                     "the plugin that declares its shape")
