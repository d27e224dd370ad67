"""`%mllens` in a real JupyterLab: the ipywidgets panel rendered in Chromium, light and dark.

JupyterLab starts the kernel with `JPY_SESSION_NAME`, so the panel lints the saved file.
Screenshots go to tests/artifacts/ (look at them: a passing assertion on a blank page is a
failure).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import LabServer, notebook, screenshot

expect = pytest.importorskip("playwright.sync_api").expect
pytest.importorskip("ipywidgets")

pytestmark = pytest.mark.e2e

PANEL = ".mllens-panel"
SECRET = "Tr0ub4dor&3-horse"

LENS = notebook(
    ("markdown", "# Loan model\nThe ML Lens panel, inside the notebook."),
    ("code", "%load_ext jupyter_mllens"),
    (
        "code",
        f'db_password = "{SECRET}"\n'
        'url = f"postgresql://analyst:{db_password}@warehouse:5432/loans"',
    ),
    # Defined, not called: the cells must run without pandas installed.
    (
        "code",
        'def load_loans():\n    import pandas as pd\n\n    return pd.read_csv("data/loans.csv")',
    ),
    ("code", "%mllens"),
)


def run_all(page: Any, lab: LabServer, name: str) -> Any:
    """Open the notebook, run every cell once the kernel is idle; the panel's locator."""
    (lab.root / name).write_text(json.dumps(LENS, indent=1), "utf-8")
    page.goto(lab.lab_url(name))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="visible")
    # JupyterLab may ask which kernel to start: the notebook's own (python3).
    kernel = page.locator(".jp-Dialog button.jp-mod-accept")
    try:
        kernel.wait_for(state="visible", timeout=5_000)
        kernel.click()
    except Exception:
        pass  # no dialog: the kernel was started directly
    page.wait_for_selector(
        ".jp-Notebook-ExecutionIndicator[data-status='idle']", state="attached", timeout=60_000
    )
    # Not awaited: the command's promise settles only when every cell has run.
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    panel = page.locator(PANEL)
    try:
        panel.wait_for(state="visible", timeout=60_000)
    except Exception:
        screenshot(page, f"widget-panel-missing-{name}.png")
        raise
    return panel


def luminance(css_color: str) -> float:
    r, g, b = (int(v) for v in css_color[css_color.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_mllens_panel_renders_filters_and_explains(page: Any, lab_server: LabServer) -> None:
    panel = run_all(page, lab_server, "loans.ipynb")
    title = panel.locator(".mllens-title")
    expect(title).to_contain_text("ML Lens · loans.ipynb · 2 findings")
    assert panel.locator(".mllens-section").count() == 6
    expect(panel.locator(".mllens-pillar-sustainability")).to_contain_text("✓ clean")
    security = panel.locator(".mllens-pillar-security .mllens-finding")
    assert security.count() == 1
    expect(security).to_contain_text("High")
    expect(security).to_contain_text("cell 3, line 1")
    expect(security).to_contain_text("hard-coded secret 'Tr0u****' for db_password")
    panel.scroll_into_view_if_needed()
    screenshot(panel, "widget-panel-light.png")

    # Expand: the pillar context from the catalog.
    security.locator("button.widget-toggle-button").click()
    details = security.locator(".mllens-details")
    expect(details).to_be_visible()
    for text in ("Pillar: Security", "Lifecycle phase: Data processing", "MLSEC03-BP02"):
        expect(details).to_contain_text(text)
    expect(details).to_contain_text("Why it matters")
    expect(details).to_contain_text("How to fix it")
    screenshot(panel, "widget-panel-expanded-light.png")

    # Severity filter: hiding medium hides the unversioned-data rows.
    data_rows = panel.locator(".mllens-sev-row-medium")
    assert data_rows.count() == 2  # under reliability and operational excellence
    expect(data_rows.first).to_be_visible()
    panel.locator("button.widget-toggle-button", has_text="Medium 1").click()
    expect(data_rows.first).to_be_hidden()
    expect(panel.locator(".mllens-pillar-reliability")).to_contain_text(
        "1 hidden by the severity filter"
    )
    panel.locator("button.widget-toggle-button", has_text="Medium 1").click()
    expect(data_rows.first).to_be_visible()

    # Pillar filter: only security left on screen.
    panel.locator(".widget-dropdown select").select_option(label="Security (1)")
    expect(panel.locator(".mllens-pillar-reliability")).to_be_hidden()
    expect(panel.locator(".mllens-pillar-security")).to_be_visible()
    panel.locator(".widget-dropdown select").select_option(label="All pillars")
    expect(panel.locator(".mllens-pillar-reliability")).to_be_visible()
    assert SECRET not in page.locator(".jp-OutputArea").first.inner_text()
    assert page.mllens_errors == []


def test_mllens_panel_in_the_dark_theme(page: Any, lab_server: LabServer) -> None:
    panel = run_all(page, lab_server, "dark-lens.ipynb")
    panel.locator(".mllens-pillar-security button.widget-toggle-button").click()
    page.evaluate(
        "() => window.jupyterapp.commands.execute('apputils:change-theme',"
        " {theme: 'JupyterLab Dark'})"
    )
    try:
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        page.wait_for_timeout(500)  # let the theme's CSS variables settle
        text = panel.locator(".mllens-title")
        color = text.evaluate("node => getComputedStyle(node).color")
        background = page.locator(".jp-Notebook").evaluate(
            "node => getComputedStyle(node).backgroundColor"
        )
        assert luminance(background) < 0.2 < luminance(color)
        panel.scroll_into_view_if_needed()
        screenshot(panel, "widget-panel-dark.png")
    finally:
        page.evaluate(
            "() => window.jupyterapp.commands.execute('apputils:change-theme',"
            " {theme: 'JupyterLab Light'})"
        )
