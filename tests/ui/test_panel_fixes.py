"""Fixes from the panel in a real JupyterLab: preview, apply, undo, "Fix all safe".

The notebook turns TLS verification off (`tls-verification-disabled`, an unsafe fix: drop
`verify=False`) and loads YAML with a full loader (`unsafe-deserialization`, a safe fix:
`yaml.safe_load`). "Fix" shows the change first; "Apply" edits the cell as one undoable
step, which Ctrl+Z in the cell takes back; "Fix all safe" applies the YAML fix and leaves
the unsafe one for the user. A hard-coded credential's fix previews the masked value only.
"""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import LabServer, notebook, screenshot
from .test_panel import cell_source, finding, open_notebook, show_panel

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

TLS_CELL = 'url = "https://example.com/data.csv"\nr = requests.get(url, verify=False)'
YAML_CELL = 'with open("config.yaml") as f:\n    cfg = yaml.load(f, Loader=yaml.FullLoader)'


def fixable_notebook() -> dict[str, Any]:
    return notebook(
        ("markdown", "# Fetch and configure"),
        ("code", "import requests\nimport yaml"),
        ("code", TLS_CELL),
        ("code", YAML_CELL),
    )


def test_fix_previews_applies_undoes_and_fixes_all_safe(page: Any, lab_server: LabServer) -> None:
    open_notebook(page, lab_server, "fixes.ipynb", fixable_notebook())
    panel = show_panel(page)
    tls = finding(panel, "tls-verification-disabled")
    tls.wait_for(timeout=15_000)
    finding(panel, "unsafe-deserialization").wait_for(timeout=15_000)
    fix_all = panel.locator(".jp-mllens-fix-all")
    expect(fix_all).to_have_text("Fix all safe (1)")

    # Fix first shows what would change; nothing is edited yet.
    tls.locator(".jp-mllens-fix-toggle").click()
    preview = tls.locator(".jp-mllens-fix-preview")
    preview.wait_for()
    assert "Drop `verify=False`" in preview.inner_text()
    assert "Unsafe fix" in preview.inner_text()
    expect(preview.locator(".jp-mllens-diff-removed")).to_have_text(
        ["- r = requests.get(url, verify=False)"]
    )
    expect(preview.locator(".jp-mllens-diff-added")).to_have_text(["+ r = requests.get(url)"])
    assert "cell 3, line 2" in preview.inner_text()
    assert cell_source(page, 2) == TLS_CELL
    screenshot(panel, "panel-fix-preview.png")
    screenshot(page, "panel-fix-preview-page.png")

    # Apply edits the live cell and the re-lint drops the finding.
    preview.locator(".jp-mllens-fix-apply").click()
    finding(panel, "tls-verification-disabled").wait_for(state="detached", timeout=15_000)
    assert cell_source(page, 2) == 'url = "https://example.com/data.csv"\nr = requests.get(url)'

    # One Ctrl+Z in the cell takes the whole fix back, and the finding returns.
    page.locator(".jp-Cell").nth(2).locator(".cm-content").click()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "src => window.jupyterapp.shell.currentWidget.content.widgets[2].model.sharedModel"
        ".getSource() === src",
        arg=TLS_CELL,
    )
    finding(panel, "tls-verification-disabled").wait_for(timeout=15_000)

    # "Fix all safe" fixes the YAML load and leaves the unsafe TLS fix alone.
    expect(fix_all).to_have_text("Fix all safe (1)")
    fix_all.click()
    finding(panel, "unsafe-deserialization").wait_for(state="detached", timeout=15_000)
    assert cell_source(page, 3) == 'with open("config.yaml") as f:\n    cfg = yaml.safe_load(f)'
    assert cell_source(page, 2) == TLS_CELL
    finding(panel, "tls-verification-disabled").wait_for()
    expect(fix_all).to_have_text("Fix all safe")
    expect(fix_all).to_be_disabled()
    screenshot(panel, "panel-fix-all-safe.png")
    assert page.mllens_errors == []


#: A FAKE password and a FAKE GitHub token of the real shape, as a notebook would paste them.
PASSWORD = "Tr0ub4dor&3-horse"
TOKEN = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"


