"""`unregistered-model`: a trained model saved to a file and never logged or registered.

Reported: each call that writes a model the notebook trained to a file (`joblib.dump`,
`pickle.dump`, `torch.save`, `model.save`, `save_model`, `save_pretrained`, ...) when nothing
in the notebook logs or registers a model (MLflow `log_model`/`register_model`/autolog, the
SageMaker Model Registry, W&B artifacts, `push_to_hub`, Vertex `Model.upload`, Azure ML model
registration, ...). The saved object must be a trained model: the name (or the head of the
expression: `grid.best_estimator_`, `model.state_dict()`, `trainer.model`) is bound, at the
save, to the same binding a training call (`training.py`, `model_origins.py`) trained, a
model a Hugging Face `Trainer` was given, or the model whose parameters an optimizer steps.
A dataframe, tokenizer, scaler or any object that was never trained is not reported, and
neither is an attribute that is not the model (`trainer.tokenizer`, `history.history`).

Not reported either: a notebook that hands the file to SageMaker as a model (`model_data=`,
boto3 `create_model(PrimaryContainer=...)`): that is a deployment path, in which the
artifact, image and role are recorded by SageMaker as a Model resource, and the deployment
rules (`deploy-from-notebook`) are the ones that speak about it. A notebook that tracks the
file with DVC (`dvc add`/`dvc push`) versions it too.

What counts as a save and as a registration is data: the `[knowledge]` table of
`rules/MLL402-unregistered-model.toml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point
from ..analysis.cell import Binding
from ..analysis.context import ResolvedCall
from ..analysis.qualified import CALL, QualifiedName
from ..knowledge import call_keywords
from .base import Checker, Violation
from .model_origins import definitions, helper_training_calls, maker
from .training import TrainingCall, training_calls

_MESSAGE = (
    "trained model `{name}` is saved to a file ({callee}) but the notebook never logs or "
    "registers a model: log it to MLflow (`log_model(..., registered_model_name=...)`), the "
    "SageMaker Model Registry, W&B or another registry so each version can be traced, "
    "compared and rolled back"
)
#: Attributes of a trained object that are not the model itself.
_NOT_THE_MODEL = re.compile(
    r"tokenizer|processor|feature_extractor|image_processor|history|config|args|"
    r"vocab|scaler|encoder|vectorizer|optimizer|cv_results_|data",
    re.IGNORECASE,
)
#: `fit` returns the model itself, so `clf = SVC().fit(X, y)` binds a trained model, except
#: in these libraries: Keras and Lightning return a history or None. Matched as the start of a
#: top-level package's name, so the Keras family (`keras_nlp`, `keras_hub`,
#: `tensorflow_decision_forests`, ...), whose models are Keras models, is covered too.
_FIT_RETURNS_HISTORY = ("keras", "tensorflow", "tf_keras", "lightning", "pytorch_lightning")

#: Shell commands that version the file (DVC) or make it a model in a registry (Vertex AI
#: `gcloud ai models upload`, AI Platform models and versions, `az ml model create`).
_REGISTERING_COMMANDS = re.compile(
    r"\bdvc\s+(?:add|push|commit)\b|\bgcloud\s+(?:beta\s+)?ai\s+models\s+upload\b|"
    r"\bgcloud\s+(?:beta\s+)?ai-platform\s+versions\s+create\b|\baz\s+ml\s+model\s+(?:create|register)\b"
)
#: Keywords that turn a registering call's model logging off (`mlflow.autolog(log_models=False)`).
_LOGGING_OFF = ("log_models", "log_model", "save_model")

#: Keywords that name where a save writes to.
_DESTINATIONS = ("filename", "filepath", "f", "path", "save_directory", "output_dir", "export_dir")
_SCRATCH_PREFIXES = ("/tmp/", "/tmp\\")

#: Methods that return the model they are called on (moved, switched to eval, merged).
_SAME_MODEL_METHODS = ("cpu", "cuda", "to", "eval", "half", "float", "merge_and_unload")
_MAX_DEPTH = 4
_END_OF_SCOPE = 1 << 30
#: Calls that compile a model into the object that is saved.
_COMPILERS = frozenset(
    map(QualifiedName.parse, ("torch.jit.script", "torch.jit.trace", "torch.compile"))
)
#: Keywords that hand a training constructor its data.
_DATA_KEYWORDS = ("corpus", "sentences", "documents", "corpus_file", "corpus_iterable")
#: Optimizers whose `step()` trains the model they were built on.
_OPTIMIZERS = ("torch.optim", "transformers.optimization", "bitsandbytes.optim")

Key = tuple[object, ...]


@dataclass(frozen=True)
class Saved:
    """A save call and the expression it saves."""

    call: ResolvedCall
    target: cst.BaseExpression


class UnregisteredModel(Checker):
    name = "unregistered-model"
    options: ClassVar[Mapping[str, str]] = {
        "registries": "qualified names of in-house model registry calls or modules "
        '(`"acme_ml.registry.publish"`); a call to one counts as registering a model',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        saves = list(_saves(ctx, knowledge))
        if not saves:
            return
        trained = _trained(ctx)
        if not trained or _registers(ctx, knowledge):
            return
        for saved in saves:
            name = _trained_name(ctx, saved, trained)
            if name is None or _scratch(ctx, saved):
                continue
            callee = saved.call.site.func or saved.call.qualified or "save"
            yield Violation(
                saved.call.cell,
                _MESSAGE.format(name=name, callee=f"`{callee}`"),
                node=saved.call.site.node,
            )


def _saves(ctx: NotebookContext, knowledge: Mapping[str, tuple[str, ...]]) -> Iterable[Saved]:
    """Calls that write an object to a file: a function given it first, or its own method."""
    functions = knowledge.get("save-functions", ())
    methods = frozenset(knowledge.get("save-methods", ()))
    for call in ctx.calls:
        site = call.site
        if call.is_any(*functions):
            target = site.arg(0, "value") or site.arg(0, "obj") or site.arg(0, "model")
            if target is not None:
                yield Saved(call, target)
        elif site.method in methods and site.receiver is not None and not call.is_any(*functions):
            func = site.node.func
            if isinstance(func, cst.Attribute) and not _is_module(ctx, site.receiver):
                yield Saved(call, func.value)


def _scratch(ctx: NotebookContext, saved: Saved) -> bool:
    """A save to a temporary location (`tempfile.mkdtemp()`, `/tmp/...`): a round trip or
    a step towards another format, not the place the model is kept."""
    site = saved.call.site
    at = saved.call.point
    position = 0 if saved.target is not site.arg(0) else 1
    destination = site.arg(position)
    for keyword in _DESTINATIONS:
        if keyword in site.kwargs:
            destination = site.kwargs[keyword].value
    if destination is None:
        return False
    text = ctx.text_of(destination, at)
    if text is not None and (
        text.value.startswith(_SCRATCH_PREFIXES)
        or any(_in_tempfile(origin) for origin in text.origins)
    ):
        return True
    return any(_made_by_tempfile(ctx, name.value, at) for name in _names(destination))


def _names(node: cst.CSTNode) -> Iterable[cst.Name]:
    if isinstance(node, cst.Name):
        yield node
    for child in node.children:
        yield from _names(child)


def _made_by_tempfile(ctx: NotebookContext, name: str, at: Point) -> bool:
    made = ctx.resolve(QualifiedName((name,)), at)
    return made is not None and _in_tempfile(made)


def _in_tempfile(qualified: QualifiedName) -> bool:
    """Something under the `tempfile` module (`tempfile.mkdtemp()`), not the module itself."""
    return qualified.root == "tempfile" and not qualified.is_name and _head(qualified) is not None


def _is_module(ctx: NotebookContext, receiver: QualifiedName) -> bool:
    """`torch.save`, `joblib.dump`: a module's function, not a method of a model."""
    head = _head(receiver)
    return head is not None and head in ctx.imports and CALL not in receiver.parts


