"""`no-evaluation-split`: a model trained, relied on, and never judged on data it did not see.

A supervised model trained in the notebook is reported when every evaluation of it is on the
data it was fit on, or when no held-out data reaches an evaluation of *that* model and the
notebook relies on it (`_relied_on`: kept, fine-tuned, trained by a loop reporting in-sample
figures, trained while a held-out split goes unread, or trained on a train split and then
used). A fit on all of its data that is neither scored nor kept is an illustration, and a
generative model (`_generative`) is judged by its samples: neither is reported.
Held-out data is what the data-role model (`analysis/roles.py`) says is held out, not a
name found anywhere in the notebook. An evaluation is:

- the model's `predict`/`score`/`evaluate`/`test`, or the model called (`model(x)`), on
  held-out data, directly or in a loop over it;
- a metric given the model's predictions;
- validation data handed to the training itself (`validation_data=`, `eval_set=`, `evals=`,
  `eval_dataset=` of a trainer, a SageMaker `validation` channel, Lightning's
  `val_dataloaders`);
- cross-validation: the model given to `cross_val_score`, `GridSearchCV` and the like, a
  `*CV` estimator, or `xgboost.cv` next to `xgboost.train`;
- a helper handed the model and held-out data, or an evaluation helper
  (`evaluate(test_loader)`) handed held-out data.

The model evaluated must be the one trained: names are matched through the binding in force
(`model = model.fit(...)` and `model.to(device)` keep the model, `model = SVC()` makes a new
one). Not judged: jobs whose training code runs remotely (see `training.py`) and SageMaker
AutoML (it validates its candidates itself), models fit on random or literal toy data (API
and throughput demos), loops stopped after a few batches or run under a profiler, optimizers
over a tensor rather than a model's parameters (style transfer), two optimizers stepped in
one loop (GANs, judged by their samples), and nearest-neighbour indexes used only for
lookups.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point
from ..analysis.cell import Binding, CallSite, Loop
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import QualifiedName
from ..analysis.roles import HELD_OUT_SPLITS, DataRoles, Role
from .base import Checker, Violation
from .training import TrainingCall, training_calls


@dataclass(frozen=True)
class _Knowledge:
    """The rule's `[knowledge]` (with a team's options), as sets to test against."""

    validation_keywords: frozenset[str]
    cross_validators: frozenset[str]
    library_cv: tuple[str, ...]
    predict: frozenset[str]
    score: frozenset[str]
    score_data_keywords: tuple[str, ...]
    metric_modules: tuple[str, ...]
    metric_functions: frozenset[str]
    lookups: frozenset[str]
    synthetic: tuple[str, ...]
    plotting_modules: tuple[str, ...]
    samplers: tuple[str, ...]
    savers: frozenset[str]
    loaders: frozenset[str]
    keepers: frozenset[str]
    reporters: frozenset[str]
    random_draws: tuple[str, ...]

    @staticmethod
    def of(ctx: NotebookContext) -> _Knowledge:
        return ctx.memo("evaluation-split-knowledge", _read_knowledge)

    @property
    def loop_methods(self) -> frozenset[str]:
        """What a model is asked inside a loop over held-out batches that judges it."""
        return self.predict | self.score | {"generate", "forward"}


def _read_knowledge(ctx: NotebookContext) -> _Knowledge:
    entries = ctx.knowledge(NoEvaluationSplit.name)

    def words(key: str) -> frozenset[str]:
        return frozenset(entries.get(key, ()))

    return _Knowledge(
        validation_keywords=words("validation-keywords"),
        cross_validators=words("cross-validators"),
        library_cv=entries.get("library-cv", ()),
        predict=words("predict-methods"),
        score=words("score-methods"),
        score_data_keywords=entries.get("score-data-keywords", ()),
        metric_modules=entries.get("metric-modules", ()),
        metric_functions=words("metric-functions"),
        lookups=words("lookup-methods"),
        synthetic=entries.get("synthetic-data", ()),
        plotting_modules=entries.get("plotting-modules", ()),
        samplers=entries.get("samplers", ()),
        savers=words("save-methods"),
        loaders=words("load-methods"),
        keepers=words("keep-methods"),
        reporters=words("report-methods"),
        random_draws=entries.get("random-draws", ()),
    )


def makes_up_data(ctx: NotebookContext, qualified: QualifiedName | None) -> bool:
    """True when `qualified` is a `synthetic-data` entry or begins like one (`make_blobs`
    under `sklearn.datasets.make_`), shared with other rules."""
    return _begins_with(qualified, _Knowledge.of(ctx).synthetic)


def _begins_with(qualified: QualifiedName | None, patterns: tuple[str, ...]) -> bool:
    """`qualified` begins like one of `patterns`, a qualified name or its start
    (`QualifiedName.begins_with`)."""
    return qualified is not None and any(
        qualified.begins_with(pattern, partial_name=True) for pattern in patterns
    )


def _head_of(path: QualifiedName | None) -> str | None:
    return None if path is None else path.head


def _bare(path: QualifiedName | None) -> str | None:
    """The name `path` is when it is a bare name (`model`), else None (`model.fc`, `model()`)."""
    return path.root if path is not None and path.is_name else None


def _optimizer_like(path: QualifiedName) -> bool:
    """A receiver named like an optimizer (`optimizer`, `d_optim`, `self.optimizers[0]`)."""
    return any("optim" in name.lower() for name in path.names)


_EVAL_HELPER = re.compile(r"eval|test|valid|score|accura|metric|predict|infer", re.IGNORECASE)
_NOT_EVALUATIONS = frozenset({"print", "display", "len", "list", "next", "iter", "enumerate"})
#: Metric functions by naming convention (`f1_score`, `mean_squared_error`, `log_loss`).
_METRIC_SUFFIXES = ("_score", "_error", "_loss")
_FEW_STEPS = 10
_CONSTANTS = frozenset({"True", "False", "None"})
_SETUP = frozenset({"fit", "partial_fit", "get_params", "set_params", "compile", "summary"})
#: A notebook's own plotting helper (`plot_decision_regions`, `draw_fit`), by what it says it does.
_PLOT_WORDS = re.compile(r"plot|draw|visuali", re.I)
_BUILTINS = frozenset(dir(builtins))
_EVAL_ROUTINE = re.compile(r"^(?:test|evaluate|eval|validate|valid|validation)(?:_\w*)?$")
_LITERAL_NAMES = frozenset({"nan", "NaN", "inf", "None", "True", "False"})
#: What a profiler module (`torch.profiler`, `memory_profiler`) runs a measurement with.
_PROFILER_CALLS = frozenset({"profile", "schedule"})


@dataclass(frozen=True)
class Evaluation:
    """One place where a model meets data to be judged."""

    cell: AnalyzedCell
    node: cst.CSTNode
    point: Point
    model: str | None  # the model's name as used there; None: unattributed (a helper, a loop)
    data: cst.BaseExpression | None
    held_out: bool
    scored: bool  # a score, evaluate or metric (a bare predict is not a judgement)
    #: A method of the model (`predict`, `evaluate`) or the model run in a loop over the data:
    #: the forms that judge *a* model even when which one is not known.
    direct: bool = False


@dataclass(frozen=True)
class Model:
    """A trained model: the names it goes by, each with the binding that made what it holds.

    `display` is the name a message uses: the model's, not the optimizer's or trainer's when
    the model is known (`optim.SGD(model.parameters())`, `Trainer(model=model)`).
    """

    roots: tuple[tuple[str, int | None], ...]  # (name, id of the making binding or None)
    display: str | None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.roots)


class NoEvaluationSplit(Checker):
    name = "no-evaluation-split"
    options: ClassVar[Mapping[str, str]] = {
        "train-functions": "qualified names of in-house functions that train a model when "
        'called (`"acme_ml.train"`), read by every rule that asks where models are trained',
        "model-libraries": 'libraries whose model classes train on `fit` (`"acme_ml"`), read '
        "by every rule that asks where models are trained",
        "trainer-libraries": 'libraries whose trainer objects train on `.train()` (`"acme_ml"`)',
        "local-trainers": "libraries whose `*Trainer` classes train in the notebook's process "
        '(`"acme_ml"`), so a notebook function building one trains where it is called',
        "score-methods": "methods of a model that score it on the data they are given "
        '(`"assess"`): called on held-out data, they evaluate the model',
        "predict-methods": 'methods of a model that predict (`"infer"`)',
        "metric-modules": 'modules of in-house metrics (`"acme_ml.metrics"`): given a '
        "model's predictions, their functions score it",
        "metric-functions": 'in-house metric functions by their own name (`"gini"`)',
        "validation-keywords": "keywords of an in-house training call that take validation "
        'data (`"holdout"`)',
        "cross-validators": 'in-house cross-validation functions by their own name (`"acme_cv"`)',
        "keep-methods": 'methods that keep or ship a model (`"publish"`): a model kept with no '
        "held-out evaluation is reported",
        "synthetic-data": 'in-house generators of made-up data (`"acme_ml.fake_rows"`): a '
        "model fit on them is a demo, not judged",
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        trainings = [t for t in training_calls(ctx) if t.supervised and not t.remote_script]
        if not trainings:
            return
        roles = DataRoles.of(ctx)
        evaluations = [_reloaded(ctx, e) for e in _evaluations(ctx, roles)]
        unattributed = any(e.model is None and e.held_out for e in evaluations)
        knowledge = _Knowledge.of(ctx)
        library_cv = bool(knowledge.library_cv) and any(
            call.is_any(*knowledge.library_cv) for call in ctx.calls
        )
        reported: set[tuple[tuple[str, int | None], ...]] = set()
        models = [(training, _model_of(ctx, training)) for training in trainings]
        trained_names = frozenset(name for _, model in models for name in model.names)
        unevaluated = []
        evaluated_data: set[str | None] = set()  # data of models evaluated on held-out data
        evaluated_models: set[tuple[tuple[str, int | None], ...]] = set()
        for training, model in models:
            if _not_judged(ctx, roles, training, model):
                continue
            mine = [e for e in evaluations if _evaluates(ctx, e, model)]
            if len(model.roots) == 1 and training.label == "optimizer.step":
                # `optimizer = ...  # TODO`: the model it trains is not known; any model
                # judged on held-out data in the notebook may be it
                mine = [e for e in evaluations if e.direct] + mine
            if (
                _validated_in_training(ctx, roles, training)
                or _cross_validated(ctx, training, model, library_cv)
                or _validated_by_caller(ctx, roles, training)
                or any(e.held_out for e in mine)
            ):
                evaluated_data.add(_data_key(training))
                evaluated_models.add(model.roots)
            else:
                unevaluated.append((training, model, mine))
        if unattributed:
            return
        for training, model, mine in unevaluated:
            key = model.roots
            if key in reported or key in evaluated_models:
                continue
            data_key = _data_key(training)
            if (
                data_key is not None
                and data_key in evaluated_data
                and not any(e.scored for e in mine)
            ):
                continue  # models compared on one split; another is evaluated on its test part
            fit_data = _fit_data(training)
            after = training.call.point.key
            # a score taken before the model is trained (a baseline loss) does not judge it
            scored = [e for e in mine if e.scored and e.point.key > after]
            on_fit_data = [e for e in scored if _same_data(ctx, e, fit_data, training)]
            if scored and len(on_fit_data) < len(scored):
                continue  # scored on other data the notebook does not say is held out
            if not scored and _illustration(ctx, training, model, fit_data):
                continue
            if _generative(ctx, training, model):
                continue
            if not on_fit_data and not _relied_on(
                ctx, roles, training, model, evaluations, trained_names
            ):
                continue  # neither scored nor kept, on data that was never split: an illustration
            reported.add(key)
            if on_fit_data and fit_data is not None:
                first = on_fit_data[0]
                yield Violation(
                    first.cell,
                    f"`{_display(training, model)}` is evaluated on `{_code(fit_data)}`, the data "
                    "it was fit on, which overstates how well it generalises: evaluate on a "
                    "held-out test set or with cross-validation",
                    node=first.node,
                )
                continue
            yield Violation(
                training.call.cell,
                _unevaluated_message(ctx, roles, training, model, evaluations, trained_names),
                node=training.call.site.node,
                provisional=True,  # a later cell may still evaluate it
            )


# -- the trained model -------------------------------------------------------------------
def _model_of(ctx: NotebookContext, training: TrainingCall) -> Model:
    """The names a trained model goes by, and the bindings that made what they hold."""
    site = training.call.site
    at = training.call.point
    roots: list[tuple[str, int | None]] = []
    display: str | None = None
    receiver = training.model
    if receiver is not None and receiver.isidentifier():
        bound = ctx.binding_at(receiver, at)
        roots.append((receiver, None if bound is None else _root(ctx, receiver, bound)))
        display = receiver
        if bound is not None and isinstance(bound[1].value, cst.Call):
            inner = _wrapped_model(bound[1].value)
            if inner is not None:  # Trainer(model=model), optim.SGD(model.parameters())
                where = Point.of(*bound)
                wrapped = ctx.binding_at(inner, where)
                roots.append((inner, None if wrapped is None else _root(ctx, inner, wrapped)))
                display = inner if training.label == "optimizer.step" else display
    target = training.call.cell.binding_of(site) if not roots else None
    if target is not None:  # clf = LogisticRegression().fit(X, y); not history = model.fit(...)
        roots.append((target.name, id(target)))
        display = display if display is not None else target.name
    return Model(tuple(roots), display)


def _wrapped_model(value: cst.Call) -> str | None:
    """The model a trainer or an optimizer is built around, when a plain name."""
    if value.args and value.args[0].keyword is None:
        first: cst.BaseExpression | None = value.args[0].value
    else:
        first = _keyword(value, "model") or _keyword(value, "params")
    if first is None:
        return None
    return _head_of(QualifiedName.of(first))


def _root(ctx: NotebookContext, name: str, bound: tuple[AnalyzedCell, Binding]) -> int:
    """The binding that made what `name` holds, past rebindings of it in terms of itself.

    `model = model.fit(X, y)`, `model = model.to(device)` and `model = prepare(model)` keep
    the model; `model = SVC()` makes a new one.
    """
    for _ in range(8):
        analyzed, binding = bound
        value = binding.value
        if not _mentions(value, name):  # model, opt = fabric.setup(model, opt) keeps it
            break
        before = ctx.binding_at(name, Point.of(analyzed, binding))
        if before is None or before[1] is binding:
            break
        bound = before
    return id(bound[1])


def _mentions(value: cst.BaseExpression, name: str) -> bool:
    if _head(value) == name:
        return True
    if isinstance(value, cst.Call):
        return any(_head(arg.value) == name for arg in value.args)
    return False


def _head(node: cst.BaseExpression) -> str | None:
    return _head_of(QualifiedName.of(node))


def _evaluates(ctx: NotebookContext, evaluation: Evaluation, model: Model) -> bool:
    """True when `evaluation` judges `model` (same name, same model behind the name)."""
    name = evaluation.model
    return name is not None and _is_model(ctx, name, evaluation.point, model)


def _is_model(ctx: NotebookContext, name: str, at: Point, model: Model) -> bool:
    """True when `name` at `at` holds `model`: one of its names, bound to it there."""
    bound = ctx.binding_at(name, at)
    for known, root in model.roots:
        if known != name:
            continue
        if root is None or at.scope is not None or bound is None:
            return True
        if _root(ctx, name, bound) == root:
            return True
    return bound is not None and _alias_of(bound, model)


def _alias_of(bound: tuple[AnalyzedCell, Binding], model: Model) -> bool:
    """`best = search.best_estimator_`, `m = model`: another name for the same model."""
    head = _head(bound[1].value)
    return head is not None and head in model.names and head != bound[1].name


# -- what is not judged ------------------------------------------------------------------
def _not_judged(
    ctx: NotebookContext, roles: DataRoles, training: TrainingCall, model: Model
) -> bool:
    """Fits that make no predictive model worth holding data out for."""
    site = training.call.site
    if training.call.is_any("sagemaker.automl"):
        return True  # AutoML validates every candidate on data it holds out itself
    if site.method == "fit" and not site.args and not site.kwargs:
        return True  # `model.fit()  # TODO`: an exercise blank trains nothing
    if training.label == "optimizer.step":
        if (
            _optimizes_a_tensor(ctx, training)
            or _in_capped_loop(training)
            or _adversarial(training)
        ):
            return True
        data = [
            (loop.iter, Point(training.call.cell.cell.ordinal, loop.order, loop.scope))
            for loop in _loops_around(training.call.cell, site)
            if loop.iter is not None and not _counts(loop.iter)
        ]
        if data and all(_synthetic(ctx, it, at, 0) for it, at in data):
            return True  # for images, labels in DataLoader(RandomImageDataset(...))
        fed = _fed_to(training, model)
        return bool(fed) and all(_synthetic(ctx, arg, at, 0) for arg, at in fed)
    steps = site.kwargs.get("steps_per_epoch")
    if (
        steps is not None
        and isinstance(steps.value, cst.Integer)
        and int(steps.value.evaluated_value) <= _FEW_STEPS
    ):
        return True  # a few steps to show a pipeline runs
    if any(_synthetic(ctx, data, at, 0) for data, at in _training_data(ctx, training, model)):
        return True
    return _lookup_only(ctx, model) or _profiled(training)


def _relied_on(
    ctx: NotebookContext,
    roles: DataRoles,
    training: TrainingCall,
    model: Model,
    evaluations: list[Evaluation],
    trained: frozenset[str],
) -> bool:
    """A model the notebook relies on as a predictor, though no held-out data judged it.

    It is kept (saved, exported, logged, registered, pushed or deployed; a SageMaker job or
    a fine-tuning `Trainer` run always leaves its model), a hand-written loop trains it and
    prints or logs its in-sample figures, the notebook made a held-out split that no
    evaluation reads, or it is trained on the training part of a split (`split="train"`,
    `train=True`, `abalone_train.csv`, an unpacked `train_test_split`) and then used. A fit
    on all of its data that is neither scored nor kept, or trained and never used again,
    is an illustration.
    """
    if training.call.is_any("sagemaker"):
        return True
    if training.model is not None and training.call.site.method == "train":
        return True  # a fine-tuning run: its product is the model, checkpointed to output_dir
    if training.label == "optimizer.step" and _reports_figures(ctx, training):
        return True
    if _kept(ctx, model):
        return True
    judged = any(e.held_out and e.model in trained for e in evaluations)  # other models
    if not judged and _unused_held_out(ctx, roles, model):
        return True  # a held-out part made and never read: the evaluation was meant, not done
    return _used_after(ctx, training, model) and any(  # not trained and forgotten
        roles.role(data, at) is Role.TRAIN for data, at in _training_data(ctx, training, model)
    )


def _used_after(ctx: NotebookContext, training: TrainingCall, model: Model) -> bool:
    """The model is asked something (or handed to something) after it is trained."""
    after = training.call.point.key
    for call in ctx.calls:
        site = call.site
        if call.point.key <= after:
            continue
        at = call.point
        receiver = site.receiver
        head = _head_of(receiver if receiver is not None else site.func)
        if head is not None and head in model.names and _is_model(ctx, head, at, model):
            if (
                receiver is None
                or not receiver.is_name
                or site.method not in _MODULE_SETUP | {"fit", "compile"}
            ):
                return True
            continue
        for arg in (*site.args, *site.kwargs.values()):
            name = _head(arg.value)
            if name is not None and name in model.names and _is_model(ctx, name, at, model):
                return True
    return False


def _reports_figures(ctx: NotebookContext, training: TrainingCall) -> bool:
    """A hand-written training loop that prints or logs as it goes (`print(f"loss {loss}")`,
    `wandb.log({"acc": acc})`): its figures are the model's in-sample quality, read as such."""
    reporters = _Knowledge.of(ctx).reporters
    cell = training.call.cell
    site = training.call.site
    loops = list(_loops_around(cell, site))
    start, end = (loops[0].order, loops[0].end) if loops else (site.order, site.order)
    for call in cell.analysis.facts.calls:
        inside = start < call.order <= end or (site.scope is not None and call.scope == site.scope)
        if inside and (_bare(call.func) == "print" or call.method in reporters):
            return True
    return False


