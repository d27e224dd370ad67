"""Which notebook a kernel is running, as far as the frontend tells the kernel.

- JupyterLab and Notebook 7 (jupyter_server >= 2) start the kernel with `JPY_SESSION_NAME`,
  the notebook's path (absolute when the server knows the file name). It is set once, at
  kernel start: a notebook renamed afterwards leaves it stale, so a path that is no longer
  a file is ignored.
- VS Code puts `__vsc_ipynb_file__` in the user namespace.

Otherwise (classic Notebook, nbclient, a terminal IPython) there is no file to read, and the
cells executed so far (`In[1:]`, raw, as typed) stand in for the notebook.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .reader import code_notebook

SESSION_VARIABLE = "JPY_SESSION_NAME"
VSCODE_VARIABLE = "__vsc_ipynb_file__"


@dataclass(frozen=True)
class RunningNotebook:
    """The notebook file of the running kernel and the frontend that named it."""

    path: Path
    told_by: str


def running_notebook(
    user_ns: Mapping[str, Any], environ: Mapping[str, str], cwd: Path
) -> RunningNotebook | None:
    """The running notebook's file, if the frontend said and the file is there."""
    candidates: list[tuple[object, str]] = [
        (user_ns.get(VSCODE_VARIABLE), "VS Code"),
        (environ.get(SESSION_VARIABLE), "the Jupyter server"),
    ]
    for value, told_by in candidates:
        if not isinstance(value, str) or not value.endswith(".ipynb"):
            continue
        for path in _resolutions(Path(value), cwd):
            if path.is_file():
                return RunningNotebook(path, told_by)
    return None


def _resolutions(path: Path, cwd: Path) -> list[Path]:
    """An absolute path as is; a server path relative to its root may also be the file's
    name in the kernel's folder (the kernel starts in the notebook's folder)."""
    if path.is_absolute():
        return [path]
    return [cwd / path, cwd / path.name]


def history_notebook(raw_inputs: Sequence[str]) -> dict[str, Any]:
    """The cells executed so far as notebook JSON; cell `i` (0-based) is `In[i + 1]`.

    `raw_inputs` is IPython's `input_hist_raw`, whose entry 0 is a placeholder.
    """
    return code_notebook(list(raw_inputs[1:]), id_prefix="In-")


def current_directory() -> Path:
    return Path(os.getcwd())
