"""jupyter_mllens: lint Jupyter notebooks against the AWS Well-Architected ML Lens.

The engine (`jupyter_mllens.engine.Linter`) is pure Python with no Jupyter server imports;
the CLI, the JupyterLab server extension and the notebook widget are thin faces over it.
"""

from __future__ import annotations

__version__ = "0.1.0"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Lets `jupyter server` find the extension's handlers (`jupyter_mllens.server`)."""
    return [{"module": "jupyter_mllens.server"}]


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    """Where the prebuilt JupyterLab extension lives inside the package."""
    return [{"src": "labextension", "dest": "jupyter-mllens"}]
