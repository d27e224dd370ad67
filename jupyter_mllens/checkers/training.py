"""Where does this notebook train a model? Shared by the model-development rules.

A training call is a `fit` on an estimator (scikit-learn, XGBoost, LightGBM, CatBoost,
Keras, statsmodels, a SageMaker estimator, a Lightning trainer), `xgboost.train` /
`lightgbm.train`, a Hugging Face `Trainer.train()`, a SageMaker `ModelTrainer.train()`, or
a PyTorch loop stepping a `torch.optim` optimizer. Fitting a preprocessing transformer
(`StandardScaler().fit`) is not training.

The library tables (training functions called directly, trainers that run in the notebook's
process, what marks a SageMaker job as running a script the notebook does not contain) are
`no-evaluation-split`'s `[knowledge]`, so a team's `[tool.mllens.rules.no-evaluation-split]`
options (an in-house `acme_ml.train`) reach every rule that asks where models are trained.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst

from ..analysis import CallSite, NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import QualifiedName

#: Libraries whose `fit` trains a model.
#: The rule whose `[knowledge]` holds the training entry points.
KNOWLEDGE_RULE = "no-evaluation-split"

_TRANSFORMER_CLASS = re.compile(
    r"(Scaler|Encoder|Imputer|Vectorizer|Transformer|Binarizer|Normalizer|Discretizer|"
    r"PolynomialFeatures|Tokenizer|Select\w+|VarianceThreshold|RFE|RFECV|PCA|\w*SVD|NMF|"
    r"SMOTE\w*|\w*Sampler|TSNE|Isomap|FeatureHasher|DictVectorizer|SplineTransformer)$"
)
_UNSUPERVISED_MODULES = (
    "sklearn.cluster",
    "sklearn.mixture",
    "sklearn.decomposition",
    "sklearn.manifold",
)
_MODEL_LIKE_NAME = re.compile(
    r"(model|clf|classifier|regressor|estimator|xgb|lgbm?|catboost|forest|tree|svm|svc|svr|"
    r"pipe|pipeline|learner|search|grid|tuner|net|knn|logreg|booster|ensemble|^lr$|^rf$|^gs$|^nb$|^reg$|^mlp$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Knowledge:
    """The training entry points of `KNOWLEDGE_RULE`'s `[knowledge]` (and a team's options)."""

    train_functions: tuple[str, ...]
    model_libraries: frozenset[str]
    trainer_libraries: frozenset[str]
    local_trainers: tuple[str, ...]
    script_keywords: frozenset[str]
    remote_code_classes: frozenset[str]
    job_wrappers: frozenset[str]
    image_keywords: frozenset[str]
    builtin_images: tuple[str, ...]

    @staticmethod
    def of(ctx: NotebookContext) -> _Knowledge:
        return ctx.memo("training-knowledge", _knowledge)


def _knowledge(ctx: NotebookContext) -> _Knowledge:
    entries: Mapping[str, tuple[str, ...]] = ctx.knowledge(KNOWLEDGE_RULE)
    return _Knowledge(
        entries.get("train-functions", ()),
        frozenset(entries.get("model-libraries", ())),
        frozenset(entries.get("trainer-libraries", ())),
        entries.get("local-trainers", ()),
        frozenset(entries.get("script-keywords", ())),
        frozenset(entries.get("remote-code-classes", ())),
        frozenset(entries.get("job-wrappers", ())),
        frozenset(entries.get("image-keywords", ())),
        entries.get("builtin-images", ()),
    )


def trainer_libraries(ctx: NotebookContext) -> frozenset[str]:
    """Libraries whose trainer objects train on `.train()` (the `trainer-libraries` knowledge)."""
    return _Knowledge.of(ctx).trainer_libraries


@dataclass(frozen=True)
class TrainingCall:
    call: ResolvedCall
    label: str  # how the message names it: "RandomForestClassifier.fit", "xgboost.train"
    model: str | None  # the receiver's name, when the model is a plain variable
    supervised: bool
    #: Trained remotely by a script the notebook does not contain (SageMaker script mode):
    #: what that script evaluates is invisible here.
    remote_script: bool = False


def training_calls(ctx: NotebookContext) -> list[TrainingCall]:
    """All training calls, in document order (computed once per lint and shared)."""
    return ctx.memo("training-calls", _find)


def _find(ctx: NotebookContext) -> list[TrainingCall]:
    found: list[TrainingCall] = []
    steps_optimizer = False
    train_functions = _Knowledge.of(ctx).train_functions
    for call in ctx.calls:
        site = call.site
        method = site.method
        if train_functions and call.is_any(*train_functions):
            found.append(TrainingCall(call, str(call.qualified), None, True))
            continue
        if method is None or site.receiver is None:
            continue
        receiver = site.receiver
        at = call.point
        made_by = ctx.made_by(receiver.root, at) if receiver.is_name else None
        if receiver.maker is not None:  # make_model().fit(...)
            made_by = ctx.resolve(receiver.maker, at)
        if method in ("fit", "fit_generator"):
            training = _fit_call(ctx, call, receiver, made_by)
            if training is not None:
                found.append(training)
        elif method == "train" and made_by is not None and made_by.is_name:
            trainer = _trainer_made_in(ctx, made_by.root)  # trainer = create_trainer(...)
            if trainer is not None:
                found.append(TrainingCall(call, f"{trainer.last}.train", str(receiver), True))
        elif (
            method == "train"
            and made_by is not None
            and made_by.root in _Knowledge.of(ctx).trainer_libraries
            and not _mode_switch(site, made_by)
        ):
            remote = made_by.is_any("sagemaker") and _runs_a_script(ctx, receiver, at)
            label = f"{made_by.last}.train"
            found.append(TrainingCall(call, label, str(receiver), True, remote))
        elif (
            method == "step"
            and not steps_optimizer
            and _is_optimizer(ctx, receiver, made_by)
            and _repeated(ctx, call)
        ):
            steps_optimizer = True
            found.append(TrainingCall(call, "optimizer.step", str(receiver), True))
    return found


def _fit_call(
    ctx: NotebookContext,
    call: ResolvedCall,
    receiver: QualifiedName,
    made_by: QualifiedName | None,
) -> TrainingCall | None:
    site = call.site
    supervised = len(site.args) >= 2 or "y" in site.kwargs or "train_dataloaders" in site.kwargs
    library = made_by.root if made_by is not None else None
    models = _Knowledge.of(ctx).model_libraries
    if made_by is not None and (library in models or ctx.is_imported(made_by)):
        name = made_by.last
        if library not in models or _TRANSFORMER_CLASS.search(name):
            return None
        if made_by.is_any(*_UNSUPERVISED_MODULES):
            supervised = False
        if library in (
            "keras",
            "tensorflow",
            "tf_keras",
            "sagemaker",
            "pytorch_lightning",
            "lightning",
        ):
            supervised = True
        remote_script = library == "sagemaker" and _runs_a_script(ctx, receiver, call.point)
        return TrainingCall(call, f"{name}.fit", str(receiver), supervised, remote_script)
    if _MODEL_LIKE_NAME.search(receiver.last):
        supervised = supervised or len(site.args) == 1
        return TrainingCall(call, f"{receiver}.fit", str(receiver), supervised)
    return None


def _runs_a_script(
    ctx: NotebookContext, receiver: QualifiedName, at: Point, depth: int = 0
) -> bool:
    """True when the SageMaker job behind `receiver` runs training code outside the notebook.

    That is an estimator or `ModelTrainer` given a script (`entry_point=`, `source_code=`,
    also through `**kwargs` of a dict holding them), one built from a recipe, a JumpStart
    or marketplace (`AlgorithmEstimator`) estimator, or a tuner wrapping such an estimator.
    """
    knowledge = _Knowledge.of(ctx)
    name = receiver.maker or receiver
    bound = ctx.binding_at(name.root, at) if depth < 4 and name.is_name else None
    if bound is None:
        return False
    analyzed, binding = bound
    value = binding.value
    if not isinstance(value, cst.Call) or binding.unpacked is not None:
        return False
    where = Point.of(analyzed, binding)
    made_by = ctx.resolve(QualifiedName.of(value.func), where)
    last = "" if made_by is None else made_by.last
    calls = [value]  # ModelTrainer(...).with_remote_debug_config(...): every call of the chain
    while isinstance(calls[-1].func, cst.Attribute) and isinstance(calls[-1].func.value, cst.Call):
        calls.append(calls[-1].func.value)
    for made in calls:
        callee = QualifiedName.of(made.func)
        if callee is not None and not knowledge.remote_code_classes.isdisjoint(callee.names):
            return True
        if callee is not None and callee.parts[-1] in ("from_recipe", "from_jumpstart_config"):
            return True
        for arg in made.args:
            if arg.keyword is not None and arg.keyword.value in knowledge.script_keywords:
                return True
            if (
                arg.keyword is not None
                and arg.keyword.value in knowledge.image_keywords
                and not _builtin_image(ctx, arg.value, where, knowledge.builtin_images)
            ):
                return True  # the notebook's own container: its training code is in the image
            if arg.star == "**" and _names_a_script(ctx, arg.value, where):
                return True
    if last in knowledge.remote_code_classes:
        return True
    if last in knowledge.job_wrappers:
        wrapped = next(
            (a.value for a in value.args if a.keyword is None or a.keyword.value == "estimator"),
            None,
        )
        if isinstance(wrapped, cst.Name):
            return _runs_a_script(ctx, QualifiedName((wrapped.value,)), where, depth + 1)
    return False


def _builtin_image(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point, builtin: tuple[str, ...]
) -> bool:
    """An image a SageMaker image lookup returns (`image_uris.retrieve("xgboost", ...)`):
    a built-in algorithm, whose only validation is the job's `validation` channel."""
    for _ in range(4):
        if isinstance(node, cst.Name):
            bound = ctx.binding_at(node.value, at)
            if bound is None or bound[1].parameter or bound[1].unpacked is not None:
                return False
            node, at = bound[1].value, Point.of(*bound)
            continue
        if isinstance(node, cst.Call):
            made = ctx.resolve(QualifiedName.of(node.func), at)
            return made is not None and made.is_any(*builtin)
        return False
    return False


