"""`missing-random-seed`: randomness in training or splitting that no seed fixes.

Reported, at the call that consumes the randomness:

- a scikit-learn / imbalanced-learn class that draws random numbers with its default
  settings (`RandomForestClassifier`, `MLPClassifier`, `KMeans`, `ShuffleSplit`, `SMOTE`,
  `RandomizedSearchCV`, ...: the rule's `randomized` knowledge) built without
  `random_state`;
- a class that is random only in some settings, when the notebook chooses them: `KFold` /
  `StratifiedKFold` / `GroupKFold` with `shuffle=True`, `LogisticRegression` / `Ridge` with a
  `sag` or `saga` solver (liblinear's default primal solver does not use the random state), `SVC(probability=True)`, `PCA` with a randomized or
  arpack solver, `Lasso`/`ElasticNet(selection="random")`, `NMF(init="random")`,
  `HistGradientBoosting*(early_stopping=True)`;
- `train_test_split`, `sklearn.utils.shuffle` / `resample` without `random_state` (a
  `shuffle=False` split is deterministic), and `torch.utils.data.random_split` without a
  `generator=`;
- Keras / TensorFlow training (`fit` on a Keras model) and PyTorch training (an optimizer
  stepped in a loop, a Lightning `Trainer.fit`) in a notebook with no seed call anywhere:
  one finding per framework, at its first training call (weights, dropout and shuffling
  draw from the global generators, so the notebook-level cause is one missing seed).

Not reported: a call after a global seed (`np.random.seed`, `random.seed`,
`torch.manual_seed`, `tf.random.set_seed`, `keras.utils.set_random_seed`,
`transformers.set_seed`, `seed_everything`, a `default_rng(seed)` / `RandomState(seed)`
generator, or a notebook or helper function named like a seeder: the rule's `seeders` and
`seed-functions` knowledge; a notebook function counts when it is called and its body seeds).
Any seed counts for every library: the notebook shows it controls randomness, and which
generator reaches which library is a finer point than this rule can judge without
false alarms. Deterministic estimators (`LinearRegression`, default `Ridge`,
`LogisticRegression` with `lbfgs`, KNN, naive Bayes, `GridSearchCV`), XGBoost, LightGBM
and CatBoost (they default to a fixed seed), Hugging Face `Trainer` (its
`TrainingArguments.seed` defaults to 42) and SageMaker jobs (the training runs remotely,
in a script the notebook does not show) are left alone. A call whose arguments the notebook
does not show (`**params`, many positional arguments) is not reported: precision before
recall. Nor are: an estimator wrapped by `Bagging*`/`AdaBoost*` (the ensemble seeds it, and
is itself reported when unseeded), calls in a SageMaker `@remote` function, draws repeated on
purpose (`for _ in range(n)` whose counter the body never reads), exercise blanks (`____`
arguments, a `fit` given no data), and Keras fits on made-up data (literals, random draws:
the API guides' toy tensors).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import CALL, ITEM, QualifiedName
from .base import Checker, Violation
from .evaluation_split import _fit_data as fit_data
from .evaluation_split import makes_up_data
from .model_origins import class_bases, definitions, helper_training_calls, maker
from .training import TrainingCall, training_calls

_LIBRARIES = ("sklearn", "imblearn")
#: Positional arguments from which a call may have given `random_state` by position.
_MAX_POSITIONAL = 3
#: Classes random only in some settings: keyword -> values that make them random
#: ("True" for a boolean keyword), and its position when given positionally.
_CONDITIONAL: Mapping[str, tuple[str, tuple[str, ...], int | None]] = {
    "KFold": ("shuffle", ("True",), 1),
    "StratifiedKFold": ("shuffle", ("True",), 1),
    "GroupKFold": ("shuffle", ("True",), 1),
    "StratifiedGroupKFold": ("shuffle", ("True",), 1),
    "LogisticRegression": ("solver", ("sag", "saga"), None),
    "LogisticRegressionCV": ("solver", ("sag", "saga"), None),
    "Ridge": ("solver", ("sag", "saga"), None),
    "RidgeClassifier": ("solver", ("sag", "saga"), None),
    "SVC": ("probability", ("True",), None),
    "NuSVC": ("probability", ("True",), None),
    "PCA": ("svd_solver", ("randomized", "arpack"), None),
    "Lasso": ("selection", ("random",), None),
    "ElasticNet": ("selection", ("random",), None),
    "NMF": ("init", ("random",), None),
    "HistGradientBoostingClassifier": ("early_stopping", ("True",), None),
    "HistGradientBoostingRegressor": ("early_stopping", ("True",), None),
}
#: Functions that shuffle or sample: their name -> the keyword that would turn it off.
_FUNCTIONS: Mapping[str, str | None] = {
    "train_test_split": "shuffle",
    "shuffle": None,
    "resample": None,
}
#: Ensembles that give each inner estimator a random state drawn from their own: the inner
#: estimator's seed is theirs (`BaggingClassifier(DecisionTreeClassifier(), random_state=1)`).
_SEEDING_WRAPPERS = frozenset(
    {
        "BaggingClassifier",
        "BaggingRegressor",
        "AdaBoostClassifier",
        "AdaBoostRegressor",
        "BalancedBaggingClassifier",
        "EasyEnsembleClassifier",
        "RUSBoostClassifier",
    }
)
_KERAS = ("keras", "tensorflow", "tf_keras", "keras_tuner", "keras_cv", "keras_hub", "keras_nlp")
_TORCH = ("torch", "pytorch_lightning", "lightning")
_LIGHTNING = ("pytorch_lightning", "lightning")


@dataclass(frozen=True)
class _Seeds:
    """Where the notebook seeds: the points of its top-level seed calls, in order."""

    points: tuple[tuple[int, int], ...]

    def before(self, at: Point) -> bool:
        return bool(self.points) and self.points[0] < at.key

    @property
    def anywhere(self) -> bool:
        return bool(self.points)


class MissingRandomSeed(Checker):
    name = "missing-random-seed"
    options: ClassVar[Mapping[str, str]] = {
        "seeders": "more functions that set a global seed (qualified names)",
        "seed-functions": "more function names that set seeds, from helpers the notebook imports",
        "randomized": "more class names (scikit-learn style) that are random by default",
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        seeds = _seed_points(ctx, knowledge.get("seeders", ()), knowledge.get("seed-functions", ()))
        randomized = frozenset(knowledge.get("randomized", ()))
        wrapped = _wrapped_estimators(ctx)
        remote = _remote_functions(ctx)
        for call in ctx.calls_to(*_LIBRARIES, "torch.utils.data"):
            if seeds.before(call.point) or id(call.site.node) in wrapped:
                continue
            if _in_scopes(call, remote) or _repeated_on_purpose(call):
                continue
            message = _unseeded(ctx, call, randomized)
            if message is not None:
                yield Violation(call.cell, message, node=call.site.node)
        if not seeds.anywhere:
            yield from _unseeded_training(ctx)


def _remote_functions(ctx: NotebookContext) -> frozenset[str]:
    """Notebook functions run as SageMaker jobs (`@remote(...)` from `sagemaker`): their
    training happens remotely, like a script's."""
    found: set[str] = set()
    for name, (_analyzed, function) in definitions(ctx).functions.items():
        for decorator in function.decorators:
            node = decorator.decorator
            callee = node.func if isinstance(node, cst.Call) else node
            qualified = ctx.resolve(QualifiedName.of(callee))
            if qualified is not None and qualified.is_any("sagemaker"):
                found.add(name)
    return frozenset(found)


