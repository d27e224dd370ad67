"""Garbage-collector settings for linting many notebooks in one process.

Parsing a cell allocates thousands of libcst nodes, and the cell cache keeps thousands of
trees alive. With CPython's default thresholds (700, 10, 10) the collector runs a
young-generation pass every 700 allocations and, every 70,000, re-traverses the cached
trees, none of which are garbage: on 2,236 real notebooks linted in one process that is
a quarter of the CPU time (`benchmarks/README.md`, "Where the time goes").

A batch therefore raises the young thresholds and moves everything alive before the batch
(the imported linter, its catalog and compiled patterns) out of the collector's sight
(`gc.freeze`). Reference cycles made while linting (a few hundred thousand objects per
corpus) are still collected by the young passes, so memory stays flat; only the rare full
passes over the long-lived heap are deferred.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Young passes every 20,000 net allocations, the middle one every 20 of those, and a
#: full pass after 100 middle ones (40 million allocations).
BATCH_THRESHOLDS = (20_000, 20, 100)


def tune_for_batch() -> None:
    """For a process that exists to lint (a worker): batch settings for its whole life."""
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLDS)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Batch settings while the block runs in a process that is not only ours (CLI, API)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()
