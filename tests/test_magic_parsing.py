"""The `%mllens` line and the kernel's notebook resolution, without a kernel."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("IPython")

from IPython.core.error import UsageError

from jupyter_mllens.guard import GuardMode
from jupyter_mllens.kernel_source import history_notebook, running_notebook
from jupyter_mllens.magic import MagicRequest, parse_line


@pytest.mark.parametrize(
    ("line", "request_"),
    [
        ("", MagicRequest()),
        ("other.ipynb", MagicRequest(path="other.ipynb")),
        ("'my notebook.ipynb'", MagicRequest(path="my notebook.ipynb")),
        ("--select security", MagicRequest(select=("security",))),
        (
            "nb.ipynb --select MLL1,unversioned-data --ignore MLL3",
            MagicRequest(path="nb.ipynb", select=("MLL1", "unversioned-data"), ignore=("MLL3",)),
        ),
        ("guard", MagicRequest(guard_status=True)),
        ("guard on", MagicRequest(guard=GuardMode.ON)),
        ("guard strict", MagicRequest(guard=GuardMode.STRICT)),
        ("guard off", MagicRequest(guard=GuardMode.OFF)),
    ],
)
def test_parse_line(line: str, request_: MagicRequest) -> None:
    assert parse_line(line) == request_


@pytest.mark.parametrize(
    "line", ["guard maybe", "guard on now", "a.ipynb b.ipynb", "--select", "--fix", "'open"]
)
def test_bad_lines_are_usage_errors_with_the_usage(line: str) -> None:
    with pytest.raises(UsageError, match=r"%mllens guard \[on\|strict\|off\]"):
        parse_line(line)


def test_running_notebook_prefers_what_the_frontend_says(tmp_path: Path) -> None:
    lab = tmp_path / "lab.ipynb"
    code = tmp_path / "code.ipynb"
    lab.write_text("{}", "utf-8")
    code.write_text("{}", "utf-8")
    environ = {"JPY_SESSION_NAME": str(lab)}
    found = running_notebook({}, environ, tmp_path)
    assert found is not None
    assert (found.path, found.told_by) == (lab, "the Jupyter server")
    found = running_notebook({"__vsc_ipynb_file__": str(code)}, environ, tmp_path)
    assert found is not None
    assert (found.path, found.told_by) == (code, "VS Code")


def test_running_notebook_resolves_server_paths_and_ignores_stale_ones(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text("{}", "utf-8")
    # A server path relative to its root, the kernel started in the notebook's folder.
    found = running_notebook({}, {"JPY_SESSION_NAME": "project/nb.ipynb"}, tmp_path)
    assert found is not None
    assert found.path == tmp_path / "nb.ipynb"
    # Renamed since the kernel started, a console's session name, or not a string.
    for value in (str(tmp_path / "old.ipynb"), "console-1", None):
        environ = {} if value is None else {"JPY_SESSION_NAME": value}
        assert running_notebook({"__vsc_ipynb_file__": 42}, environ, tmp_path) is None


def test_history_notebook_numbers_cells_as_executions() -> None:
    notebook = history_notebook(["", "%load_ext jupyter_mllens", "x = 1"])
    assert [cell["source"] for cell in notebook["cells"]] == ["%load_ext jupyter_mllens", "x = 1"]
    assert [cell["id"] for cell in notebook["cells"]] == ["In-0", "In-1"]


def test_importing_the_package_imports_no_jupyter_and_no_engine() -> None:
    """The CLI starts often (pre-commit, nbqa): `import jupyter_mllens` stays cheap."""
    code = (
        "import sys, jupyter_mllens\n"
        "heavy = ('IPython', 'ipywidgets', 'libcst', 'jupyter_mllens.engine', 'typing')\n"
        "print([m for m in heavy if m in sys.modules])"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert completed.stdout.strip() == "[]"
