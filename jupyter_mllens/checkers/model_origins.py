"""Models made by the notebook's own code: helper functions and model subclasses.

The shared training detection (`training.py`) knows a model by the library call that made
it. Real notebooks often hide that call one step away: `trainer = get_trainer(train, test)`
where the helper returns `Trainer(...)`, `autoencoder = Autoencoder(64)` where the class
subclasses `keras.Model`, `model = tuner.hypermodel.build(best_hps)`, or a from-scratch
network whose own `train(X, y)` runs the loop. This module follows those steps, only as far
as they stay precise:

- a helper function defined at a cell's top level is followed through its `return`
  (a call, or a name bound to one in the function), at most a few helpers deep;
- a class defined at a cell's top level is a model when a base is a Keras, PyTorch or
  Lightning model class (or another such notebook class);
- a helper *module*'s `train(model, loader, ...)` counts when its first argument is a model;
- a client that launches managed training (`MANAGED_TRAINERS`) trains when its `train` is called.

It finds only what `training_calls` missed, so the two lists never overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.qualified import QualifiedName
from .training import TrainingCall, trainer_libraries, training_calls

#: Base classes that make a notebook-defined class a trainable model.
MODEL_BASES = (
    "keras.Model",
    "keras.models.Model",
    "keras.Sequential",
    "tensorflow.keras.Model",
    "tensorflow.keras.models.Model",
    "tensorflow.keras.Sequential",
    "tf_keras.Model",
    "torch.nn.Module",
    "pytorch_lightning.LightningModule",
    "lightning.LightningModule",
    "lightning.pytorch.LightningModule",
)
#: Clients whose `train(...)` launches a SageMaker training job the shared detection does not
#: know (Amazon Nova customization runs SageMaker training jobs or HyperPod).
MANAGED_TRAINERS = ("amzn_nova_customization_sdk.model.NovaModelCustomizer",)
#: Libraries whose objects, once made by a helper or a tuner, are Keras models.
KERAS_LIBRARIES = ("keras", "tensorflow", "tf_keras", "keras_tuner")
_MODEL_BASE_NAMES = frozenset(QualifiedName.parse(base) for base in MODEL_BASES)

_END_OF_SCOPE = 1 << 30
_STATEMENT_CONTAINERS = (
    cst.BaseSuite,
    cst.BaseCompoundStatement,
    cst.SimpleStatementLine,
    cst.Else,
    cst.ExceptHandler,
    cst.Finally,
)
_MAX_HELPERS = 3
_MODEL_ARGUMENT = re.compile(r"model|net|clf|classifier", re.IGNORECASE)


@dataclass(frozen=True)
class Definitions:
    """Functions and classes defined at the top level of the notebook's cells, by name."""

    functions: Mapping[str, tuple[AnalyzedCell, cst.FunctionDef]]
    classes: Mapping[str, tuple[AnalyzedCell, cst.ClassDef]]


def definitions(ctx: NotebookContext) -> Definitions:
    """The notebook's top-level definitions; a later definition replaces an earlier one."""
    return ctx.memo("notebook-definitions", _definitions)


def _definitions(ctx: NotebookContext) -> Definitions:
    functions: dict[str, tuple[AnalyzedCell, cst.FunctionDef]] = {}
    classes: dict[str, tuple[AnalyzedCell, cst.ClassDef]] = {}
    for analyzed in ctx.cells:
        module = analyzed.analysis.module
        if module is None:
            continue
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef):
                functions[statement.name.value] = (analyzed, statement)
            elif isinstance(statement, cst.ClassDef):
                classes[statement.name.value] = (analyzed, statement)
    return Definitions(functions, classes)


def helper_training_calls(ctx: NotebookContext) -> list[TrainingCall]:
    """Training calls on models the notebook's own helpers or classes made, in document order."""
    return ctx.memo("helper-training-calls", _find)


def _find(ctx: NotebookContext) -> list[TrainingCall]:
    known = {id(training.call.site) for training in training_calls(ctx)}
    found: list[TrainingCall] = []
    for call in ctx.calls:
        site = call.site
        receiver = site.receiver
        if site.method not in ("fit", "train") or receiver is None or id(site) in known:
            continue
        if not receiver.is_name:
            continue
        training = _training(ctx, call, receiver.root)
        if training is not None:
            found.append(training)
    return found


