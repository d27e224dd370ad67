"""Names are resolved across cells and through every import alias form."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.findings import Finding

Lint = Callable[..., list[Finding]]


def names(findings: list[Finding]) -> list[str]:
    return [f.name for f in findings]


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from sklearn.model_selection import train_test_split as tts", "tts(X, y)"),
        ("import sklearn.model_selection as ms", "ms.train_test_split(X, y)"),
        ("from sklearn import model_selection", "model_selection.train_test_split(X, y)"),
        ("import sklearn.model_selection", "sklearn.model_selection.train_test_split(X, y)"),
        ("from sklearn.model_selection import KFold as KF", "folds = KF(5)"),
    ],
)
def test_split_found_through_any_alias(lint: Lint, imports: str, call: str) -> None:
    found = lint(
        imports, "parts = " + call, "from sklearn.svm import SVC\nmodel = SVC()\nmodel.fit(X, y)\n"
    )
    assert "no-evaluation-split" not in names(found)
    assert "no-evaluation-split" in names(
        lint(imports, "from sklearn.svm import SVC\nSVC().fit(X, y)")
    )


def test_import_in_first_cell_used_in_a_later_cell(lint: Lint) -> None:
    cells = ["import pandas as pd", "x = 1", "y = 2", "df = pd.read_csv('data/train.csv')"]
    found = lint(*cells, markdown_first=True)
    (finding,) = [f for f in found if f.name == "unversioned-data"]
    assert finding.cell_index == 4  # markdown cell first: index counts every cell
    assert finding.cell_id == "c3"
    assert (finding.line, finding.column) == (1, 6)


def test_from_import_alias_of_a_function(lint: Lint) -> None:
    found = lint("from numpy import load as np_load", "arr = np_load('features.npy')")
    assert names(found) == ["unversioned-data"]


def test_an_unrelated_function_with_the_same_name_is_not_resolved(lint: Lint) -> None:
    found = lint("def read_csv(path):\n    return path\n\nread_csv('data/train.csv')")
    assert found == []


def test_method_calls_resolve_through_the_constructor(lint: Lint) -> None:
    found = lint(
        "from sklearn.ensemble import RandomForestClassifier as RFC",
        "clf = RFC(n_estimators=10)",
        "clf.fit(X, y)\nclf.score(X, y)",
    )
    assert "no-evaluation-split" in names(found)
    assert "missing-experiment-tracking" in names(found)
