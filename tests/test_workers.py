"""The worker pool with real worker processes: crashes, time limits, routing, shutdown."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from multiprocessing.queues import Queue
from pathlib import Path

import pytest

from jupyter_mllens.config import Config
from jupyter_mllens.findings import LintResult
from jupyter_mllens.reader import code_notebook
from jupyter_mllens.workers import (
    CRASH_MARKER,
    HANG_MARKER,
    NotebookJob,
    WorkerFailure,
    WorkerPool,
)

LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'
#: A script that starts a pool, optionally leaves a worker stuck in a job, and dies
#: without cleaning up (as a killed server would).
DYING_PARENT = Path(__file__).with_name("dying_pool_parent.py")


def job(path: str, *cells: str) -> NotebookJob:
    body = json.dumps({"notebook": code_notebook(list(cells))}).encode()
    return NotebookJob(path, body, Config(), Path(path))


def names(result: LintResult) -> list[str]:
    return [finding.name for finding in result.findings]


def gone(pid: int, within: float = 15.0) -> bool:
    """Whether process `pid` has exited (polled: a killed process takes a moment to go)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        status = Path(f"/proc/{pid}/stat")
        try:
            if status.read_text().split(") ", 1)[1].startswith("Z"):
                return True
        except (OSError, IndexError):
            return True
        time.sleep(0.1)
    return False


def served(pool: WorkerPool, slot: int, work: NotebookJob) -> LintResult:
    outcome = pool.run_on(slot, work)
    assert isinstance(outcome, LintResult), outcome
    return outcome


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    with WorkerPool(2, timeout=3, faults=True) as workers:
        workers.start()
        yield workers


def test_a_job_is_linted_in_another_process(pool: WorkerPool) -> None:
    assert names(pool.lint("nb.ipynb", job("nb.ipynb", LEAKY))) == ["hardcoded-credentials"]
    assert len(pool.pids()) == 2
    assert os.getpid() not in pool.pids()


def test_a_crash_is_an_error_result_and_the_worker_is_replaced(pool: WorkerPool) -> None:
    path = f"{CRASH_MARKER}.ipynb"
    slot = pool.slot_for(path)
    before = pool.pids()
    outcome = pool.run(path, job(path, LEAKY))
    assert outcome == WorkerFailure("crash", "signal SIGSEGV")
    result = pool.lint(path, job(path, LEAKY))
    assert result.findings == ()
    assert [e.message for e in result.errors] == [
        "the linter crashed on this notebook (signal SIGSEGV)"
    ]
    after = pool.pids()
    assert len(after) == 2
    assert after[slot] != before[slot], "the crashed worker was replaced"
    assert after[1 - slot] == before[1 - slot], "the other worker was left alone"
    assert gone(before[slot])
    assert names(served(pool, slot, job("next.ipynb", LEAKY))) == ["hardcoded-credentials"]


def test_an_overrun_is_stopped_and_the_worker_is_replaced(pool: WorkerPool) -> None:
    path = f"{HANG_MARKER}.ipynb"
    slot = pool.slot_for(path)
    stuck = pool.pids()[slot]
    result = pool.lint(path, job(path, LEAKY))
    assert [e.message for e in result.errors] == ["linting took longer than 3 s and was stopped"]
    assert gone(stuck)
    assert pool.pids()[slot] != stuck
    assert names(served(pool, slot, job("next.ipynb", LEAKY))) == ["hardcoded-credentials"]


def test_a_cell_that_crashes_the_parser_costs_only_its_own_result(pool: WorkerPool) -> None:
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    result = pool.lint("deep.ipynb", job("deep.ipynb", LEAKY, deep))
    assert result.errors or result.findings  # a crash entry, or a finding if guarded
    assert names(pool.lint("deep.ipynb", job("deep.ipynb", LEAKY))) == ["hardcoded-credentials"]


def test_the_same_key_always_goes_to_the_same_worker(pool: WorkerPool) -> None:
    """Routing is a stable hash: the same in every process, whatever PYTHONHASHSEED is."""
    keys = [f"team/nb{n}.ipynb" for n in range(20)]
    slots = [pool.slot_for(key) for key in keys]
    assert set(slots) == {0, 1}
    code = (
        "import sys; from jupyter_mllens.workers import WorkerPool\n"
        "pool = WorkerPool(2)\n"
        "print([pool.slot_for(f'team/nb{n}.ipynb') for n in range(20)])\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        check=True,
    )
    assert json.loads(completed.stdout) == slots
    # A crash on one key's worker replaces exactly that worker.
    crash = next(
        k for k in (f"{CRASH_MARKER}-{n}.ipynb" for n in range(50)) if pool.slot_for(k) == 1
    )
    before = pool.pids()
    pool.lint(crash, job(crash, LEAKY))
    after = pool.pids()
    assert (after[0], after[1] != before[1]) == (before[0], True)


def test_deeply_nested_json_is_an_error_entry_not_a_crash(pool: WorkerPool) -> None:
    body = b'{"notebook": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    result = pool.lint("deep.ipynb", NotebookJob("deep.ipynb", body, Config(), Path("deep.ipynb")))
    assert [e.path for e in result.errors] == ["deep.ipynb"]
    assert "not a Jupyter notebook" in result.errors[0].message


def test_close_stops_every_worker() -> None:
    pool = WorkerPool(2, timeout=3)
    pool.start()
    pids = pool.pids()
    assert len(pids) == 2
    pool.close()
    assert all(gone(pid) for pid in pids)
    assert pool.pids() == []
    outcome = pool.run("nb.ipynb", job("nb.ipynb", LEAKY))
    assert isinstance(outcome, WorkerFailure)
    assert outcome.kind == "unavailable"


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "stuck-in-a-job"])
def test_workers_do_not_outlive_their_parent(busy: bool) -> None:
    """A parent that dies without closing the pool (no atexit) still takes its workers along."""
    completed = subprocess.run(
        [sys.executable, str(DYING_PARENT), "busy" if busy else "idle"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    pids = json.loads(completed.stdout.splitlines()[0])
    assert len(pids) == 2
    assert all(gone(pid) for pid in pids)


def _lint_from_a_daemon(answers: Queue[object]) -> None:
    """In a daemonic process (as a Dask worker is): a pool of one, a stalled job, a good job."""
    with WorkerPool(1, timeout=1, faults=True) as inner:
        stalled = inner.lint("stall.ipynb", job(f"{HANG_MARKER}.ipynb", LEAKY))
        answers.put([e.message for e in stalled.errors])
        answers.put(names(inner.lint("nb.ipynb", job("nb.ipynb", LEAKY))))
    answers.put(multiprocessing.current_process().daemon)


def test_a_daemonic_process_can_use_a_pool_and_stays_daemonic() -> None:
    """multiprocessing refuses children to a daemon; the pool starts its workers anyway."""
    context = multiprocessing.get_context("spawn")
    answers: Queue[object] = context.Queue()
    daemon = context.Process(target=_lint_from_a_daemon, args=(answers,), daemon=True)
    daemon.start()
    try:
        assert answers.get(timeout=60) == ["linting took longer than 1 s and was stopped"]
        assert answers.get(timeout=60) == ["hardcoded-credentials"]
        assert answers.get(timeout=60) is True
    finally:
        daemon.join(30)
        if daemon.is_alive():
            daemon.kill()
    assert daemon.exitcode == 0
