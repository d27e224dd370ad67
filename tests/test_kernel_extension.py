"""`%load_ext jupyter_mllens` in a real IPython kernel, run by nbclient as Jupyter would.

Each test executes a notebook in a fresh `python3` kernel started from this interpreter
(with this checkout first on `PYTHONPATH`) and reads the outputs the kernel sent: the
widget view, the HTML and text fallback, the guard's warnings and refusals.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ipywidgets")
nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

ROOT = Path(__file__).resolve().parents[1]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TOKEN = "ghp_8fKq2ZrT5vWx7NcY3mLp9HsD4gJb6QaE1uRo"
PASSWORD = "Tr0ub4dor&3-horse"


@pytest.fixture(autouse=True)
def kernel_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel imports this checkout, and starts with no frontend's notebook name."""
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)


def run(folder: Path, *sources: str, allow_errors: bool = False) -> list[Any]:
    """Execute the cells in a new kernel whose working folder is `folder`; the cells back."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=120,
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(folder)}},
    )
    client.execute()
    return list(notebook.cells)


def outputs(cell: Any, kind: str | None = None) -> list[Any]:
    return [o for o in cell.outputs if kind is None or o.output_type == kind]


def panel_output(cell: Any) -> dict[str, Any]:
    (display,) = [o for o in outputs(cell, "display_data") if WIDGET_VIEW in o.data]
    return dict(display.data)


def everything(cells: list[Any]) -> str:
    return json.dumps([c.outputs for c in cells])


def write_notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_mllens_shows_the_widget_and_its_html_fallback_for_the_cells_run(tmp_path: Path) -> None:
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        f'import os\ndb_password = "{PASSWORD}"',
        "%mllens",
    )
    data = panel_output(cells[2])
    assert data[WIDGET_VIEW]["model_id"]
    page, text = data["text/html"], data["text/plain"]
    # No notebook file named by the frontend: the cells run so far, and the panel says so.
    assert "cells run so far" in page
    assert "does not say which notebook file" in page
    assert "In [2], line 2" in page
    assert "hard-coded secret &#x27;Tr0u****&#x27; for <code>db_password</code>" in page
    assert "Pillar: Security" in page
    assert 'Sustainability <span class="mllens-clean-note">✓ clean</span>' in page
    assert "[high] In [2], line 2: hard-coded secret 'Tr0u****' for `db_password`" in text
    assert "Cost optimization: clean" in text
    assert PASSWORD not in everything(cells)


def test_jpy_session_name_names_the_notebook_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JupyterLab and Notebook 7 start kernels with JPY_SESSION_NAME: that file is linted."""
    notebook = write_notebook(
        tmp_path / "project" / "churn.ipynb",
        "import pandas as pd",
        'df = pd.read_csv("data/churn.csv")',
        "%mllens",
    )
    monkeypatch.setenv("JPY_SESSION_NAME", str(notebook))
    cells = run(tmp_path / "project", "%load_ext jupyter_mllens", "%mllens")
    data = panel_output(cells[1])
    assert "ML Lens · churn.ipynb · 1 finding" in data["text/html"]
    assert "the Jupyter server" in data["text/html"]
    # The file's cells, numbered as in the file, not the two cells this kernel ran.
    assert (
        "[medium] cell 2, line 1: `pd.read_csv` reads the local file 'data/churn.csv'"
        in (data["text/plain"])
    )


def test_stale_session_name_falls_back_to_the_cells_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JPY_SESSION_NAME", str(tmp_path / "renamed-since.ipynb"))
    cells = run(tmp_path, "%load_ext jupyter_mllens", "%mllens")
    assert "cells run so far" in panel_output(cells[1])["text/plain"]


def test_another_notebook_with_check_filters_and_its_folders_configuration(
    tmp_path: Path,
) -> None:
    write_notebook(
        tmp_path / "team" / "other.ipynb",
        f'token = "{TOKEN}"',
        'import pandas as pd\ndf = pd.read_csv("raw.csv")',
        "from sklearn.svm import SVC\nm = SVC().fit(df, df.y)\nprint(m.score(df, df.y))",
    )
    (tmp_path / "team" / "pyproject.toml").write_text(
        '[tool.mllens]\nignore = ["missing-experiment-tracking", "missing-data-validation"]\n',
        "utf-8",
    )
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        "%mllens team/other.ipynb",
        "%mllens team/other.ipynb --select security",
        "%mllens team/other.ipynb --ignore MLL1,no-evaluation-split",
        "%mllens --select no-such-rule",
        allow_errors=True,
    )
    everything_text = panel_output(cells[1])["text/plain"]
    assert "ML Lens: team/other.ipynb: 3 findings" in everything_text
    assert "missing-experiment-tracking" not in everything_text  # the folder's configuration
    security = panel_output(cells[2])["text/plain"]
    assert "ML Lens: team/other.ipynb: 1 finding" in security
    assert "GitHub token 'ghp_****'" in security
    ignored = panel_output(cells[3])["text/plain"]
    assert "ML Lens: team/other.ipynb: 1 finding" in ignored
    assert "unversioned-data" in ignored
    # A usage error is one line, as IPython shows any magic's (no traceback).
    (stderr,) = outputs(cells[4], "stream")
    assert (
        stderr.text == "UsageError: %mllens: unknown rule(s): no-such-rule (see `mllens rules`)\n"
    )
    assert TOKEN not in everything(cells)


