"""`--executor dask`: the same results as local linting, in order, on a real LocalCluster.

Clusters here are real `distributed.LocalCluster`s of worker processes (each with a nanny
that restarts a dead worker), so a worker killed mid-run is killed for real, and a file that
stalls the linter (the workers' hang seam) really stalls the process that lints it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

from jupyter_mllens.batch import lint_targets  # noqa: E402
from jupyter_mllens.config import Config  # noqa: E402
from jupyter_mllens.dask_batch import CHUNK, DaskUnavailable, lint_on_dask, stream  # noqa: E402
from jupyter_mllens.discovery import Target  # noqa: E402
from jupyter_mllens.findings import LintResult  # noqa: E402
from jupyter_mllens.workers import CRASH_MARKER, FAULTS_ENV, HANG_MARKER  # noqa: E402
from tests.conftest import notebook_json  # noqa: E402


def _write_corpus(root: Path, count: int) -> list[Target]:
    """`count` notebooks, each with a finding or two that name it, in a stable order."""
    targets = []
    for index in range(count):
        cells = [
            f"import requests\nresponse = requests.get('https://example.org/{index}', verify=False)"
        ]
        if index % 3 == 0:
            cells.append("!pip install pandas")
        path = root / f"nb{index:03d}.ipynb"
        path.write_text(json.dumps(notebook_json(*cells)), "utf-8")
        targets.append(Target(path, str(path), Config()))
    return targets


def _marked(root: Path, name: str) -> Target:
    """A notebook the test seam crashes or stalls on (by its name), with nothing to find."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook_json("x = 1")), "utf-8")
    return Target(path, str(path), Config())


def _summary(result: LintResult) -> list[tuple[str, str, int, int]]:
    return [(f.path, f.code, f.cell_index, f.line) for f in result.findings]


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local


def test_results_match_local_linting_and_come_back_in_chunk_order(
    tmp_path: Path, cluster: object
) -> None:
    targets = _write_corpus(tmp_path, 5 * CHUNK + 3)
    expected = lint_targets(targets, jobs=1)
    assert len(expected.findings) > len(targets)  # every notebook has a finding to compare
    seen: list[int] = []
    with distributed.Client(cluster) as client:
        parts = list(stream(client, targets, progress=seen.append))
    assert [part.files for part in parts] == [CHUNK] * 5 + [3]
    for number, part in enumerate(parts):  # chunk k holds exactly the files of chunk k
        names = {t.shown for t in targets[number * CHUNK : (number + 1) * CHUNK]}
        assert {f.path for f in part.findings} == names
    joined = [f for part in parts for f in part.findings]
    assert [(f.path, f.code, f.line) for f in joined] == [
        (f.path, f.code, f.line) for f in expected.findings
    ]
    assert sum(seen) == len(targets)


def test_unreadable_and_cached_files_never_reach_the_cluster(
    tmp_path: Path, cluster: object
) -> None:
    from jupyter_mllens.cache import ResultCache
    from jupyter_mllens.catalog import load_catalog

    targets = _write_corpus(tmp_path, 20)
    missing = Target(tmp_path / "gone.ipynb", str(tmp_path / "gone.ipynb"), Config())
    cache = ResultCache(tmp_path / "cache", load_catalog())
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    first = lint_on_dask([*targets, missing], scheduler=address, workers=1, cache=cache)
    assert [e.path for e in first.errors] == [missing.shown]
    assert first.files == 21
    assert (cache.hits, cache.misses) == (0, 20)
    second = lint_on_dask(targets, scheduler=address, workers=1, cache=cache)
    assert (cache.hits, cache.misses) == (20, 20)
    assert _summary(second) == _summary(lint_targets(targets, jobs=1))


def test_a_file_that_kills_its_workers_is_one_error_and_its_chunk_mates_are_linted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = _write_corpus(tmp_path, 3 * CHUNK)
    crash = tmp_path / f"{CRASH_MARKER}.ipynb"
    crash.write_text(json.dumps(notebook_json("x = 1")), "utf-8")
    crashing = Target(crash, str(crash), Config())
    # The crashing file sits in the middle chunk, among seven healthy files.
    batch = [*targets[: CHUNK + 3], crashing, *targets[CHUNK + 3 :]]
    expected = lint_targets(targets, jobs=1)
    monkeypatch.setenv(FAULTS_ENV, "1")  # inherited by the worker processes
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
    ):
        result = lint_on_dask(batch, scheduler=local.scheduler_address, workers=2)
    assert result.files == len(batch)
    assert [(e.path, e.message) for e in result.errors] == [
        (
            crashing.shown,
            "the linter crashed on this file (it killed the Dask workers that ran it)",
        )
    ]
    assert _summary(result) == _summary(expected)  # nothing lost, nothing twice


