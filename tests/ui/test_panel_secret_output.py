"""A credential printed into a saved output (`secret-in-output`, MLL108) in a real JupyterLab.

The notebook reads its Hugging Face token from the environment, as it should, but prints it:
the saved stream output holds the token. The panel lints the outputs it sends and lists the
finding with the token masked; the full token must appear nowhere in what the panel renders
(its text, its HTML attributes, the cell marker's tooltip), only in the output itself. The
finding is placed by its output line, and "Ignore here" silences it the way the engine
honours for outputs: a whole-cell comment on the cell's first line.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import LabServer, notebook, screenshot
from .test_panel import cell_source, finding, open_notebook, show_panel

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

#: A FAKE token of a real Hugging Face token's shape (`hf_` and 34 letters and digits).
TOKEN = "hf_Vq8RtZ3mKx7NpW2cLb9YhJ4sFd6GaE1uTo"
MASKED = "hf_V****"


def printed_token_notebook() -> dict[str, Any]:
    content = notebook(
        ("markdown", "# Hub upload\nThe token comes from the environment, then gets printed."),
        ("code", "import os"),
        ("code", 'print("Hub token:", os.environ["HF_TOKEN"])'),
    )
    content["cells"][1]["execution_count"] = 1
    content["cells"][2].update(
        execution_count=2,
        outputs=[{"output_type": "stream", "name": "stdout", "text": [f"Hub token: {TOKEN}\n"]}],
    )
    return content


def leaked(text: str) -> list[str]:
    """Pieces of the token longer than the 4 characters its mask may show."""
    return [TOKEN[i : i + 5] for i in range(len(TOKEN) - 4) if TOKEN[i : i + 5] in text]


def test_secret_in_output_is_listed_masked(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "printed_token.ipynb", printed_token_notebook())
    # The notebook itself shows the saved output: that is the leak being reported.
    expect(page.locator(".jp-OutputArea-output").first).to_contain_text(TOKEN)
    panel = show_panel(page)
    leak = finding(panel, "secret-in-output")
    leak.wait_for(timeout=15_000)

    assert panel.locator(".jp-mllens-finding").count() == 1
    text = leak.inner_text()
    assert f"Hugging Face token '{MASKED}' is saved in the cell's printed output" in text
    assert "secret-in-output (MLL108)" in text
    assert "cell 3, output 1, line 1" in text
    assert (
        panel.locator(
            '.jp-mllens-pillar[data-pillar="security"] .jp-mllens-pillar-count'
        ).inner_text()
        == "1"
    )
    marker = page.locator(".jp-Cell.jp-mllens-flagged .jp-mllens-cell-marker")
    expect(marker).to_have_count(1)
    assert "MLL108 secret-in-output (output 1, line 1)" in (marker.get_attribute("title") or "")
    assert MASKED in (marker.get_attribute("title") or "")

    # Going there selects the cell; the output's position is not a place in the source.
    leak.locator(".jp-mllens-finding-main").click()
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex === 2"
    )
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.mode") == "command"

    # Opened, the explanation shows; the token still does not.
    leak.locator(".jp-mllens-expand").click()
    leak.locator(".jp-mllens-details").wait_for()
    assert "How to fix it" in leak.inner_text()
    screenshot(page, "panel-secret-in-output.png")
    screenshot(panel, "panel-secret-in-output-sidebar.png")

    panel_text = panel.inner_text()
    panel_html = panel.evaluate("node => node.outerHTML")
    assert MASKED in panel_text
    assert TOKEN not in panel_text
    assert TOKEN not in panel_html
    assert leaked(panel_text + panel_html) == []
    # Nor anywhere else the extension renders: the page without the output areas holds
    # no piece of the token (the status bar, markers and tooltips included).
    rest = page.evaluate(
        """() => {
            const copy = document.documentElement.cloneNode(true);
            copy.querySelectorAll('.jp-OutputArea').forEach(node => node.remove());
            return copy.outerHTML;
        }"""
    )
    assert TOKEN in page.content()
    assert leaked(rest) == []

    # "Ignore here" writes the whole-cell comment the engine honours for outputs.
    ignore = leak.locator(".jp-mllens-ignore-here")
    assert "cell's first line" in (ignore.get_attribute("title") or "")
    ignore.click()
    finding(panel, "secret-in-output").wait_for(state="detached", timeout=15_000)
    assert cell_source(page, 2) == (
        '# mllens: ignore[secret-in-output]\nprint("Hub token:", os.environ["HF_TOKEN"])'
    )
    assert page.mllens_errors == []
