"""The persistent result cache of `mllens check`, through the real command in subprocesses.

Whether a file was served from the cache is read from `--verbose` ("N of M file(s) from
the cache"), the count the cache itself keeps: no test hook in the product.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_mllens.findings import Finding, Location, Severity
from jupyter_mllens.reader import code_notebook

READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"
#: A made-up secret key, to check that no entry stores it unmasked.
SECRET = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"
CREDENTIALS = f"import boto3\nboto3.client('s3', aws_secret_access_key='{SECRET}')"
HITS = re.compile(r"mllens: (\d+) of (\d+) file\(s\) from the cache")


def mllens(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command, without any cache location inherited from the environment."""
    environment = {k: v for k, v in os.environ.items() if k != "MLLENS_CACHE_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**environment, **env},
    )


def hits(completed: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    found = HITS.search(completed.stderr)
    assert found is not None, completed.stderr
    return int(found.group(1)), int(found.group(2))


def names(completed: subprocess.CompletedProcess[str]) -> set[str]:
    return {finding["name"] for finding in json.loads(completed.stdout)["findings"]}


def write(path: Path, *cells: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(code_notebook(list(cells))), "utf-8")
    return path


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("v*/*/*.json"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Three notebooks: one reading unversioned data, one with a credential, one clean."""
    write(tmp_path / "a.ipynb", READ)
    write(tmp_path / "b.ipynb", CREDENTIALS)
    write(tmp_path / "sub" / "c.ipynb", "x = 1")
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "text", "sarif"])
def test_a_second_run_comes_from_the_cache_with_identical_output(project: Path, fmt: str) -> None:
    first = mllens("check", "-v", "--format", fmt, ".", cwd=project)
    second = mllens("check", "-v", "--format", fmt, ".", cwd=project)
    assert first.returncode == second.returncode == 1
    assert hits(first) == (0, 3)
    assert hits(second) == (3, 3)
    assert second.stdout == first.stdout
    assert len(entries(project / ".mllens_cache")) == 3


def test_a_process_pool_run_is_cached_file_by_file(tmp_path: Path) -> None:
    for i in range(24):  # above the pool threshold: files are looked up in the feed threads
        write(tmp_path / f"nb{i:02}.ipynb", READ if i % 2 else f"value = {i}")
    first = mllens("check", "-v", "--jobs", "2", "--format", "json", ".", cwd=tmp_path)
    (tmp_path / "nb05.ipynb").write_text(json.dumps(code_notebook(["y = 2"])), "utf-8")
    second = mllens("check", "-v", "--jobs", "2", "--format", "json", ".", cwd=tmp_path)
    assert hits(first) == (0, 24)
    assert hits(second) == (23, 24)
    paths = [f["path"] for f in json.loads(second.stdout)["findings"]]
    expected = [f["path"] for f in json.loads(first.stdout)["findings"]]
    expected.remove("nb05.ipynb")
    assert paths == expected


def test_a_changed_file_is_linted_again(project: Path) -> None:
    mllens("check", "-v", ".", cwd=project)
    write(project / "sub" / "c.ipynb", READ)
    again = mllens("check", "-v", "--format", "json", ".", cwd=project)
    assert hits(again) == (2, 3)
    paths = {f["path"] for f in json.loads(again.stdout)["findings"]}
    assert "sub/c.ipynb" in paths


def test_touching_a_file_without_changing_it_still_hits(project: Path) -> None:
    mllens("check", ".", cwd=project)
    os.utime(project / "a.ipynb", (1, 1))
    assert hits(mllens("check", "-v", ".", cwd=project)) == (3, 3)


def test_a_configuration_change_is_not_served_stale_results(project: Path) -> None:
    first = mllens("check", "-v", "--format", "json", ".", cwd=project)
    (project / "mllens.toml").write_text('ignore = ["unversioned-data"]\n', "utf-8")
    second = mllens("check", "-v", "--format", "json", ".", cwd=project)
    assert hits(second) == (0, 3)
    assert "unversioned-data" in names(first)
    assert "unversioned-data" not in names(second)
    # a flag changes the effective configuration too
    flagged = mllens("check", "-v", "--select", "MLL101", ".", cwd=project)
    assert hits(flagged)[0] == 0


def test_a_rule_option_change_is_not_served_stale_results(tmp_path: Path) -> None:
    """An in-house tracker configured after a run clears the tracking finding at once."""
    write(
        tmp_path / "train.ipynb",
        "import acme_ml\nfrom sklearn.svm import SVC",
        "model = SVC()\nmodel.fit(X, y)\nacme_ml.log_run(model)",
    )
    first = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    assert "missing-experiment-tracking" in names(first)
    (tmp_path / "mllens.toml").write_text(
        '[rules.missing-experiment-tracking]\ntrackers = ["acme_ml.log_run"]\n', "utf-8"
    )
    second = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    assert hits(second) == (0, 1)
    assert "missing-experiment-tracking" not in names(second)


def test_per_file_ignores_are_resolved_for_each_file(tmp_path: Path) -> None:
    write(tmp_path / "one" / "a.ipynb", READ)
    write(tmp_path / "two" / "a.ipynb", READ)
    config = tmp_path / "mllens.toml"
    config.write_text('[per-file-ignores]\n"one/*" = ["unversioned-data"]\n', "utf-8")
    first = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    config.write_text('[per-file-ignores]\n"two/*" = ["unversioned-data"]\n', "utf-8")
    second = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    assert [f["path"] for f in json.loads(first.stdout)["findings"]] == ["two/a.ipynb"]
    assert [f["path"] for f in json.loads(second.stdout)["findings"]] == ["one/a.ipynb"]
    assert hits(second) == (0, 2)


def test_no_cache_writes_nothing(project: Path) -> None:
    elsewhere = project.parent / f"{project.name}-env-cache"
    completed = mllens(
        "check", "-v", "--no-cache", ".", cwd=project, MLLENS_CACHE_DIR=str(elsewhere)
    )
    assert completed.returncode == 1
    assert "from the cache" not in completed.stderr
    assert not (project / ".mllens_cache").exists()
    assert not elsewhere.exists()


def test_the_cache_folder_is_ignored_by_git_and_tagged(project: Path) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    mllens("check", ".", cwd=project)
    cache = project / ".mllens_cache"
    assert (cache / ".gitignore").read_text("utf-8") == "*\n"
    assert (cache / "CACHEDIR.TAG").read_text("utf-8").startswith("Signature: ")
    status = subprocess.run(
        ["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".mllens_cache" not in status
    assert "a.ipynb" in status


def test_the_cache_lives_at_the_project_root_or_where_asked(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.mllens]\nselect = ['ALL']\n", "utf-8")
    mllens("check", ".", cwd=project / "sub")
    assert entries(project / ".mllens_cache")
    assert not (project / "sub" / ".mllens_cache").exists()

    moved = project.parent / f"{project.name}-moved"
    mllens("check", "--cache-dir", str(moved), ".", cwd=project)
    from_env = project.parent / f"{project.name}-env"
    mllens("check", ".", cwd=project, MLLENS_CACHE_DIR=str(from_env))
    assert len(entries(moved)) == len(entries(from_env)) == 3


def test_without_a_configuration_the_cache_is_in_the_current_directory(project: Path) -> None:
    mllens("check", "sub", cwd=project)
    assert len(entries(project / ".mllens_cache")) == 1


def test_entries_hold_no_secret(project: Path) -> None:
    first = mllens("check", "--format", "json", ".", cwd=project)
    assert any(f["name"] == "hardcoded-credentials" for f in json.loads(first.stdout)["findings"])
    stored = b"".join(path.read_bytes() for path in entries(project / ".mllens_cache"))
    assert SECRET.encode() not in stored
    assert SECRET[8:24].encode() not in stored


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # a torn write
        lambda data: b"",
        lambda data: b"\x00\xff not json",
        lambda data: json.dumps({**json.loads(data), "version": 999}).encode(),
        lambda data: json.dumps({**json.loads(data), "findings": [{"path": 1}]}).encode(),
        lambda data: b"[" * 100_000,
    ],
    ids=["truncated", "empty", "garbage", "other-version", "malformed-finding", "deep"],
)
def test_a_damaged_entry_is_a_miss_and_is_rewritten(project: Path, damage: object) -> None:
    first = mllens("check", "-v", "--format", "json", ".", cwd=project)
    stored = entries(project / ".mllens_cache")
    for path in stored:
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    second = mllens("check", "-v", "--format", "json", ".", cwd=project)
    third = mllens("check", "-v", "--format", "json", ".", cwd=project)
    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert "Traceback" not in second.stderr
    assert hits(second) == (0, 3)
    assert hits(third) == (3, 3)
    assert third.stdout == first.stdout


def test_files_with_errors_are_never_stored(project: Path) -> None:
    (project / "broken.ipynb").write_text("{not json", "utf-8")
    first = mllens("check", "-v", ".", cwd=project)
    second = mllens("check", "-v", ".", cwd=project)
    assert first.returncode == second.returncode == 2
    assert "broken.ipynb: error: invalid JSON" in second.stderr
    assert hits(second) == (3, 4)
    assert len(entries(project / ".mllens_cache")) == 3


def test_a_cache_that_cannot_be_written_costs_nothing_but_speed(project: Path) -> None:
    (project / "blocker").write_text("a file where the cache folder would go", "utf-8")
    cached = mllens("check", "--format", "json", ".", cwd=project)
    blocked = mllens(
        "check", "--format", "json", "--cache-dir", str(project / "blocker" / "cache"), ".",
        cwd=project,
    )  # fmt: skip
    assert (blocked.returncode, blocked.stdout) == (cached.returncode, cached.stdout)
    assert blocked.stderr == ""


def test_concurrent_runs_on_one_tree_agree(tmp_path: Path) -> None:
    for i in range(40):
        write(tmp_path / f"nb{i:02}.ipynb", READ if i % 3 else CREDENTIALS, f"v = {i}")
    environment = {k: v for k, v in os.environ.items() if k != "MLLENS_CACHE_DIR"}
    command = [sys.executable, "-m", "jupyter_mllens", "check", "--format", "json", "."]
    runs = [
        subprocess.Popen(
            command,
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    assert outputs[0] == outputs[1]
    warm = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    assert hits(warm) == (40, 40)
    assert warm.stdout == outputs[0][0]
    assert not list((tmp_path / ".mllens_cache").rglob("*.tmp"))


def test_finding_json_round_trip() -> None:
    finding = Finding(
        path="dir/nb.ipynb",
        cell_index=3,
        cell_id="cell-3",
        location=Location(2, 5, 2, 19),
        code="MLL201",
        name="unversioned-data",
        severity=Severity.MEDIUM,
        pillars=("reliability", "operational-excellence"),
        phase="data-processing",
        lens=("MLREL-05",),
        message="reads data/train.csv without a version",
    )
    script = Finding(**{**finding.__dict__, "cell_index": None, "cell_id": None})
    for original in (finding, script):
        assert Finding.from_json(json.loads(json.dumps(original.to_json()))) == original


@pytest.mark.parametrize(
    "change",
    [{"line": "2"}, {"line": True}, {"severity": "fatal"}, {"pillars": "reliability"}, {}],
)
def test_finding_from_json_rejects_what_to_json_never_writes(change: dict[str, object]) -> None:
    data = Finding(
        "nb.ipynb", 0, None, Location(1, 1, 1, 2), "MLL201", "x", Severity.LOW, (), "p", (), "m"
    ).to_json()
    if change:
        data.update(change)
    else:
        del data["message"]
    with pytest.raises(ValueError, match=r"expected|not a valid|not a finding"):
        Finding.from_json(data)


def test_a_file_that_crashed_its_worker_is_never_cached(tmp_path: Path) -> None:
    from jupyter_mllens.workers import CRASH_MARKER, FAULTS_ENV

    for i in range(17):
        write(tmp_path / f"nb{i:02}.ipynb", READ)
    write(tmp_path / f"{CRASH_MARKER}.ipynb", READ)
    runs = [
        mllens(
            "check", "-v", "--jobs", "2", "--format", "json", ".", cwd=tmp_path, **{FAULTS_ENV: "1"}
        )
        for _ in range(2)
    ]
    assert hits(runs[0]) == (0, 18)
    assert hits(runs[1]) == (17, 18)
    for run in runs:
        assert run.returncode == 2
        assert json.loads(run.stdout)["errors"] == [
            {
                "path": f"{CRASH_MARKER}.ipynb",
                "message": "the linter crashed on this file (signal SIGSEGV)",
            }
        ]
    assert runs[1].stdout == runs[0].stdout


def test_a_file_name_that_is_not_utf8_is_cached_and_shown_the_same(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.ipynb"
    with open(raw, "w", encoding="utf-8") as stream:
        stream.write(json.dumps(code_notebook([READ])))
    first = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    second = mllens("check", "-v", "--format", "json", ".", cwd=tmp_path)
    assert hits(second) == (1, 1)
    assert second.stdout == first.stdout
    assert json.loads(second.stdout)["findings"][0]["path"] == "caf\udce9.ipynb"


def test_a_run_served_from_the_cache_never_loads_the_engine(project: Path) -> None:
    """pre-commit on unchanged notebooks: no libcst import, no worker process."""
    script = (
        "import contextlib, io, sys\n"
        "from jupyter_mllens.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '.'])\n"
        "print('libcst' in sys.modules, 'jupyter_mllens.engine' in sys.modules)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "MLLENS_CACHE_DIR"}

    def loaded() -> str:
        return subprocess.run(
            [sys.executable, "-c", script],
            cwd=project,
            env=environment,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        ).stdout

    assert loaded() == "True True\n"
    assert loaded() == "False False\n"
