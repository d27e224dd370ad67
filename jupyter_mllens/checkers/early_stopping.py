"""`training-without-early-stopping`: long training budgets with nothing to stop them early.

Four shapes, each with a budget threshold (`thresholds` in the rule's `[knowledge]`,
replaceable per team):

- Keras `model.fit(..., epochs=N)` with N >= `keras-epochs`, validation data to watch
  (`validation_data=`, `validation_split=`) and no `EarlyStopping` among the callbacks
  passed to that fit (a fit with nothing held out is `no-evaluation-split`'s concern: early
  stopping would have nothing to monitor);
- a Lightning `Trainer(max_epochs=N)` with N >= `lightning-epochs` and no `EarlyStopping`
  callback;
- Hugging Face `TrainingArguments(num_train_epochs=N)` (and the trl configs) with N >=
  `transformers-epochs`, no `max_steps`, and no `EarlyStoppingCallback` in the notebook;
- XGBoost / LightGBM given an evaluation set (`evals=`, `valid_sets=`, `eval_set=`) and
  >= `boosting-rounds` rounds, without `early_stopping_rounds` or an early-stopping callback.

The budget is a value the notebook states: a literal, or a name, dict entry or arithmetic
resolved through the bindings in force (`analysis/numbers.py`). A budget the notebook does
not state, and callbacks it cannot see (a helper's return value, a parameter), are not
reported: precision before recall.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

import libcst as cst

from ..analysis import CallSite, NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.numbers import dict_entry, dict_keys, int_of
from ..analysis.qualified import QualifiedName
from ..knowledge import thresholds
from .base import Checker, Violation
from .model_origins import definitions, maker

_KERAS = ("keras", "tensorflow", "tf_keras")
#: Keras `fit` arguments that hold data out for the callbacks to watch.
_VALIDATION_KEYWORDS = frozenset({"validation_data", "validation_split", "validation_steps"})
_LIGHTNING_TRAINERS = (
    "pytorch_lightning.Trainer",
    "lightning.Trainer",
    "lightning.pytorch.Trainer",
    "pytorch_lightning.trainer.Trainer",
    "lightning.pytorch.trainer.Trainer",
)
_HF_ARGUMENTS = (
    "transformers.TrainingArguments",
    "transformers.Seq2SeqTrainingArguments",
    "transformers.training_args.TrainingArguments",
    "trl.SFTConfig",
    "trl.DPOConfig",
    "trl.ORPOConfig",
    "trl.KTOConfig",
    "trl.RewardConfig",
    "setfit.TrainingArguments",
)
_XGB_TRAIN = ("xgboost.train",)
_LGB_TRAIN = ("lightgbm.train",)
_XGB_MODELS = ("xgboost.XGBClassifier", "xgboost.XGBRegressor", "xgboost.XGBRanker")
_LGB_MODELS = ("lightgbm.LGBMClassifier", "lightgbm.LGBMRegressor", "lightgbm.LGBMRanker")
#: The boosting models, under their package and under its `sklearn` module
#: (`xgboost.XGBClassifier`, `xgboost.sklearn.XGBClassifier`).
_BOOSTING_MODELS = frozenset(
    QualifiedName((model.root, *module, model.last))
    for model in map(QualifiedName.parse, (*_XGB_MODELS, *_LGB_MODELS))
    for module in ((), ("sklearn",))
)
_LIGHTNING_TRAINER_NAMES = frozenset(map(QualifiedName.parse, _LIGHTNING_TRAINERS))
_HF_ARGUMENT_NAMES = frozenset(map(QualifiedName.parse, _HF_ARGUMENTS))
_XGB_TRAIN_NAMES = frozenset(map(QualifiedName.parse, _XGB_TRAIN))
_LGB_TRAIN_NAMES = frozenset(map(QualifiedName.parse, _LGB_TRAIN))
#: The last names of early-stopping callbacks, whatever library they come from.
_STOPPER_NAMES = frozenset({"EarlyStopping", "EarlyStoppingCallback", "early_stopping"})
#: Parameter names that set a boosting budget / early stopping inside a params dict.
_ROUND_PARAMS = (
    "num_boost_round",
    "num_iterations",
    "num_iteration",
    "n_iter",
    "num_tree",
    "num_trees",
    "num_round",
    "num_rounds",
    "nrounds",
    "n_estimators",
)
_STOP_PARAMS = frozenset(
    {"early_stopping_rounds", "early_stopping_round", "early_stopping", "n_iter_no_change"}
)
#: Libraries whose callback classes are known: any of them but early stopping does not stop.
_CALLBACK_LIBRARIES = frozenset(
    {
        *_KERAS,
        "pytorch_lightning",
        "lightning",
        "transformers",
        "xgboost",
        "lightgbm",
        "wandb",
        "mlflow",
        "comet_ml",
        "neptune",
        "dvclive",
        "tensorflow_addons",
    }
)
_DEFAULT_ROUNDS = {"xgboost-train": 10, "lightgbm-train": 100, "sklearn-api": 100}

_KERAS_MESSAGE = (
    "{label} trains for {epochs} epochs with no EarlyStopping callback: every epoch after the "
    "validation loss stops improving costs compute and energy and can overfit; add "
    '`keras.callbacks.EarlyStopping(monitor="val_loss", patience=..., '
    "restore_best_weights=True)` to `callbacks=`"
)
_LIGHTNING_MESSAGE = (
    "Lightning Trainer runs up to {epochs} epochs with no EarlyStopping callback: add "
    '`EarlyStopping(monitor="val_loss", patience=...)` to `callbacks=` so training ends when '
    "the validation metric stops improving"
)
_HF_MESSAGE = (
    "{label} trains for {epochs} epochs and no EarlyStoppingCallback is used: add "
    "`callbacks=[EarlyStoppingCallback(early_stopping_patience=...)]` to the Trainer with "
    "`load_best_model_at_end=True` and a `metric_for_best_model`"
)
_BOOSTING_MESSAGE = (
    "{label} boosts {rounds} rounds against an evaluation set without early stopping: "
    "set `early_stopping_rounds=` (or an early-stopping callback) so rounds that no longer "
    "improve the evaluation metric are not computed"
)


class TrainingWithoutEarlyStopping(Checker):
    name = "training-without-early-stopping"
    options: ClassVar[Mapping[str, str]] = {
        "thresholds": "budgets from which a run is long enough to need early stopping, as "
        '`setting=integer`: `"keras-epochs=100"`, `"lightning-epochs=100"`, '
        '`"transformers-epochs=20"`, `"boosting-rounds=500"` (replaces the shipped value)',
        "early-stopping": "qualified names of in-house callbacks that stop training early "
        '(`"acme_ml.callbacks.StopOnPlateau"`)',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        limits = thresholds(knowledge.get("thresholds", ()))
        stoppers = knowledge.get("early-stopping", ())
        yield from _keras(ctx, limits.get("keras-epochs", 50), stoppers)
        yield from _lightning(ctx, limits.get("lightning-epochs", 50), stoppers)
        yield from _transformers(ctx, limits.get("transformers-epochs", 10), stoppers)
        yield from _boosting(ctx, limits.get("boosting-rounds", 200), stoppers)


# -- Keras ---------------------------------------------------------------------------------
def _keras(ctx: NotebookContext, limit: int, stoppers: tuple[str, ...]) -> Iterator[Violation]:
    if not ctx.imports_module(*_KERAS):
        return
    for call in ctx.calls_named("fit", "fit_generator"):
        site = call.site
        epochs_node = (
            site.arg(3, "epochs") if "epochs" in site.kwargs or len(site.args) > 3 else None
        )
        if epochs_node is None or site.receiver is None:
            continue
        if not site.kwargs.keys() & _VALIDATION_KEYWORDS and len(site.args) < 8:
            continue  # nothing held out to watch; missing validation is another rule's finding
        label = _keras_model(ctx, call, site.receiver)
        if label is None:
            continue
        epochs = int_of(ctx, epochs_node, call.point)
        if epochs is None or epochs < limit:
            continue
        callbacks = site.arg(5, "callbacks")
        if callbacks is not None and _stops(ctx, callbacks, call.point, stoppers) is not False:
            continue
        yield Violation(
            call.cell, _KERAS_MESSAGE.format(label=label, epochs=epochs), node=site.node
        )


def _keras_model(ctx: NotebookContext, call: ResolvedCall, receiver: QualifiedName) -> str | None:
    """How to name the Keras model `receiver` (`model`, `model()`) is, or None when it is not one."""
    bare = receiver.maker or receiver
    if not bare.is_name:
        return None
    name = bare.root
    made = maker(ctx, name, call.point)
    if made is None:
        # A model built where the notebook cannot see (`model = build_model(hp)` in a
        # helper taking parameters): the `epochs=` keyword of a Keras notebook says enough.
        return f"{name}.fit"
    root = made.root
    if root in _KERAS or root == "keras_tuner":
        short = made.last
        return f"{short}.fit" if short[:1].isupper() else f"{name}.fit"
    if made.is_name and made.root in definitions(ctx).classes:
        return f"{made}.fit"
    return None


# -- Lightning -----------------------------------------------------------------------------
def _lightning(ctx: NotebookContext, limit: int, stoppers: tuple[str, ...]) -> Iterator[Violation]:
    for call in ctx.calls_to(*_LIGHTNING_TRAINERS):
        if not _exact(call, _LIGHTNING_TRAINER_NAMES):
            continue
        site = call.site
        epochs = int_of(ctx, _kw(site, "max_epochs"), call.point)
        if epochs is None or epochs < limit or "max_steps" in site.kwargs:
            continue
        callbacks = _kw(site, "callbacks")
        if callbacks is not None and _stops(ctx, callbacks, call.point, stoppers) is not False:
            continue
        yield Violation(
            call.cell, _LIGHTNING_MESSAGE.format(epochs=epochs), node=site.kwargs["max_epochs"]
        )


# -- Hugging Face --------------------------------------------------------------------------
def _transformers(
    ctx: NotebookContext, limit: int, stoppers: tuple[str, ...]
) -> Iterator[Violation]:
    calls = [call for call in ctx.calls_to(*_HF_ARGUMENTS) if _exact(call, _HF_ARGUMENT_NAMES)]
    if not calls or _notebook_stops_hf(ctx, stoppers):
        return
    for call in calls:
        site = call.site
        node = site.kwargs.get("num_train_epochs")
        if node is None:
            continue
        epochs = int_of(ctx, node.value, call.point)
        if epochs is None or epochs < limit:
            continue
        steps = int_of(ctx, _kw(site, "max_steps"), call.point)
        if "max_steps" in site.kwargs and (steps is None or steps > 0):
            continue  # max_steps overrides the epoch count
        label = "" if call.qualified is None else call.qualified.last
        yield Violation(call.cell, _HF_MESSAGE.format(label=label, epochs=epochs), node=node)


def _notebook_stops_hf(ctx: NotebookContext, stoppers: tuple[str, ...]) -> bool:
    """Any early-stopping callback made in the notebook, or a callback class setting
    `control.should_training_stop` (Hugging Face callbacks are often added later with
    `trainer.add_callback`, so the whole notebook is the evidence)."""
    for call in ctx.calls:
        if _is_stopper(call.qualified, stoppers):
            return True
    return any(_sets_stop_flag(cls) for _, cls in definitions(ctx).classes.values())


# -- XGBoost / LightGBM --------------------------------------------------------------------
def _boosting(ctx: NotebookContext, limit: int, stoppers: tuple[str, ...]) -> Iterator[Violation]:
    for call in ctx.calls_to(*_XGB_TRAIN, *_LGB_TRAIN):
        xgb = _exact(call, _XGB_TRAIN_NAMES)
        if not xgb and not _exact(call, _LGB_TRAIN_NAMES):
            continue
        found = _train_function(ctx, call, xgb, stoppers)
        if found is not None and found[1] >= limit:
            label = "xgboost.train" if xgb else "lightgbm.train"
            yield Violation(
                call.cell, _BOOSTING_MESSAGE.format(label=label, rounds=found[1]), node=found[0]
            )
    for call in ctx.calls_named("fit"):
        violation = _sklearn_api_fit(ctx, call, limit, stoppers)
        if violation is not None:
            yield violation


def _train_function(
    ctx: NotebookContext, call: ResolvedCall, xgb: bool, stoppers: tuple[str, ...]
) -> tuple[cst.CSTNode, int] | None:
    """`xgb.train(params, dtrain, num_boost_round, evals, ...)` / `lgb.train(params,
    train_set, num_boost_round, valid_sets, ...)`: the node to point at and the rounds,
    when an evaluation set is given and nothing stops early."""
    site = call.site
    at = call.point
    evals = site.arg(3, "evals" if xgb else "valid_sets")
    if evals is None or _empty(evals):
        return None
    if "early_stopping_rounds" in site.kwargs or (xgb and len(site.args) > 7):
        return None
    callbacks = _kw(site, "callbacks")
    if callbacks is not None and _stops(ctx, callbacks, at, stoppers) is not False:
        return None
    params = site.arg(0, "params")
    keys = dict_keys(ctx, params, at)
    if params is not None and keys is None:
        return None  # parameters the notebook does not show may stop early
    if keys is not None and keys & _STOP_PARAMS:
        return None
    rounds_node = site.arg(2, "num_boost_round")
    if rounds_node is not None:
        rounds = int_of(ctx, rounds_node, at)
        return None if rounds is None else (rounds_node, rounds)
    for key in _ROUND_PARAMS:
        entry = dict_entry(ctx, params, key, at)
        if entry is not None:
            rounds = int_of(ctx, entry[0], entry[1])
            return None if rounds is None else (site.node, rounds)
    return site.node, _DEFAULT_ROUNDS["xgboost-train" if xgb else "lightgbm-train"]


def _sklearn_api_fit(
    ctx: NotebookContext, call: ResolvedCall, limit: int, stoppers: tuple[str, ...]
) -> Violation | None:
    """`XGBClassifier(n_estimators=N).fit(X, y, eval_set=[...])` without early stopping."""
    site = call.site
    eval_set = site.kwargs.get("eval_set")
    if eval_set is None or _empty(eval_set.value) or site.receiver is None:
        return None
    receiver = site.receiver
    at = call.point
    model = _constructor(ctx, receiver, at)
    if model is None:
        return None
    made, where, label = model
    if made.args and any(arg.star for arg in made.args):
        return None  # `XGBClassifier(**params)`: settings the notebook may not show
    kwargs = {arg.keyword.value: arg.value for arg in made.args if arg.keyword is not None}
    if _STOP_PARAMS & (kwargs.keys() | site.kwargs.keys()):
        return None
    for callbacks in (kwargs.get("callbacks"), _kw(site, "callbacks")):
        if callbacks is not None and _stops(ctx, callbacks, at, stoppers) is not False:
            return None
    node = kwargs.get("n_estimators")
    rounds = _DEFAULT_ROUNDS["sklearn-api"] if node is None else int_of(ctx, node, where)
    if rounds is None or rounds < limit:
        return None
    return Violation(
        call.cell, _BOOSTING_MESSAGE.format(label=f"{label}.fit", rounds=rounds), node=site.node
    )


def _constructor(
    ctx: NotebookContext, receiver: QualifiedName, at: Point
) -> tuple[cst.Call, Point, str] | None:
    """The `XGBClassifier(...)`/`LGBMRegressor(...)` call the receiver was made by."""
    if not receiver.is_name:
        return None
    bound = ctx.call_bound(receiver.root, at)
    if bound is None:
        return None
    value, where = bound
    made = ctx.resolve(QualifiedName.of(value.func), where)
    if made is None or made not in _BOOSTING_MODELS:
        return None
    return value, where, made.last


# -- callbacks -----------------------------------------------------------------------------
def _stops(
    ctx: NotebookContext,
    node: cst.BaseExpression,
    at: Point | None,
    stoppers: tuple[str, ...],
    depth: int = 0,
) -> bool | None:
    """Whether a `callbacks=` value holds an early-stopping callback: True, False, or None
    when the notebook does not show what it holds."""
    if depth > 6:
        return None
    if isinstance(node, (cst.List, cst.Tuple)):
        answers = [_stops(ctx, element.value, at, stoppers, depth + 1) for element in node.elements]
        if any(answer is True for answer in answers):
            return True
        return None if any(answer is None for answer in answers) else False
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = _stops(ctx, node.left, at, stoppers, depth + 1)
        right = _stops(ctx, node.right, at, stoppers, depth + 1)
        if left is True or right is True:
            return True
        return None if left is None or right is None else False
    if isinstance(node, cst.Name) and node.value == "None":
        return False
    if isinstance(node, cst.Call):
        return _callback_stops(ctx, ctx.resolve(QualifiedName.of(node.func), at), stoppers)
    if isinstance(node, cst.Name):
        bound = ctx.binding_at(node.value, at)
        if bound is None or bound[1].parameter or bound[1].unpacked is not None:
            return None
        analyzed, binding = bound
        where = Point.of(analyzed, binding)
        if _appended_stopper(ctx, node.value, stoppers):
            return True
        return _stops(ctx, binding.value, where, stoppers, depth + 1)
    return None


def _callback_stops(
    ctx: NotebookContext, qualified: QualifiedName | None, stoppers: tuple[str, ...]
) -> bool | None:
    """`qualified`: what the callback's constructor resolves to (`keras.callbacks.EarlyStopping`)."""
    if qualified is None:
        return None
    if _is_stopper(qualified, stoppers):
        return True
    cls = definitions(ctx).classes.get(qualified.root) if qualified.is_name else None
    if cls is not None:
        if _sets_stop_flag(cls[1]):
            return True
        return any(
            _is_stopper(ctx.resolve(QualifiedName.of(base.value)), stoppers)
            for base in cls[1].bases
        )
    bare = qualified.maker or qualified  # a name bound to a factory's call, called again
    if bare.root in _CALLBACK_LIBRARIES and bare.last[:1].isupper():
        return False  # a library callback that is not early stopping (ModelCheckpoint, ...)
    return None  # a helper's return value, or something the notebook does not define


