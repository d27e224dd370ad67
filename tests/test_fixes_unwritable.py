"""`--fix` on a notebook whose folder cannot be written: one error, the rest is fixed.

Permissions do not bind root, and CI runs as root, so there the CLI runs as the
unprivileged user `nobody` (`setpriv`); elsewhere it runs as the current user. Either way the
folder really is unwritable for the process: nothing is simulated.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.conftest import notebook_json

TLS = "import requests\nresp = requests.get('https://data.example.org/a.csv', verify=False)"
FIXED = "import yaml\nconfig = yaml.load(open('config.yaml'), Loader=yaml.FullLoader)"
NOBODY = 65534


def _mllens(
    *args: str, cwd: Path | None = None, prefix: Sequence[str] = (), home: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The real CLI, `check --isolated --no-cache ...`, run behind `prefix` (another user)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if home is not None:
        env["HOME"] = str(home)
    return subprocess.run(
        [
            *prefix,
            sys.executable,
            "-m",
            "jupyter_mllens",
            "check",
            "--isolated",
            "--no-cache",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to bind")
    prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import jupyter_mllens"],
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if probe.returncode != 0:
        pytest.skip("the unprivileged user cannot reach this checkout's interpreter or package")
    return prefix


@pytest.fixture
def project() -> Iterator[Path]:
    """Outside pytest's private tmp folder, which another user cannot enter."""
    root = Path(tempfile.mkdtemp(prefix="mllens-unwritable-"))
    try:
        yield root
    finally:
        for folder in (root, *root.iterdir()):
            folder.chmod(0o755)
        shutil.rmtree(root)


def test_an_unwritable_notebook_is_one_error_and_the_rest_is_fixed(project: Path) -> None:
    open_folder, locked = project / "open", project / "locked"
    for folder in (open_folder, locked):
        folder.mkdir()
        (folder / "nb.ipynb").write_text(json.dumps(notebook_json(FIXED, TLS)), "utf-8")
        (folder / "nb.ipynb").chmod(0o666)
    open_folder.chmod(0o777)
    locked.chmod(0o555)  # the notebook can be read, not replaced: the rename is refused
    project.chmod(0o755)
    before = (locked / "nb.ipynb").read_bytes()
    completed = _mllens("--fix", str(project), prefix=_as_user(), home=project)
    assert completed.returncode == 2, completed.stderr
    assert f"{locked / 'nb.ipynb'}: error: cannot write it (Permission denied)" in (
        completed.stderr
    )
    assert "Traceback" not in completed.stderr
    fixed = (open_folder / "nb.ipynb").read_text("utf-8")
    assert "yaml.safe_load(open('config.yaml'))" in fixed
    assert "verify=False" in fixed  # unsafe: not applied without --unsafe-fixes
    assert (locked / "nb.ipynb").read_bytes() == before
    assert not [p for p in locked.iterdir() if p.name != "nb.ipynb"]  # no temporary left
    assert stat.S_IMODE((open_folder / "nb.ipynb").stat().st_mode) == 0o666


def test_fix_on_copies_of_the_demo_notebooks_changes_only_the_fixed_sources(
    tmp_path: Path,
) -> None:
    """End to end on the project's own demo notebooks (saved by Jupyter's layout, with
    markdown, outputs and metadata): only edited sources change, byte for byte elsewhere."""
    demos = Path(__file__).resolve().parent.parent / "notebooks"
    names = ["01_hardcoded_credentials.ipynb", "11_artifacts_and_access.ipynb"]
    for name in names:
        shutil.copy(demos / name, tmp_path / name)
    completed = _mllens("--fix", "--unsafe-fixes", "--show-fixes", *names, cwd=tmp_path)
    assert "Traceback" not in completed.stderr
    assert "MLL102 tls-verification-disabled" in completed.stderr  # listed as fixed
    assert "ghp_8fKq2ZrT" not in completed.stdout + completed.stderr
    for name in names:
        original = json.loads((demos / name).read_text("utf-8"))
        fixed_text = (tmp_path / name).read_text("utf-8")
        fixed = json.loads(fixed_text)
        # the same layout Jupyter wrote: re-serialising the result reproduces the file
        assert json.dumps(fixed, indent=1, sort_keys=True, ensure_ascii=False) + "\n" == fixed_text
        changed = [
            i
            for i, (a, b) in enumerate(zip(original["cells"], fixed["cells"], strict=True))
            if a != b
        ]
        assert changed, name
        for i in changed:
            assert {k: v for k, v in original["cells"][i].items() if k != "source"} == {
                k: v for k, v in fixed["cells"][i].items() if k != "source"
            }
        assert original["metadata"] == fixed["metadata"]
    artifacts = (tmp_path / "11_artifacts_and_access.ipynb").read_text("utf-8")
    assert "yaml.safe_load(requests.get" in artifacts
    assert 'head.pkl\\", verify=False)' not in artifacts
    again = _mllens(*names, cwd=tmp_path)
    assert "tls-verification-disabled" not in again.stdout
    assert "`yaml.load`" not in again.stdout
