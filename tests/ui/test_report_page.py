"""`mllens report` over hundreds of generated notebooks, opened in Debian's Chromium.

The page is checked against an independent oracle: the same tree linted by `mllens check
--format json`, counted here by hand. Chromium loads it from a file with no network: every
request must be the file itself, and the page's Content-Security-Policy must not have had to
block anything. Screenshots go to tests/artifacts/ (look at them: a passing assertion on a
blank page is a failure).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jupyter_mllens.cli import main
from jupyter_mllens.reader import code_notebook

from .conftest import ARTIFACTS, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.e2e

NOTEBOOKS = 480
TEMPLATES: tuple[tuple[str, ...], ...] = (
    (
        "import os",
        'db_password = "Tr0ub4dor&3-horse{i}"\n'
        'url = f"postgresql://analyst:{{db_password}}@warehouse:5432/loans"',
        "!wget https://data.lendco.io/loans-{i}.csv",
    ),
    (
        "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression",
        'df = pd.read_csv("https://data.lendco.io/loans.csv")\nX, y = df.drop(columns="y"), df.y',
        "clf = LogisticRegression().fit(X, y)\nprint(clf.score(X, y))",
    ),
    ("print('clean {i}')",),
    ("!pip install pandas scikit-learn", "import pandas as pd", "df = pd.read_parquet('s3://b/{i}.parquet')"),
)  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """A tree of generated notebooks, its report, and `check --format json` of the same tree."""
    base = tmp_path_factory.mktemp("report")
    root = base / "team-notebooks"
    for i in range(NOTEBOOKS):
        cells = [cell.replace("{i}", str(i)) for cell in TEMPLATES[i % len(TEMPLATES)]]
        path = root / f"project-{i % 12:02}" / f"analysis_{i:04}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(code_notebook(cells)), "utf-8")
    report = base / "report.html"
    common = ["--isolated", "--no-cache", "-q", "--jobs", "2"]
    assert main(["report", str(root), *common, "-o", str(report)]) == 0
    oracle = base / "check.json"
    main(["check", str(root), *common, "--format", "json", "-o", str(oracle), "--exit-zero"])
    return root, report, json.loads(oracle.read_text("utf-8"))


def test_report_page_in_chromium(page: Any, corpus: tuple[Path, Path, dict[str, Any]]) -> None:
    root, report, checked = corpus
    findings = checked["findings"]
    assert findings, "the generated notebooks have findings"
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(report.as_uri())

    # the overview cards, against the oracle
    notebooks = Counter(f["path"] for f in findings)
    severities = Counter(f["severity"] for f in findings)
    cards = {
        "files": NOTEBOOKS,
        "with-findings": len(notebooks),
        "clean": NOTEBOOKS - len(notebooks),
        "findings": len(findings),
        **{s: severities[s] for s in ("high", "medium", "low", "info")},
    }
    for key, count in cards.items():
        expect(page.locator(f'.card[data-count="{key}"] b')).to_have_text(f"{count:,}")

    # every heat map cell, against the oracle; a shaded cell shows its count
    heat: Counter[tuple[str, str]] = Counter()
    for f in findings:
        for pillar in f["pillars"]:
            heat[pillar, f["phase"]] += 1
    cells = page.locator("table.heat td.c")
    assert cells.count() == 36
    for i in range(cells.count()):
        cell = cells.nth(i)
        key = (cell.get_attribute("data-pillar"), cell.get_attribute("data-phase"))
        assert int(cell.get_attribute("data-count") or -1) == heat[key], key
    busiest = max(heat, key=lambda k: heat[k])
    hot = page.locator(f'td.c[data-pillar="{busiest[0]}"][data-phase="{busiest[1]}"]')
    expect(hot).to_contain_text(f"{heat[busiest]:,}")
    assert "h6" in (hot.get_attribute("class") or "")
    hot.locator("a").click()  # a cell leads to its pillar's lens review
    expect(page).to_have_url(re.compile(f"#review-{busiest[0]}$"))
    expect(page.locator(f"#review-{busiest[0]}")).to_be_in_viewport()

    # counts per rule
    rules = Counter(f["code"] for f in findings)
    rows = page.locator("table.rules tbody tr")
    assert rows.count() == len(rules)
    for code, count in rules.items():
        expect(page.locator(f'tr[data-rule="{code}"] td.n').first).to_have_text(f"{count:,}")

    # the lens review shows the six pillars; security has high risk items
    expect(page.locator("#review .review")).to_have_count(6)
    expect(page.locator("#review-security .risk-high")).to_contain_text("High risk items")

    # one closed section per notebook with findings; a link opens one
    sections = page.locator("details.nb")
    assert sections.count() == len(notebooks)
    assert page.locator("details.nb[open]").count() == 0
    first = page.locator("table.top tbody tr").first.locator("a")
    target = first.inner_text()
    first.click()
    opened = page.locator("details.nb[open]")
    expect(opened).to_have_count(1)
    expect(opened.locator("summary")).to_contain_text(target)
    expect(opened.locator("summary")).to_be_in_viewport()
    items = opened.locator("ol.findings li")
    assert items.count() == notebooks[target]
    expect(opened.locator("pre mark").first).to_be_visible()
    expect(opened.locator(".where").first).to_have_text(
        re.compile(r"cell \d+, line \d+, column \d+")
    )
    body = page.locator("body").inner_text()
    assert "Tr0ub4dor" not in body
    screenshot(opened, "report-notebook-section.png")

    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "report-top.png")
    page.emulate_media(color_scheme="dark")
    screenshot(page, "report-top-dark.png")
    page.emulate_media(color_scheme="light")

    # offline and self-contained: nothing but the file was requested, nothing was blocked
    assert requests == [report.as_uri()], requests
    assert not [m for m in console if m.startswith("error")], console
    assert root.is_dir()
    assert (ARTIFACTS / "report-top.png").stat().st_size > 10_000


def test_severity_filter_hides_what_it_leaves_out(
    page: Any, corpus: tuple[Path, Path, dict[str, Any]]
) -> None:
    """The no-script filter: notebooks and findings below the chosen severity are hidden."""
    _, report, checked = corpus
    findings = checked["findings"]
    severities_of: dict[str, set[str]] = {}
    for f in findings:
        severities_of.setdefault(f["path"], set()).add(f["severity"])
    page.goto(report.as_uri())
    sections = page.locator("details.nb")
    expect(sections).to_have_count(len(severities_of))
    shown = {
        "all": {"high", "medium", "low", "info"},
        "high": {"high"},
        "medium": {"high", "medium"},
        "low": {"high", "medium", "low"},
    }
    for key in ("high", "medium", "low", "all"):
        label = page.locator(f'label[data-filter="{key}"]')
        label.click()
        wanted = sum(1 for found in severities_of.values() if found & shown[key])
        expect(label.locator(".meta")).to_have_text(f"{wanted:,}")
        expect(page.locator("details.nb:visible")).to_have_count(wanted)
        opened = page.locator("details.nb:visible").first
        opened.locator("summary").click()
        visible = opened.locator("li[data-sev]:visible")
        assert visible.count() > 0
        assert {visible.nth(i).get_attribute("data-sev") for i in range(visible.count())} <= shown[
            key
        ]
        if key == "high":
            hidden = opened.locator("li[data-sev]:not([data-sev='high'])")
            assert all(not hidden.nth(i).is_visible() for i in range(hidden.count()))
            page.locator("#notebooks h2").evaluate("heading => heading.scrollIntoView()")
            screenshot(page, "report-filter-high.png")
        opened.locator("summary").click()
    # The choice is a radio group a keyboard reaches: the inputs stay in the page.
    expect(page.locator("input.sev-choice")).to_have_count(4)
    expect(page.locator("#sev-all")).to_be_checked()
