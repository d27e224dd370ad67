"""Where does this notebook train a model? Shared by the model-development rules.

A training call is a `fit` on an estimator (scikit-learn, XGBoost, LightGBM, CatBoost,
Keras, statsmodels, a SageMaker estimator, a Lightning trainer), `xgboost.train` /
`lightgbm.train`, a Hugging Face `Trainer.train()`, a SageMaker `ModelTrainer.train()`, or
a PyTorch loop stepping a `torch.optim` optimizer. Fitting a preprocessing transformer
(`StandardScaler().fit`) is not training.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from ..analysis import CallSite, NotebookContext, Point
from ..analysis.context import ResolvedCall

#: Libraries whose `fit` trains a model.
MODEL_LIBRARIES = (
    "sklearn",
    "xgboost",
    "lightgbm",
    "catboost",
    "keras",
    "tensorflow",
    "tf_keras",
    "statsmodels",
    "prophet",
    "sagemaker",
    "pytorch_lightning",
    "lightning",
    "imblearn",
    "skorch",
    "autogluon",
    "pycaret",
)
#: Training functions called directly.
TRAIN_FUNCTIONS = ("xgboost.train", "lightgbm.train", "catboost.train")
#: Classes whose `.train()` trains a model.
TRAINER_PREFIXES = ("transformers", "trl", "setfit", "sentence_transformers", "sagemaker")

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
    for call in ctx.calls:
        site = call.site
        method = site.method
        qualified = call.qualified or ""
        if call.is_any(*TRAIN_FUNCTIONS):
            found.append(TrainingCall(call, qualified, None, True))
            continue
        if method is None or site.receiver is None:
            continue
        receiver = site.receiver
        at = call.point
        made_by = ctx.made_by(receiver, at) if "." not in receiver and "(" not in receiver else None
        if receiver.endswith("()"):
            made_by = ctx.resolve(receiver[:-2], at)
        if method in ("fit", "fit_generator"):
            training = _fit_call(ctx, call, receiver, made_by)
            if training is not None:
                found.append(training)
        elif (
            method == "train"
            and made_by is not None
            and made_by.split(".")[0] in TRAINER_PREFIXES
            and not _mode_switch(site, made_by)
        ):
            found.append(TrainingCall(call, f"{_short(made_by)}.train", receiver, True))
        elif method == "step" and not steps_optimizer and _is_optimizer(ctx, receiver, made_by):
            steps_optimizer = True
            found.append(TrainingCall(call, "optimizer.step", receiver, True))
    return found


def _fit_call(
    ctx: NotebookContext, call: ResolvedCall, receiver: str, made_by: str | None
) -> TrainingCall | None:
    site = call.site
    supervised = len(site.args) >= 2 or "y" in site.kwargs or "train_dataloaders" in site.kwargs
    library = made_by.split(".")[0] if made_by is not None else None
    if made_by is not None and (library in MODEL_LIBRARIES or ctx.is_imported(made_by)):
        name = made_by.rsplit(".", 1)[-1]
        if library not in MODEL_LIBRARIES or _TRANSFORMER_CLASS.search(name):
            return None
        if made_by.startswith(_UNSUPERVISED_MODULES):
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
        return TrainingCall(call, f"{name}.fit", receiver, supervised, remote_script)
    head = receiver.split(".")[-1].rstrip("()")
    if _MODEL_LIKE_NAME.search(head):
        return TrainingCall(call, f"{receiver}.fit", receiver, supervised or len(site.args) == 1)
    return None


_SCRIPT_KEYWORDS = ("entry_point", "source_dir", "source_code", "git_config")


def _runs_a_script(ctx: NotebookContext, receiver: str, at: Point) -> bool:
    """True when the estimator behind `receiver` was built with a training script."""
    bound = ctx.binding_at(receiver.removesuffix("()"), at)
    if bound is None:
        return False
    value = bound[1].value
    return isinstance(value, cst.Call) and any(
        arg.keyword is not None and arg.keyword.value in _SCRIPT_KEYWORDS for arg in value.args
    )


def _mode_switch(site: CallSite, made_by: str) -> bool:
    """`model.train()` / `model.train(False)` only sets a PyTorch module's mode; a `*Trainer`
    (`Trainer(...)`, `ModelTrainer.from_jumpstart_config(...)`) trains."""
    trainer = any(part.endswith("Trainer") for part in made_by.split("."))
    if trainer or site.kwargs.keys() - {"mode"}:
        return False
    args = site.args
    return not args or (
        len(args) == 1 and isinstance(args[0].value, cst.Name) and args[0].value.value in _BOOLS
    )


_BOOLS = ("True", "False")


def _is_optimizer(ctx: NotebookContext, receiver: str, made_by: str | None) -> bool:
    if made_by is not None:
        return made_by.startswith(
            ("torch.optim", "transformers.optimization", "bitsandbytes.optim")
        )
    return "optim" in receiver.lower() and ctx.imports_module("torch")


def _short(qualified: str) -> str:
    return qualified.rsplit(".", 1)[-1]
