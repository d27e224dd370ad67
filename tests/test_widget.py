"""`LensPanel` through the ipywidgets model (no browser), and the API it is built on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ipywidgets")

import nbformat

from jupyter_mllens import lint_notebook
from jupyter_mllens.catalog import load_catalog
from jupyter_mllens.findings import LintResult, Severity
from jupyter_mllens.lens import PILLAR_IDS
from jupyter_mllens.lens_view import Subject
from jupyter_mllens.widget import LensPanel
from tests.conftest import notebook_json

SECRET = "Tr0ub4dor&3-horse"
CELLS = (
    "import pandas as pd\nfrom sklearn.linear_model import LogisticRegression",
    f'db_password = "{SECRET}"',
    'df = pd.read_csv("data/loans.csv")\nX, y = df.drop(columns=["label"]), df["label"]\n'
    "assert y.notna().all()",
    "clf = LogisticRegression()\nclf.fit(X, y)\nprint(clf.score(X, y))",
)


@pytest.fixture
def result() -> LintResult:
    linted = lint_notebook(notebook_json(*CELLS), path="loans.ipynb")
    assert {f.name for f in linted.findings} == {
        "hardcoded-credentials",
        "unversioned-data",
        "no-evaluation-split",
        "missing-experiment-tracking",
    }
    return linted


def section_titles(panel: LensPanel) -> dict[str, str]:
    return {pillar: section.title.value for pillar, section in panel.sections.items()}


def visible(panel: LensPanel) -> list[tuple[str, str]]:
    """(pillar, rule) of every row the filters leave on screen."""
    return [
        (pillar, row.finding.name)
        for pillar, section in panel.sections.items()
        if section.layout.display != "none"
        for row in section.rows
        if row.layout.display != "none"
    ]


def test_all_six_pillars_grouped_in_lens_order_with_counts(result: LintResult) -> None:
    panel = LensPanel(result)
    assert tuple(panel.sections) == PILLAR_IDS
    counts = {pillar: len(section.rows) for pillar, section in panel.sections.items()}
    assert counts == {
        "operational-excellence": 2,  # unversioned data, experiment tracking
        "security": 1,
        "reliability": 3,  # unversioned data, tracking, evaluation split
        "performance-efficiency": 1,
        "cost-optimization": 0,
        "sustainability": 0,
    }
    titles = section_titles(panel)
    for pillar in ("cost-optimization", "sustainability"):
        assert panel.sections[pillar].clean
        assert "✓ clean: no findings" in titles[pillar]
    assert "1 finding<" in titles["security"]
    assert "3 findings" in titles["reliability"]
    # The header's six pillar chips say the same.
    assert panel.header.value.count('class="mllens-chip mllens-clean"') == 2
    assert "Security 1</li>" in panel.header.value
    assert "loans.ipynb · 4 findings" in panel.header.value


def test_each_row_shows_severity_cell_and_message(result: LintResult) -> None:
    panel = LensPanel(result)
    (row,) = panel.sections["security"].rows
    summary = row.summary.value
    assert '<span class="mllens-badge mllens-sev-high">High</span>' in summary
    assert "cell 2, line 1" in summary
    assert "hardcoded-credentials (MLL101)" in summary
    assert "hard-coded secret &#x27;Tr0u****&#x27; for <code>db_password</code>" in summary
    evaluation = panel.sections["performance-efficiency"].rows[0]
    assert evaluation.finding.name == "no-evaluation-split"
    assert "cell 4, line 3" in evaluation.summary.value


def test_expanding_a_row_shows_the_pillar_context_from_the_catalog(result: LintResult) -> None:
    panel = LensPanel(result)
    row = panel.sections["security"].rows[0]
    assert not row.expanded
    assert row.details.layout.display == "none"
    row.toggle.value = True
    assert row.expanded
    assert row.details.layout.display == ""
    assert row.toggle.icon == "chevron-down"
    details = row.details.value
    rule = load_catalog().get("hardcoded-credentials")
    assert rule is not None
    for expected in (
        "Pillar: Security",
        "Lifecycle phase: Data processing",
        "ML Lens best practice",
        "MLSEC03-BP02",
        "Why it matters",
        "How to fix it",
        rule.title,
    ):
        assert expected in details
    assert rule.why.split("\n")[0].split("`")[0][:40] in details
    row.toggle.value = False
    assert row.details.layout.display == "none"


def test_severity_filter_hides_rows_and_says_how_many(result: LintResult) -> None:
    panel = LensPanel(result)
    assert len(visible(panel)) == 7
    assert panel.severity_filter[Severity.MEDIUM].description == "Medium 2"
    assert panel.severity_filter[Severity.HIGH].description == "High 2"
    panel.severity_filter[Severity.MEDIUM].value = False
    assert sorted(set(visible(panel))) == [
        ("performance-efficiency", "no-evaluation-split"),
        ("reliability", "no-evaluation-split"),
        ("security", "hardcoded-credentials"),
    ]
    assert "2 hidden by the severity filter" in panel.sections["reliability"].title.value
    assert [row.finding.name for row in panel.visible_rows()] == [
        "hardcoded-credentials",
        "no-evaluation-split",
        "no-evaluation-split",
    ]
    panel.severity_filter[Severity.MEDIUM].value = True
    assert len(visible(panel)) == 7
    assert "hidden" not in panel.sections["reliability"].title.value


def test_pillar_filter_shows_one_pillar(result: LintResult) -> None:
    panel = LensPanel(result)
    assert [label for label, _ in panel.pillar_filter.options][:3] == [
        "All pillars",
        "Operational excellence (2)",
        "Security (1)",
    ]
    panel.pillar_filter.value = "security"
    assert visible(panel) == [("security", "hardcoded-credentials")]
    shown = [p for p, s in panel.sections.items() if s.layout.display != "none"]
    assert shown == ["security"]
    panel.pillar_filter.value = "sustainability"
    assert visible(panel) == []
    assert panel.sections["sustainability"].layout.display == ""
    panel.pillar_filter.value = "all"
    assert len(visible(panel)) == 7


def test_expanded_row_stays_expanded_across_filters(result: LintResult) -> None:
    panel = LensPanel(result)
    row = panel.sections["security"].rows[0]
    row.toggle.value = True
    panel.pillar_filter.value = "reliability"
    panel.pillar_filter.value = "all"
    assert row.expanded
    assert row.details.layout.display == ""


def test_display_data_carries_widget_html_and_text(result: LintResult) -> None:
    bundle = LensPanel(result)._repr_mimebundle_()
    assert bundle is not None
    assert set(bundle) == {
        "application/vnd.jupyter.widget-view+json",
        "text/html",
        "text/plain",
    }
    page = bundle["text/html"]
    assert page.count("<details>") == 7  # a finding under each of its pillars
    assert 'Sustainability <span class="mllens-clean-note">✓ clean</span>' in page
    assert "Pillar: Security" in page
    assert "Why it matters" in page
    text = bundle["text/plain"]
    assert text.splitlines()[0] == "ML Lens: loans.ipynb: 4 findings"
    assert "Security: 1 finding" in text
    assert "Cost optimization: clean" in text
    assert "  [high] cell 2, line 1: hard-coded secret 'Tr0u****' for `db_password`" in text
    for output in (page, text, json.dumps(LensPanel(result).get_state(), default=str)):
        assert SECRET not in output
        assert "Tr0ub" not in output


def test_no_findings_reads_as_all_clean() -> None:
    panel = LensPanel(lint_notebook(notebook_json("x = 1")))
    assert all(section.clean for section in panel.sections.values())
    assert "no findings: all six pillars are clean" in panel.header.value
    bundle = panel._repr_mimebundle_()
    assert bundle is not None
    assert "<details>" not in bundle["text/html"]
    assert bundle["text/plain"].count(": clean") == 6


def test_errors_and_history_subject_are_shown(tmp_path: Path) -> None:
    missing = lint_notebook(tmp_path / "gone.ipynb")
    panel = LensPanel(missing)
    assert "Could not lint" in panel.header.value
    assert "gone.ipynb" in panel.header.value
    history = lint_notebook(
        notebook_json("x = 1", 'token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"')
    )
    subject = Subject("cells run so far", "the cells executed so far were linted", executions=True)
    panel = LensPanel(history, subject=subject)
    assert "In [2], line 1" in panel.sections["security"].rows[0].summary.value
    assert "the cells executed so far were linted" in panel.header.value


def test_findings_can_be_any_iterable(result: LintResult) -> None:
    panel = LensPanel(f for f in result.findings if f.severity is Severity.HIGH)
    assert len(panel.findings) == 2
    assert "loans.ipynb" in panel.header.value


# -- the API the panel is built on -----------------------------------------------------------
def write(path: Path, *cells: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook_json(*cells)), "utf-8")
    return path


def test_lint_notebook_reads_files_json_and_notebook_nodes(tmp_path: Path) -> None:
    path = write(tmp_path / "nb.ipynb", *CELLS)
    from_file = lint_notebook(path)
    assert {f.path for f in from_file.findings} == {str(path)}
    node: Any = nbformat.reads(path.read_text("utf-8"), as_version=4)
    from_node = lint_notebook(node)
    from_dict = lint_notebook(json.loads(path.read_text("utf-8")))
    names = [f.name for f in from_file.findings]
    assert [f.name for f in from_node.findings] == names
    assert [f.name for f in from_dict.findings] == names
    assert {f.path for f in from_dict.findings} == {"<notebook>"}
    assert lint_notebook(str(path)).to_json() == from_file.to_json()


def test_lint_notebook_uses_the_notebook_folders_configuration(tmp_path: Path) -> None:
    path = write(tmp_path / "project" / "work" / "nb.ipynb", *CELLS)
    (tmp_path / "project" / "pyproject.toml").write_text(
        '[tool.mllens]\nignore = ["unversioned-data"]\n', "utf-8"
    )
    assert "unversioned-data" not in {f.name for f in lint_notebook(path).findings}
    # Flags work as on the command line: --select replaces the selection, while the
    # configured ignores still apply; --ignore adds to them.
    selected = lint_notebook(path, select=["MLL1", "MLL2"])
    assert {f.name for f in selected.findings} == {"hardcoded-credentials"}
    ignored = lint_notebook(path, ignore=["MLL1"])
    assert {f.name for f in ignored.findings} == {
        "no-evaluation-split",
        "missing-experiment-tracking",
    }


def test_select_takes_pillars_and_phases(tmp_path: Path) -> None:
    path = write(tmp_path / "nb.ipynb", *CELLS)
    security = lint_notebook(path, select=["security"])
    assert {f.name for f in security.findings} == {"hardcoded-credentials"}
    performance = lint_notebook(path, select=["performance-efficiency"])
    assert {f.name for f in performance.findings} == {"no-evaluation-split"}
    development = lint_notebook(path, select=["model-development"])
    assert {f.name for f in development.findings} == {
        "no-evaluation-split",
        "missing-experiment-tracking",
    }
    # A pillar with no rule yet is a known selector that selects nothing.
    assert lint_notebook(path, select=["sustainability"]).findings == ()
    with pytest.raises(ValueError, match="unknown rule"):
        lint_notebook(path, select=["securty"])