def _in_scopes(call: ResolvedCall, scopes: frozenset[str]) -> bool:
    scope = call.site.scope
    return scope is not None and scope.split(".", 1)[0] in scopes


def _unseeded(ctx: NotebookContext, call: ResolvedCall, randomized: frozenset[str]) -> str | None:
    """The message for a randomness-consuming call that has no seed of its own, else None."""
    qualified = call.qualified
    if qualified is None or qualified.accessed:
        return None  # a method on an object, not a constructor or function
    site = call.site
    last = qualified.last
    if any(arg.star for arg in site.node.args):
        return None  # `**params`: what it holds is not shown here
    if _blank(site.node):
        return None
    if qualified.root == "torch":
        if last != "random_split" or "generator" in site.kwargs:
            return None
        return (
            "`random_split` draws a different split on every run: no `generator=` and no "
            "`torch.manual_seed(...)` before it; pass "
            "`generator=torch.Generator().manual_seed(<int>)`"
        )
    if _seeded(site.kwargs):
        return None
    if last in _FUNCTIONS and qualified.is_any("sklearn.model_selection", "sklearn.utils"):
        off = _FUNCTIONS[last]
        if off is not None and _is_false(site.kwargs.get(off)):
            return None
        return (
            f"`{last}` shuffles differently on every run: no `random_state` and no global seed "
            "before it, so the split (and every score computed on it) cannot be reproduced; pass "
            "`random_state=<int>`"
        )
    if not last[:1].isupper() or len(site.args) >= _MAX_POSITIONAL:
        return None
    if last in randomized:
        return _estimator_message(last)
    condition = _CONDITIONAL.get(last)
    if condition is None:
        return None
    keyword, values, position = condition
    given = site.arg(position if position is not None else 99, keyword)
    if given is None or not _matches(ctx, given, values, call.point):
        return None
    return _estimator_message(f"{last}({keyword}={_shown(ctx, given, call.point)})")


