"""Plugin code run in vpp's own process may not end it without a word, nor print into what
vpp writes on standard output (a JSON report, a graph)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from typing import NoReturn


class ProcessExitRefused(Exception):
    """Plugin code called ``os._exit`` while vpp ran it in its own process."""


@contextmanager
def process_exit_refused() -> Iterator[None]:
    """While the block runs, ``os._exit(status)`` raises :class:`ProcessExitRefused` instead
    of ending vpp with no report, and what the plugin prints goes to standard error. A guard
    against mistakes, not malice: a plugin is trusted code, and one that calls
    ``posix._exit`` itself is not stopped."""
    real = os._exit

    def refuse(status: int) -> NoReturn:
        raise ProcessExitRefused(f"the plugin called os._exit({status})")

    setattr(os, "_exit", refuse)  # noqa: B010 (mypy refuses assigning to a function)
    try:
        with redirect_stdout(sys.stderr):
            yield
    finally:
        setattr(os, "_exit", real)  # noqa: B010
