"""The data-role model: which values are training data and which are held out."""

from __future__ import annotations

import libcst as cst
import pytest

from jupyter_mllens.analysis import AnalyzedCell, CellCache, NotebookContext, Point
from jupyter_mllens.analysis.cell import CellAnalysis
from jupyter_mllens.analysis.roles import DataRoles, Role, name_role, split_role
from jupyter_mllens.reader import code_notebook, parse_notebook


def _context(*cells: str) -> NotebookContext:
    document = parse_notebook(code_notebook(cells), "nb.ipynb")
    cache = CellCache()
    return NotebookContext(
        document, [AnalyzedCell(cell, cache.get(cell.source)) for cell in document.cells]
    )


def _role_at_end(*cells: str, expression: str) -> Role | None:
    """The role of `expression` evaluated after every cell has run."""
    ctx = _context(*cells, f"probe({expression})")
    probe = next(call for call in ctx.calls if str(call.site.func) == "probe")
    return DataRoles.of(ctx).role(probe.site.args[0].value, probe.point)


SPLIT = "from sklearn.model_selection import train_test_split as tts\n"


@pytest.mark.parametrize(
    ("name", "role"),
    [("X_tr", Role.TRAIN), ("X_te", Role.HELD_OUT), ("y_tr", Role.TRAIN), ("y_te", Role.HELD_OUT)],
)
def test_train_test_split_places_alternate_train_and_held_out(name: str, role: Role) -> None:
    cells = (SPLIT + "X_tr, X_te, y_tr, y_te = tts(X, y)",)
    assert _role_at_end(*cells, expression=name) is role


def test_the_place_decides_not_the_name() -> None:
    cells = (SPLIT + "a, b, c, d = tts(X, y, test_size=0.2)",)
    assert _role_at_end(*cells, expression="a") is Role.TRAIN
    assert _role_at_end(*cells, expression="b") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="d") is Role.HELD_OUT


def test_random_split_holds_out_every_part_after_the_first() -> None:
    cells = (
        "from torch.utils.data import random_split, DataLoader",
        "first, second, third = random_split(ds, [0.8, 0.1, 0.1])",
        "loader = DataLoader(second, batch_size=32)",
    )
    assert _role_at_end(*cells, expression="first") is Role.TRAIN
    assert _role_at_end(*cells, expression="third") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="loader") is Role.HELD_OUT


def test_keras_load_data_pairs_are_train_then_test() -> None:
    cells = ("from tensorflow import keras", "(a, b), (c, d) = keras.datasets.mnist.load_data()")
    assert _role_at_end(*cells, expression="b") is Role.TRAIN
    assert _role_at_end(*cells, expression="c") is Role.HELD_OUT


def test_hugging_face_splits_by_key_keyword_and_method() -> None:
    cells = (
        "from datasets import load_dataset",
        "raw = load_dataset('imdb')\nparts = raw['train'].train_test_split(test_size=0.1)",
        "held = load_dataset('glue', 'mrpc', split='validation')",
        "tail = load_dataset('glue', 'mrpc', split='train[90%:]')",
        "first, second = load_dataset('mnist', split=['train', 'test'])",
    )
    assert _role_at_end(*cells, expression="raw['test']") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="raw['train'].map(f)") is Role.TRAIN
    assert _role_at_end(*cells, expression="parts['test'].select(range(10))") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="held") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="tail") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="second") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="first") is Role.TRAIN


def test_slices_samples_and_drops() -> None:
    cells = (
        "head = X[:800]\nrest = X[800:]\nfirst = df.iloc[:-100]\nlast = df.iloc[-100:]",
        "body = words[1:]",
        "sample = df.sample(frac=0.8, random_state=0)\nremainder = df.drop(sample.index)",
    )
    assert _role_at_end(*cells, expression="head") is Role.TRAIN
    assert _role_at_end(*cells, expression="rest") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="last") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="first") is Role.TRAIN
    assert _role_at_end(*cells, expression="body") is None  # no complement: not a split
    assert _role_at_end(*cells, expression="sample") is Role.TRAIN
    assert _role_at_end(*cells, expression="remainder") is Role.HELD_OUT


def test_a_split_variable_named_for_its_role_overrides_the_slice_side() -> None:
    cells = (
        "valid_idx, train_idx = indices[:split], indices[split:]",
        "from torch.utils.data import DataLoader, SubsetRandomSampler",
        "valid_loader = DataLoader(train_data, sampler=SubsetRandomSampler(valid_idx))",
    )
    assert _role_at_end(*cells, expression="valid_idx") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="train_idx") is Role.TRAIN
    assert _role_at_end(*cells, expression="valid_loader") is Role.HELD_OUT