def _head(path: QualifiedName | None) -> str | None:
    return None if path is None else path.head


def _not_the_model(path: QualifiedName) -> bool:
    """An attribute after the head names something that is not the model (`trainer.tokenizer`)."""
    return any(_NOT_THE_MODEL.search(name) for name in path.names[1:])


def _trained(ctx: NotebookContext) -> Mapping[Key, tuple[int, int]]:
    """The bindings (or, for loop targets, the names) that hold a model the notebook trained,
    each with where it is first trained: a save before that writes an untrained model."""
    return ctx.memo("trained-model-bindings", _find_trained)


def _find_trained(ctx: NotebookContext) -> Mapping[Key, tuple[int, int]]:
    first: dict[Key, tuple[int, int]] = {}
    for training in [*training_calls(ctx), *helper_training_calls(ctx)]:
        at = training.call.point.key
        for key in _trained_by(ctx, training):
            first[key] = min(first.get(key, at), at)
    for call, key in _optimizer_steps(ctx):
        at = call.point.key
        first[key] = min(first.get(key, at), at)
    for binding, at in _trained_when_made(ctx):
        first[("binding", id(binding))] = at
    return first


def _trained_when_made(ctx: NotebookContext) -> Iterable[tuple[Binding, tuple[int, int]]]:
    """Models a constructor trains on the data it is given (`gensim`'s
    `LdaModel(corpus, ...)`, `Word2Vec(sentences)`), bound to a name."""
    constructors = ctx.knowledge(UnregisteredModel.name).get("trained-constructors", ())
    if not constructors:
        return
    for analyzed in ctx.cells:
        for binding in analyzed.analysis.facts.bindings:
            value = binding.value
            if binding.unpacked is not None or not isinstance(value, cst.Call):
                continue
            at = Point.of(analyzed, binding)
            made = ctx.resolve(QualifiedName.of(value.func), at)
            given_data = any(
                arg.keyword is None or arg.keyword.value in _DATA_KEYWORDS for arg in value.args
            )
            if given_data and made is not None and made.is_any(*constructors):
                yield binding, at.key


