"""Opening and linting a notebook leaves it unmodified: the panel never marks a notebook dirty.

A notebook saved with partial kernel metadata is marked dirty by JupyterLab itself as soon
as its kernel reports `language_info` and the kernelspec's display name. So the notebook
here carries the metadata this server's kernel writes, read from a first notebook, and
any change after opening and linting it could only come from the extension.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from .conftest import LabServer
from .test_panel import CHURN, finding, open_notebook, show_panel

pytestmark = pytest.mark.e2e

KERNEL_READY = """() => {
    const w = window.jupyterapp.shell.currentWidget;
    const info = w.context.model.getMetadata('language_info');
    return w.sessionContext.session?.kernel?.status === 'idle' && info && info.version;
}"""


def live_metadata(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate("() => window.jupyterapp.shell.currentWidget.context.model.toJSON().metadata")
    )


def test_a_linted_notebook_stays_unmodified(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "kernel-metadata.ipynb", CHURN)
    page.wait_for_function(KERNEL_READY)
    metadata = live_metadata(page)

    settled = copy.deepcopy(CHURN)
    settled["metadata"] = metadata
    open_notebook(page, lab_server, "clean-open.ipynb", settled)
    page.wait_for_function(KERNEL_READY)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for(state="visible")
    # Go to a finding (scrolls and selects a cell) and let any late update land.
    finding(panel, "hardcoded-credentials").click()
    page.wait_for_timeout(1500)
    state = page.evaluate(
        """() => {
            const w = window.jupyterapp.shell.currentWidget;
            return { dirty: w.context.model.dirty, path: w.context.path };
        }"""
    )
    assert state["path"] == "clean-open.ipynb"
    assert live_metadata(page) == metadata
    assert state["dirty"] is False
    assert not page.mllens_errors