def _kept(ctx: NotebookContext, model: Model) -> bool:
    """The model (or its weights, `model.state_dict()`) handed to a keep method, or asked
    to keep itself: `model.save(path)`, `joblib.dump(model, f)`, `torch.save(model.state_dict(),
    f)`, `trainer.push_to_hub()`, `mlflow.sklearn.log_model(clf, ...)`."""
    keepers = _Knowledge.of(ctx).keepers
    for call in ctx.calls:
        site = call.site
        if site.method not in keepers:
            continue
        at = call.point
        head = _head_of(site.receiver)
        if head is not None and head in model.names and _is_model(ctx, head, at, model):
            return True
        for arg in (*site.args, *site.kwargs.values()):
            name = _head(arg.value)
            if name is not None and name in model.names and _is_model(ctx, name, at, model):
                return True
    return False


def _training_data(
    ctx: NotebookContext, training: TrainingCall, model: Model
) -> list[tuple[cst.BaseExpression, Point]]:
    """What the model is trained on: the fit's data, a trainer's `train_dataset`, or what a
    hand-written loop stepping the optimizer iterates (or the function running it is given)."""
    at = training.call.point
    fit_data = _fit_data(training)
    if fit_data is not None:
        return [(fit_data, at)]
    if training.label == "optimizer.step":
        return _loop_data(ctx, training)
    receiver = training.model
    bound = ctx.binding_at(receiver, at) if receiver is not None else None
    if bound is not None and isinstance(bound[1].value, cst.Call):
        data = _keyword(bound[1].value, "train_dataset")
        if data is not None:
            return [(data, Point.of(*bound))]
    return []


