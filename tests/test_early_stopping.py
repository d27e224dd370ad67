"""`training-without-early-stopping`: budgets resolved through the notebook's bindings, and
thresholds that a team's `[tool.mllens.rules.training-without-early-stopping]` replaces."""

from __future__ import annotations

import libcst as cst
import pytest

from jupyter_mllens.analysis import AnalyzedCell, CellAnalysis, NotebookContext, Point
from jupyter_mllens.analysis.numbers import int_of
from jupyter_mllens.config import Config, ConfigError, config_from_settings
from jupyter_mllens.document import Cell, Document, DocumentKind
from jupyter_mllens.engine import Linter
from jupyter_mllens.knowledge import KnowledgeError, thresholds

from .conftest import notebook_json

RULE = "training-without-early-stopping"
KERAS_FIT = (
    "import tensorflow as tf\n"
    "model = tf.keras.Sequential([tf.keras.layers.Dense(1)])\n"
    "model.fit(x, y, validation_split=0.2, epochs=EPOCHS)"
)


def _messages(linter: Linter, config: Config, *cells: str) -> list[str]:
    result = linter.lint_notebook(notebook_json(*cells), "nb.ipynb", config)
    assert not result.errors, result.errors
    return [f.message for f in result.findings if f.name == RULE]


def _value(*cells: str) -> int | None:
    """What the last cell's last expression evaluates to, read after every cell."""
    analyzed = [
        AnalyzedCell(Cell(source, index, ordinal=index), CellAnalysis(source))
        for index, source in enumerate(cells)
    ]
    document = Document("nb.ipynb", DocumentKind.NOTEBOOK, tuple(cell.cell for cell in analyzed))
    ctx = NotebookContext(document, analyzed)
    module = analyzed[-1].analysis.module
    assert module is not None
    statement = module.body[-1]
    assert isinstance(statement, cst.SimpleStatementLine)
    expression = statement.body[0]
    assert isinstance(expression, cst.Expr)
    return int_of(ctx, expression.value, Point(len(cells) - 1, 10_000))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("1_000",), 1000),
        (("EPOCHS = 60", "EPOCHS"), 60),
        (("BASE = 25", "EPOCHS = BASE * 4", "EPOCHS - 10"), 90),
        (('cfg = {"epochs": 75}', 'cfg["epochs"]'), 75),
        (("cfg = dict(rounds=300)", 'cfg["rounds"] // 2'), 150),
        (("n = int(2e2)", "n"), 200),
        (("def f(epochs):\n    return epochs", "epochs"), None),
        (('cfg = {"epochs": 75}', 'cfg["steps"]'), None),
        (("args.epochs",), None),
    ],
)
def test_int_of_follows_bindings_dicts_and_arithmetic(
    cells: tuple[str, ...], expected: int | None
) -> None:
    assert _value(*cells) == expected


def test_the_value_in_force_at_the_fit_is_the_budget(linter: Linter) -> None:
    assert _messages(linter, Config(), "EPOCHS = 100", KERAS_FIT)
    # rebound to a short run before the fit: nothing to report
    assert not _messages(linter, Config(), "EPOCHS = 100", "EPOCHS = 5", KERAS_FIT)
    # rebound only after the fit: the fit ran with 100
    assert _messages(linter, Config(), "EPOCHS = 100", KERAS_FIT, "EPOCHS = 5")


def test_a_team_threshold_replaces_the_shipped_one(linter: Linter) -> None:
    assert _messages(linter, Config(), "EPOCHS = 60", KERAS_FIT)
    config = config_from_settings({"rules": {RULE: {"thresholds": ["keras-epochs=100"]}}})
    assert config.options_of(RULE) == {"thresholds": ("keras-epochs=100",)}
    assert not _messages(linter, config, "EPOCHS = 60", KERAS_FIT)
    assert _messages(linter, config, "EPOCHS = 150", KERAS_FIT)


def test_an_in_house_stopping_callback_counts(linter: Linter) -> None:
    fit = KERAS_FIT.replace("epochs=EPOCHS", "epochs=EPOCHS, callbacks=[StopOnPlateau()]")
    cells = ("EPOCHS = 100", "from acme_ml.callbacks import StopOnPlateau\n" + fit)
    assert not _messages(linter, Config(), *cells)  # an unknown callback: not reported
    known = fit.replace("StopOnPlateau()", "tf.keras.callbacks.TensorBoard()")
    assert _messages(linter, Config(), "EPOCHS = 100", known)
    config = config_from_settings(
        {"rules": {RULE: {"early-stopping": ["acme_ml.callbacks.StopOnPlateau"]}}}
    )
    assert not _messages(linter, config, *cells)


def test_thresholds_last_entry_wins_and_malformed_ones_fail() -> None:
    assert thresholds(("keras-epochs=50", "keras-epochs=80"))["keras-epochs"] == 80
    with pytest.raises(KnowledgeError):
        thresholds(("keras-epochs=many",))
    with pytest.raises(ConfigError, match="setting=integer"):
        config_from_settings({"rules": {RULE: {"thresholds": ["epochs: 50"]}}})
