"""Static string values of paths and URLs built in steps, across cells."""

from __future__ import annotations

import pytest

from jupyter_mllens.analysis import AnalyzedCell, CellCache, NotebookContext
from jupyter_mllens.analysis.qualified import QualifiedName
from jupyter_mllens.analysis.values import Text
from jupyter_mllens.reader import code_notebook, parse_notebook


def _value_of_last_read(*cells: str) -> Text | None:
    """The value of the first argument of the last `read(...)` call in the notebook."""
    document = parse_notebook(code_notebook(cells), "nb.ipynb")
    cache = CellCache()
    ctx = NotebookContext(
        document, [AnalyzedCell(cell, cache.get(cell.source)) for cell in document.cells]
    )
    call = [c for c in ctx.calls if str(c.site.func) == "read"][-1]
    return ctx.text_of(call.site.arg(0), call.point)


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("read('data/train.csv')",), Text("data/train.csv", True)),
        (
            ("BUCKET = 'my-bucket'", "read(f's3://{BUCKET}/churn/train.csv')"),
            Text("s3://my-bucket/churn/train.csv", True),
        ),
        (
            ("read(f's3://{bucket}/{prefix}/train.csv')",),
            Text("s3://{bucket}/{prefix}/train.csv", False),
        ),
        (
            (
                "base = 'https://raw.githubusercontent.com/acme/data/main/'",
                "read(base + 'iris.csv')",
            ),
            Text("https://raw.githubusercontent.com/acme/data/main/iris.csv", True),
        ),
        (
            ("import os\nroot = '/home/ana/data'", "read(os.path.join(root, 'raw', 'train.csv'))"),
            Text("/home/ana/data/raw/train.csv", True),
        ),
        (("import os", "read(os.path.join(root, 'train.csv'))"), Text("{root}/train.csv", False)),
        (
            ("import os", "read(os.path.join('data', '/abs/train.csv'))"),
            Text("/abs/train.csv", True),
        ),
        (
            ("from pathlib import Path\nDATA = Path('data')", "read(DATA / 'raw' / 'train.csv')"),
            Text("data/raw/train.csv", True),
        ),
        (
            ("from pathlib import Path", "read(Path(root) / 'train.csv')"),
            Text("{root}/train.csv", False),
        ),
        (("read('{}/{}.csv'.format('data', name))",), Text("data/{name}.csv", False)),
        (
            ("read('s3://{bucket}/{key}'.format(bucket='b', key='k.csv'))",),
            Text("s3://b/k.csv", True),
        ),
        (("tpl = 'v{0}/x.csv'", "read(tpl.format(2))"), Text("v2/x.csv", True)),
        (("v = 2", "read(str(f'data/v{v}.csv'))"), Text("data/v2.csv", True)),
        (("read(f'data/{n:03d}.csv')",), Text("data/{n}.csv", False)),
        (
            ("prefix = 'a'\nprefix = prefix + '/b'", "read(prefix + '/c.csv')"),
            Text("a/b/c.csv", True),
        ),
    ],
)
def test_values_are_followed_through_bindings_and_builders(
    cells: tuple[str, ...], expected: Text
) -> None:
    found = _value_of_last_read(*cells)
    assert found is not None
    assert (found.value, found.exact) == (expected.value, expected.exact)


@pytest.mark.parametrize(
    "cells",
    [
        ("read(path)",),  # unknown name
        ("read(a + b)",),  # nothing known at all
        ("read(f'{a}/{b}')",),  # only placeholders and separators
        ("read(x / 'train.csv')",),  # `/` on something not known to be a path
        ("read(compute())",),
    ],
)
def test_nothing_known_is_none(cells: tuple[str, ...]) -> None:
    assert _value_of_last_read(*cells) is None


def test_a_self_referencing_binding_does_not_loop() -> None:
    # `p` has no earlier binding: its own statement is not one, so it stays a placeholder.
    found = _value_of_last_read("p = p + '/x'", "read(p)")
    assert found is not None
    assert (found.value, found.exact) == ("{p}/x", False)


def test_unknown_parts_keep_their_origin() -> None:
    found = _value_of_last_read(
        "import sagemaker\nsess = sagemaker.Session()\nbucket = sess.default_bucket()",
        "read(f's3://{bucket}/batch/output/predictions.csv')",
    )
    assert found is not None
    assert found.value == "s3://{bucket}/batch/output/predictions.csv"
    assert found.origins == {QualifiedName.parse("sagemaker.Session().default_bucket()")}