def _wrapped_estimators(ctx: NotebookContext) -> frozenset[int]:
    """The constructor calls (by node id) an ensemble of `_SEEDING_WRAPPERS` wraps, directly
    or through a name: their randomness is the ensemble's, reported (or not) there."""
    inner: set[int] = set()
    for call in ctx.calls_to(*_LIBRARIES):
        if call.qualified is None or call.qualified.parts[-1] not in _SEEDING_WRAPPERS:
            continue
        for arg in call.site.node.args:
            value = arg.value
            if isinstance(value, cst.Name):
                bound = ctx.binding_at(value.value, call.point)
                if bound is None or bound[1].parameter or bound[1].unpacked is not None:
                    continue
                value = bound[1].value
            if isinstance(value, cst.Call):
                inner.add(id(value))
    return frozenset(inner)


def _repeated_on_purpose(call: ResolvedCall) -> bool:
    """Inside `for _ in range(n)` whose counter the body never reads: the draw is repeated to
    average over or show the spread of random splits, so its randomness is the point."""
    site = call.site
    for loop in call.cell.analysis.facts.loops:
        if not (loop.order < site.order <= loop.end) or not isinstance(loop.node, cst.For):
            continue
        iterated = loop.iter
        if not (
            isinstance(iterated, cst.Call)
            and isinstance(iterated.func, cst.Name)
            and iterated.func.value == "range"
        ):
            continue
        if not _reads_any(loop.node.body, frozenset(loop.targets)):
            return True
    return False


def _reads_any(node: cst.CSTNode, names: frozenset[str]) -> bool:
    pending: list[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Name) and current.value in names:
            return True
        pending.extend(current.children)
    return False


def _blank(call: cst.Call) -> bool:
    """An exercise template (`fit(train_gen, steps_per_epoch=____)`): the learner fills it in."""
    return any(
        isinstance(arg.value, cst.Name) and arg.value.value.strip("_") == "" for arg in call.args
    )


def _estimator_message(what: str) -> str:
    return (
        f"`{what}` is random and built without `random_state`, with no global seed before it: "
        "every run gives another model or split, so results cannot be reproduced or compared; "
        "pass `random_state=<int>` or seed once at the top of the notebook"
    )


