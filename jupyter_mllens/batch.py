"""Lint many files, across worker processes when there are enough to pay for them.

Each worker process keeps its own `Linter` (and so its own cell cache) for its lifetime;
files are sent in chunks so the round trip and pickling costs are paid per chunk, not per
file. Nothing one file does can lose the batch:

- a file that fails to read becomes an error in the result;
- a file that crashes libcst's native parser kills only its worker
  (`jupyter_mllens.workers`): the worker is replaced, the chunk it was linting is linted
  again one file at a time, and exactly the crashing file becomes one error entry, "the
  linter crashed on this file (signal SIGSEGV)", which the CLI reports with exit status 2;
- with a per-file `timeout`, a chunk that overruns its budget (the timeout per file in it)
  is stopped the same way and re-linted file by file, so only the file that overruns its
  own limit becomes an error, "linting took longer than 60 s and was stopped". A run with a
  timeout always lints in worker processes: only a process can be stopped.

With a `ResultCache`, each file is read once, here, and looked up; only the misses are
linted, from the bytes that were hashed (so an edit racing the run can never store one
version's findings under another's key), and their results are stored afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cpus import available_cpus
from .discovery import Target
from .findings import Finding, LintError, LintResult
from .gc_policy import batch_gc

# The engine (libcst) and the worker pool are imported when a file has to be linted, so a
# run served entirely from the cache (pre-commit on unchanged notebooks) never loads them.
if TYPE_CHECKING:
    from .cache import ResultCache
    from .engine import Linter
    from .workers import WorkerPool

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16
_CHUNK = 8


def default_jobs() -> int:
    return available_cpus()


def lint_targets(
    targets: Sequence[Target],
    jobs: int | None = None,
    linter: Linter | None = None,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
    timeout: float | None = None,
) -> LintResult:
    """Lint `targets`; `progress(n)` is called as each n files finish (from any thread).

    Files found in `cache` count as finished too. No worker process is started unless
    some file has to be linted. `timeout` bounds each file, in seconds.
    """
    parts = iter_results(targets, jobs, linter, progress, cache, timeout)
    return joined(list(parts), len(targets))


def iter_results(
    targets: Sequence[Target],
    jobs: int | None = None,
    linter: Linter | None = None,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
    timeout: float | None = None,
) -> Iterator[LintResult]:
    """`lint_targets`, streamed: the results of consecutive runs of files, in target order.

    A part is yielded as soon as it and every part before it are done, so a caller that
    writes each part out (JSON Lines) holds only the parts still out of order, whatever the
    size of the run. Closing the iterator early stops the workers.
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if timeout is None and (jobs == 1 or len(targets) < PARALLEL_THRESHOLD):
        yield from _lint_here(targets, linter, progress, cache)
        return
    if not targets:
        return
    from .workers import FilesJob, WorkerPool, lint_within

    chunks = [tuple(targets[i : i + _CHUNK]) for i in range(0, len(targets), _CHUNK)]
    results: dict[int, LintResult] = {}
    pending = iter(range(len(chunks)))
    done = threading.Condition()
    stopping = threading.Event()

    def feed(pool: WorkerPool, slot: int) -> None:
        """One thread per worker: take the next chunk, lint it there, until none is left."""
        while not stopping.is_set():
            with done:
                index = next(pending, None)
            if index is None:
                return
            chunk = chunks[index]
            if cache is None:
                result = lint_within(pool, slot, FilesJob(chunk), timeout)
                if progress is not None:
                    progress(len(chunk))
            else:
                result = _through_cache(
                    chunk,
                    cache,
                    lambda misses: lint_within(pool, slot, ContentsJob(misses), timeout),
                    progress,
                )
            with done:
                results[index] = result
                done.notify_all()

    with WorkerPool(min(jobs, len(chunks))) as pool:
        threads = [
            threading.Thread(target=feed, args=(pool, slot), name=f"mllens-feed-{slot}")
            for slot in range(pool.size)
        ]
        for thread in threads:
            thread.start()
        try:
            for index in range(len(chunks)):
                with done:
                    while index not in results:
                        done.wait()
                    part = results.pop(index)
                yield part
        finally:
            stopping.set()
            for thread in threads:
                thread.join()


@dataclass(frozen=True)
class Contents:
    """A file to lint from bytes already read (and hashed) by the parent."""

    target: Target
    data: bytes


@dataclass(frozen=True)
class ContentsJob:
    """Lint files from their bytes (cache misses); one result per file, as `FilesJob`."""

    items: tuple[Contents, ...]

    def names(self) -> Sequence[str]:
        return tuple(item.target.shown for item in self.items)

    def run(self, linter: Linter) -> LintResult:
        parts = [
            linter.lint_bytes(item.data, item.target.path, item.target.shown, item.target.config)
            for item in self.items
        ]
        return joined(parts, len(parts))

    def alone(self) -> Iterator[ContentsJob]:
        for item in self.items:
            yield ContentsJob((item,))


def _lint_here(
    targets: Sequence[Target],
    linter: Linter | None,
    progress: Callable[[int], None] | None,
    cache: ResultCache | None,
) -> Iterator[LintResult]:
    """Lint in this process (few files, or `--jobs 1`), file by file; a `Linter` only if needed."""
    made: list[Linter] = [] if linter is None else [linter]

    def in_process() -> Linter:
        if not made:
            from .engine import Linter

            made.append(Linter())
        return made[0]

    with batch_gc():
        if cache is not None:
            for target in targets:
                yield _through_cache(
                    (target,), cache, lambda misses: ContentsJob(misses).run(in_process()), progress
                )
            return
        from .workers import FilesJob

        for target in targets:
            yield FilesJob((target,)).run(in_process())
            if progress is not None:
                progress(1)


def _through_cache(
    chunk: tuple[Target, ...],
    cache: ResultCache,
    lint: Callable[[tuple[Contents, ...]], LintResult],
    progress: Callable[[int], None] | None,
) -> LintResult:
    """`chunk`'s results, from the cache where it has them; the rest linted and stored."""
    from .cache import Miss

    parts: list[LintResult | None] = [None] * len(chunk)
    misses: list[tuple[int, Miss]] = []
    for index, target in enumerate(chunk):
        found = cache.lookup(target)
        if isinstance(found, Miss):
            misses.append((index, found))
        else:
            parts[index] = found
    if progress is not None and len(misses) < len(chunk):
        progress(len(chunk) - len(misses))
    if misses:
        linted = lint(tuple(Contents(miss.target, miss.data) for _, miss in misses))
        by_path = split_by_path(linted)
        for index, miss in misses:
            part = by_path.get(miss.target.shown, LintResult(files=1))
            cache.store(miss.key, part)  # a result with error entries is never stored
            parts[index] = part
        if progress is not None:
            progress(len(misses))
    return joined([part for part in parts if part is not None], len(chunk))


def split_by_path(result: LintResult) -> dict[str, LintResult]:
    """Split a chunk's result by file: every finding and error names the file it is about."""
    findings: dict[str, list[Finding]] = {}
    errors: dict[str, list[LintError]] = {}
    for finding in result.findings:
        findings.setdefault(finding.path, []).append(finding)
    for error in result.errors:
        errors.setdefault(error.path, []).append(error)
    return {
        path: LintResult(tuple(findings.get(path, ())), tuple(errors.get(path, ())), files=1)
        for path in {*findings, *errors}
    }


def joined(parts: Sequence[LintResult], files: int) -> LintResult:
    return LintResult(
        tuple(f for r in parts for f in r.findings),
        tuple(e for r in parts for e in r.errors),
        files=files,
    )