def test_a_column_of_held_out_data_stays_held_out() -> None:
    cells = (SPLIT + "left, right = tts(df)",)
    assert _role_at_end(*cells, expression="right['label'].values") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="right[:, 1:]") is Role.HELD_OUT


def test_wrappers_keep_the_role_of_what_they_wrap() -> None:
    cells = (
        "import torch\nimport xgboost as xgb\nimport tensorflow as tf",
        SPLIT + "a, b, c, d = tts(X, y)",
        "ds = torch.utils.data.TensorDataset(torch.tensor(b), torch.tensor(d))",
        "dl = torch.utils.data.DataLoader(ds, batch_size=8)",
        "dm = xgb.DMatrix(b, label=d)\ntfds = tf.data.Dataset.from_tensor_slices((b, d)).batch(8)",
    )
    for name in ("ds", "dl", "dm", "tfds"):
        assert _role_at_end(*cells, expression=name) is Role.HELD_OUT, name


def test_torchvision_train_flag_and_file_paths() -> None:
    cells = (
        "import pandas as pd\nfrom torchvision import datasets",
        "a = datasets.MNIST('data', train=False, download=True)",
        "DATA = 'data/churn'\nb = pd.read_csv(f'{DATA}/validation.csv')\nc = pd.read_csv(f'{DATA}/all.csv')",
    )
    assert _role_at_end(*cells, expression="a") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="b") is Role.HELD_OUT
    assert _role_at_end(*cells, expression="c") is None


def test_the_binding_in_force_decides() -> None:
    cells = (SPLIT + "a, b = tts(X)", "probe(b)", "b = X")
    ctx = _context(*cells)
    probe = next(call for call in ctx.calls if str(call.site.func) == "probe")
    roles = DataRoles.of(ctx)
    assert roles.role(probe.site.args[0].value, probe.point) is Role.HELD_OUT
    assert roles.role(cst.parse_expression("b"), None) is None  # the last binding: all of X


def test_names_are_the_last_evidence_only() -> None:
    assert _role_at_end("X_val = load_features('x.parquet')", expression="X_val") is Role.HELD_OUT
    assert _role_at_end("(X_tr, y_tr), (X_te, y_te) = helper()", expression="X_te") is Role.HELD_OUT
    assert _role_at_end("test_cases = [{'prompt': 'hi'}]", expression="test_cases") is None
    assert _role_at_end("x = 1", expression="test_loader") is None  # bound nowhere
    assert _role_at_end(SPLIT + "X_test, X_val = tts(X)", expression="X_test") is Role.TRAIN
    for word in ("value", "ValueError", "evaluate", "validate", "eval_batch_size", "latest"):
        assert name_role(word) is None, word


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("test", Role.HELD_OUT),
        ("Validation", Role.HELD_OUT),
        ("train", Role.TRAIN),
        ("train[:80%]", Role.TRAIN),
        ("train[80%:]", Role.HELD_OUT),
        ("test[:100]", Role.HELD_OUT),
        ("unsupervised", None),
    ],
)
def test_split_names(text: str, role: Role | None) -> None:
    assert split_role(text) is role


def test_unpacked_targets_are_bound_with_their_place() -> None:
    analysis = CellAnalysis("(a, b), (c, *rest) = f()\nx, y = 1, 2")
    places = {b.name: b.unpacked for b in analysis.facts.bindings}
    assert places == {"a": (0, 0), "b": (0, 1), "c": (1, 0), "x": None, "y": None}


def test_loops_know_their_body_and_a_small_cap() -> None:
    analysis = CellAnalysis(
        "for i, (x, y) in enumerate(loader):\n    step(x)\n    if i == 3:\n        break\n"
        "after()\nwhile True:\n    if loss > 3:\n        break\n"
    )
    first, second = analysis.facts.loops
    assert first.targets == ("i", "x", "y")
    assert first.capped
    assert not second.capped
    inside = [str(c.func) for c in analysis.facts.calls if first.order < c.order <= first.end]
    assert inside == ["step"]


def test_unpacked_names_do_not_resolve_to_the_whole_value() -> None:
    ctx = _context("import torch", "model, opt = make()", "model.fit(X, y)")
    fit = next(call for call in ctx.calls if str(call.site.func) == "model.fit")
    assert str(fit.qualified) == "model.fit"
    assert ctx.string_of(cst.parse_expression("model"), Point(2, 9)) is None
