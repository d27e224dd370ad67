"""Walking is safe: whatever sits in a folder, each bad entry is one error and the rest is linted.

Exit codes and the absence of tracebacks are checked through the real `mllens` command in
a subprocess, with a timeout so that a regression to hanging (a FIFO opened for reading)
fails the test instead of blocking the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_mllens.batch import lint_targets
from jupyter_mllens.config import Config
from jupyter_mllens.discovery import discover
from tests.conftest import notebook_json

READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"
TIMEOUT = 120
NOBODY = 65534


def mllens(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real CLI, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def write(path: Path, *cells: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook_json(*cells)), "utf-8")
    return path


def json_report(completed: subprocess.CompletedProcess[str]) -> dict[str, list[dict[str, str]]]:
    assert "Traceback" not in completed.stderr, completed.stderr
    report: dict[str, list[dict[str, str]]] = json.loads(completed.stdout)
    return report


def errors_by_path(report: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    return {error["path"]: error["message"] for error in report["errors"]}


def linted_paths(report: dict[str, list[dict[str, str]]]) -> set[str]:
    return {finding["path"] for finding in report["findings"]}


@pytest.fixture
def loop(tmp_path: Path) -> Path:
    """A folder with a two-link loop and one good notebook with a finding."""
    (tmp_path / "a.ipynb").symlink_to("b.ipynb")
    (tmp_path / "b.ipynb").symlink_to("a.ipynb")
    write(tmp_path / "good.ipynb", READ)
    return tmp_path


def test_symlink_loop_met_while_walking(loop: Path) -> None:
    completed = mllens("check", "--format", "json", ".", cwd=loop)
    report = json_report(completed)
    assert completed.returncode == 2
    errors = errors_by_path(report)
    assert set(errors) == {"a.ipynb", "b.ipynb"}
    assert all("symbolic link loop" in message for message in errors.values())
    assert linted_paths(report) == {"good.ipynb"}


def test_symlink_loop_named_on_the_command_line(loop: Path) -> None:
    completed = mllens("check", "a.ipynb", "b.ipynb", "good.ipynb", cwd=loop)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.splitlines() == [
        "a.ipynb: error: symbolic link loop: the link leads back to itself",
        "b.ipynb: error: symbolic link loop: the link leads back to itself",
    ]
    assert "good.ipynb:cell 1:2:6: MLL201 unversioned-data" in completed.stdout


def test_a_folder_inside_a_symlink_loop_named_on_the_command_line(loop: Path) -> None:
    (loop / "x").symlink_to("y")
    (loop / "y").symlink_to("x")
    completed = mllens("check", "x/nb.ipynb", "good.ipynb", cwd=loop)
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        "x/nb.ipynb: error: symbolic link loop: the link leads back to itself"
    ]


def test_symlinked_folders_are_not_followed_so_a_folder_loop_ends(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "nb.ipynb", READ)
    (tmp_path / "sub" / "again").symlink_to("..", target_is_directory=True)
    report = json_report(mllens("check", "--format", "json", ".", cwd=tmp_path))
    assert linted_paths(report) == {"sub/nb.ipynb"}
    assert report["errors"] == []


@pytest.mark.parametrize("how", ["walked", "named"])
def test_a_fifo_named_like_a_notebook_does_not_hang(tmp_path: Path, how: str) -> None:
    os.mkfifo(tmp_path / "x.ipynb")
    write(tmp_path / "good.ipynb", READ)
    args = ["."] if how == "walked" else ["x.ipynb", "good.ipynb"]
    completed = mllens("check", "--format", "json", *args, cwd=tmp_path)
    report = json_report(completed)
    assert completed.returncode == 2
    assert errors_by_path(report) == {
        "x.ipynb": "not a regular file (FIFO); only regular files are read"
    }
    assert linted_paths(report) == {"good.ipynb"}


def test_a_named_path_too_long_for_the_file_system(tmp_path: Path) -> None:
    write(tmp_path / "good.ipynb", READ)
    long_name = "n" * 300 + ".ipynb"
    completed = mllens("check", long_name, "good.ipynb", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        f"{long_name}: error: cannot read file: File name too long"
    ]
    assert "good.ipynb:cell 1" in completed.stdout


@pytest.fixture
def shared_tree() -> Iterator[Path]:
    """A tree any user can read (tmp_path's parents are private to the test's user)."""
    root = Path(tempfile.mkdtemp(prefix="mllens-walk-"))
    root.chmod(0o755)
    yield root
    (root / "locked").chmod(0o755)
    shutil.rmtree(root)


# Run as root, permission bits deny nothing, so the walk is run as `nobody` instead: the
# interpreter (which may live in root's home) first imports and warms up everything as
# root, then drops its user and group and runs the real `main` on the tree.
_AS_NOBODY = f"""
import os, sys
from jupyter_mllens.cli import main
main(["check", "--format", "json", "warm/ok.ipynb"])
os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})
sys.exit(main(["check", "--format", "json", "."]))
"""


def test_an_unreadable_folder_or_file_met_while_walking(shared_tree: Path) -> None:
    write(shared_tree / "warm" / "ok.ipynb", "x = 1")
    write(shared_tree / "open" / "nb.ipynb", READ)
    write(shared_tree / "locked" / "nb.ipynb", READ)
    write(shared_tree / "open" / "private.ipynb", READ)
    for path in shared_tree.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    (shared_tree / "locked").chmod(0)
    (shared_tree / "open" / "private.ipynb").chmod(0)
    if os.geteuid() == 0:
        completed = subprocess.run(
            [sys.executable, "-c", _AS_NOBODY],
            cwd=shared_tree,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        # The warm-up report comes first on stdout; the walk's report is the last JSON.
        completed.stdout = completed.stdout[completed.stdout.rindex('{\n  "version"') :]
    else:
        completed = mllens("check", "--format", "json", ".", cwd=shared_tree)
    report = json_report(completed)
    assert completed.returncode == 2
    assert errors_by_path(report) == {
        "locked": "cannot read directory: Permission denied",
        "open/private.ipynb": "cannot read file: Permission denied",
    }
    assert linted_paths(report) == {"open/nb.ipynb"}


def test_a_folder_removed_during_the_walk_is_one_error_and_the_walk_goes_on(
    tmp_path: Path,
) -> None:
    """The same code path as an unreadable folder (`os.walk`'s onerror), reached for any user.

    The folder is listed, then really removed before the walk enters it; the removal is
    done from the per-file configuration lookup, which runs between those two moments.
    """
    write(tmp_path / "first.ipynb", READ)
    write(tmp_path / "gone" / "nb.ipynb", READ)
    write(tmp_path / "kept" / "nb.ipynb", READ)

    def config_for(path: Path) -> Config:
        if path.name == "first.ipynb":
            shutil.rmtree(tmp_path / "gone")
        return Config()

    targets, errors = discover([str(tmp_path)], config_for)
    assert [t.path.relative_to(tmp_path).as_posix() for t in targets] == [
        "first.ipynb",
        "kept/nb.ipynb",
    ]
    assert [(e.path, e.message) for e in errors] == [
        (str(tmp_path / "gone"), "cannot read directory: No such file or directory")
    ]


def test_a_file_removed_after_discovery_is_an_error_entry(tmp_path: Path) -> None:
    write(tmp_path / "vanishing.ipynb", READ)
    write(tmp_path / "kept.ipynb", READ)
    targets, errors = discover([str(tmp_path)], lambda path: Config())
    assert errors == []
    (tmp_path / "vanishing.ipynb").unlink()
    result = lint_targets(targets, jobs=1)
    assert [(e.path, e.message) for e in result.errors] == [
        (str(tmp_path / "vanishing.ipynb"), "no such file or directory")
    ]
    assert {f.path for f in result.findings} == {str(tmp_path / "kept.ipynb")}


def test_file_urls_are_local_paths(tmp_path: Path) -> None:
    """`file://` URLs (as a browser or fsspec writes them) name local files and folders."""
    folder = tmp_path / "my notebooks"
    write(folder / "a.ipynb", READ)
    url = (folder / "a.ipynb").as_uri()  # percent-escaped: my%20notebooks
    assert "%20" in url
    for named in (url, folder.as_uri(), url.replace("file://", "file://localhost", 1)):
        report = json_report(mllens("check", named, "--isolated", "--format", "json", cwd=tmp_path))
        assert report["errors"] == [], named
        assert [f["name"] for f in report["findings"]] == ["unversioned-data"], named
    shown = mllens("check", url, "--isolated", "--show-source", cwd=tmp_path)
    assert "pd.read_csv('data/train.csv')" in shown.stdout
