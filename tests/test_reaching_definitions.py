"""The binding in force at each use: notebooks read as one program in document order."""

from __future__ import annotations

from collections.abc import Callable

from jupyter_mllens.analysis import AnalyzedCell, CellCache, NotebookContext, Point
from jupyter_mllens.findings import Finding
from jupyter_mllens.reader import code_notebook, parse_notebook

Lint = Callable[..., list[Finding]]


def _context(*cells: str) -> NotebookContext:
    document = parse_notebook(code_notebook(cells), "nb.ipynb")
    cache = CellCache()
    return NotebookContext(
        document, [AnalyzedCell(cell, cache.get(cell.source)) for cell in document.cells]
    )


def _calls(ctx: NotebookContext, func: str) -> list[str | None]:
    return [
        None if call.qualified is None else str(call.qualified)
        for call in ctx.calls
        if str(call.site.func) == func
    ]


def test_a_method_resolves_through_the_binding_in_force_not_the_last_one() -> None:
    ctx = _context(
        "from sklearn.linear_model import LinearRegression\n"
        "from sklearn.neighbors import KNeighborsRegressor",
        "model = LinearRegression()",
        "model.fit(X, y)",
        "model = KNeighborsRegressor()",
        "model.fit(X, y)",
    )
    assert _calls(ctx, "model.fit") == [
        "sklearn.linear_model.LinearRegression().fit",
        "sklearn.neighbors.KNeighborsRegressor().fit",
    ]


def test_the_message_names_the_model_that_was_fitted(lint: Lint) -> None:
    found = lint(
        "from sklearn.linear_model import LinearRegression\n"
        "from sklearn.neighbors import KNeighborsRegressor",
        "model = LinearRegression()\nmodel.fit(X, y)",
        "model = KNeighborsRegressor()",
    )
    (tracking,) = [f for f in found if f.name == "missing-experiment-tracking"]
    assert "LinearRegression.fit" in tracking.message
    assert "KNeighbors" not in tracking.message


def test_within_a_statement_the_right_side_sees_the_earlier_binding() -> None:
    ctx = _context("path = 'data/train.csv'\npath = path.upper()\nprint(path)")
    prints = [c for c in ctx.calls if str(c.site.func) == "print"]
    found = ctx.binding_at("path", prints[0].point)
    assert found is not None
    assert found[1].order == 2
    upper = next(c for c in ctx.calls if str(c.site.func) == "path.upper")
    before = ctx.binding_at("path", upper.point)
    assert before is not None
    assert before[1].order == 1


def test_a_use_before_any_binding_takes_the_nearest_later_one() -> None:
    ctx = _context(
        "import pandas as pd",
        "df = pd.read_csv(url)",  # run after the cell below, out of order
        "url = 'https://example.com/a.csv'",
        "url = 'https://example.com/b.csv'",
    )
    (read,) = [c for c in ctx.calls if str(c.site.func) == "pd.read_csv"]
    assert ctx.string_of(read.site.arg(0), read.point) == "https://example.com/a.csv"


def test_function_bodies_have_their_own_bindings() -> None:
    ctx = _context(
        "import pandas as pd",
        "def load():\n    path = 'https://example.com/raw.csv'\n    return pd.read_csv(path)",
        "path = 'data/local.parquet'\ndf = pd.read_parquet(path)",
    )
    (inside,) = [c for c in ctx.calls if str(c.site.func) == "pd.read_csv"]
    (outside,) = [c for c in ctx.calls if str(c.site.func) == "pd.read_parquet"]
    assert inside.point.scope == "load"
    assert ctx.string_of(inside.site.arg(0), inside.point) == "https://example.com/raw.csv"
    assert ctx.string_of(outside.site.arg(0), outside.point) == "data/local.parquet"


def test_a_global_read_inside_a_function_takes_the_last_global_binding() -> None:
    ctx = _context(
        "def train():\n    return clf.fit(X, y)",
        "from sklearn.svm import SVC\nclf = SVC()",
    )
    (fit,) = [c for c in ctx.calls if str(c.site.func) == "clf.fit"]
    assert str(fit.qualified) == "sklearn.svm.SVC().fit"


def test_same_named_functions_in_different_cells_keep_their_locals_apart() -> None:
    ctx = _context(
        "def load():\n    src = 'a.csv'\n    return open(src)",
        "def load():\n    return open(src)",
    )
    first, second = [c for c in ctx.calls if str(c.site.func) == "open"]
    assert ctx.string_of(first.site.arg(0), first.point) == "a.csv"
    assert ctx.string_of(second.site.arg(0), second.point) is None


