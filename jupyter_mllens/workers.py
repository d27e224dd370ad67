"""Lint in long-lived worker processes, so native-code crashes and stalls stay contained.

libcst's parser is native code that runs on untrusted input: a hostile cell can overflow
its stack (SIGSEGV) or keep it busy for minutes while it holds the GIL. Neither may take
down the process that asked for the lint (the user's Jupyter server, a CLI run with a
thousand other files to report on, or a Dask worker in a timed run). So the work runs in a
small pool of worker processes:

- each worker keeps one `Linter` for its lifetime, so its cell cache stays warm;
- a caller sends a job over a pipe and waits with an optional time limit;
- a worker that dies or overruns is killed and replaced, and the caller gets a
  `WorkerFailure` (or, through `WorkerPool.lint`, one `LintError` in the usual
  `LintResult`), never an exception or a hang;
- the same key (a notebook's path) always goes to the same worker, so a re-lint after a
  one-cell edit finds the other cells already analysed.

Workers come from multiprocessing's "forkserver" context where it exists (a clean
single-threaded process forks them, which is safe from the multi-threaded Jupyter server and
makes a replacement cost milliseconds instead of an interpreter start-up), else "spawn".
They never outlive their parent: a closed pipe ends a worker's loop, and on Linux the
kernel kills a worker whose parent (the fork server, which exits with the process that
started it) has gone.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path, PurePosixPath
from typing import Literal, Protocol

from .config import Config
from .discovery import Target
from .engine import Linter
from .findings import Finding, LintError, LintResult
from .gc_policy import tune_for_batch
from .reader import InputError

#: Test seam. When this variable is "1" in the environment of the process that creates a
#: pool, its workers crash (SIGSEGV) on a file or notebook whose name starts with
#: `CRASH_MARKER` and sleep on one whose name starts with `HANG_MARKER`, so tests exercise
#: the crash and time-limit paths without depending on which inputs crash libcst today.
#: A request body alone can never turn it on: it is read from the server's environment.
FAULTS_ENV = "MLLENS_WORKER_FAULTS"
CRASH_MARKER = "mllens-test-crash"
HANG_MARKER = "mllens-test-hang"


@dataclass(frozen=True)
class WorkerFailure:
    """Why a job produced no result: its worker crashed, overran its time limit, or never ran."""

    kind: Literal["crash", "timeout", "unavailable"]
    detail: str

    def message(self, noun: str) -> str:
        """One sentence for an error entry, `noun` being "file" or "notebook"."""
        if self.kind == "crash":
            return f"the linter crashed on this {noun} ({self.detail})"
        if self.kind == "timeout":
            return f"linting took longer than {self.detail} and was stopped"
        return f"the linter could not run ({self.detail})"


class Job(Protocol):
    """Work a worker can do with its `Linter`; must be picklable."""

    def names(self) -> Sequence[str]:
        """The paths the job lints, for error entries and the test seam."""
        ...

    def run(self, linter: Linter) -> LintResult: ...


class Divisible(Job, Protocol):
    """A job over several files that can be cut into one job per file (to find the culprit)."""

    def alone(self) -> Iterator[Divisible]: ...


@dataclass(frozen=True)
class NotebookJob:
    """Lint notebook JSON sent by a client (the server's unsaved-edits case).

    `body` is a JSON object holding the notebook under `"notebook"` (the request body as
    received), so nothing deeply nested has to be pickled: bytes always pickle, and the
    worker does the decoding, where a `RecursionError` costs nobody anything.
    """

    path: str
    body: bytes
    config: Config
    location: Path

    def names(self) -> Sequence[str]:
        return (self.path,)

    def run(self, linter: Linter) -> LintResult:
        try:
            data = json.loads(self.body)
        except (ValueError, RecursionError):
            data = None
        notebook = data.get("notebook") if isinstance(data, dict) else None
        if not isinstance(notebook, dict):
            message = "not a Jupyter notebook (the JSON is nested too deeply or not an object)"
            return LintResult(errors=(LintError(self.path, message),), files=1)
        return linter.lint_notebook(notebook, self.path, self.config, self.location)


@dataclass(frozen=True)
class FilesJob:
    """Lint files on disk (the CLI's batches)."""

    targets: tuple[Target, ...]

    def names(self) -> Sequence[str]:
        return tuple(target.shown for target in self.targets)

    def run(self, linter: Linter) -> LintResult:
        findings: list[Finding] = []
        errors: list[LintError] = []
        for target in self.targets:
            if target.url is None:
                result = linter.lint_file(target.path, target.shown, target.config)
            else:
                result = _lint_remote(linter, target)
            findings.extend(result.findings)
            errors.extend(result.errors)
        return LintResult(tuple(findings), tuple(errors), files=len(self.targets))

    def alone(self) -> Iterator[FilesJob]:
        for target in self.targets:
            yield FilesJob((target,))


def _lint_remote(linter: Linter, target: Target) -> LintResult:
    """A remote file, read here (in the worker, so a slow store stalls only this worker)."""
    try:
        data = target.read()
    except InputError as exc:
        return LintResult(errors=(LintError(target.shown, str(exc)),), files=1)
    return linter.lint_bytes(data, target.path, target.shown, target.config)


def failed(job: Job, failure: WorkerFailure, noun: str) -> LintResult:
    """The result a failed job stands for: one error entry per path it was linting."""
    names = job.names()
    errors = tuple(LintError(name, failure.message(noun)) for name in names)
    return LintResult(errors=errors, files=len(names))


def lint_within(pool: WorkerPool, slot: int, job: Divisible, timeout: float | None) -> LintResult:
    """`job` on worker `slot`, within `timeout` seconds per file it holds (None: no limit).

    After a crash or an overrun its files are linted again one job each, so exactly the file
    to blame becomes an error entry and its neighbours keep their results. The budget is per
    file so that a chunk of healthy files never overruns where each alone would not.
    """
    names = job.names()
    budget = None if timeout is None else timeout * len(names)
    outcome = pool.run_on(slot, job, budget)
    if not isinstance(outcome, WorkerFailure):
        return outcome
    if len(names) <= 1:
        return failed(job, outcome, "file")
    parts = [lint_within(pool, slot, single, timeout) for single in job.alone()]
    return LintResult(
        tuple(finding for part in parts for finding in part.findings),
        tuple(error for part in parts for error in part.errors),
        files=len(names),
    )


def default_context() -> BaseContext:
    """Forkserver where the platform has it (Linux, macOS), else spawn; never plain fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Import the engine once in the fork server, so a worker starts in milliseconds.
        # (Only effective before the fork server starts; harmless afterwards.) As with any
        # multiprocessing start method but fork, a worker also re-imports the parent's main
        # script, if it was started from one, so that script needs a `__main__` guard.
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """A fixed number of worker processes, each with its own warm `Linter`.

    Thread-safe: each worker serves one job at a time, callers for the same worker queue
    on its lock. `timeout` (seconds, None for no limit) bounds one job, counted from the
    moment it is sent, so waiting behind another job does not eat into it.
    """

    def __init__(
        self,
        size: int,
        timeout: float | None = None,
        *,
        context: BaseContext | None = None,
        faults: bool | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.timeout = timeout
        self._context = context or default_context()
        enabled = os.environ.get(FAULTS_ENV) == "1" if faults is None else faults
        self._workers = [_Worker(self._context, enabled) for _ in range(size)]
        self._closed = False

    @property
    def size(self) -> int:
        return len(self._workers)

    def start(self) -> None:
        """Start every worker that is not running (blocking: the first start boots the fork server).

        A worker that cannot start is left for the first job sent to it, which reports why.
        """
        for worker in self._workers:
            with worker.lock:
                if self._closed:
                    return
                try:
                    worker.ensure_started()
                except (OSError, RuntimeError, ValueError):
                    continue

    def start_in_background(self) -> threading.Thread:
        """`start` in a daemon thread, so a server's start-up does not wait for it."""
        thread = threading.Thread(target=self.start, name="mllens-workers-start", daemon=True)
        thread.start()
        return thread

    def slot_for(self, key: str) -> int:
        """The worker `key` always goes to: a stable hash, the same in every process."""
        return zlib.crc32(key.encode("utf-8", "surrogatepass")) % len(self._workers)

    def run(self, key: str, job: Job) -> LintResult | WorkerFailure:
        """Run `job` on the worker for `key`; a `WorkerFailure` if it crashed or overran."""
        return self.run_on(self.slot_for(key), job)

    def run_on(
        self, slot: int, job: Job, timeout: float | None = None
    ) -> LintResult | WorkerFailure:
        """Run `job` on worker `slot`, within `timeout` seconds if given, else the pool's."""
        worker = self._workers[slot]
        with worker.lock:
            if self._closed:
                return WorkerFailure("unavailable", "the linter is shutting down")
            limit = self.timeout if timeout is None else timeout
            return worker.call(job, limit, replace=lambda: not self._closed)

    def lint(self, key: str, job: Job, noun: str = "notebook") -> LintResult:
        """`run`, with a failure turned into error entries: never raises (nor hangs, with a timeout)."""
        outcome = self.run(key, job)
        return failed(job, outcome, noun) if isinstance(outcome, WorkerFailure) else outcome

    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and diagnostics)."""
        return [pid for worker in self._workers if (pid := worker.pid()) is not None]

    def close(self) -> None:
        """Stop every worker now; jobs in flight get a `WorkerFailure`. Idempotent."""
        self._closed = True
        for worker in self._workers:
            worker.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _Worker:
    """One worker process and the parent's end of its pipe; used under `lock`."""

    def __init__(self, context: BaseContext, faults: bool) -> None:
        self.lock = threading.Lock()
        self._context = context
        self._faults = faults
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._discard()
        parent_end, child_end = self._context.Pipe(duplex=True)
        die_with_parent = self._context.get_start_method() == "forkserver"
        process = self._context.Process(  # type: ignore[attr-defined]  # typeshed: BaseContext lacks Process
            target=_serve,
            args=(child_end, self._faults, die_with_parent),
            name="mllens-worker",
            daemon=True,
        )
        _start(process)
        child_end.close()  # so the parent sees EOF when the worker dies
        self._process, self._conn = process, parent_end

    def call(
        self, job: Job, timeout: float | None, replace: Callable[[], bool]
    ) -> LintResult | WorkerFailure:
        try:
            self.ensure_started()
        except (OSError, RuntimeError, ValueError) as exc:  # no fork server, no fds, ...
            return WorkerFailure("unavailable", f"cannot start a worker process: {exc}")
        conn, process = self._conn, self._process
        assert conn is not None
        assert process is not None
        try:
            conn.send(job)
        except (OSError, EOFError):
            failure = self._crash(process)
            self._restart(replace)
            return failure
        except Exception as exc:  # the job did not pickle: nothing was sent, the worker is fine
            return WorkerFailure("unavailable", f"cannot send the job ({type(exc).__name__})")
        try:
            ready = conn.poll(timeout)
            if ready:
                result: LintResult = conn.recv()
                return result
        except (OSError, EOFError):
            failure = self._crash(process)
        else:
            failure = WorkerFailure("timeout", f"{timeout:g} s")
        self._restart(replace)
        return failure

    @staticmethod
    def _crash(process: BaseProcess) -> WorkerFailure:
        process.join(2)
        return WorkerFailure("crash", _describe_exit(process.exitcode))

    def _restart(self, replace: Callable[[], bool]) -> None:
        """Kill what is left of the worker; start a fresh one unless the pool is closing."""
        self._discard()
        if replace():
            try:
                self.ensure_started()
            except (OSError, RuntimeError, ValueError):  # the next call tries again, reports it
                self._discard()

    def _discard(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        """Kill the worker (unblocking a caller waiting on it); close the pipe if idle."""
        process = self._process
        if process is not None and process.is_alive():
            process.kill()
        if self.lock.acquire(timeout=10):
            try:
                self._discard()
            finally:
                self.lock.release()


#: Held while a worker starts: `_start` changes a flag that is the whole process's.
_START_LOCK = threading.Lock()


def _start(process: BaseProcess) -> None:
    """Start a worker, also from a daemonic process (a Dask worker is one by default).

    multiprocessing refuses to start a child in a daemonic process, because a daemon is
    terminated without waiting for its children, which would be left orphaned. A worker
    needs no one to wait for it: it ends when its pipe closes, and on Linux the kernel kills
    it with the fork server, which exits with this process (`_die_with_parent`). So the
    flag is lifted for the moment of the start only (the worker gets its own flag, set by
    `daemon=True`).
    """
    config = getattr(multiprocessing.current_process(), "_config", None)
    flags: dict[str, object] = config if isinstance(config, dict) else {}
    with _START_LOCK:
        daemonic = bool(flags.get("daemon"))
        if daemonic:
            flags["daemon"] = False
        try:
            process.start()
        finally:
            if daemonic:
                flags["daemon"] = True


def _describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "it stopped answering"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit status {exitcode}"


# -- the worker process --------------------------------------------------------------------
def _serve(conn: Connection, faults: bool, die_with_parent: bool) -> None:
    """A worker's whole life: one `Linter`, one job at a time, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if die_with_parent:
        _die_with_parent()
    linter = Linter()
    tune_for_batch()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if faults:
            inject_fault(job)
        try:
            result = job.run(linter)
        except Exception as exc:  # the engine reports its own defects; this is a last resort
            message = f"internal error while linting ({type(exc).__name__}); please report it"
            errors = tuple(LintError(name, message) for name in job.names())
            result = LintResult(errors=errors, files=len(errors))
        try:
            conn.send(result)
        except (EOFError, OSError):
            return


def _die_with_parent() -> None:
    """Linux: have the kernel SIGKILL this worker when the fork server, its parent, exits.

    The fork server exits as soon as no process holds its "alive" pipe open, i.e. when the
    process that uses the pool is gone. multiprocessing hands each worker a copy of that
    pipe (so it could start processes of its own); a worker never does, and keeping it
    would keep the fork server, and so itself, alive. Closed here, a worker stuck in native
    code (which no Python-level watchdog could interrupt) still goes away with the server.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    alive = getattr(server, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        os.close(alive)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - exotic libc
        return
    if os.getppid() == 1:  # the fork server died before prctl took effect
        os._exit(0)


def inject_fault(job: Job) -> None:
    """The test seam described at `FAULTS_ENV`; only ever called when it is enabled."""
    for name in job.names():
        base = PurePosixPath(name.replace("\\", "/")).name
        if base.startswith(CRASH_MARKER):
            os.kill(os.getpid(), signal.SIGSEGV)
        if base.startswith(HANG_MARKER):
            time.sleep(3600)