def _unseeded_training(ctx: NotebookContext) -> Iterator[Violation]:
    """The first Keras and the first PyTorch training of a notebook that seeds nothing."""
    reported: set[str] = set()
    remote = _remote_functions(ctx)
    trainings = sorted(
        (*training_calls(ctx), *helper_training_calls(ctx)), key=lambda t: t.call.point.key
    )
    for training in trainings:
        if training.remote_script or _demo(ctx, training) or _in_scopes(training.call, remote):
            continue
        framework = _framework(ctx, training.call, training.label)
        if framework is None or framework in reported:
            continue
        reported.add(framework)
        yield Violation(
            training.call.cell,
            f"{framework} training with no seed anywhere in the notebook: weight "
            "initialisation, dropout and data shuffling differ on every run; set "
            f"{_FIX[framework]} before building the model",
            node=training.call.site.node,
        )


def _demo(ctx: NotebookContext, training: TrainingCall) -> bool:
    """A Keras fit that trains nothing worth reproducing: an exercise blank (`fit()`) or
    made-up data (literals, random draws, ranges), as API guides use."""
    site = training.call.site
    if training.label == "optimizer.step" or site.method not in ("fit", "fit_generator"):
        return False
    if _blank(site.node):
        return True
    if not site.args and not (site.kwargs.keys() & _DATA_KEYWORDS):
        return True  # `model.fit(callbacks=[...])  # TODO`: no data, nothing trained
    data = fit_data(training)
    return data is not None and _made_up(ctx, data, training.call.point, 0, within_literal=False)


_MAX_DEPTH = 16
_DATA_KEYWORDS = frozenset({"x", "X", "y", "generator", "dataset"})
_LITERAL_NAMES = frozenset({"None", "True", "False"})


def _made_up(
    ctx: NotebookContext,
    node: cst.BaseExpression,
    at: Point,
    depth: int,
    within_literal: bool,
) -> bool:
    """Data the notebook makes up itself: literals, random draws, ranges, and what is
    computed only from them. Stricter than "any part is made up": `x_train / 255` is as
    real as `x_train`."""
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return within_literal
    if isinstance(node, (cst.List, cst.Tuple)):
        return bool(node.elements) and all(
            _made_up(ctx, element.value, at, depth + 1, within_literal=True)
            for element in node.elements
        )
    if isinstance(node, cst.Name):
        if node.value in _LITERAL_NAMES:
            return True
        bound = ctx.binding_at(node.value, at)
        if bound is None or bound[1].parameter:
            return False
        return _made_up(ctx, bound[1].value, Point.of(*bound), depth + 1, within_literal)
    if isinstance(node, (cst.Subscript, cst.Attribute)):
        return _made_up(ctx, node.value, at, depth + 1, within_literal)
    if isinstance(node, cst.UnaryOperation):
        return _made_up(ctx, node.expression, at, depth + 1, within_literal)
    if isinstance(node, cst.BinaryOperation):
        return _made_up(ctx, node.left, at, depth + 1, within_literal) and _made_up(
            ctx, node.right, at, depth + 1, within_literal
        )
    if isinstance(node, cst.Call):
        return _made_up_call(ctx, node, at, depth)
    return False


def _made_up_call(ctx: NotebookContext, node: cst.Call, at: Point, depth: int) -> bool:
    qualified = ctx.resolve(QualifiedName.of(node.func), at)
    if makes_up_data(ctx, qualified):
        return True
    if isinstance(node.func, cst.Attribute):
        receiver = QualifiedName.of(node.func.value)
        # An imported name, not subscripted itself, and nothing called on the way (`np.random`).
        module = (
            receiver is not None
            and receiver.root in ctx.imports
            and receiver.parts[1:2] != (ITEM,)
            and CALL not in receiver.parts
        )
        if not module:
            # a method on data (`x.astype(...)`, `ds.batch(1)`)
            return _made_up(ctx, node.func.value, at, depth + 1, within_literal=False)
    data = [arg.value for arg in node.args if arg.keyword is None and not arg.star]
    return bool(data) and all(  # a path or name (`read_csv("x.csv")`) is not data
        _made_up(ctx, value, at, depth + 1, within_literal=False) for value in data
    )


