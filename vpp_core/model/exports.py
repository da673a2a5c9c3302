"""A package's public names imported on first use (PEP 562): ``vpp_core``'s and the model's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import Any


def import_public(namespace: dict[str, Any], public: Mapping[str, Sequence[str]],
                  name: str) -> Any:
    """``name`` from the module of ``public`` (module → names) that holds it, kept in the
    package's ``namespace`` so that it is imported once: a package's ``__getattr__``."""
    for module, names in public.items():
        if name in names:
            value = namespace[name] = getattr(import_module(module), name)
            return value
    raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