def _names_a_script(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> bool:
    """`**kwargs` where `kwargs` is a dict (literal or `dict(...)`) with a script key."""
    keywords = _Knowledge.of(ctx).script_keywords
    if isinstance(node, cst.Name):
        bound = ctx.binding_at(node.value, at)
        if bound is None or bound[1].unpacked is not None or bound[1].parameter:
            return False
        node = bound[1].value
    if isinstance(node, cst.Dict):
        return any(
            isinstance(element, cst.DictElement) and string_value(element.key) in keywords
            for element in node.elements
        )
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        return any(arg.keyword is not None and arg.keyword.value in keywords for arg in node.args)
    return False


def _trainer_made_in(ctx: NotebookContext, function: str) -> QualifiedName | None:
    """The trainer class a notebook function builds (`def create_trainer(...): t = Trainer(...)`)."""
    local = _Knowledge.of(ctx).local_trainers
    for analyzed in ctx.cells:
        for binding in analyzed.analysis.facts.bindings:
            if binding.scope != function or not isinstance(binding.value, cst.Call):
                continue
            at = Point.of(analyzed, binding)
            made = ctx.resolve(QualifiedName.of(binding.value.func), at)
            if (
                made is not None
                and made.root in local
                and made.parts[-1].endswith("Trainer")  # not the TrainingArguments next to it
            ):
                return made
    return None


def _repeated(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """An optimizer step inside a loop or a function: one lone step shows an API, not training."""
    site = call.site
    if site.scope is not None:
        return True
    return any(loop.order < site.order <= loop.end for loop in call.cell.analysis.facts.loops)


def _mode_switch(site: CallSite, made_by: QualifiedName) -> bool:
    """`model.train()` / `model.train(False)` only sets a PyTorch module's mode; a `*Trainer`
    (`Trainer(...)`, `ModelTrainer.from_jumpstart_config(...)`) trains."""
    trainer = any(name.endswith("Trainer") for name in made_by.names)
    if trainer or site.kwargs.keys() - {"mode"}:
        return False
    args = site.args
    return not args or (
        len(args) == 1 and isinstance(args[0].value, cst.Name) and args[0].value.value in _BOOLS
    )


_BOOLS = ("True", "False")


def _is_optimizer(
    ctx: NotebookContext, receiver: QualifiedName, made_by: QualifiedName | None
) -> bool:
    if made_by is not None:
        return made_by.is_any("torch.optim", "transformers.optimization", "bitsandbytes.optim")
    return "optim" in str(receiver).lower() and ctx.imports_module("torch")
