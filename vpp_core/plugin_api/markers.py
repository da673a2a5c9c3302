"""The hook markers plugins use: ``@hookimpl`` on functions named after a hook."""

from __future__ import annotations

import pluggy

PROJECT = "vpp"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