def _training(ctx: NotebookContext, call: ResolvedCall, receiver: str) -> TrainingCall | None:
    site = call.site
    if receiver in ctx.imports:
        # A helper module's `train(model, loader, ...)`: the loop lives in a local file.
        first = site.args[0].value if site.args else None
        if site.method == "train" and len(site.args) >= 2 and _is_model(ctx, first, call.point):
            return TrainingCall(call, f"{receiver}.train", receiver, True)
        return None
    made = maker(ctx, receiver, call.point)
    if made is None:
        return None
    short = made.last
    defs = definitions(ctx)
    if made.is_name and made.root in defs.classes:
        # A model subclass trains on data; any other class of the notebook needs its own
        # `fit`/`train` given features and targets (a one-argument `fit` may be a scaler's).
        data = [arg for arg in site.args if not _is_bool(arg.value)]
        if (data and is_model_class(ctx, made.root)) or (
            len(data) >= 2 and _defines(defs.classes[made.root][1], site.method)
        ):
            return TrainingCall(call, f"{made}.{site.method}", receiver, True)
        return None
    library = made.root
    if site.method == "train" and made.is_any(*MANAGED_TRAINERS):
        return TrainingCall(call, f"{short}.train", receiver, True)
    if site.method == "train" and library in trainer_libraries(ctx) and short.endswith("Trainer"):
        return TrainingCall(call, f"{short}.train", receiver, True)
    if site.method == "fit" and library in KERAS_LIBRARIES and site.args:
        # `tuner.hypermodel.build(hp)` names no class: name the model by its variable.
        label = f"{short}.fit" if short[:1].isupper() else f"{receiver}.fit"
        return TrainingCall(call, label, receiver, True)
    return None


def maker(ctx: NotebookContext, name: str, at: Point) -> QualifiedName | None:
    """What made the object bound to `name` at `at`, looking through the notebook's helpers.

    A library call's qualified name (`transformers.Trainer`), or the name of a class the
    notebook defines (`Autoencoder`).
    """
    made = ctx.made_by(name, at)
    defs = definitions(ctx)
    for _ in range(_MAX_HELPERS):
        if made is None or not made.is_name or made.root not in defs.functions:
            break
        made = _returned(ctx, *defs.functions[made.root])
    return made


def _returned(
    ctx: NotebookContext, analyzed: AnalyzedCell, function: cst.FunctionDef
) -> QualifiedName | None:
    """What a helper returns: the call it returns, or the call bound to the name it returns."""
    end = Point(analyzed.cell.ordinal, _END_OF_SCOPE, function.name.value)
    for value in _returns(function.body):
        if isinstance(value, cst.Call):
            made = ctx.resolve(QualifiedName.of(value.func), end)
        elif isinstance(value, cst.Name):
            made = ctx.made_by(value.value, end)
        else:
            continue
        if made is not None:
            return made
    return None


def _returns(node: cst.CSTNode) -> Iterator[cst.BaseExpression]:
    """The values of a function body's `return` statements, nested functions excluded."""
    for child in node.children:
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(child, cst.Return):
            if child.value is not None:
                yield child.value
        elif isinstance(child, _STATEMENT_CONTAINERS):
            yield from _returns(child)


def class_bases(
    ctx: NotebookContext, name: str, max_depth: int, depth: int = 0
) -> Iterator[QualifiedName]:
    """The qualified names of the notebook class `name`'s bases, depth first: each base, then
    (when it is a notebook class too) its own bases, at most `max_depth` classes down."""
    found = definitions(ctx).classes.get(name)
    if found is None or depth > max_depth:
        return
    for base in found[1].bases:
        qualified = ctx.resolve(QualifiedName.of(base.value))
        if qualified is None:
            continue
        yield qualified
        if qualified.is_name:
            yield from class_bases(ctx, qualified.root, max_depth, depth + 1)


def is_model_class(ctx: NotebookContext, name: str) -> bool:
    """True when the notebook's class `name` derives from a model class, directly or not."""
    return any(base in _MODEL_BASE_NAMES for base in class_bases(ctx, name, _MAX_HELPERS))


def _defines(cls: cst.ClassDef, method: str | None) -> bool:
    return any(
        isinstance(statement, cst.FunctionDef) and statement.name.value == method
        for statement in cls.body.body
    )


def _is_model(ctx: NotebookContext, value: cst.BaseExpression | None, at: Point) -> bool:
    if not isinstance(value, cst.Name):
        return False
    made = maker(ctx, value.value, at)
    if made is not None and (
        made.is_any("torch", "keras", "tensorflow", "transformers")
        or (made.is_name and is_model_class(ctx, made.root))
    ):
        return True
    return _MODEL_ARGUMENT.search(value.value) is not None


def _is_bool(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value in ("True", "False")