def test_methods_are_scoped_under_their_class() -> None:
    ctx = _context(
        "class Loader:\n    def read(self):\n        name = 'x.csv'\n        return open(name)"
    )
    (call,) = [c for c in ctx.calls if str(c.site.func) == "open"]
    assert call.point == Point(0, call.site.order, "Loader.read")
    assert ctx.string_of(call.site.arg(0), call.point) == "x.csv"


def test_calls_are_indexed_by_method_and_by_qualified_name() -> None:
    ctx = _context(
        "import pandas as pd\nfrom sklearn.svm import SVC",
        "df = pd.read_csv('a.csv')\nmodel = SVC()\nmodel.fit(X, y)",
        "other = pd.read_parquet('b.parquet')\nclf.fit(X)",
    )
    assert [str(c.site.func) for c in ctx.calls_named("fit")] == ["model.fit", "clf.fit"]
    assert [str(c.site.func) for c in ctx.calls_named("fit", "read_csv")] == [
        "pd.read_csv",
        "model.fit",
        "clf.fit",
    ]
    assert [str(c.qualified) for c in ctx.calls_to("pandas.read_csv", "sklearn.svm")] == [
        "pandas.read_csv",
        "sklearn.svm.SVC",
        "sklearn.svm.SVC().fit",
    ]
    assert list(ctx.calls_to("torch")) == []


def test_an_assignment_after_an_import_replaces_what_the_name_holds() -> None:
    ctx = _context(
        "from sklearn import datasets",
        "datasets.load_iris()",
        "from distilabel.steps import LoadDataFromHub\ndatasets = LoadDataFromHub(repo_id='x')",
        "datasets.load()",
        "from sklearn import datasets",
        "datasets.load_wine()",
    )
    assert _calls(ctx, "datasets.load_iris") == ["sklearn.datasets.load_iris"]
    assert _calls(ctx, "datasets.load") == ["distilabel.steps.LoadDataFromHub().load"]
    assert _calls(ctx, "datasets.load_wine") == ["sklearn.datasets.load_wine"]


def test_a_local_assignment_shadows_a_module_import() -> None:
    ctx = _context(
        "import json",
        "def f(path):\n    json = Loader(path)\n    return json.load()",
        "json.load(fh)",
    )
    assert _calls(ctx, "json.load") == ["Loader().load", "json.load"]


def test_a_name_used_before_both_its_import_and_assignment_takes_the_nearer() -> None:
    """Run out of order: the nearest binding after the use is the best guess, import or not."""
    ctx = _context("np.zeros(3)", "import numpy as np", "np = None")
    assert _calls(ctx, "np.zeros") == ["numpy.zeros"]


def test_a_loop_target_is_in_force_in_its_loop_and_after_it() -> None:
    """`model` in the loop is one of `models`, not the model bound before or after it."""
    ctx = _context(
        "from sklearn.linear_model import LinearRegression\nfrom sklearn.svm import SVC",
        "model = LinearRegression()",
        "for model in [SVC(), SVC(C=2)]:\n    model.fit(X, y)\nmodel.score(X, y)",
        "model = SVC()\nmodel.predict(X)",
    )
    assert _calls(ctx, "model.fit") == ["model.fit"]
    assert _calls(ctx, "model.score") == ["model.score"]
    assert _calls(ctx, "model.predict") == ["sklearn.svm.SVC().predict"]
    (fit,) = [c for c in ctx.calls if str(c.site.func) == "model.fit"]
    assert ctx.binding_at("model", fit.point) is None


def test_a_loop_iterable_reads_the_binding_before_the_loop() -> None:
    ctx = _context("paths = ['a.csv']\nfor paths in load(paths):\n    use(paths)")
    (load,) = [c for c in ctx.calls if str(c.site.func) == "load"]
    found = ctx.binding_at("paths", load.point)
    assert found is not None
    assert found[1].order == 1
    (use,) = [c for c in ctx.calls if str(c.site.func) == "use"]
    assert ctx.binding_at("paths", use.point) is None


def test_a_loop_target_shadows_an_import_of_the_same_name() -> None:
    ctx = _context("from helpers import step", "for step in steps:\n    step.run()")
    assert _calls(ctx, "step.run") == ["step.run"]