def _optimizer_steps(ctx: NotebookContext) -> Iterable[tuple[ResolvedCall, Key]]:
    """Every loop stepping an optimizer, with the model it trains.

    The shared detection keeps only a notebook's first PyTorch loop (one is enough to know
    the notebook trains); a notebook that trains and saves three networks needs all three.
    `optimizer.step()` trains the model whose parameters the optimizer was built on;
    TensorFlow's `optimizer.apply_gradients(zip(grads, model.trainable_variables))` the model
    whose variables it is given.
    """
    for call in ctx.calls_named("step", "apply_gradients"):
        site = call.site
        receiver = site.receiver
        if receiver is None or not receiver.is_name or not _in_loop(call):
            continue
        made = ctx.made_by(receiver.root, call.point)
        if site.method == "step" and made is not None and made.is_any(*_OPTIMIZERS):
            for key in _stepped_model(ctx, receiver.root, call.point):
                yield call, key
        elif site.method == "apply_gradients":
            model = _zipped_variables(site.arg(0, "grads_and_vars"))
            if model is not None:
                yield call, _key(ctx, model, call.point)


def _in_loop(call: ResolvedCall) -> bool:
    """A step inside a loop or a function: one lone step shows an API, not training."""
    site = call.site
    return site.scope is not None or any(
        loop.order < site.order <= loop.end for loop in call.cell.analysis.facts.loops
    )


def _zipped_variables(value: cst.BaseExpression | None) -> str | None:
    """`zip(grads, model.trainable_variables)`: `model`."""
    if (
        not isinstance(value, cst.Call)
        or not isinstance(value.func, cst.Name)
        or value.func.value != "zip"
        or len(value.args) < 2
    ):
        return None
    variables = QualifiedName.of(value.args[1].value)
    if variables is None or variables.is_name or not variables.parts[1].startswith("trainable"):
        return None
    return variables.root


def _trained_by(ctx: NotebookContext, training: TrainingCall) -> Iterable[Key]:
    call = training.call
    at = call.point
    receiver = training.model
    if receiver is not None and receiver in ctx.imports:
        # A helper module's `train(model, loader, ...)` trains its first argument.
        first = call.site.arg(0)
        if isinstance(first, cst.Name):
            yield _key(ctx, first.value, at)
    elif receiver is not None and receiver.isidentifier():
        if training.label == "optimizer.step":
            yield from _stepped_model(ctx, receiver, at)
        else:
            yield _key(ctx, receiver, at)
            yield from _given_to_trainer(ctx, receiver, at)
    bound = call.cell.binding_of(call.site)
    if bound is not None and call.site.method in ("fit", "fit_generator"):
        made = (
            maker(ctx, receiver, at) if receiver and receiver.isidentifier() else None
        ) or call.qualified
        returns_history = made is not None and made.root.startswith(_FIT_RETURNS_HISTORY)
        if not returns_history and "hist" not in bound.name.lower():
            yield ("binding", id(bound))


def _key(ctx: NotebookContext, name: str, at: Point) -> Key:
    """One binding of `name`; a name bound by no assignment (a loop target) by its scope."""
    found = ctx.binding_at(name, at)
    if found is None:
        return ("name", at.scope, name)
    return ("binding", id(found[1]))


def _given_to_trainer(ctx: NotebookContext, trainer: str, at: Point) -> Iterable[Key]:
    """`Trainer(model=model, ...)`: training the trainer trains the model it was given."""
    made = ctx.call_bound(trainer, at)
    if made is None:
        return
    value, where = made
    model = next(
        (
            arg.value
            for arg in value.args
            if (arg.keyword is not None and arg.keyword.value == "model")
            or (arg.keyword is None and arg is value.args[0])
        ),
        None,
    )
    if isinstance(model, cst.Name):
        yield _key(ctx, model.value, where)