def _loop_data(
    ctx: NotebookContext, training: TrainingCall
) -> list[tuple[cst.BaseExpression, Point]]:
    cell = training.call.cell
    found: list[tuple[cst.BaseExpression, Point]] = [
        (loop.iter, Point(cell.cell.ordinal, loop.order, loop.scope))
        for loop in _loops_around(cell, training.call.site)
        if loop.iter is not None
    ]
    scope = training.call.site.scope
    if scope is not None:
        function = scope.split(".", 1)[0]
        for call in ctx.calls:
            if _bare(call.site.func) == function:
                found += [
                    (arg.value, call.point) for arg in (*call.site.args, *call.site.kwargs.values())
                ]
    return found


def _generative(ctx: NotebookContext, training: TrainingCall, model: Model) -> bool:
    """A model judged by what it generates, not by held-out data: the notebook draws from a
    predicted distribution (`Categorical(logits=...).sample()`, `torch.multinomial`,
    `tf.random.categorical`, a Keras Hub sampler: text, music, negative-sampling embeddings),
    the optimizer is one of two stepped by functions one loop runs (a GAN's generator and
    discriminator), or only the model's weights are read (an embedding model)."""
    samplers = _Knowledge.of(ctx).samplers
    if samplers and any(True for _ in ctx.calls_to(*samplers)):
        return True
    return training.label == "optimizer.step" and (
        _adversarial_functions(ctx, training)
        or _weights_only(ctx, training, model)
        or _noise_target(ctx, training, model)
    )


