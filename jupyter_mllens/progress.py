"""A progress bar for long batch runs: on a terminal only, and only once a run is slow.

Short runs (pre-commit, one notebook) must print nothing extra, and logs (piped output,
CI) must not fill with redraws, so the bar appears only when stderr is a terminal, `CI` is
not set, and the run has already taken longer than `delay` seconds. It is drawn with rich
on stderr, transient (gone when the run ends), so stdout carries only the report.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from .terminal import is_terminal

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID


def wanted(stream: TextIO | None = None, quiet: bool = False) -> bool:
    """Whether a progress bar may be shown on `stream` (stderr by default)."""
    stream = stream if stream is not None else sys.stderr
    return not quiet and not os.environ.get("CI") and is_terminal(stream)


class ProgressBar:
    """Counts finished files; thread-safe, so pool feeder threads can report directly."""

    def __init__(
        self,
        total: int,
        enabled: bool,
        delay: float = 1.0,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.delay = delay
        self.stream = stream
        self.clock = clock
        self.done = 0
        self.started = clock()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None
        self._lock = threading.Lock()

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def advance(self, files: int = 1) -> None:
        with self._lock:
            self.done += files
            if not self.enabled:
                return
            if self._bar is None and self.clock() - self.started >= self.delay:
                self._start()
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, completed=self.done)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        console = Console(file=self.stream if self.stream is not None else sys.stderr)
        self._bar = Progress(
            "[progress.description]linting",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("lint", total=self.total, completed=self.done)

    def close(self) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.stop()
                self._bar = None
