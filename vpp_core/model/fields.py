"""Field metadata the reference pages and JSON Schemas are generated from."""

from __future__ import annotations

from typing import Any

DOC = "doc"
SCHEMA = "json_schema"


def doc(text: str, **schema: Any) -> dict[str, Any]:
    """Metadata for ``attrs.field``: what the field means, and any extra JSON Schema
    keywords (``pattern``, ``minimum``, ``examples``) its values must also meet."""
    return {DOC: text, SCHEMA: schema} if schema else {DOC: text}