def _noise_target(ctx: NotebookContext, training: TrainingCall, model: Model) -> bool:
    """The loss compares the model's output with noise the notebook draws
    (`F.mse_loss(model(noisy, t).sample, torch.randn(...))`): a denoising diffusion model,
    judged by the images it samples."""
    cell = training.call.cell
    site = training.call.site
    loops = list(_loops_around(cell, site))
    start, end = (loops[0].order, loops[0].end) if loops else (site.order, site.order)
    for call in cell.analysis.facts.calls:
        if not (start < call.order <= end or (site.scope and call.scope == site.scope)):
            continue
        at = Point.of(cell, call)
        bound = [
            ctx.binding_at(arg.value.value, at)
            for arg in call.args
            if isinstance(arg.value, cst.Name)
        ]
        values = [
            (b[1].value, Point.of(*b))
            for b in bound
            if b is not None and not b[1].parameter and b[1].unpacked is None
        ]
        if len(values) < 2:
            continue
        noise = any(_drawn(ctx, value, where) for value, where in values)
        output = any(_root_name(value) in model.names for value, _ in values)
        if noise and output:
            return True
    return False


#: What a training loop asks of the model itself: no prediction is read from these.
_MODULE_SETUP = frozenset(
    {"parameters", "named_parameters", "train", "eval", "to", "cuda", "cpu", "zero_grad"}
)


def _weights_only(ctx: NotebookContext, training: TrainingCall, model: Model) -> bool:
    """An embedding model: outside the training step only a layer's weights are read
    (`cosine_similarity(model.embed)`, `model.embed.weight`), never its predictions, so
    there is no predictor to hold data out for (word2vec, judged by nearest words)."""
    cell = training.call.cell
    loops = list(_loops_around(cell, training.call.site))
    inside = (loops[0].order, loops[0].end) if loops else None
    weights = 0
    for call in ctx.calls:
        site = call.site
        at = call.point
        in_loop = call.cell is cell and inside is not None and inside[0] < site.order <= inside[1]
        callee = _bare(site.func)
        if callee is not None and callee in model.names:
            if not in_loop and _is_model(ctx, callee, at, model):
                return False  # `model(x)` after training: its predictions are read
            continue
        receiver = site.receiver
        head = _head_of(receiver)
        if receiver is not None and head in model.names and _is_model(ctx, head, at, model):
            if receiver.is_name:
                if site.method not in _MODULE_SETUP and not in_loop:
                    return False  # `model.predict(x)`, `model.forward(x)`
                continue
            weights += 1  # `model.embed.weight.to("cpu")`
            continue
        for arg in (*site.args, *site.kwargs.values()):
            value = arg.value
            if (
                isinstance(value, cst.Attribute)
                and _head(value) in model.names
                and value.attr.value not in _MODULE_SETUP
            ):
                weights += 1  # `cosine_similarity(model.embed)`
    return weights > 0


def _adversarial_functions(ctx: NotebookContext, training: TrainingCall) -> bool:
    """`def d_train(x): ... d_optimizer.step()`, `def g_train(x): ... g_optimizer.step()`,
    both called in one training loop."""
    scope = training.call.site.scope
    if scope is None:
        return False
    stepping = ctx.memo("optimizers-by-function", _optimizers_by_function)
    mine = stepping.get(scope, frozenset())
    for analyzed in ctx.cells:
        facts = analyzed.analysis.facts
        for loop in facts.loops:
            called = {
                callee
                for site in facts.calls
                if loop.order < site.order <= loop.end
                and (callee := _bare(site.func)) is not None
                and callee in stepping
            }
            if scope not in called:
                continue
            others = set().union(*(stepping[f] for f in called if f != scope)) if called else set()
            if others - mine:
                return True
    return False


def _optimizers_by_function(ctx: NotebookContext) -> dict[str, frozenset[QualifiedName]]:
    """The optimizers each notebook function steps (`d_train` -> {d_optimizer})."""
    found: dict[str, set[QualifiedName]] = {}
    for call in ctx.calls_named("step"):
        site = call.site
        receiver = site.receiver
        if site.scope is None or receiver is None or not _optimizer_like(receiver):
            continue
        found.setdefault(site.scope.split(".", 1)[0], set()).add(receiver)
    return {function: frozenset(names) for function, names in found.items()}