@pytest.mark.parametrize("timeout", [None, 60.0])
def test_a_worker_killed_mid_run_loses_nothing_and_reports_nothing_twice(
    tmp_path: Path, timeout: float | None
) -> None:
    """Also with a timeout, where the Dask worker lints in a child process that dies with it."""
    targets = _write_corpus(tmp_path, 24 * CHUNK)
    expected = lint_targets(targets, jobs=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        distributed.Client(local) as client,
    ):
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed = threading.Event()

        def kill_once(_: int) -> None:
            if not killed.is_set():
                killed.set()
                os.kill(victim, signal.SIGKILL)

        result_parts = list(stream(client, targets, progress=kill_once, timeout=timeout))
        after = client.run(os.getpid)
    assert killed.is_set()
    assert victim not in after.values()  # the worker really died (the nanny replaced it)
    flat = [f for part in result_parts for f in part.findings]
    assert not [e for part in result_parts for e in part.errors]
    assert [(f.path, f.code, f.line) for f in flat] == [
        (f.path, f.code, f.line) for f in expected.findings
    ]


def test_a_file_the_linter_stalls_on_times_out_as_one_error_and_the_workers_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stalled file is stopped (its chunk-mates linted once), and so is nothing else."""
    targets = _write_corpus(tmp_path, 3 * CHUNK)
    hung = _marked(tmp_path, f"{HANG_MARKER}.ipynb")
    crashing = _marked(tmp_path, f"{CRASH_MARKER}.ipynb")
    # The stalled file sits in the middle of the second chunk, the crashing one in the third.
    batch = [*targets[: CHUNK + 3], hung, *targets[CHUNK + 3 : 2 * CHUNK], crashing]
    batch += targets[2 * CHUNK :]
    expected = lint_targets(targets, jobs=1)
    monkeypatch.setenv(FAULTS_ENV, "1")  # inherited by the worker processes
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        distributed.Client(local) as client,
    ):
        before = client.run(os.getpid)
        parts = list(stream(client, batch, timeout=0.5))
        after = client.run(os.getpid)
        again = list(stream(client, targets, timeout=0.5))  # the same workers, still of use
    assert [part.files for part in parts] == [CHUNK, CHUNK, CHUNK, 2]
    assert [(e.path, e.message) for part in parts for e in part.errors] == [
        (hung.shown, "linting took longer than 0.5 s and was stopped"),
        (crashing.shown, "the linter crashed on this file (signal SIGSEGV)"),
    ]
    flat = LintResult(tuple(f for part in parts for f in part.findings))
    assert _summary(flat) == _summary(expected)  # nothing lost, nothing twice, in order
    assert after == before  # no Dask worker stalled, died or was replaced
    assert _summary(LintResult(tuple(f for part in again for f in part.findings))) == _summary(
        expected
    )


def test_an_unreachable_scheduler_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = _write_corpus(tmp_path, 2)
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(DaskUnavailable, match="cannot connect to the Dask scheduler at tcp://"),
    ):
        lint_on_dask(targets, scheduler="tcp://127.0.0.1:9", workers=1)


def test_cli_on_an_existing_cluster_reports_what_local_processes_report(
    tmp_path: Path, cluster: object
) -> None:
    _write_corpus(tmp_path, 3 * CHUNK)
    command = [sys.executable, "-m", "jupyter_mllens", "check", str(tmp_path), "--isolated"]
    command += ["--no-cache", "--format", "json"]
    local = subprocess.run(command, capture_output=True, text=True, timeout=300)
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    remote = subprocess.run(
        [*command, "--executor", "dask", "--scheduler", address],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (local.returncode, remote.returncode) == (1, 1), remote.stderr
    assert json.loads(remote.stdout) == json.loads(local.stdout)
    unreachable = subprocess.run(
        [*command, "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"},
    )
    assert unreachable.returncode == 2
    assert unreachable.stdout == ""
    assert unreachable.stderr.startswith(
        "mllens: error: cannot connect to the Dask scheduler at tcp://127.0.0.1:9"
    )
    misuse = subprocess.run(
        [*command, "--scheduler", address], capture_output=True, text=True, timeout=300
    )
    assert (misuse.returncode, misuse.stderr) == (
        2,
        "mllens: error: --scheduler needs --executor dask\n",
    )


def test_cli_timeout_on_dask_reports_what_a_local_timeout_run_reports(tmp_path: Path) -> None:
    """`--timeout` with `--executor dask` (a local cluster of two workers): the same JSON."""
    _write_corpus(tmp_path, 2 * CHUNK)
    # In a folder of its own, listed last: the stalled file is a chunk of one, so each run
    # waits one timeout on it (the overrun of a larger chunk is tested above).
    hung = _marked(tmp_path / "z", f"{HANG_MARKER}.ipynb")
    command = [sys.executable, "-m", "jupyter_mllens", "check", str(tmp_path), "--isolated"]
    command += ["--no-cache", "--format", "json", "--jobs", "2", "--timeout", "1"]
    env = {**os.environ, FAULTS_ENV: "1"}
    local = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    remote = subprocess.run(
        [*command, "--executor", "dask"], capture_output=True, text=True, timeout=300, env=env
    )
    assert (local.returncode, remote.returncode) == (2, 2), remote.stderr
    report = json.loads(remote.stdout)
    assert report == json.loads(local.stdout)
    assert report["errors"] == [
        {"path": hung.shown, "message": "linting took longer than 1 s and was stopped"}
    ]
    linted = {finding["path"] for finding in report["findings"]}
    assert linted == {str(tmp_path / f"nb{index:03d}.ipynb") for index in range(2 * CHUNK)}
