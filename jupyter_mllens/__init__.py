"""jupyter_mllens: lint Jupyter notebooks against the AWS Well-Architected ML Lens.

The engine (`jupyter_mllens.engine.Linter`) is pure Python with no Jupyter server imports;
the CLI, the JupyterLab server extension and the notebook widget are thin faces over it.

This module stays cheap to import, because `mllens` starts often (pre-commit, nbqa): the
Python API and the IPython extension below import the engine, IPython and ipywidgets only
when they are called.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing typing at run time costs start-up time
    import os
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .findings import LintResult

__version__ = "0.1.0"
__all__ = ["__version__", "lint_notebook", "load_ipython_extension", "unload_ipython_extension"]


def lint_notebook(
    notebook: str | os.PathLike[str] | Mapping[str, Any],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    path: str | None = None,
) -> LintResult:
    """Lint a notebook file or notebook JSON; the findings in the CLI's schema.

    Configuration is `[tool.mllens]` found from the notebook's folder; `select` and
    `ignore` work as `mllens check --select/--ignore` (rule names, codes, code prefixes,
    pillars, phases); `path` names notebook JSON in the findings. See `jupyter_mllens.api`.
    """
    from .api import lint_notebook as lint

    return lint(notebook, select=select, ignore=ignore, path=path)


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext jupyter_mllens`: registers the `%mllens` magic."""
    from .magic import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """`%unload_ext jupyter_mllens`: removes `%mllens` and switches the cell guard off."""
    from .magic import unload

    unload(ipython)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Lets `jupyter server` find the extension's handlers (`jupyter_mllens.server`)."""
    return [{"module": "jupyter_mllens.server"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt JupyterLab extension lives inside the package."""
    return [{"src": "labextension", "dest": "jupyter-mllens"}]