def _is_stopper(qualified: QualifiedName | None, stoppers: tuple[str, ...]) -> bool:
    if qualified is None:
        return False
    bare = qualified.maker or qualified
    if bare.parts[-1] in _STOPPER_NAMES:
        return True
    return bare.is_any(*stoppers)


def _appended_stopper(ctx: NotebookContext, name: str, stoppers: tuple[str, ...]) -> bool:
    """`callbacks.append(EarlyStopping(...))` (or `+=`/`extend`) somewhere in the notebook."""
    for method in ("append", "extend", "insert"):
        for call in ctx.calls_named(method):
            receiver = call.site.receiver
            if receiver is None or not receiver.is_name or receiver.root != name:
                continue
            for arg in call.site.args:
                if _stops(ctx, arg.value, call.point, stoppers, depth=5) is True:
                    return True
    return False


def _sets_stop_flag(cls: cst.ClassDef) -> bool:
    """A callback class that ends training itself (`self.model.stop_training = True`,
    `control.should_training_stop = True`, `trainer.should_stop = True`)."""
    return _assigns_attribute(cls, ("stop_training", "should_training_stop", "should_stop"))


def _assigns_attribute(node: cst.CSTNode, attributes: tuple[str, ...]) -> bool:
    pending: list[cst.CSTNode] = [node]
    seen = 0
    while pending and seen < 20_000:
        current = pending.pop()
        seen += 1
        if (
            isinstance(current, cst.AssignTarget)
            and isinstance(current.target, cst.Attribute)
            and current.target.attr.value in attributes
        ):
            return True
        pending.extend(current.children)
    return False


def _exact(call: ResolvedCall, names: frozenset[QualifiedName]) -> bool:
    """The call constructs one of `names` itself (not a method on its result)."""
    return call.qualified is not None and call.qualified in names


def _empty(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.List, cst.Tuple)) and not node.elements


def _kw(site: CallSite, keyword: str) -> cst.BaseExpression | None:
    arg = site.kwargs.get(keyword)
    return None if arg is None else arg.value
