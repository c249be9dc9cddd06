"""Pausing Python's cyclic garbage collector around allocation-heavy, cycle-free work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic GC off (restored after).

    Loading 100k items or building 400k findings allocates millions of objects that form no
    cycles, yet each automatic collection would rescan everything already loaded: pausing
    it halves the time of those steps.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
