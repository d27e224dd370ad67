"""`CellGuard.check`: what the guard reports about a cell, before any kernel is involved."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.config import config_from_settings
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding
from jupyter_mllens.guard import CellGuard

PASSWORD = 'password = "Tr0ub4dor&3-horse"'


@pytest.fixture
def guard(linter: Linter) -> Callable[..., tuple[Finding, ...]]:
    """Check `cell` after the cells in `history`, with `settings` as [tool.mllens]."""

    def check(
        cell: str, *history: str, settings: dict[str, object] | None = None
    ) -> tuple[Finding, ...]:
        shown: list[dict[str, str]] = []
        cell_guard = CellGuard(linter, lambda: ["", *history], shown.append)
        cell_guard.configure(config_from_settings(settings or {}), "nb.ipynb")
        return cell_guard.check(cell)

    return check


def test_reports_the_credential_in_the_cell_masked(
    guard: Callable[..., tuple[Finding, ...]],
) -> None:
    (finding,) = guard(PASSWORD, "x = 1")
    assert finding.name == "hardcoded-credentials"
    assert finding.cell_index == 1  # In [2]: after one cell run
    assert "'Tr0u****'" in finding.message
    assert "Tr0ub" not in finding.message


def test_only_high_severity_findings_in_this_cell(
    guard: Callable[..., tuple[Finding, ...]],
) -> None:
    # Unpinned data is medium: the guard says nothing.
    assert guard('import pandas as pd\ndf = pd.read_csv("data.csv")') == ()
    # A credential in an earlier cell is not this cell's finding.
    assert guard("y = 2", PASSWORD) == ()


def test_honours_suppressions_and_configured_severity(
    guard: Callable[..., tuple[Finding, ...]],
) -> None:
    assert guard(f"{PASSWORD}  # mllens: ignore[hardcoded-credentials]") == ()
    lowered = {"severity": {"hardcoded-credentials": "medium"}}
    assert guard(PASSWORD, settings=lowered) == ()
    assert guard(PASSWORD, settings={"ignore": ["security"]}) == ()
    raised = {"severity": {"unversioned-data": "high"}}
    (finding,) = guard('import pandas as pd\ndf = pd.read_csv("data.csv")', settings=raised)
    assert finding.name == "unversioned-data"


def test_what_a_later_cell_can_still_do_is_not_a_warning(
    guard: Callable[..., tuple[Finding, ...]],
) -> None:
    """A model fitted before its held-out part is used is not yet 'never evaluated'."""
    setup = (
        "from sklearn.datasets import load_iris\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "from sklearn.model_selection import train_test_split\n"
        "X, y = load_iris(return_X_y=True)\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y)"
    )
    fit = "clf = LogisticRegression()\nclf.fit(X_train, y_train)"
    assert guard(fit, setup) == ()
    # Scoring on the training data is what the cell does: that is reported at once.
    (finding,) = guard("clf.score(X_train, y_train)", setup, fit)
    assert finding.name == "no-evaluation-split"
    assert "the data it was fit on" in finding.message
