"""The ML Lens panel in a real JupyterLab, driven in Chromium like a user would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import LabServer, notebook, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

CHURN = notebook(
    ("markdown", "# Churn model\nA first experiment."),
    (
        "code",
        "import os\nimport boto3\nimport pandas as pd\n"
        "from sklearn.ensemble import RandomForestClassifier",
    ),
    (
        "code",
        'db_password = "Tr0ub4dor&3-horse"\n'
        'engine_url = f"postgresql://analyst:{db_password}@warehouse:5432/features"',
    ),
    (
        "code",
        'df = pd.read_csv("data/churn.csv")\nX, y = df.drop(columns=["churned"]), df["churned"]',
    ),
    # Enough cells that reaching the last one needs a scroll.
    *[("code", f"feature_{i} = df.iloc[:, {i}].describe()\nfeature_{i}") for i in range(30)],
    (
        "code",
        "model = RandomForestClassifier(n_estimators=200)\nmodel.fit(X, y)\nprint(model.score(X, y))",
    ),
)

PANEL = "#jp-mllens-panel"


def open_notebook(page: Any, lab: LabServer, name: str, content: dict[str, Any]) -> None:
    (lab.root / name).write_text(json.dumps(content, indent=1), "utf-8")
    page.goto(lab.lab_url(name))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="visible")
    page.wait_for_selector(f'.jp-SideBar [data-id="{PANEL[1:]}"]', state="attached")


def show_panel(page: Any) -> Any:
    page.locator(f'.jp-SideBar [data-id="{PANEL[1:]}"]').click()
    panel = page.locator(PANEL)
    panel.wait_for(state="visible")
    return panel


def finding(panel: Any, rule: str) -> Any:
    return panel.locator(f'.jp-mllens-finding[data-rule="{rule}"]').first


def cell_source(page: Any, index: int) -> str:
    return str(
        page.evaluate(
            "i => window.jupyterapp.shell.currentWidget.content.widgets[i].model.sharedModel.getSource()",
            index,
        )
    )


def editor_state(page: Any) -> dict[str, Any]:
    """The active cell's editor: notebook mode, focus and 0-based cursor position."""
    return dict(
        page.evaluate(
            """() => {
                const notebook = window.jupyterapp.shell.currentWidget.content;
                const editor = notebook.activeCell.editor;
                return { mode: notebook.mode, focused: editor.hasFocus(), ...editor.getCursorPosition() };
            }"""
        )
    )


def test_panel_shows_explains_navigates_and_updates(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "churn.ipynb", CHURN)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for()

    # Grouped by pillar, all six pillars counted, clean ones visibly clean.
    pillars = panel.locator(".jp-mllens-pillar")
    assert pillars.count() == 6
    assert (
        panel.locator('.jp-mllens-pillar[data-pillar="sustainability"]')
        .get_attribute("class")
        .endswith("jp-mod-clean")
    )
    assert (
        panel.locator(
            '.jp-mllens-pillar[data-pillar="security"] .jp-mllens-pillar-count'
        ).inner_text()
        == "1"
    )
    groups = panel.locator(".jp-mllens-group").evaluate_all("els => els.map(e => e.dataset.group)")
    assert groups == ["operational-excellence", "security", "reliability", "performance-efficiency"]
    screenshot(page, "panel-light.png")
    screenshot(panel, "panel-light-sidebar.png")

    # Expanded: pillar and phase meaning, the best practice, why, how to fix, an example.
    credentials = finding(panel, "hardcoded-credentials")
    credentials.locator(".jp-mllens-expand").click()
    details = credentials.locator(".jp-mllens-details")
    details.wait_for()
    text = details.inner_text()
    for expected in (
        "Pillar: Security",
        "Lifecycle phase",
        "MLSEC03-BP02",
        "Why it matters",
        "How to fix it",
        "Good:",
    ):
        assert expected in text
    screenshot(panel, "panel-finding-expanded.png")

    # Cells with findings carry a marker with the message on hover.
    marker = page.locator(".jp-Cell.jp-mllens-flagged .jp-mllens-cell-marker").first
    assert "hardcoded-credentials" in (marker.get_attribute("title") or "")

    # Click: the notebook scrolls to the cell, selects it, cursor on the line.
    last = len(CHURN["cells"]) - 1
    evaluation = finding(panel, "no-evaluation-split")
    assert "cell 35, line 3" in evaluation.inner_text()
    evaluation.locator(".jp-mllens-finding-main").click()
    page.wait_for_function(
        f"() => window.jupyterapp.shell.currentWidget.content.activeCellIndex === {last}"
    )
    expect(page.locator(".jp-Cell.jp-mod-active")).to_be_in_viewport()
    expect(page.locator(".jp-Cell.jp-mod-active .jp-mllens-cell-marker")).to_be_visible()
    assert editor_state(page) == {"mode": "edit", "focused": True, "line": 2, "column": 6}
    screenshot(page, "navigated-to-cell.png")

    credentials.locator(".jp-mllens-finding-main").click()
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex === 2"
    )
    expect(page.locator(".jp-Cell.jp-mod-active")).to_be_in_viewport()
    assert editor_state(page) == {"mode": "edit", "focused": True, "line": 0, "column": 14}

    # Fix the code in the cell: the finding disappears after the typing debounce.
    page.keyboard.press("End")
    page.keyboard.press("Shift+Home")
    page.keyboard.type('db_password = os.environ["DB_PASSWORD"]')
    finding(panel, "hardcoded-credentials").wait_for(state="detached", timeout=15_000)
    assert (
        panel.locator('.jp-mllens-pillar[data-pillar="security"]')
        .get_attribute("class")
        .endswith("jp-mod-clean")
    )

    # "Ignore here" writes the comment the engine honours, and the finding goes away.
    data = finding(panel, "unversioned-data")
    data.locator(".jp-mllens-expand").click()
    data.locator(".jp-mllens-ignore-here").click()
    finding(panel, "unversioned-data").wait_for(state="detached", timeout=15_000)
    assert "# mllens: ignore[unversioned-data]" in cell_source(page, 3).splitlines()[0]
    screenshot(page, "after-fix-and-ignore.png")

    # "Ignore in this notebook" writes the metadata; the panel offers to restore it.
    tracking = finding(panel, "missing-experiment-tracking")
    tracking.locator(".jp-mllens-expand").click()
    tracking.locator(".jp-mllens-ignore-notebook").click()
    finding(panel, "missing-experiment-tracking").wait_for(state="detached", timeout=15_000)
    metadata = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.model.getMetadata('mllens')"
    )
    assert metadata == {"ignore": ["missing-experiment-tracking"]}
    panel.locator(".jp-mllens-restore").click()
    finding(panel, "missing-experiment-tracking").wait_for(timeout=15_000)
    assert page.mllens_errors == []