def test_credential_fix_preview_shows_the_mask_only(page: Any, lab_server: LabServer) -> None:
    content = notebook(
        ("code", "import requests"),
        ("code", f'db_password = "{PASSWORD}"\nprint("connecting")'),
        ("code", f'r = requests.get("https://x:{TOKEN}@github.com/a.csv", verify=False)'),
    )
    open_notebook(page, lab_server, "credential_fix.ipynb", content)
    panel = show_panel(page)
    # Two credentials: the rule's row opens to list them, the password's first.
    rule = panel.locator('.jp-mllens-rule-group[data-rule="hardcoded-credentials"]')
    rule.wait_for(timeout=15_000)
    rule.locator(".jp-mllens-rule-toggle").click()
    leak = finding(panel, "hardcoded-credentials")
    expect(leak.locator(".jp-mllens-where")).to_have_text("cell 2, line 1")
    leak.locator(".jp-mllens-fix-toggle").click()
    preview = leak.locator(".jp-mllens-fix-preview")
    preview.wait_for()
    expect(preview.locator(".jp-mllens-diff-removed")).to_have_text(["- db_password = 'Tr0u****'"])
    expect(preview.locator(".jp-mllens-diff-added")).to_have_text(
        ["+ import os", '+ db_password = os.environ["DB_PASSWORD"]']
    )
    screenshot(panel, "panel-fix-preview-credential.png")
    html = panel.evaluate("node => node.outerHTML")
    assert PASSWORD[:5] not in panel.inner_text() + html
    leak.locator(".jp-mllens-fix-cancel").click()
    preview.wait_for(state="detached")

    # Another rule's fix on a line holding a credential shows that credential masked too.
    tls = finding(panel, "tls-verification-disabled")
    tls.locator(".jp-mllens-fix-toggle").click()
    expect(tls.locator(".jp-mllens-diff-removed")).to_have_text(
        ["- r = requests.get('ghp_****', verify=False)"]
    )
    expect(tls.locator(".jp-mllens-diff-added")).to_have_text(["+ r = requests.get('ghp_****')"])
    html = panel.evaluate("node => node.outerHTML")
    assert TOKEN[:6] not in panel.inner_text() + html
    tls.locator(".jp-mllens-fix-cancel").click()

    leak.locator(".jp-mllens-fix-toggle").click()
    preview.locator(".jp-mllens-fix-apply").click()
    expect(panel.locator('.jp-mllens-finding[data-rule="hardcoded-credentials"]')).to_have_count(
        1, timeout=15_000
    )
    assert cell_source(page, 0) == "import os\nimport requests"
    assert cell_source(page, 1) == 'db_password = os.environ["DB_PASSWORD"]\nprint("connecting")'
    assert page.mllens_errors == []


def test_a_fix_with_two_edits_in_one_cell_is_one_undo_step(
    page: Any, lab_server: LabServer
) -> None:
    # The import goes to the first import cell, which is the credential's own cell here.
    source = f'import requests\ndb_password = "{PASSWORD}"'
    open_notebook(page, lab_server, "one_cell_fix.ipynb", notebook(("code", source)))
    panel = show_panel(page)
    leak = finding(panel, "hardcoded-credentials")
    leak.wait_for(timeout=15_000)
    leak.locator(".jp-mllens-fix-toggle").click()
    preview = leak.locator(".jp-mllens-fix-preview")
    # A compact diff: the unchanged line between the two edits is context.
    expect(preview.locator(".jp-mllens-fix-diff pre > div")).to_have_text(
        [
            "+ import os",
            "  import requests",
            "- db_password = 'Tr0u****'",
            '+ db_password = os.environ["DB_PASSWORD"]',
        ]
    )
    screenshot(panel, "panel-fix-preview-one-cell.png")
    preview.locator(".jp-mllens-fix-apply").click()
    finding(panel, "hardcoded-credentials").wait_for(state="detached", timeout=15_000)
    assert (
        cell_source(page, 0)
        == 'import os\nimport requests\ndb_password = os.environ["DB_PASSWORD"]'
    )

    page.locator(".jp-Cell .cm-content").first.click()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => !window.jupyterapp.shell.currentWidget.content.widgets[0].model.sharedModel"
        ".getSource().includes('os')"
    )
    assert cell_source(page, 0) == source
    finding(panel, "hardcoded-credentials").wait_for(timeout=15_000)
    assert page.mllens_errors == []
