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
    page.set_viewport_size({"width": 1440, "height": 2000})  # the whole explanation at once
    details.scroll_into_view_if_needed()
    screenshot(panel, "finding-details.png")
    page.set_viewport_size({"width": 1440, "height": 900})

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


def run_command(page: Any, command: str, args: dict[str, Any] | None = None) -> None:
    page.evaluate(
        "([command, args]) => window.jupyterapp.commands.execute(command, args)",
        [command, args or {}],
    )


def test_ignore_here_is_undoable_like_typing(page: Any, lab_server: LabServer) -> None:
    content = notebook(("code", 'api_token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"'))
    open_notebook(page, lab_server, "undo.ipynb", content)
    panel = show_panel(page)
    leak = finding(panel, "hardcoded-credentials")
    leak.locator(".jp-mllens-expand").click()
    leak.locator(".jp-mllens-ignore-here").click()
    finding(panel, "hardcoded-credentials").wait_for(state="detached", timeout=15_000)
    assert cell_source(page, 0).endswith("  # mllens: ignore[hardcoded-credentials]")

    # Ctrl+Z in the cell undoes the comment like any edit, and the finding returns.
    page.locator(".jp-Cell .cm-content").first.click()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.content.widgets[0].model.sharedModel"
        ".getSource().includes('mllens')"
    )
    finding(panel, "hardcoded-credentials").wait_for(timeout=15_000)
    assert page.mllens_errors == []


def test_untitled_unsaved_notebook_and_palette_commands(page: Any, lab_server: LabServer) -> None:
    page.goto(lab_server.lab_url())
    page.wait_for_selector(".jp-LauncherCard", state="visible")
    run_command(page, "notebook:create-new", {"kernelName": "python3"})
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell .cm-content", state="visible")
    panel = show_panel(page)
    page.locator(".jp-Cell .cm-content").first.click()
    page.keyboard.type('aws_secret_access_key = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"')
    finding(panel, "hardcoded-credentials").wait_for(timeout=15_000)
    assert panel.locator(".jp-mllens-notebook").inner_text().startswith("Untitled")
    expect(page.locator(".jp-mllens-statusitem")).to_have_text("ML Lens: 1 finding")

    # Both commands are in the palette.
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Shift+c")
    page.locator(".jp-mod-commandPalette input, #command-palette input").first.fill("ML Lens")
    items = page.locator(".lm-CommandPalette-itemLabel").all_inner_texts()
    assert "Lint Notebook with ML Lens" in items
    assert "Show ML Lens Panel" in items
    page.keyboard.press("Escape")
    assert page.mllens_errors == []


def test_missing_server_extension_is_explained(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "offline.ipynb", CHURN)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for()
    # Answer as a server without the extension would: 404 on the route.
    page.route("**/mllens/lint*", lambda route: route.fulfill(status=404, body="Not Found"))
    panel.locator(".jp-mllens-relint").click()
    alert = panel.locator(".jp-mllens-status-server-missing")
    alert.wait_for()
    assert "Install jupyter_mllens" in alert.inner_text()
    expect(page.locator(".jp-mllens-statusitem")).to_have_text("ML Lens: server missing")
    screenshot(panel, "panel-server-missing.png")

    page.unroute("**/mllens/lint*")
    page.route(
        "**/mllens/lint*",
        lambda route: route.fulfill(
            status=500, content_type="application/json", body='{"message": "Unhandled error"}'
        ),
    )
    panel.locator(".jp-mllens-relint").click()
    panel.locator(".jp-mllens-status-error").wait_for()
    assert "500: Unhandled error" in panel.locator(".jp-mllens-status-error").inner_text()


def test_dark_theme(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "dark.ipynb", CHURN)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for()
    run_command(page, "apputils:change-theme", {"theme": "JupyterLab Dark"})
    try:
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        finding(panel, "hardcoded-credentials").locator(".jp-mllens-expand").click()
        page.wait_for_timeout(500)  # let the theme's CSS variables settle
        background = panel.evaluate("node => getComputedStyle(node).backgroundColor")
        color = panel.evaluate("node => getComputedStyle(node).color")
        assert luminance(background) < 0.2 < luminance(color)
        screenshot(page, "panel-dark.png")
        screenshot(panel, "panel-dark-sidebar.png")
    finally:
        run_command(page, "apputils:change-theme", {"theme": "JupyterLab Light"})


def luminance(css_color: str) -> float:
    """Relative brightness (0..1) of an `rgb(...)`/`rgba(...)` colour."""
    r, g, b = (int(v) for v in css_color[css_color.index("(") + 1 : -1].split(",")[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_panel_follows_the_active_notebook(page: Any, lab_server: LabServer) -> None:
    clean = notebook(("code", "import os\ntoken = os.environ['API_TOKEN']"))
    (lab_server.root / "clean.ipynb").write_text(json.dumps(clean), "utf-8")
    open_notebook(page, lab_server, "follow.ipynb", CHURN)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for()

    run_command(page, "docmanager:open", {"path": "clean.ipynb"})
    expect(panel.locator(".jp-mllens-notebook")).to_have_text("clean.ipynb")
    expect(panel.locator(".jp-mllens-empty")).to_have_text(
        "No findings: all six pillars are clean."
    )
    assert panel.locator(".jp-mllens-finding").count() == 0
    assert panel.locator(".jp-mllens-pillar.jp-mod-clean").count() == 6
    screenshot(panel, "panel-clean-notebook.png")

    page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab:has-text("follow.ipynb")').click()
    expect(panel.locator(".jp-mllens-notebook")).to_have_text("follow.ipynb")
    finding(panel, "hardcoded-credentials").wait_for()
    assert page.mllens_errors == []


def test_lints_on_save_and_after_a_run(page: Any, lab_server: LabServer) -> None:
    content = notebook(("code", "x = 1"), ("code", 'password = "Tr0ub4dor&3-horse"'))
    open_notebook(page, lab_server, "triggers.ipynb", content)
    panel = show_panel(page)
    finding(panel, "hardcoded-credentials").wait_for()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/mllens/lint" in r.url else None)

    page.locator(".jp-Notebook").click()
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    page.wait_for_timeout(500)
    assert len(requests) == 1, "saving lints once"

    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    run_command(page, "notebook:run-all-cells")
    page.wait_for_function(
        "() => window.jupyterapp.shell.currentWidget.content.widgets[1].model.executionCount === 2",
        timeout=60_000,
    )
    page.wait_for_timeout(1000)
    assert len(requests) == 2, "a run of two cells lints once"
    assert page.mllens_errors == []