def _drawn(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> bool:
    """A random draw made right there (`torch.randn(shape).to(device)`), not data."""
    draws = _Knowledge.of(ctx).random_draws
    while isinstance(node, cst.Call):
        if _begins_with(ctx.resolve(QualifiedName.of(node.func), at), draws):
            return True
        if not isinstance(node.func, cst.Attribute):
            return False
        node = node.func.value
    return False


def _root_name(node: cst.BaseExpression) -> str | None:
    """The name an expression starts from, through calls and attributes
    (`model` for `model(x, t).sample`)."""
    while True:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        elif isinstance(node, cst.Call):
            node = node.func
        else:
            return None


def _counts(node: cst.BaseExpression) -> bool:
    """`range(epochs)`, `tqdm(range(n))`: a loop that counts, not one over data."""
    while isinstance(node, cst.Call):
        if isinstance(node.func, cst.Name) and node.func.value == "range":
            return True
        if not node.args:
            return False
        node = node.args[0].value
    return False


def _profiled(training: TrainingCall) -> bool:
    """Training run under a profiler in the same cell: throughput is measured, not a model."""
    cell = training.call.cell.analysis.facts
    return any(site.func is not None and _profiler_call(site.func) for site in cell.calls)


def _profiler_call(func: QualifiedName) -> bool:
    """`torch.profiler.profile`, `torch.autograd.profiler.profile`, `memory_profiler.profile`:
    a `profile` or `schedule` of a module whose name ends in `profiler`."""
    parts = func.parts
    return len(parts) >= 2 and parts[-1] in _PROFILER_CALLS and parts[-2].endswith("profiler")


def _illustration(
    ctx: NotebookContext,
    training: TrainingCall,
    model: Model,
    fit_data: cst.BaseExpression | None,
) -> bool:
    """A fit drawn over its own points: a textbook figure, not a model to rely on.

    Every use of the model is a prediction on the data it was fit on (or on a made-up grid,
    `np.linspace`) or a plotting helper given it, and there is at least one. Saving, logging,
    scoring or deploying the model, or predicting on other data, makes it a model to judge.
    """
    if fit_data is None:
        return False
    knowledge = _Knowledge.of(ctx)
    fit_text = _code(fit_data)
    target = training.call.site.arg(1, "y")
    own = {fit_text} if target is None else {fit_text, _code(target)}
    uses = 0
    for call in ctx.calls:
        site = call.site
        if site.node is training.call.site.node:
            continue
        at = call.point
        receiver = _bare(site.receiver)
        if receiver is not None and receiver in model.names and _is_model(ctx, receiver, at, model):
            if site.method in _SETUP:
                continue
            if site.method not in knowledge.predict:
                return False
            data = site.arg(0, "X") or site.arg(0, "x")
            if data is None or not _own_or_made_up(ctx, data, at, own):
                return False
            uses += 1
            continue
        values = [arg.value for arg in (*site.args, *site.kwargs.values())]
        if not any(
            isinstance(v, cst.Name)
            and v.value in model.names
            and _is_model(ctx, v.value, at, model)
            for v in values
        ):
            continue
        drawn = call.qualified or site.func
        if drawn is None or not (
            drawn.is_any(*knowledge.plotting_modules)
            or any(_PLOT_WORDS.search(name) for name in drawn.names)
        ):
            return False
        others = [v for v in values if not (isinstance(v, cst.Name) and v.value in model.names)]
        if not all(_own_or_made_up(ctx, v, at, own) for v in others if _is_data(v)):
            return False
        uses += 1
    return uses > 0


def _own_or_made_up(
    ctx: NotebookContext, data: cst.BaseExpression, at: Point, own: set[str]
) -> bool:
    """The fit data or target itself (or a slice or column of it), or a made-up grid."""
    node = data
    while True:
        if _code(node) in own:
            return True
        if isinstance(node, (cst.Subscript, cst.Attribute)):
            node = node.value
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            node = node.func.value  # X.reshape(-1, 1)
        else:
            break
    return _synthetic(ctx, data, at, 0)


def _is_data(node: cst.BaseExpression) -> bool:
    """An argument that may carry data (not a literal setting such as `lw=2`)."""
    return not isinstance(
        node, (cst.Integer, cst.Float, cst.SimpleString, cst.ConcatenatedString, cst.Lambda)
    ) and not (isinstance(node, cst.Name) and node.value in _LITERAL_NAMES)


def _optimizes_a_tensor(ctx: NotebookContext, training: TrainingCall) -> bool:
    """`optim.Adam([target])`: pixels or a tensor are optimised, not a model's parameters."""
    receiver = training.model
    if receiver is None:
        return False
    bound = ctx.binding_at(receiver, training.call.point)
    if bound is None or not isinstance(bound[1].value, cst.Call):
        return False
    args = bound[1].value.args
    return bool(args) and isinstance(args[0].value, (cst.List, cst.Tuple))


def _fed_to(training: TrainingCall, model: Model) -> list[tuple[cst.BaseExpression, Point]]:
    """What the model is called on next to a hand-written loop's `optimizer.step()`."""
    analyzed = training.call.cell
    fed = []
    for site in analyzed.analysis.facts.calls:
        if _bare(site.func) in model.names and site.scope == training.call.site.scope and site.args:
            fed.append((site.args[0].value, Point.of(analyzed, site)))
    return fed


def _adversarial(training: TrainingCall) -> bool:
    """Two optimizers stepped in one loop: a GAN, judged by its samples, not held-out data."""
    site = training.call.site
    for loop in _loops_around(training.call.cell, site):
        others = {
            receiver
            for call in training.call.cell.analysis.facts.calls
            if loop.order < call.order <= loop.end
            and call.method == "step"
            and (receiver := call.receiver) is not None
            and receiver != site.receiver
            and _optimizer_like(receiver)
        }
        if others:
            return True
    return False


def _in_capped_loop(training: TrainingCall) -> bool:
    return any(loop.capped for loop in _loops_around(training.call.cell, training.call.site))


def _loops_around(cell: AnalyzedCell, site: CallSite) -> Iterator[Loop]:
    for loop in cell.analysis.facts.loops:
        if loop.order < site.order <= loop.end:
            yield loop


def _lookup_only(ctx: NotebookContext, model: Model) -> bool:
    """A nearest-neighbour index queried with `kneighbors` and never asked to predict."""
    by_receiver = ctx.memo("methods-by-receiver", _methods_by_receiver)
    methods: set[str] = set()
    for name in model.names:
        methods |= by_receiver.get(name, set())
    knowledge = _Knowledge.of(ctx)
    return bool(methods & knowledge.lookups) and not methods & (knowledge.predict | knowledge.score)


def _methods_by_receiver(ctx: NotebookContext) -> dict[str, set[str]]:
    """The methods called on each receiver name (`knn` → {"fit", "kneighbors"}), once a lint."""
    found: dict[str, set[str]] = {}
    for call in ctx.calls:
        site = call.site
        receiver = _bare(site.receiver)
        if receiver is not None and site.method is not None:
            found.setdefault(receiver, set()).add(site.method)
    return found


def _synthetic(
    ctx: NotebookContext,
    node: cst.BaseExpression,
    at: Point,
    depth: int,
    within_literal: bool = False,
) -> bool:
    """Data made up in the notebook: random draws, ranges or literal numbers."""
    if depth > 16:
        return False
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return within_literal  # ["What is ...?", ...] is toy data; read_csv("x.csv") is not
    if isinstance(node, cst.Name) and node.value in _LITERAL_NAMES:
        return True
    if isinstance(node, cst.Attribute) and node.attr.value in ("nan", "inf", "NaN"):
        return True
    if isinstance(node, cst.Dict):  # {"size": ["small", "large"], "weight": [2.7, 1.8]}
        return bool(node.elements) and all(
            isinstance(element, cst.DictElement)
            and isinstance(element.value, (cst.List, cst.Tuple))  # columns, not channels
            and _synthetic(ctx, element.value, at, depth + 1, within_literal=True)
            for element in node.elements
        )
    if isinstance(node, (cst.List, cst.Tuple)):
        return bool(node.elements) and all(
            _synthetic(ctx, element.value, at, depth + 1, within_literal=True)
            for element in node.elements
        )
    if isinstance(node, cst.Name):
        bound = ctx.binding_at(node.value, at)
        if bound is None or bound[1].parameter:
            return False
        return _synthetic(ctx, bound[1].value, Point.of(*bound), depth + 1)  # X, y = make_blobs()
    if isinstance(node, (cst.Subscript, cst.Attribute)):
        return _synthetic(ctx, node.value, at, depth + 1)
    if isinstance(node, cst.UnaryOperation):
        return _synthetic(ctx, node.expression, at, depth + 1)
    if isinstance(node, cst.BinaryOperation):
        return _synthetic(ctx, node.left, at, depth + 1) or _synthetic(
            ctx, node.right, at, depth + 1
        )
    if isinstance(node, cst.Call):
        if makes_up_data(ctx, ctx.resolve(QualifiedName.of(node.func), at)):
            return True
        if isinstance(node.func, cst.Name) and _made_up_items(ctx, node.func.value, depth):
            return True  # RandomImageDataset(...): every item drawn at random
        if isinstance(node.func, cst.Attribute) and not _is_module_path(ctx, node.func.value, at):
            return _synthetic(ctx, node.func.value, at, depth + 1)  # x.reshape(-1, 1)
        positional = [arg for arg in node.args if arg.keyword is None and not arg.star]
        return bool(positional) and _synthetic(ctx, positional[0].value, at, depth + 1)
    return False


def _made_up_items(ctx: NotebookContext, cls: str, depth: int) -> bool:
    """A notebook `Dataset` class whose `__getitem__` binds only made-up values
    (`image = torch.randn(3, 224, 224)`, `label = torch.randint(0, 10, (1,)).item()`)."""
    scope = f"{cls}.__getitem__"
    found = False
    for analyzed in ctx.cells:
        for binding in analyzed.analysis.facts.bindings:
            if binding.scope != scope or binding.parameter:
                continue
            if not _synthetic(ctx, binding.value, Point.of(analyzed, binding), depth + 1):
                return False
            found = True
    return found


def _is_module_path(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> bool:
    path = QualifiedName.of(node)
    if path is None or path.accessed:
        return False
    return path.root in ctx.imports


# -- evaluations in the notebook -----------------------------------------------------------
def _evaluations(ctx: NotebookContext, roles: DataRoles) -> Iterator[Evaluation]:
    """Every place a model meets data to be judged, attributed to a model name when known."""
    knowledge = _Knowledge.of(ctx)
    for call in ctx.calls:
        site = call.site
        at = call.point
        method = site.method
        receiver = _bare(site.receiver)
        callee = _bare(site.func)
        if receiver is not None and method in knowledge.predict | knowledge.score:
            data = site.arg(0, "X") or site.arg(0, "x") or _keyword_data(site, knowledge)
            held_out = _is_held_out(roles, data, at) or (
                method in ("test", "validate") and bool(site.args or site.kwargs)
            )
            yield Evaluation(
                call.cell, site.node, at, receiver, data, held_out, method in knowledge.score, True
            )
        elif callee is not None and site.args and callee not in _NOT_EVALUATIONS:
            data = site.args[0].value  # model(x)
            yield Evaluation(
                call.cell, site.node, at, callee, data, _is_held_out(roles, data, at), False
            )
        if _is_metric(call.qualified, knowledge):
            yield from _metric_evaluations(ctx, roles, call)
        yield from _helper_evaluations(ctx, roles, call)
    for analyzed in ctx.cells:
        for loop in analyzed.analysis.facts.loops:
            yield from _loop_evaluations(ctx, roles, analyzed, loop)
    yield from _routine_evaluations(ctx)


def _reloaded(ctx: NotebookContext, evaluation: Evaluation) -> Evaluation:
    """A model loaded back from a file the notebook saved stands for the model trained.

    `joblib.dump(model, path)` ... `loaded = joblib.load(path)`; `loaded.predict(X_test)`:
    which trained model was saved is not followed, so the evaluation counts for any.
    """
    name = evaluation.model
    if name is None or not ctx.memo("saves-models", _saves_models):
        return evaluation
    bound = ctx.binding_at(name, evaluation.point)
    if bound is None or not isinstance(bound[1].value, cst.Call):
        return evaluation
    loader = QualifiedName.of(bound[1].value.func)
    if loader is None or loader.parts[-1] not in _Knowledge.of(ctx).loaders:
        return evaluation
    return replace(evaluation, model=None)


def _saves_models(ctx: NotebookContext) -> bool:
    savers = _Knowledge.of(ctx).savers
    return any(call.site.method in savers for call in ctx.calls)


def _keyword_data(site: CallSite, knowledge: _Knowledge) -> cst.BaseExpression | None:
    for keyword in knowledge.score_data_keywords:
        if keyword in site.kwargs:
            return site.kwargs[keyword].value
    return None


def _is_held_out(roles: DataRoles, data: cst.BaseExpression | None, at: Point) -> bool:
    if data is None or _single_example(data):
        return False
    return roles.role(data, at) is Role.HELD_OUT


def _single_example(node: cst.BaseExpression) -> bool:
    """`test_ds[0]`: one example looked at, not a held-out set evaluated."""
    return (
        isinstance(node, cst.Subscript)
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
        and isinstance(node.slice[0].slice.value, (cst.Integer, cst.UnaryOperation))
    )


def _is_metric(qualified: QualifiedName | None, knowledge: _Knowledge) -> bool:
    if qualified is None:
        return False
    owner = qualified.owner
    if owner is not None and owner.is_any(*knowledge.metric_modules):
        return True  # a function of a metric module, or what it makes (`Accuracy()`)
    last = qualified.parts[-1]  # `()` when a call's result is called: not a metric by name
    return last.endswith(_METRIC_SUFFIXES) or last in knowledge.metric_functions


def _metric_evaluations(
    ctx: NotebookContext, roles: DataRoles, call: ResolvedCall
) -> Iterator[Evaluation]:
    """A metric over a model's predictions: `accuracy_score(y, model.predict(X))`."""
    predict = _Knowledge.of(ctx).predict
    at = call.point
    labels_held_out = False
    predictions: list[tuple[str, cst.BaseExpression | None, Point]] = []
    for arg in (*call.site.args, *call.site.kwargs.values()):
        value = arg.value
        where = at
        if isinstance(value, cst.Name):
            bound = ctx.binding_at(value.value, at)
            if bound is not None and bound[1].unpacked is None:
                where = Point.of(*bound)
                value = bound[1].value
        prediction = _prediction(value, predict)
        if prediction is not None:
            predictions.append((*prediction, where))
        elif _is_held_out(roles, arg.value, at):
            labels_held_out = True
    for model, data, where in predictions:
        held_out = labels_held_out or _is_held_out(roles, data, where)
        yield Evaluation(call.cell, call.site.node, where, model, data, held_out, True)


def _prediction(
    node: cst.BaseExpression, predict: frozenset[str]
) -> tuple[str, cst.BaseExpression | None] | None:
    """`model.predict(X)` (also `model.predict(X)[:, 1]`): the model's name and the data."""
    while isinstance(node, (cst.Subscript, cst.Attribute)):
        node = node.value
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return None
    if node.func.attr.value not in predict:
        return None
    model = node.func.value
    if not isinstance(model, cst.Name):
        return None
    return model.value, node.args[0].value if node.args else None


def _helper_evaluations(
    ctx: NotebookContext, roles: DataRoles, call: ResolvedCall
) -> Iterator[Evaluation]:
    """`evaluate(model, test_loader)`, `trainer.test(model, dm)`, `run_eval(val_ds)`."""
    site = call.site
    method = site.method or ""
    if method in _NOT_EVALUATIONS or call.is_any("matplotlib"):
        return
    at = call.point
    values = [arg.value for arg in (*site.args, *site.kwargs.values())]
    held_out = [v for v in values if _is_held_out(roles, v, at)]
    if not held_out:
        return
    models = [
        v.value
        for v in values
        if isinstance(v, cst.Name) and v not in held_out and v.value not in _CONSTANTS
    ]
    for name in models:
        yield Evaluation(call.cell, site.node, at, name, held_out[0], True, True)
    if _EVAL_HELPER.search(method) and not ctx.is_imported(call.qualified):
        yield Evaluation(call.cell, site.node, at, None, held_out[0], True, True)


def _loop_evaluations(
    ctx: NotebookContext, roles: DataRoles, analyzed: AnalyzedCell, loop: Loop
) -> Iterator[Evaluation]:
    """`for x, y in test_loader: model(x)`: models called on held-out batches.

    A notebook function called in the loop (`loss = calc_loss(sent)`) runs a model on the
    batch too, though which one it does not say.
    """
    loop_methods = _Knowledge.of(ctx).loop_methods
    if loop.iter is None:
        return
    at = Point(analyzed.cell.ordinal, loop.order, loop.scope)
    if not _is_held_out(roles, loop.iter, at) and not _held_out_phase(analyzed, loop):
        return
    for site in analyzed.analysis.facts.calls:
        if not loop.order < site.order <= loop.end:
            continue
        name = _bare(site.func)
        label = name
        if name is None and site.receiver is not None and site.method in loop_methods:
            name = _bare(site.receiver)
            # `self.model.predict(x)`: a model, though not one a name in force holds
            label = str(site.receiver)
        if label is None or name in _NOT_EVALUATIONS or name in _BUILTINS:
            continue
        where = Point.of(analyzed, site)
        yield Evaluation(analyzed, site.node, where, label, loop.iter, True, True, True)
        if name is not None and name not in ctx.imports and _defined_in_notebook(ctx, name):
            yield Evaluation(analyzed, site.node, where, None, loop.iter, True, True)


def _held_out_phase(analyzed: AnalyzedCell, loop: Loop) -> bool:
    """`for phase in ["train", "val"]: for batch in dataloaders[phase]:` the inner loop runs
    over the held-out split on the phase the outer loop names so."""
    keys = set(_subscript_names(loop.iter)) if loop.iter is not None else set()
    if not keys:
        return False
    for outer in analyzed.analysis.facts.loops:
        if not (outer.order < loop.order <= outer.end) or not keys & set(outer.targets):
            continue
        if isinstance(outer.iter, (cst.List, cst.Tuple)) and any(
            (string_value(element.value) or "").lower() in HELD_OUT_SPLITS
            for element in outer.iter.elements
        ):
            return True
    return False


def _subscript_names(node: cst.BaseExpression) -> Iterator[str]:
    """The plain names used as keys inside `node` (`phase` in `progress_bar(loaders[phase])`)."""
    if isinstance(node, cst.Subscript):
        for element in node.slice:
            if isinstance(element.slice, cst.Index) and isinstance(element.slice.value, cst.Name):
                yield element.slice.value.value
        yield from _subscript_names(node.value)
    elif isinstance(node, cst.Attribute):
        yield from _subscript_names(node.value)
    elif isinstance(node, cst.Call):
        for arg in node.args:
            yield from _subscript_names(arg.value)


def _routine_evaluations(ctx: NotebookContext) -> Iterator[Evaluation]:
    """`test_acc = test()`: a notebook evaluation routine that runs a model, then is called.

    Held-out data often stays inside the routine (`pred[data.test_mask]`), so the routine's
    name and the models it runs are the evidence. A routine handed its input
    (`test_model(question)`) is judged by that input instead, like any other call.
    """
    runs: dict[str, set[str]] = {}
    for call in ctx.calls:
        scope = call.site.scope
        if scope is None or not _EVAL_ROUTINE.match(scope):
            continue
        name = _bare(call.site.func) or _bare(call.site.receiver)
        if name is not None and name not in _BUILTINS:
            runs.setdefault(scope, set()).add(name)
    if not runs:
        return
    for call in ctx.calls:
        callee = _bare(call.site.func)
        if (
            callee is not None
            and callee in runs
            and call.site.scope != callee
            and not call.site.args
        ):
            for name in runs[callee]:
                yield Evaluation(call.cell, call.site.node, call.point, name, None, True, True)


def _defined_in_notebook(ctx: NotebookContext, name: str) -> bool:
    """A function the notebook defines (some call runs in its scope)."""
    return name in ctx.memo("call-scopes", _call_scopes)


def _call_scopes(ctx: NotebookContext) -> frozenset[str | None]:
    return frozenset(call.site.scope for call in ctx.calls)


# -- validation inside training, cross-validation -----------------------------------------
def _validated_in_training(ctx: NotebookContext, roles: DataRoles, training: TrainingCall) -> bool:
    """Validation data given to the training call itself, or to the trainer it runs."""
    site = training.call.site
    at = training.call.point
    fit_data = _fit_data(training)
    if _validates(ctx, roles, site.kwargs.values(), fit_data, at):
        return True
    split = site.kwargs.get("validation_split")
    if split is not None and not (
        isinstance(split.value, (cst.Integer, cst.Float)) and float(split.value.value) == 0
    ):
        return True
    if site.method == "fit" and "datamodule" in site.kwargs:
        return True
    if training.label.endswith(".fit") and "Trainer" in training.label and len(site.args) >= 3:
        return _validates(ctx, roles, (site.args[2],), fit_data, at)  # Lightning
    channels = site.arg(0, "inputs")
    if channels is not None and _has_validation_channel(ctx, channels, at):
        return True
    if site.method == "train" and training.model is not None:
        bound = ctx.binding_at(training.model, at)
        if bound is not None and isinstance(bound[1].value, cst.Call):
            trainer = bound[1].value
            return _validates(
                ctx,
                roles,
                (arg for arg in trainer.args if arg.keyword is not None),
                _keyword(trainer, "train_dataset"),
                Point.of(*bound),
            )
    return False


def _validates(
    ctx: NotebookContext,
    roles: DataRoles,
    args: Iterable[cst.Arg],
    fit_data: cst.BaseExpression | None,
    at: Point,
) -> bool:
    """A validation keyword given data that is neither None, training data, nor the fit data."""
    keywords = _Knowledge.of(ctx).validation_keywords
    for arg in args:
        if arg.keyword is not None and arg.keyword.value not in keywords:
            continue
        values: list[cst.BaseExpression] = [arg.value]
        if isinstance(arg.value, (cst.List, cst.Tuple)):
            values = [element.value for element in arg.value.elements]
        for value in values:
            if isinstance(value, cst.Tuple) and value.elements:
                value = value.elements[0].value  # (X_val, y_val), (dval, "eval")
            if isinstance(value, cst.Name) and value.value == "None":
                continue
            if fit_data is not None and _code(value) == _code(fit_data):
                continue
            if roles.role(value, at) is not Role.TRAIN:
                return True
    return False


def _validated_by_caller(ctx: NotebookContext, roles: DataRoles, training: TrainingCall) -> bool:
    """Training inside a notebook function that is handed held-out data.

    `def train(train_loader, test_loader): ... optimizer.step() ... test(model, test_loader)`
    called as `train(train_loader, test_loader)`: the evaluation runs inside the function.
    """
    scope = training.call.site.scope
    if scope is None:
        return False
    function = scope.split(".", 1)[0]
    for call in ctx.calls:
        if _bare(call.site.func) != function:
            continue
        at = call.point
        if any(
            _is_held_out(roles, arg.value, at)
            for arg in (*call.site.args, *call.site.kwargs.values())
        ):
            return True
    return False


def _has_validation_channel(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> bool:
    """`fit({"train": ..., "validation": ...})`: a SageMaker job given a validation channel."""
    if isinstance(node, cst.Name):
        bound = ctx.binding_at(node.value, at)
        if bound is None or bound[1].unpacked is not None:
            return False
        node = bound[1].value
    if not isinstance(node, cst.Dict):
        return False
    for element in node.elements:
        if isinstance(element, cst.DictElement):
            key = string_value(element.key)
            if key is not None and key.lower() in HELD_OUT_SPLITS | {"validate", "test_data"}:
                return True
    return False


def _cross_validated(
    ctx: NotebookContext, training: TrainingCall, model: Model, library_cv: bool
) -> bool:
    if training.label.removesuffix(".fit").endswith("CV"):
        return True  # GridSearchCV, LogisticRegressionCV: held-out folds inside the fit
    if training.model is None and library_cv:
        return True  # xgboost.train next to xgboost.cv
    names = model.names
    for call in ctx.memo("cross-validation-calls", _cross_validation_calls):
        for arg in (*call.site.args, *call.site.kwargs.values()):
            if isinstance(arg.value, cst.Name) and arg.value.value in names:
                return True
    return False


def _cross_validation_calls(ctx: NotebookContext) -> list[ResolvedCall]:
    cross_validators = _Knowledge.of(ctx).cross_validators
    return [
        call
        for call in ctx.calls
        if call.qualified is not None
        and (call.qualified.maker or call.qualified).parts[-1] in cross_validators
    ]


# -- data and messages ---------------------------------------------------------------------
def _fit_data(training: TrainingCall) -> cst.BaseExpression | None:
    site = training.call.site
    if training.label.endswith(".train") and "." in training.label and site.method == "train":
        return None
    if training.model is None:  # xgboost.train(params, dtrain)
        return site.arg(1, "dtrain") or site.arg(1, "train_set")
    return site.arg(0, "X") or site.arg(0, "x")


def _data_key(training: TrainingCall) -> str | None:
    """The training data as written (`X_train_std`), to tell models fit on one split."""
    data = _fit_data(training)
    return None if data is None else _code(data)


def _keyword(call: cst.Call, keyword: str) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def _same_data(
    ctx: NotebookContext,
    evaluation: Evaluation,
    fit_data: cst.BaseExpression | None,
    training: TrainingCall,
) -> bool:
    data = evaluation.data
    if data is None or fit_data is None or _code(data) != _code(fit_data):
        return False
    if isinstance(data, cst.Name):
        here = ctx.binding_at(data.value, evaluation.point)
        there = ctx.binding_at(data.value, training.call.point)
        return (here and here[1]) is (there and there[1])
    return True


def _code(node: cst.BaseExpression) -> str:
    return cst.Module([]).code_for_node(node).strip()


def _display(training: TrainingCall, model: Model) -> str:
    return model.display or "model"


def _unevaluated_message(
    ctx: NotebookContext,
    roles: DataRoles,
    training: TrainingCall,
    model: Model,
    evaluations: list[Evaluation],
    models: frozenset[str],
) -> str:
    subject = f"`{model.display}`" if model.display else "a model"
    head = f"{subject} is trained ({training.label}) but never evaluated on held-out data"
    if any(e.held_out and e.model in models for e in evaluations):
        return f"{head}: other models are evaluated on held-out data; evaluate this one too"
    unused = _unused_held_out(ctx, roles, model)
    if unused is not None:
        return f"{head}: `{unused}` is held out but never reaches an evaluation; evaluate the model on it"
    label = training.label
    if training.call.is_any("sagemaker"):
        return f"{head}: give the job a `validation` channel, or evaluate the model on a test set"
    if label.endswith(".train") and "Trainer" in label:
        return f"{head}: pass an `eval_dataset` from a held-out split, or evaluate on a test split"
    return (
        f"{head}: split off a test set (train_test_split), cross-validate, or pass validation data"
    )


def _unused_held_out(ctx: NotebookContext, roles: DataRoles, model: Model) -> str | None:
    """The first name bound to a held-out split the notebook made (by how, not by its name)."""
    for analyzed in ctx.cells:
        for binding in analyzed.analysis.facts.bindings:
            if binding.scope is not None or binding.name in model.names:
                continue
            if not _makes_a_split(binding):
                continue
            if roles.made_role(binding, Point.of(analyzed, binding)) is Role.HELD_OUT:
                return binding.name
    return None


def _makes_a_split(binding: Binding) -> bool:
    """`a, b = split(...)`, `ds["test"]`, `load(..., split="test")`, `MNIST(train=False)`."""
    value = binding.value
    if binding.unpacked is not None:
        return isinstance(value, cst.Call)
    if isinstance(value, cst.Subscript):
        return len(value.slice) == 1 and not _single_example(value)
    return isinstance(value, cst.Call) and any(
        arg.keyword is not None and arg.keyword.value in ("split", "subset", "train")
        for arg in value.args
    )
