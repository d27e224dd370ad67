"""End to end with the real tools people run mllens through: nbqa and pre-commit.

Nothing here is skipped: when nbqa, pre-commit or git is missing the tests fail and say what
to install (`pip install -e ".[test]"` installs both tools).

The pre-commit tests run `pre-commit try-repo` against this repository, found from this file.
try-repo lints with the working tree as it is: it copies uncommitted changes to tracked files,
but not untracked files, so a new module must at least be `git add`ed before these tests see it.
Installing the hook builds the package as a user's pre-commit would: without the JupyterLab
extension, whose build step is off by default, so no Node.js is involved.

Each try-repo run installs the hook into a fresh store of its own (try-repo ignores the store
in `PRE_COMMIT_HOME`, so nothing can be cached between runs), which takes 20-40 s. The two runs
are started together and awaited by the tests that need them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]

SECRET = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"
#: Cell 3 holds the credential, on line 4 of the cell, column 27.
LEAKY_CELLS = (
    "import boto3\nimport pandas as pd",
    "%matplotlib inline\nREGION = 'eu-west-1'\n!pip install -q boto3",
    f's3 = boto3.client(\n    "s3",\n    region_name=REGION,\n    aws_secret_access_key="{SECRET}",\n)',
    "s3.list_buckets()",
)
CLEAN_CELLS = (
    "import os\nimport boto3",
    "%matplotlib inline\n!pip install -q boto3==1.35.0",
    's3 = boto3.client("s3", aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])',
)
TOOL_TIMEOUT = 60
PRE_COMMIT_TIMEOUT = 300


def notebook(*cells: str) -> str:
    data: dict[str, Any] = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"cell-{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
    }
    return json.dumps(data, indent=1) + "\n"


def require(tool: str) -> str:
    """The tool's executable, next to this interpreter first (the test venv), then on PATH."""
    beside = Path(sys.executable).with_name(tool)
    if beside.exists():
        return str(beside)
    found = shutil.which(tool)
    if found is None:
        pytest.fail(
            f"`{tool}` is not installed, and these end-to-end tests need it: "
            f'`pip install -e ".[test]"` installs nbqa and pre-commit',
            pytrace=False,
        )
    return found


def run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = TOOL_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- nbqa -------------------------------------------------------------------------------------------
def test_nbqa_maps_a_finding_back_to_the_notebook_cell(tmp_path: Path) -> None:
    nbqa = require("nbqa")
    folder = tmp_path / "analysis"
    folder.mkdir()
    (folder / "leaky.ipynb").write_text(notebook(*LEAKY_CELLS), "utf-8")

    completed = run([nbqa, "jupyter_mllens", "analysis"], cwd=tmp_path)

    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    pattern = (
        r"^analysis[/\\]leaky\.ipynb:cell_3:4:27: MLL101 hardcoded-credentials "
        r"hard-coded secret 'q8Rv\*\*\*\*' for `aws_secret_access_key`"
    )
    assert re.search(pattern, completed.stdout, re.MULTILINE), output
    assert SECRET[4:] not in output
    assert "Found 1 finding" in completed.stdout


def test_nbqa_passes_a_clean_notebook(tmp_path: Path) -> None:
    nbqa = require("nbqa")
    folder = tmp_path / "analysis"
    folder.mkdir()
    (folder / "clean.ipynb").write_text(notebook(*CLEAN_CELLS), "utf-8")

    completed = run([nbqa, "jupyter_mllens", "analysis"], cwd=tmp_path)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No findings" in completed.stdout


# -- pre-commit -------------------------------------------------------------------------------------
@dataclass
class TryRepo:
    """One `pre-commit try-repo` run, started in the background."""

    process: subprocess.Popen[str]
    command: list[str]
    result: tuple[int, str] | None = None

    def wait(self) -> tuple[int, str]:
        if self.result is None:
            try:
                output, _ = self.process.communicate(timeout=PRE_COMMIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                output, _ = self.process.communicate()
                pytest.fail(f"{' '.join(self.command)} took over {PRE_COMMIT_TIMEOUT} s:\n{output}")
            self.result = (self.process.returncode, output)
        return self.result


def git_repo_with(path: Path, name: str, content: str) -> None:
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    (path / name).write_text(content, "utf-8")
    subprocess.run(["git", "-C", str(path), "add", name], check=True)


@pytest.fixture(scope="module")
def try_repo_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TryRepo]]:
    pre_commit = require("pre-commit")
    if shutil.which("git") is None:
        pytest.fail("git is not installed; pre-commit needs it", pytrace=False)
    if not (ROOT / ".git").exists():
        pytest.fail(f"{ROOT} is not a git checkout; `pre-commit try-repo` needs one", pytrace=False)
    base = tmp_path_factory.mktemp("pre-commit")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(base / "home"),
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("PYTHONPATH", None)  # the hook must run from its own install, not this checkout
    for name in [n for n in env if n.startswith("HATCH_BUILD_HOOK")]:
        env.pop(name)  # build the hook's package exactly as a user's pre-commit would
    runs: dict[str, TryRepo] = {}
    for case, cells in (("leaky", LEAKY_CELLS), ("clean", CLEAN_CELLS)):
        project = base / case
        git_repo_with(project, f"{case}.ipynb", notebook(*cells))
        command = [pre_commit, "try-repo", str(ROOT), "mllens", "--files", f"{case}.ipynb"]
        process = subprocess.Popen(
            command,
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        runs[case] = TryRepo(process, command)
    yield runs
    for started in runs.values():
        if started.process.poll() is None:
            started.process.kill()
            started.process.communicate()


def test_pre_commit_hook_fails_on_a_hard_coded_credential(
    try_repo_runs: dict[str, TryRepo],
) -> None:
    code, output = try_repo_runs["leaky"].wait()
    assert code == 1, output
    assert re.search(r"mllens \(ML Lens notebook linter\)\.+Failed", output), output
    assert "- hook id: mllens" in output
    assert (
        "leaky.ipynb:cell 3:4:27: MLL101 hardcoded-credentials hard-coded secret 'q8Rv****'"
        in output
    ), output
    assert SECRET[4:] not in output


def test_pre_commit_hook_passes_a_clean_notebook(try_repo_runs: dict[str, TryRepo]) -> None:
    code, output = try_repo_runs["clean"].wait()
    assert code == 0, output
    assert re.search(r"mllens \(ML Lens notebook linter\)\.+Passed", output), output
