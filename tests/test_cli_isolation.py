"""`mllens check` over many files survives a file that crashes the parser (real subprocesses).

With 16 or more files the CLI lints in worker processes; a file that kills its worker must
cost exactly one error entry, every other file must still be linted, and the exit status
must be 2 (an input could not be linted), never a traceback. The crash is driven by the
workers' test seam (a file named `mllens-test-crash*`, enabled through the environment), and
by a cell that crashes libcst today, whose only promise is that the batch survives it (a
pre-parse guard may turn it into a finding).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.workers import CRASH_MARKER, FAULTS_ENV, HANG_MARKER

WriteNotebook = Callable[..., Path]
LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'
DEEP_PARENS = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
FILES = 17


def mllens(*args: str, faults: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, FAULTS_ENV: "1" if faults else "0"}
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        check=False,
    )


def write_batch(write_notebook: WriteNotebook, odd_one: str, *cells: str) -> list[Path]:
    """`FILES` notebooks with one finding each; `odd_one` (in the middle of a chunk) also."""
    paths = [write_notebook(f"batch/nb{n:02d}.ipynb", LEAKY) for n in range(FILES - 1)]
    paths.insert(3, write_notebook(f"batch/{odd_one}", LEAKY, *cells))
    return paths


def test_a_file_that_crashes_its_worker_is_one_error_and_the_rest_is_linted(
    write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    paths = write_batch(write_notebook, f"{CRASH_MARKER}.ipynb")
    completed = mllens("check", "--jobs", "2", "--format", "json", str(tmp_path), faults=True)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    crashed = str(tmp_path / "batch" / f"{CRASH_MARKER}.ipynb")
    assert report["errors"] == [
        {"path": crashed, "message": "the linter crashed on this file (signal SIGSEGV)"}
    ]
    linted = sorted(f["path"] for f in report["findings"])
    assert linted == sorted(str(p) for p in paths if str(p) != crashed)


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_file_that_overruns_the_timeout_is_one_error_and_the_rest_is_linted(
    write_notebook: WriteNotebook, tmp_path: Path, jobs: str
) -> None:
    """`--timeout` stops the one slow file, even with `--jobs 1` (it then runs in a worker)."""
    paths = write_batch(write_notebook, f"{HANG_MARKER}.ipynb")
    args = ("check", "--jobs", jobs, "--timeout", "1", "--format", "json", str(tmp_path))
    completed = mllens(*args, faults=True)
    assert completed.returncode == 2
    report = json.loads(completed.stdout)
    hung = str(tmp_path / "batch" / f"{HANG_MARKER}.ipynb")
    assert report["errors"] == [
        {"path": hung, "message": "linting took longer than 1 s and was stopped"}
    ]
    linted = sorted(f["path"] for f in report["findings"])
    assert linted == sorted(str(p) for p in paths if str(p) != hung)


def test_the_crash_is_one_error_line_in_text_output(
    write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    write_batch(write_notebook, f"{CRASH_MARKER}-2.ipynb")
    completed = mllens("check", "--jobs", "2", str(tmp_path), faults=True)
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        f"{tmp_path / 'batch' / CRASH_MARKER}-2.ipynb: error: "
        "the linter crashed on this file (signal SIGSEGV)"
    ]
    assert f"Found {FILES - 1} findings" in completed.stdout


def test_the_seam_is_off_unless_enabled(write_notebook: WriteNotebook, tmp_path: Path) -> None:
    write_batch(write_notebook, f"{CRASH_MARKER}.ipynb")
    completed = mllens("check", "--jobs", "2", "--format", "json", str(tmp_path))
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["errors"] == []


def test_a_cell_that_crashes_the_parser_does_not_lose_the_batch(
    write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    paths = write_batch(write_notebook, "deep.ipynb", DEEP_PARENS)
    completed = mllens("check", "--jobs", "2", "--format", "json", str(tmp_path))
    assert completed.returncode in (1, 2)
    assert "Traceback" not in completed.stderr
    report = json.loads(completed.stdout)
    deep = str(tmp_path / "batch" / "deep.ipynb")
    others = sorted(str(p) for p in paths if str(p) != deep)
    flagged = sorted({f["path"] for f in report["findings"]} - {deep})
    assert flagged == others, "every other file is still linted"
    assert all(e["path"] == deep for e in report["errors"])