def _stepped_model(ctx: NotebookContext, optimizer: str, at: Point) -> Iterable[Key]:
    """`optim.Adam(net.parameters())`: stepping the optimizer trains `net`."""
    made = ctx.call_bound(optimizer, at)
    if made is None or not made[0].args:
        return
    value, where = made
    params = QualifiedName.of(value.args[0].value)
    head = _head(params)
    if params is not None and head is not None and not params.is_name:
        yield _key(ctx, head, where)


def _trained_name(
    ctx: NotebookContext, saved: Saved, trained: Mapping[Key, tuple[int, int]]
) -> str | None:
    """How the message names the saved model, or None when what is saved was not trained."""
    target = saved.target
    if isinstance(target, cst.Call) and target.args:
        # `torch.jit.script(model)`, `torch.jit.trace(model, example)`: the model, compiled.
        compiled = ctx.resolve(QualifiedName.of(target.func), saved.call.point)
        if compiled is not None and compiled in _COMPILERS:
            target = target.args[0].value
    path = QualifiedName.of(target)
    head = _head(path)
    if path is None or head is None or _not_the_model(path):
        return None
    return head if _holds_trained(ctx, head, saved.call.point, trained) else None


def _holds_trained(
    ctx: NotebookContext,
    name: str,
    at: Point,
    trained: Mapping[Key, tuple[int, int]],
    depth: int = 0,
) -> bool:
    """Whether `name` holds a trained model at `at`: a binding a training call trained (and
    trained before `at`: a save before training writes an untrained model), or one made from
    such a model (`model = model.cpu()`, `m = torch.jit.trace(model, x)`, `model =
    train(loader)` where the notebook's `train` returns the model it trains)."""
    first = trained.get(_key(ctx, name, at))
    if first is not None:
        return at.scope is not None or at.key >= first
    made = ctx.call_bound(name, at) if depth < _MAX_DEPTH else None
    if made is None:
        return False
    value, where = made
    func = QualifiedName.of(value.func)
    if func is None:
        return False
    source = func.owner  # `model` for `model.cpu`
    head = _head(source)
    if (
        func.parts[-1] in _SAME_MODEL_METHODS
        and source is not None
        and head is not None
        and not _not_the_model(source)
    ):
        return _holds_trained(ctx, head, where, trained, depth + 1)
    compiler = ctx.resolve(func, where)
    if compiler is not None and compiler in _COMPILERS and value.args:
        compiled = value.args[0].value
        return isinstance(compiled, cst.Name) and _holds_trained(
            ctx, compiled.value, where, trained, depth + 1
        )
    defined = definitions(ctx).functions.get(func.root) if func.is_name else None
    return defined is not None and _returns_trained(ctx, *defined, trained, depth)


def _returns_trained(
    ctx: NotebookContext,
    analyzed: AnalyzedCell,
    function: cst.FunctionDef,
    trained: Mapping[Key, tuple[int, int]],
    depth: int,
) -> bool:
    """A notebook function that returns a model it trained (`return model` after its loop)."""
    end = Point(analyzed.cell.ordinal, _END_OF_SCOPE, function.name.value)
    collector = _Returns()
    function.body.visit(collector)
    return any(_holds_trained(ctx, name, end, trained, depth + 1) for name in collector.names)


class _Returns(cst.CSTVisitor):
    """The names a function returns (`return model`, `return model, history`)."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # a nested function returns for itself

    def visit_Return(self, node: cst.Return) -> None:
        value = node.value
        values = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]
        self.names.extend(v.value for v in values if isinstance(v, cst.Name))


def _registers(ctx: NotebookContext, knowledge: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether anything in the notebook logs or registers a model (one answer per notebook)."""
    registries = knowledge.get("registries", ())
    methods = frozenset(knowledge.get("registry-methods", ()))
    keywords = call_keywords(knowledge.get("registry-keywords", ()))
    for call in ctx.calls:
        kwargs = call.site.kwargs
        if (call.is_any(*registries) or call.site.method in methods) and not any(
            _off(kwargs[keyword].value) for keyword in _LOGGING_OFF if keyword in kwargs
        ):
            return True
        for entry in keywords:
            given = kwargs.get(entry.keyword)
            if (
                given is not None
                and (not entry.callable or call.is_any(entry.callable))
                and not _off(given.value)
            ):
                return True
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            if _REGISTERING_COMMANDS.search(shell.text):
                return True
    return False


def _off(value: cst.BaseExpression) -> bool:
    """`push_to_hub=False`, `model_data=None`: the keyword is given but turns nothing on."""
    return isinstance(value, cst.Name) and value.value in ("False", "None")
