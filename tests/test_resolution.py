"""Names are resolved across cells and through every import alias form."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.engine import Linter
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
    ],
)
def test_split_found_through_any_alias(lint: Lint, imports: str, call: str) -> None:
    """The held-out part is known by its place in the split, so the split must be resolved."""
    found = lint(
        imports,
        "a, b, c, d = " + call,
        "from sklearn.svm import SVC\nmodel = SVC()\nmodel.fit(a, c)\nmodel.score(b, d)\n",
    )
    assert "no-evaluation-split" not in names(found)
    # without the split, the model is scored on the data it was fit on
    assert "no-evaluation-split" in names(
        lint(imports, "from sklearn.svm import SVC\nmodel = SVC().fit(X, y)\nmodel.score(X, y)")
    )


@pytest.mark.parametrize(
    ("imports", "call"),
    [
        ("from sklearn.model_selection import cross_val_score as cvs", "cvs(model, X, y)"),
        ("import sklearn.model_selection as ms", "ms.cross_validate(model, X, y)"),
        ("from sklearn.model_selection import GridSearchCV as GS", "GS(model, grid).fit(X, y)"),
    ],
)
def test_cross_validation_found_through_any_alias(lint: Lint, imports: str, call: str) -> None:
    model = "from sklearn.svm import SVC\nmodel = SVC()\nmodel.fit(X, y)\n"
    assert "no-evaluation-split" not in names(lint(imports, model, "scores = " + call))
    assert "no-evaluation-split" in names(lint(imports, model, "model.score(X, y)"))


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


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("import os\nimport pandas as pd\npd.read_csv(os.path.join(root, 'train.csv'))", 1),
        (
            "from pathlib import Path\nimport pandas as pd\npd.read_parquet(Path(root) / 'x.parquet')",
            1,
        ),
        ("import pandas as pd\npd.read_csv(f'{root}/data/{split}.csv')", 1),
        ("import io\nimport pandas as pd\npd.read_csv(io.StringIO('a,b\\n1.0,2.csv'))", 0),
        ("import pandas as pd\npd.read_csv(uploaded)", 0),
        ("import pandas as pd\npd.read_csv('/opt/ml/input/data/train/train.csv')", 0),
        ("import pandas as pd\ndf.to_csv('out.csv')\npd.read_csv('out.csv')", 0),
        ("import pandas as pd\npd.read_csv('s3://bucket/prefix/train.csv')", 1),
        ("import pandas as pd\npd.read_csv('s3://bucket/train.csv?versionId=abc')", 0),
        ("spark.read.format('parquet').load('s3a://lake/events/')", 1),
        ("spark.read.option('header', True).csv('data/events.csv')", 1),
    ],
)
def test_unversioned_data_sources(lint: Lint, cell: str, expected: int) -> None:
    found = [f for f in lint(cell) if f.name == "unversioned-data"]
    assert len(found) == expected, [f.message for f in found]


def test_methods_on_a_call_result_are_not_that_call(lint: Lint) -> None:
    found = lint(
        "from datasets import load_dataset",
        "tickets = load_dataset('acme/tickets')",
        "df = tickets['train'].to_pandas()\nsmall = tickets.shuffle(seed=0)",
    )
    assert [f.cell_index for f in found if f.name == "unversioned-data"] == [1]


def test_self_rebinding_keeps_what_a_name_is(linter: Linter) -> None:
    from jupyter_mllens.analysis import AnalyzedCell, NotebookContext
    from jupyter_mllens.analysis.qualified import QualifiedName
    from jupyter_mllens.reader import parse_notebook
    from tests.conftest import notebook_json

    document = parse_notebook(
        notebook_json(
            "import pandas as pd\ndf = pd.read_csv(path)",
            "df = df.dropna()\ndf = df[df.x > 0]",
            "a = b\nb = a",
        ),
        "n.ipynb",
    )
    cells = [AnalyzedCell(c, linter.cache.get(c.source)) for c in document.cells]
    ctx = NotebookContext(document, cells)
    name = QualifiedName.parse
    assert ctx.resolve(name("df.head")) == name("pandas.read_csv().head")
    assert ctx.resolve(name("a.b")) == name("a.b")  # a cycle stays unresolved


def test_a_trainer_built_by_a_notebook_function_is_training(lint: Lint) -> None:
    found = lint(
        "from transformers import Trainer, TrainingArguments",
        "def create_trainer(model, data):\n"
        "    args = TrainingArguments(output_dir='out')\n"
        "    trainer = Trainer(model=model, args=args, train_dataset=data)\n"
        "    return trainer",
        "trainer = create_trainer(model, train_ds)\ntrainer.train()",
    )
    messages = {f.name: f.message for f in found}
    assert "(Trainer.train)" in messages["missing-experiment-tracking"]
    assert "(Trainer.train)" in messages["no-evaluation-split"]


def test_a_single_optimizer_step_outside_a_loop_is_not_training(lint: Lint) -> None:
    step = "import torch\noptimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    assert lint(step + "loss.backward()\noptimizer.step()") == []
    looped = lint(
        step + "for x, y in loader:\n    loss = loss_fn(model(x), y)\n    loss.backward()\n"
        "    optimizer.step()\n    print(loss.item())"
    )
    assert {f.name for f in looped} == {
        "missing-experiment-tracking",
        "no-evaluation-split",
        "missing-random-seed",  # a training loop with no seed anywhere
    }


@pytest.mark.parametrize(
    "cell",
    ["!curl -sL $1 -o data.csv", "%%bash\ncurl -sL ${2} -o data.csv", "!wget {0}"],
)
def test_shell_positional_parameters_are_not_notebook_variables(lint: Lint, cell: str) -> None:
    """`$1` and `{0}` in a download are the shell's own (a script's arguments); only names
    IPython can substitute are looked up, and nothing about the source is known."""
    assert [f.name for f in lint(cell) if f.name == "unversioned-data"] == []
