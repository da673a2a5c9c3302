"""Pausing Python's cyclic garbage collector while objects that live on are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused in this process while the block runs.

    For work that makes many objects that live on and little garbage: start-up (modules,
    classes, plugins), or a batch's reports arriving from its workers. With the collector
    on, each collection traverses every such object made so far, again and again.

    At the end, what was made meanwhile goes to the collector's oldest generation (through
    ``gc.freeze`` and ``gc.unfreeze``), which it traverses rarely: otherwise its first
    collection after the pause would traverse all of it as young objects. Garbage among
    those objects is collected later, not lost. Skipped if the caller keeps objects frozen
    itself; the collector is left as it was found (on or off).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
