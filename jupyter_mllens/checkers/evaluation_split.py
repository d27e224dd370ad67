"""`no-evaluation-split`: a model trained and never judged on data it did not see."""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from ..analysis import NotebookContext
from .base import Checker, Violation
from .training import TrainingCall, training_calls

#: Functions (by last name component) that hold data out or cross-validate.
HOLDOUT_FUNCTIONS = frozenset(
    {
        "train_test_split",
        "random_split",
        "split_dataset",
        "cross_val_score",
        "cross_validate",
        "cross_val_predict",
    }
)
HOLDOUT_MODULES = (
    "sklearn.model_selection",
    "xgboost.cv",
    "lightgbm.cv",
    "catboost.cv",
    "skorch.dataset.ValidSplit",
)
#: Keyword arguments that give a training call validation data.
VALIDATION_KEYWORDS = frozenset(
    {
        "validation_split",
        "validation_data",
        "eval_set",
        "evals",
        "valid_sets",
        "eval_dataset",
        "val_dataloaders",
        "eval_dataloader",
        "validation",
        "X_val",
        "eval_X",
    }
)
#: Exact string literals that name a held-out split (`dataset["test"]`, a SageMaker channel).
SPLIT_NAMES = frozenset(
    {"test", "testing", "validation", "valid", "val", "eval", "evaluation", "holdout", "dev"}
)
_HELD_OUT_NAME = re.compile(
    r"(?:^|_)(?:test|val|valid|validation|holdout|eval|dev)(?:_|$|\d)|^(?:test|val|valid)[A-Z]|(?:test|val)(?:X|Y|x|y)$",
    re.IGNORECASE,
)
_HELD_OUT_PATH = re.compile(
    r"(?:^|[/_.-])(?:test|testing|valid|validation|val|holdout|eval)(?:[/_.\d-]|$)", re.IGNORECASE
)
_EVALUATION_METHODS = frozenset(
    {"score", "evaluate", "predict", "predict_proba", "decision_function"}
)


class NoEvaluationSplit(Checker):
    name = "no-evaluation-split"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        trainings = [t for t in training_calls(ctx) if t.supervised]
        if not trainings:
            return
        scored_on_training = list(_scored_on_training_data(ctx, trainings))
        yield from scored_on_training
        if scored_on_training or _has_holdout(ctx):
            return
        first = trainings[0]
        yield Violation(
            first.call.cell,
            f"model is trained ({first.label}) but never evaluated on held-out data: split off a "
            "test set (train_test_split), cross-validate, or pass validation data",
            node=first.call.site.node,
        )


def _scored_on_training_data(
    ctx: NotebookContext, trainings: list[TrainingCall]
) -> Iterable[Violation]:
    """`model.fit(X, y)` whose every later evaluation is on that same `X`."""
    reported: set[str] = set()
    for training in trainings:
        model = training.model
        fit_data = _first_argument_text(
            training.call.site.args, training.call.site.kwargs, ("X", "x")
        )
        if model is None or fit_data is None or model in reported:
            continue
        evaluations = [
            call
            for call in ctx.calls
            if call.site.receiver == model and call.site.method in _EVALUATION_METHODS
        ]
        texts = [_first_argument_text(c.site.args, c.site.kwargs, ("X", "x")) for c in evaluations]
        if evaluations and all(text == fit_data for text in texts):
            reported.add(model)
            first = evaluations[0]
            yield Violation(
                first.cell,
                f"`{model}` is evaluated on `{fit_data}`, the data it was fit on, which overstates "
                "how well it generalises: evaluate on a held-out test set or with cross-validation",
                node=first.site.node,
            )


def _first_argument_text(
    args: tuple[cst.Arg, ...], kwargs: object, names: tuple[str, ...]
) -> str | None:
    node: cst.BaseExpression | None = args[0].value if args else None
    if node is None and isinstance(kwargs, dict):
        for name in names:
            if name in kwargs:
                node = kwargs[name].value
                break
    if node is None:
        return None
    return cst.Module([]).code_for_node(node).strip()


def _has_holdout(ctx: NotebookContext) -> bool:
    samples = drops = False
    for call in ctx.calls:
        qualified = call.qualified or ""
        if qualified.rsplit(".", 1)[-1] in HOLDOUT_FUNCTIONS or call.is_any(*HOLDOUT_MODULES):
            return True
        site = call.site
        if VALIDATION_KEYWORDS.intersection(site.kwargs):
            return True
        if site.method == "sample" and "frac" in site.kwargs:
            samples = True
        elif site.method == "drop":
            drops = True
    if samples and drops:
        return True
    if any(_HELD_OUT_NAME.search(name) for cell in ctx.cells for name in cell.analysis.facts.names):
        return True
    for _, literal in ctx.strings():
        value = literal.value.strip()
        if value.lower() in SPLIT_NAMES:
            return True
        if ("/" in value or "." in value) and len(value) < 300 and _HELD_OUT_PATH.search(value):
            return True
    return False
