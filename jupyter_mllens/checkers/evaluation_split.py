"""`no-evaluation-split`: a model trained and never judged on data it did not see."""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..analysis.context import ResolvedCall
from ..analysis.names import dotted_name
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
_SCORING_METHODS = frozenset({"score", "evaluate"})


class NoEvaluationSplit(Checker):
    name = "no-evaluation-split"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        trainings = [t for t in training_calls(ctx) if t.supervised and not t.remote_script]
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
    """`model.fit(X, y)` whose every evaluation is on that same `X`.

    An evaluation is `model.score(X, ...)`, `model.evaluate(X, ...)`, or a metric call given
    `model.predict(X)` directly. A bare `predict` is not: notebooks predict on training data
    to plot or inspect. A model handed to cross-validation or a search is evaluated there.
    """
    reported: set[str] = set()
    for training in trainings:
        model = training.model
        site = training.call.site
        fit_data = _argument_text(site.arg(0, "X") or site.arg(0, "x"))
        if model is None or not model.isidentifier() or fit_data is None or model in reported:
            continue
        if _cross_validated(ctx, model):
            continue
        evaluations = list(_evaluations(ctx, model))
        if evaluations and all(data == fit_data for _, _, data in evaluations):
            reported.add(model)
            cell, node, _ = evaluations[0]
            yield Violation(
                cell,
                f"`{model}` is evaluated on `{fit_data}`, the data it was fit on, which overstates "
                "how well it generalises: evaluate on a held-out test set or with cross-validation",
                node=node,
            )


def _evaluations(
    ctx: NotebookContext, model: str
) -> Iterable[tuple[AnalyzedCell, cst.CSTNode, str | None]]:
    for call in ctx.calls:
        site = call.site
        if site.receiver == model and site.method in _SCORING_METHODS:
            yield call.cell, site.node, _argument_text(site.arg(0, "X") or site.arg(0, "x"))
    for call in ctx.memo("metric-calls", _metric_calls):
        for arg in call.site.args:
            inner = arg.value
            if isinstance(inner, cst.Call) and dotted_name(inner.func) in _prediction_calls(model):
                data = _argument_text(inner.args[0].value) if inner.args else None
                yield call.cell, call.site.node, data


def _metric_calls(ctx: NotebookContext) -> list[ResolvedCall]:
    return [call for call in ctx.calls if _is_metric(call.qualified)]


def _prediction_calls(model: str) -> tuple[str, ...]:
    return tuple(
        f"{model}.{method}" for method in ("predict", "predict_proba", "decision_function")
    )


def _is_metric(qualified: str | None) -> bool:
    if qualified is None:
        return False
    if qualified.startswith("sklearn.metrics."):
        return True
    last = qualified.rsplit(".", 1)[-1]
    return last.endswith(("_score", "_error", "_loss")) or last in (
        "classification_report",
        "confusion_matrix",
    )


def _cross_validated(ctx: NotebookContext, model: str) -> bool:
    for call in ctx.calls:
        qualified = call.qualified or ""
        if (
            qualified.startswith("sklearn.model_selection.")
            or qualified.rsplit(".", 1)[-1] in HOLDOUT_FUNCTIONS
        ):
            for arg in (*call.site.args, *call.site.kwargs.values()):
                if isinstance(arg.value, cst.Name) and arg.value.value == model:
                    return True
    return False


def _argument_text(node: cst.BaseExpression | None) -> str | None:
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