def test_guard_warns_masked_then_off_is_silent(tmp_path: Path) -> None:
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        "%mllens guard on",
        f'token = "{TOKEN}"\nprint("ran")',
        "x = 1\nprint(x)",
        "%mllens guard off",
        f'token2 = "{TOKEN}"\nprint("ran again")',
    )
    assert outputs(cells[1], "stream")[0].text.startswith("ML Lens guard on")
    (warning,) = outputs(cells[2], "display_data")
    assert "ML Lens guard: 1 high-severity finding in this cell" in warning.data["text/plain"]
    assert "GitHub token &#x27;ghp_****&#x27;" in warning.data["text/html"]
    assert "The cell runs anyway" in warning.data["text/html"]
    assert outputs(cells[2], "stream")[0].text == "ran\n"  # the cell still ran
    assert outputs(cells[3], "display_data") == []  # an ordinary cell: nothing to say
    assert [o.text for o in outputs(cells[3], "stream")] == ["1\n"]
    assert outputs(cells[5], "display_data") == []  # guard off: silent
    assert outputs(cells[5], "stream")[0].text == "ran again\n"
    assert TOKEN not in everything(cells)
    assert "8fKq" not in everything(cells)


FAKE_SKLEARN = {
    "__init__.py": "",
    "linear_model.py": (
        "class LogisticRegression:\n"
        "    def fit(self, X, y):\n        return self\n"
        "    def score(self, X, y):\n        return 1.0\n"
    ),
    "model_selection.py": "def train_test_split(X, y):\n    return X, X, y, y\n",
    "datasets.py": "def load_iris(return_X_y=False):\n    return [[0], [1], [0], [1]], [0, 1, 0, 1]\n",
}


def test_guard_checks_a_cell_in_the_context_of_the_cells_run(tmp_path: Path) -> None:
    """Scoring a model on its training data is found when the fit was an earlier cell.

    A stand-in `sklearn` in the kernel's folder lets the cells really run; the guard only
    reads their text.
    """
    for name, source in FAKE_SKLEARN.items():
        (tmp_path / "sklearn").mkdir(exist_ok=True)
        (tmp_path / "sklearn" / name).write_text(source, "utf-8")
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import train_test_split\n"
        "from sklearn.datasets import load_iris\n"
        "X, y = load_iris(return_X_y=True)  # data the rule judges (literal toy data it does not)\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y)",
        "%mllens guard on",
        "clf = LogisticRegression()\nclf.fit(X_train, y_train)",
        "print(clf.score(X_train, y_train))",
    )
    assert outputs(cells[3], "display_data") == []
    (warning,) = outputs(cells[4], "display_data")
    assert "`clf` is evaluated on `X_train`, the data it was fit on" in (warning.data["text/plain"])
    assert outputs(cells[4], "stream")[0].text == "1.0\n"  # warned, and run


def test_guard_strict_blocks_the_cell(tmp_path: Path) -> None:
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        "%mllens guard strict",
        f'password = "{PASSWORD}"\nprint("ran")',
        "print('password' in globals())",
        "%mllens guard",
        "%mllens guard off",
        f'password = "{PASSWORD}"\nprint("ran")',
        allow_errors=True,
    )
    blocked = cells[2]
    (warning,) = outputs(blocked, "display_data")
    assert "This cell was not run" in warning.data["text/plain"]
    (error,) = outputs(blocked, "error")
    assert error.ename == "CellBlocked"
    assert "hard-coded secret 'Tr0u****' for `password`" in error.evalue
    assert outputs(blocked, "stream") == []  # nothing in the cell ran
    assert outputs(cells[3], "stream")[0].text == "False\n"
    assert outputs(cells[4], "stream")[0].text == "ML Lens guard: strict\n"
    assert outputs(cells[6], "error") == []
    assert outputs(cells[6], "stream")[0].text == "ran\n"
    assert PASSWORD not in everything(cells)


def test_unload_removes_the_magic_and_the_guard(tmp_path: Path) -> None:
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        "%mllens guard on",
        "%unload_ext jupyter_mllens",
        f'token = "{TOKEN}"',
        "%mllens",
        allow_errors=True,
    )
    assert outputs(cells[3], "display_data") == []
    (stderr,) = outputs(cells[4], "stream")
    assert stderr.text.startswith("UsageError: Line magic function `%mllens` not found")


def test_nbconvert_renders_the_html_fallback(tmp_path: Path) -> None:
    """Without saved widget state (GitHub, plain nbconvert) the HTML form is what shows."""
    exporters = pytest.importorskip("nbconvert")
    cells = run(tmp_path, "%load_ext jupyter_mllens", f'api_token = "{TOKEN}"', "%mllens")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = cells
    exporter = exporters.HTMLExporter(exclude_input=True)  # the cell itself holds the token
    body, _ = exporter.from_notebook_node(notebook)
    assert '<div class="mllens-lens">' in body
    assert "hard-coded GitHub token 'ghp_****'" in body
    assert "<details><summary>" in body
    assert TOKEN not in body


def test_vscode_notebook_file_is_honoured(tmp_path: Path) -> None:
    """VS Code names the notebook in the user namespace (`__vsc_ipynb_file__`)."""
    notebook = write_notebook(tmp_path / "analysis.ipynb", f'secret_key = "{PASSWORD}"')
    cells = run(
        tmp_path,
        "%load_ext jupyter_mllens",
        f"__vsc_ipynb_file__ = {str(notebook)!r}",
        "%mllens",
    )
    text = panel_output(cells[2])["text/plain"]
    assert text.startswith("ML Lens: analysis.ipynb: 1 finding")
    assert "VS Code" in text
    assert "[high] cell 1, line 1: hard-coded secret 'Tr0u****' for `secret_key`" in text
