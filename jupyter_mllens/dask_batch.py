"""Lint a batch on a Dask cluster: `mllens check --executor dask [--scheduler ADDRESS]`.

The files are cut into chunks, one Dask task each, and the results come back in chunk
order whatever order the tasks finish in, so a run's report is the same on any cluster.

- **What a task carries.** Local files are read here (a cluster's workers need not share
  our disk) and travel as bytes; remote files (fsspec URLs) travel as their URL and are
  read by the worker, unless the result cache needs their bytes here to hash them.
- **Memory stays bounded.** Only a few chunks per worker thread are in flight; the next
  chunk is read when one comes back.
- **Warm workers.** Each worker thread keeps one `Linter` (and its cell cache) for the life
  of its process, as the local worker pool does.
- **Nothing lost, nothing twice.** A worker that dies mid-task (libcst's native parser
  crashing on a hostile cell, or a machine lost) is handled by Dask: its tasks run again
  elsewhere. A task that keeps killing workers ends as `KilledWorker`; its chunk is then
  linted again one file per task, and a file that still ends so after being sent again on
  its own (Dask also counts the tasks that merely waited on a dying worker) becomes one error
  entry. Each chunk's result is taken once, from its own future, so a task Dask had to run
  twice is still reported once.
- **Time limits.** With a timeout, each Dask worker thread lints in a long-lived child
  process of its own (`run_task`), killed and replaced when a task overruns its budget (the
  timeout per file in it); the chunk is then linted again file by file there, so only the
  file that overruns its own limit becomes an error, worded as in a local run. The Dask
  worker is never the one stalled, so it stays in the cluster and takes the next task. A
  native crash then kills only that child too: the file is one error entry at once, as in
  a local run, and Dask's retries are left for workers that die for other reasons.

With no `--scheduler`, a `distributed.LocalCluster` of `--jobs` worker processes is started
for the run and closed after it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .batch import Contents, ContentsJob, joined, split_by_path
from .discovery import Target
from .findings import LintError, LintResult
from .reader import InputError

if TYPE_CHECKING:
    from .cache import ResultCache
    from .engine import Linter
    from .workers import WorkerPool

#: Files per task: enough to amortise a task's scheduling cost (about 1 ms), few enough
#: that a cluster of many workers gets work quickly.
CHUNK = 8
#: Times a file alone is sent again after `KilledWorker` before it is reported as the
#: file that crashes the linter.
SINGLE_FILE_RETRIES = 2
#: Chunks kept in flight per worker thread, so a worker never waits for the next one.
IN_FLIGHT_PER_THREAD = 2


class DaskUnavailable(Exception):
    """The cluster cannot be used at all (not installed, unreachable); the run stops."""


@dataclass(frozen=True)
class DaskTask:
    """One chunk's files to lint on a worker: bytes read by the client, or remote URLs."""

    contents: tuple[Contents, ...]
    remote: tuple[Target, ...]

    def names(self) -> Sequence[str]:
        return (
            *(item.target.shown for item in self.contents),
            *(target.shown for target in self.remote),
        )

    def alone(self) -> Iterator[DaskTask]:
        """This task's files, one task each (to find the one that kills workers)."""
        for item in self.contents:
            yield DaskTask((item,), ())
        for target in self.remote:
            yield DaskTask((), (target,))

    def run(self, linter: Linter) -> LintResult:
        from .workers import FilesJob

        linted = ContentsJob(self.contents).run(linter)
        if not self.remote:
            return linted
        fetched = FilesJob(self.remote).run(linter)
        return LintResult(
            linted.findings + fetched.findings,
            linted.errors + fetched.errors,
            files=linted.files + fetched.files,
        )


_worker_state = threading.local()


