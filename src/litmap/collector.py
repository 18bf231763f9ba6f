"""Pausing Python's cyclic garbage collector while many objects are made (loading, indexing, grouping).

Each collection re-scans every live object, so loading 100k papers with it running takes about
three times as long, and the full collection that comes later costs as much again. Nothing made
while loading is cyclic garbage. A short-lived process (the CLI: one command, then exit) also moves
what it made out of the collector's sight for good (``gc.freeze``); a long-lived program using
litmap as a library keeps its collector as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_short_lived = [False]


def short_lived_process() -> None:
    """Declare that this process ends after one command (the CLI does): loaded objects may be frozen."""
    _short_lived[0] = True


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while many objects are made (in a short-lived
    process, freeze them afterwards so that no later collection scans them again)."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _short_lived[0]:
            gc.freeze()
        if enabled:
            gc.enable()
