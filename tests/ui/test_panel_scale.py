"""The panel on a notebook with 100+ findings, and what it sends, in a real JupyterLab.

A long notebook where a few rules fire many times: the panel groups by pillar with
counts, shows each such rule as one header row with its count, opens it from the
keyboard, and goes to a finding's cell. The lint request carries bounded text outputs
and execution counts, never images, and the real server answers it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import LabServer, notebook, screenshot
from .test_panel import PANEL, open_notebook, show_panel

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

READS, INSTALLS, UNVERIFIED = 60, 25, 20
#: Cells before the generated ones: a markdown title and the imports.
FIRST = 2


def many_findings_notebook() -> dict[str, Any]:
    """A long exploratory notebook: 108 findings, most from three rules firing per cell."""
    cells: list[tuple[str, str]] = [
        ("markdown", "# Feature store audit\nA long exploratory notebook."),
        (
            "code",
            "import pandas as pd\nimport requests\nfrom sklearn.linear_model import LogisticRegression",
        ),
    ]
    cells += [("code", f'part_{i} = pd.read_csv("data/part_{i}.csv")') for i in range(READS)]
    cells += [("code", f"!pip install package-{i}") for i in range(INSTALLS)]
    cells += [
        ("code", f'resp_{i} = requests.get("https://internal.example.com/{i}", verify=False)')
        for i in range(UNVERIFIED)
    ]
    cells += [
        ("code", 'db_password = "Tr0ub4dor&3-horse"'),
        ("code", "assert part_0.notna().all().all() and part_1.notna().all().all()"),
        (
            "code",
            "model = LogisticRegression()\nmodel.fit(part_0, part_1)\n"
            "print(model.score(part_0, part_1))",
        ),
    ]
    return notebook(*cells)


def group_count(panel: Any, group: str) -> int:
    return int(panel.locator(f'[data-group="{group}"] .jp-mllens-group-count').inner_text())


def rule_row(panel: Any, group: str, rule: str) -> Any:
    return panel.locator(f'[data-group="{group}"] .jp-mllens-rule-group[data-rule="{rule}"]')


def focused_key(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement?.dataset?.focusKey ?? ''"))


def test_hundred_findings_grouped_by_pillar_and_rule(page: Any, lab_server: LabServer) -> None:
    page.set_viewport_size({"width": 1440, "height": 1000})
    open_notebook(page, lab_server, "many.ipynb", many_findings_notebook())
    panel = show_panel(page)
    rule_row(panel, "security", "tls-verification-disabled").wait_for(timeout=30_000)
    expect(page.locator(".jp-mllens-statusitem")).to_have_text("ML Lens: 108 findings")

    # Pillar names come from GET /mllens/rules (the short ones in the header grid).
    header = panel.locator('.jp-mllens-pillar[data-pillar="operational-excellence"]')
    assert header.locator(".jp-mllens-pillar-title").inner_text() == "Operations"
    assert "Operational excellence" in (header.get_attribute("title") or "")

    # Grouped by pillar with counts; a finding under two pillars counts in both.
    groups = panel.locator(".jp-mllens-group").evaluate_all("els => els.map(e => e.dataset.group)")
    assert groups == ["operational-excellence", "security", "reliability", "performance-efficiency"]
    assert group_count(panel, "security") == UNVERIFIED + 1
    assert group_count(panel, "reliability") == READS + INSTALLS + 2
    assert group_count(panel, "operational-excellence") == READS + INSTALLS + 1
    assert panel.locator('[data-group="reliability"] .jp-mllens-group-name').text_content() == (
        "Reliability"
    )

    # A rule firing many times is one closed header row with its count.
    reads = rule_row(panel, "reliability", "unversioned-data")
    assert reads.locator(".jp-mllens-rule-count").inner_text() == str(READS)
    assert "cells 3, 4, 5" in reads.locator(".jp-mllens-where").inner_text()
    toggle = reads.locator(".jp-mllens-rule-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    # Closed rules put none of their findings in the DOM: 108 findings, 5 finding rows
    # (the single-finding rules, two of them under two pillars each).
    assert panel.locator(".jp-mllens-finding").count() == 5
    assert panel.locator(".jp-mllens-rule-group").count() == 5
    screenshot(panel, "panel-many-findings.png")

    # The keyboard alone: focus the TLS rule, open it, step into it, go to a finding.
    tls = rule_row(panel, "security", "tls-verification-disabled")
    tls.locator(".jp-mllens-rule-toggle").focus()
    page.keyboard.press("Enter")
    expect(tls.locator(".jp-mllens-rule-toggle")).to_have_attribute("aria-expanded", "true")
    expect(tls.locator(".jp-mllens-finding")).to_have_count(UNVERIFIED)
    assert focused_key(page) == "rule:security/tls-verification-disabled"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert focused_key(page).startswith("finding:security:cell-")
    screenshot(panel, "panel-many-findings-rule-open.png")
    page.keyboard.press("Enter")
    second = FIRST + READS + INSTALLS + 1
    page.wait_for_function(
        f"() => window.jupyterapp.shell.currentWidget.content.activeCellIndex === {second}"
    )
    expect(page.locator(".jp-Cell.jp-mod-active")).to_be_in_viewport(timeout=15_000)
    screenshot(page, "many-findings-navigated.png")

    # Back in the panel, Left closes the rule again and Up walks to the pillar header.
    tls.locator(".jp-mllens-rule-toggle").focus()
    page.keyboard.press("ArrowLeft")
    expect(tls.locator(".jp-mllens-finding")).to_have_count(0)
    page.keyboard.press("ArrowLeft")
    assert focused_key(page) == "group:security"
    page.keyboard.press("Space")
    expect(panel.locator('[data-group="security"] .jp-mllens-group-toggle')).to_have_attribute(
        "aria-expanded", "false"
    )
    assert panel.locator('[data-group="security"] .jp-mllens-rule-group').count() == 0
    assert page.mllens_errors == []


def test_other_extensions_read_the_findings_through_the_token(
    page: Any, lab_server: LabServer
) -> None:
    open_notebook(page, lab_server, "token.ipynb", many_findings_notebook())
    panel = show_panel(page)
    rule_row(panel, "security", "tls-verification-disabled").wait_for(timeout=30_000)
    # A consumer plugin would `requires: [IMLLensFindings]`; the test takes the token the
    # plugin provides from the registry and resolves it as JupyterLab does for a consumer.
    seen = page.evaluate(
        """async () => {
            const app = window.jupyterapp;
            const token = app.pluginRegistry._plugins.get('jupyter-mllens:plugin').provides;
            const findings = await app.resolveRequiredService(token);
            return {
                name: token.name,
                path: findings.path,
                status: findings.status,
                count: findings.findings.length,
                version: findings.result.version,
                rule: findings.rule('tls-verification-disabled').code,
                pillars: Object.keys(findings.catalog.pillars).length
            };
        }"""
    )
    assert seen == {
        "name": "jupyter-mllens:IMLLensFindings",
        "path": "token.ipynb",
        "status": "ready",
        "count": 108,
        "version": 1,
        "rule": "MLL102",
        "pillars": 6,
    }


PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def test_lint_request_carries_bounded_text_outputs_and_execution_counts(
    page: Any, lab_server: LabServer
) -> None:
    content = notebook(
        ("code", "import warnings\nwarnings.warn('X has feature names')"),
        ("code", "df.describe()"),
        ("code", 'password = "Tr0ub4dor&3-horse"'),
    )
    log = "UserWarning: X has feature names\n" + "epoch loss 0.1\n" * 20_000
    content["cells"][0].update(
        execution_count=3,
        outputs=[
            {"output_type": "stream", "name": "stderr", "text": log},
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"image/png": PNG * 1000, "text/plain": "<Figure size 640x480>"},
            },
        ],
    )
    content["cells"][1].update(
        execution_count=4,
        outputs=[
            {
                "output_type": "execute_result",
                "execution_count": 4,
                "metadata": {},
                "data": {"text/plain": "count 10.0", "text/html": "<table></table>"},
            }
        ],
    )
    bodies: list[dict[str, Any]] = []

    def record(request: Any) -> None:
        if request.method == "POST" and "/mllens/lint" in request.url:
            bodies.append(json.loads(request.post_data))

    page.on("request", record)
    with page.expect_response(lambda r: "/mllens/lint" in r.url and r.status == 200) as answer:
        open_notebook(page, lab_server, "outputs.ipynb", content)
    result = answer.value.json()
    assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]
    assert result["errors"] == []

    cells = bodies[0]["notebook"]["cells"]
    assert [c["execution_count"] for c in cells] == [3, 4, None]
    stream, figure = cells[0]["outputs"]
    assert stream["name"] == "stderr"
    assert stream["text"].startswith("UserWarning: X has feature names")
    assert "characters not sent by ML Lens" in stream["text"]
    assert len(stream["text"]) < 17_000 < len(log)
    assert figure["data"] == {"text/plain": "<Figure size 640x480>"}
    assert cells[1]["outputs"] == [
        {
            "output_type": "execute_result",
            "execution_count": 4,
            "metadata": {},
            "data": {"text/plain": "count 10.0"},
        }
    ]
    raw = json.dumps(bodies[0])
    for unsent in (PNG, "image/png", "<table>"):
        assert unsent not in raw
    show_panel(page)
    expect(page.locator(PANEL).locator(".jp-mllens-finding")).to_have_count(1)
    assert page.mllens_errors == []
