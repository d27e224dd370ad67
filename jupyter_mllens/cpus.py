"""How many CPUs this process may use: the default size of every pool the linter starts.

Kept apart from `batch` so the command line can show it in `--help` without importing the
engine.
"""

from __future__ import annotations

import os


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)
