"""Lint many files, across worker processes when there are enough to pay for them.

Each worker process keeps its own `Linter` (and so its own cell cache) for its lifetime;
files are sent in chunks so the round trip and pickling costs are paid per chunk, not per
file. Nothing one file does can lose the batch:

- a file that fails to read becomes an error in the result;
- a file that crashes libcst's native parser kills only its worker
  (`jupyter_mllens.workers`): the worker is replaced, the chunk it was linting is linted
  again one file at a time, and exactly the crashing file becomes one error entry, "the
  linter crashed on this file (signal SIGSEGV)", which the CLI reports with exit status 2.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

from .discovery import Target
from .engine import Linter
from .findings import Finding, LintError, LintResult
from .workers import FilesJob, WorkerFailure, WorkerPool, failed

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16
_CHUNK = 8


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def lint_targets(
    targets: Sequence[Target],
    jobs: int | None = None,
    linter: Linter | None = None,
    progress: Callable[[int], None] | None = None,
) -> LintResult:
    """Lint `targets`; `progress(n)` is called as each n files finish (from any thread)."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(targets) < PARALLEL_THRESHOLD:
        in_process = linter or Linter()
        if progress is None:
            return _lint_chunk(list(targets), in_process)
        parts = []
        for target in targets:
            parts.append(_lint_chunk([target], in_process))
            progress(1)
        return LintResult(
            tuple(f for r in parts for f in r.findings),
            tuple(e for r in parts for e in r.errors),
            files=len(targets),
        )
    chunks = [tuple(targets[i : i + _CHUNK]) for i in range(0, len(targets), _CHUNK)]
    results: list[LintResult | None] = [None] * len(chunks)
    pending = iter(range(len(chunks)))
    claim = threading.Lock()

    def feed(pool: WorkerPool, slot: int) -> None:
        """One thread per worker: take the next chunk, lint it there, until none is left."""
        while True:
            with claim:
                index = next(pending, None)
            if index is None:
                return
            results[index] = _lint_on(pool, slot, chunks[index])
            if progress is not None:
                progress(len(chunks[index]))

    with WorkerPool(min(jobs, len(chunks))) as pool:
        threads = [
            threading.Thread(target=feed, args=(pool, slot), name=f"mllens-feed-{slot}")
            for slot in range(pool.size)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    findings: list[Finding] = []
    errors: list[LintError] = []
    for partial in results:
        assert partial is not None, "every chunk is linted by some thread"
        findings.extend(partial.findings)
        errors.extend(partial.errors)
    return LintResult(tuple(findings), tuple(errors), files=len(targets))


def _lint_on(pool: WorkerPool, slot: int, chunk: tuple[Target, ...]) -> LintResult:
    """Lint `chunk` on worker `slot`; after a crash, file by file, to find the culprit."""
    outcome = pool.run_on(slot, FilesJob(chunk))
    if not isinstance(outcome, WorkerFailure):
        return outcome
    if len(chunk) == 1:
        return failed(FilesJob(chunk), outcome, "file")
    singles = [_lint_on(pool, slot, (target,)) for target in chunk]
    return LintResult(
        tuple(f for r in singles for f in r.findings),
        tuple(e for r in singles for e in r.errors),
        files=len(chunk),
    )


def _lint_chunk(chunk: list[Target], linter: Linter) -> LintResult:
    return FilesJob(tuple(chunk)).run(linter)