_FIX = {
    "Keras": "`keras.utils.set_random_seed(<int>)`",
    "PyTorch": "`torch.manual_seed(<int>)` (Lightning: `seed_everything(<int>)`)",
}


def _framework(ctx: NotebookContext, call: ResolvedCall, label: str) -> str | None:
    if label == "optimizer.step":
        return "PyTorch"
    root = None if call.qualified is None else call.qualified.root
    if root in _LIGHTNING:
        return "PyTorch"
    if call.site.method not in ("fit", "fit_generator"):
        return None
    if root in _KERAS:
        return "Keras"
    receiver = call.site.receiver
    if receiver is None or not receiver.is_name:
        return None
    made = maker(ctx, receiver.root, call.point)  # a helper's or a notebook class's model
    if made is None:
        return None
    if made.is_name and made.root in definitions(ctx).classes:
        return _class_framework(ctx, made.root)
    return "Keras" if made.root in _KERAS else None


def _class_framework(ctx: NotebookContext, name: str) -> str | None:
    """Keras or PyTorch for a notebook class deriving (maybe through another) from theirs."""
    for base in class_bases(ctx, name, _MAX_CLASS_DEPTH):
        root = base.root
        if root in _KERAS:
            return "Keras"
        if root in _TORCH:
            return "PyTorch"
    return None


_MAX_CLASS_DEPTH = 4


def _seed_points(ctx: NotebookContext, seeders: tuple[str, ...], words: tuple[str, ...]) -> _Seeds:
    """Every top-level call that seeds: a known seeder, a seed-named helper, or a notebook
    function whose body calls a seeder."""
    seeding_functions: set[str] = set()
    points: list[tuple[int, int]] = []
    for call in ctx.calls:
        if not _is_seeder(call, seeders, words):
            continue
        if call.site.scope is None:
            points.append(call.point.key)
        else:
            seeding_functions.add(call.site.scope.split(".", 1)[0])
    for call in ctx.calls:
        func = call.site.func
        if (
            call.site.scope is None
            and func is not None
            and func.is_name
            and func.root in seeding_functions
        ):
            points.append(call.point.key)
    return _Seeds(tuple(sorted(points)))


def _is_seeder(call: ResolvedCall, seeders: tuple[str, ...], words: tuple[str, ...]) -> bool:
    method = call.site.method or ""
    if any(method == w or (w.endswith("*") and method.startswith(w[:-1])) for w in words):
        return True
    if not call.is_any(*seeders):
        return False
    last = "" if call.qualified is None else call.qualified.parts[-1]
    if last in ("default_rng", "RandomState", "Generator"):
        return bool(call.site.args) or "seed" in call.site.kwargs  # a seeded generator
    return True


def _seeded(kwargs: Mapping[str, cst.Arg]) -> bool:
    """`random_state=` given a value other than a literal None."""
    arg = kwargs.get("random_state")
    return arg is not None and not (isinstance(arg.value, cst.Name) and arg.value.value == "None")


def _is_false(arg: cst.Arg | None) -> bool:
    return arg is not None and isinstance(arg.value, cst.Name) and arg.value.value == "False"


def _matches(
    ctx: NotebookContext, node: cst.BaseExpression, values: tuple[str, ...], at: Point
) -> bool:
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value in values
    text = ctx.string_of(node, at)
    if text is None:
        text = string_value(node)
    return text is not None and text in values


def _shown(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> str:
    """How the message names the setting that makes the class random (`solver="saga"`)."""
    text = ctx.string_of(node, at)
    return "True" if text is None else f'"{text}"'
