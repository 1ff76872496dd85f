"""Pause Python's cyclic garbage collector while a batch of strings is matched.

Matching a new string makes dozens of small tuples and keeps the results in caches of tens of
thousands of entries. None of them form reference cycles, so the cyclic collector never finds
anything to free, yet each of its full passes walks every cached object: on a batch of
all-new strings that was about a fifth of the matching time. Reference counting still frees
everything as usual while the collector is paused; it is switched back on afterwards, since
other code in the process may rely on it.

Restarting it has a cost too: everything a batch left in the caches is young when the
collector comes back, so its next passes walk it all. A process that does nothing but match
a long stream in batches (the `supplychain match` commands) holds `collector_paused()`
around the whole stream; the batches inside it then leave the collector alone.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, and restore it (if it was on)."""
    if not gc.isenabled():  # already paused, by an enclosing batch or by the caller
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