def run_task(task: DaskTask, timeout: float | None = None) -> LintResult:
    """What a Dask worker runs: the task, with this worker thread's warm `Linter`.

    With a `timeout` (seconds per file) the task is linted in this thread's own worker
    process instead (see `_isolated`), so the Dask worker itself never stalls.
    """
    if timeout is not None:
        from .workers import lint_within

        return lint_within(_isolated(), 0, task, timeout)
    from .workers import FAULTS_ENV, inject_fault

    if os.environ.get(FAULTS_ENV) == "1":
        inject_fault(task)
    linter = getattr(_worker_state, "linter", None)
    if linter is None:
        from .engine import Linter

        linter = _worker_state.linter = Linter()
    return task.run(linter)


def _isolated() -> WorkerPool:
    """This Dask worker thread's pool of one long-lived lint process, for timed runs.

    A stall in libcst's native parser holds the GIL and cannot be interrupted in the thread
    that runs it; a process can always be killed. So a timed task is sent to a child process,
    which `WorkerPool` kills at the deadline and replaces: the task then returns the overrun
    as an error entry and the Dask worker, never blocked, goes on with its next task. The
    child lives as long as the Dask worker (not one per task), so its `Linter` and cell cache
    stay warm and a task pays no process start-up; only an overrun or a crash costs a new
    one. A crash there, too, costs the child only: the Dask worker and the tasks queued on it
    are untouched, and the file is reported as a local run reports it.
    """
    pool = getattr(_worker_state, "pool", None)
    if pool is None:
        from .workers import WorkerPool

        pool = _worker_state.pool = WorkerPool(1)
    return pool


def lint_on_dask(
    targets: Sequence[Target],
    *,
    scheduler: str | None,
    workers: int,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
    timeout: float | None = None,
) -> LintResult:
    """Lint `targets` on the cluster at `scheduler`, or on a local cluster of `workers`.

    `timeout` bounds each file, in seconds, as for local worker processes.
    """
    parts = iter_on_dask(
        targets,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        cache=cache,
        timeout=timeout,
    )
    return joined(list(parts), len(targets))


def iter_on_dask(
    targets: Sequence[Target],
    *,
    scheduler: str | None,
    workers: int,
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
    timeout: float | None = None,
) -> Iterator[LintResult]:
    """`lint_on_dask`, streamed: each chunk's result in chunk order (see `stream`)."""
    with _connected(scheduler, workers) as client:
        yield from stream(client, targets, progress, cache, timeout)


class _Chunk:
    """One chunk's files: each slot filled by a cache hit, a read error or a task's result."""

    def __init__(self, size: int) -> None:
        self.slots: list[LintResult | None] = [None] * size
        self.keys: dict[int, str] = {}  # slot -> cache key, for results to store
        self.positions: dict[str, int] = {}  # file name -> slot, for results coming back
        self.outstanding = 0

    def fill(self, result: LintResult, names: Sequence[str]) -> None:
        by_name = split_by_path(result)
        for name in names:
            self.slots[self.positions[name]] = by_name.get(name, LintResult(files=1))

    def result(self) -> LintResult:
        return joined([slot for slot in self.slots if slot is not None], len(self.slots))


def stream(
    client: Any,
    targets: Sequence[Target],
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
    timeout: float | None = None,
) -> Iterator[LintResult]:
    """Each chunk's result, in chunk order, as soon as it and all before it are done.

    With a `timeout`, a file that overruns it is one error entry (see `run_task`).
    """
    from distributed import KilledWorker, as_completed

    chunks = [tuple(targets[i : i + CHUNK]) for i in range(0, len(targets), CHUNK)]
    threads = sum(client.nthreads().values()) or 1
    limit = max(2, IN_FLIGHT_PER_THREAD * threads)
    states: dict[int, _Chunk] = {}
    owners: dict[Any, tuple[int, DaskTask, int]] = {}  # future -> chunk, task, attempt
    running = as_completed()
    submitted = 0
    emitted = 0

    def submit(index: int, task: DaskTask, attempt: int = 0) -> None:
        future = client.submit(run_task, task, timeout, pure=False)
        owners[future] = (index, task, attempt)
        states[index].outstanding += 1
        running.add(future)

    def start_next() -> None:
        nonlocal submitted
        index = submitted
        submitted += 1
        state, task = _prepare(chunks[index], cache)
        states[index] = state
        if task.names():
            submit(index, task)
        elif progress is not None:
            progress(len(chunks[index]))

    def finished(index: int) -> bool:
        return index in states and states[index].outstanding == 0

    while submitted < len(chunks) and len(owners) < limit:
        start_next()
    while emitted < len(chunks):
        while emitted < submitted and finished(emitted):
            state = states.pop(emitted)
            if cache is not None:
                for slot, key in state.keys.items():
                    stored = state.slots[slot]
                    if stored is not None:
                        cache.store(key, stored)  # a result with errors is never stored
            yield state.result()
            emitted += 1
        if emitted == len(chunks):
            break
        if not owners:  # every submitted chunk is done: read and send the next one
            start_next()
            continue
        future = next(running)
        index, task, attempt = owners.pop(future)
        state = states[index]
        state.outstanding -= 1
        try:
            outcome: LintResult = future.result()
        except KilledWorker:
            future.release()
            if len(task.names()) > 1:
                for single in task.alone():
                    submit(index, single)
                continue
            if attempt < SINGLE_FILE_RETRIES:
                # Dask also blames the tasks that merely waited on a dying worker: a file is
                # the culprit only when it keeps killing workers on its own.
                submit(index, task, attempt + 1)
                continue
            message = "the linter crashed on this file (it killed the Dask workers that ran it)"
            outcome = _errors(task, message)
        except Exception as exc:  # a task that cannot run there: each of its files says why
            outcome = _errors(task, f"the linter could not run on the Dask cluster ({exc})")
        else:
            future.release()
        state.fill(outcome, task.names())
        if progress is not None:
            progress(len(task.names()))
        while submitted < len(chunks) and len(owners) < limit:
            start_next()


def _prepare(chunk: tuple[Target, ...], cache: ResultCache | None) -> tuple[_Chunk, DaskTask]:
    """Read the chunk's files (through the cache, if any) into a task and what is known."""
    from .cache import Miss

    state = _Chunk(len(chunk))
    contents: list[Contents] = []
    remote: list[Target] = []
    for slot, target in enumerate(chunk):
        if cache is not None:
            found = cache.lookup(target)
            if isinstance(found, Miss):
                state.keys[slot] = found.key
                contents.append(Contents(target, found.data))
            else:
                state.slots[slot] = found
                continue
        elif target.url is not None:
            remote.append(target)
        else:
            try:
                contents.append(Contents(target, target.read()))
            except InputError as exc:
                state.slots[slot] = LintResult(errors=(LintError(target.shown, str(exc)),), files=1)
                continue
        state.positions[target.shown] = slot
    return state, DaskTask(tuple(contents), tuple(remote))


def _errors(task: DaskTask, message: str) -> LintResult:
    names = task.names()
    return LintResult(errors=tuple(LintError(name, message) for name in names), files=len(names))


class _connected:
    """A client for the run: to `scheduler`, or to a local cluster made (and closed) here."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self._scheduler = scheduler
        self._workers = workers
        self._cluster: Any = None
        self._client: Any = None

    def __enter__(self) -> Any:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise DaskUnavailable(
                "--executor dask needs distributed: pip install 'jupyter_mllens[dask]'"
            ) from None
        try:
            if self._scheduler is None:
                self._cluster = LocalCluster(
                    n_workers=self._workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self._scheduler)
        except (OSError, TimeoutError, ValueError) as exc:
            self._close()
            where = self._scheduler or "a local cluster"
            raise DaskUnavailable(
                f"cannot connect to the Dask scheduler at {where}: {exc}"
            ) from None
        return self._client

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def _close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
