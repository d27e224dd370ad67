"""`data-leakage`: a fitted step learns from data that is, or later becomes, held out.

A preprocessing step that learns statistics (a scaler's means, an imputer's medians, PCA's
components, `SelectKBest`'s scores, TF-IDF's document frequencies, SMOTE's neighbours) must
learn them from the training part alone; otherwise the held-out part has shaped the features
the model sees and its score overstates how the model does on new data. Three flows are
reported, each at the `fit` / `fit_transform` / `fit_resample` call:

- **fit before the split**: what the fitted step produced (`X_s = scaler.fit_transform(X)`,
  `scaler.fit(X); X_s = scaler.transform(X)`, `df["age"] = imputer.fit_transform(df[["age"]])`)
  reaches a later split or cross-validation (`train_test_split`, `cross_val_score`,
  `GridSearchCV(...).fit`, `KFold().split`): the rows held out there were seen by the step.
- **fit, split, then transform**: the step is fit on data that is split later, and the fitted
  step is then applied to the held-out part (`pca.fit(X)`, split, `pca.transform(X_test)`).
- **fit on held-out data**: the step, or a model, is fit on data the notebook holds out
  (`scaler.fit_transform(X_test)`, `model.fit(X_test, y_test)`), found by the data-role
  model (how a value was split, not what it is called).
- **tuned on the test set**: a loop fits candidates (hyperparameter values, models) and
  scores each on a split's held-out part, and the best is picked by that score (a `best...`
  name kept in the loop, `max`/`argmax`/`idxmax`/`sorted` of what the loop collected). Not
  when the split is part of a train / validation / test chain: tuning on a validation part
  is the fix.

The flow is followed through the bindings in force, across cells, not by names. Not reported:
steps inside a `Pipeline` (a pipeline is not a step here: fitting it on the training part or
cross-validating it is the fix), steps fit on the training part and applied to the test part,
steps that learn no statistics of the data (vocabulary-only encoders such as `LabelEncoder`
or `OneHotEncoder` without frequency limits, encoders given explicit `categories=`), fits on
train and test data joined on purpose (`pd.concat([train, test])`: a transductive choice, as
in competitions), and synthetic data (`make_classification`, `np.random`). A step fitted
before a split whose results are never split nor applied to the held-out part (a PCA for a
plot) is not reported either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..analysis.cell import Binding, Loop
from ..analysis.context import Point, ResolvedCall
from ..analysis.qualified import QualifiedName
from ..analysis.roles import DataRoles, Role
from .base import Checker, Violation

_FITS = ("fit", "fit_transform", "fit_resample")
#: Calls that join data (their elements' roles are compared: train + test is deliberate).
_JOINS = frozenset({"concat", "concatenate", "vstack", "hstack", "row_stack", "append", "union"})
#: Methods that judge a fitted model on data.
_JUDGES = ("predict", "predict_proba", "score", "evaluate", "decision_function")
_MAX_DEPTH = 12
_MAX_BINDINGS = 400


@dataclass(frozen=True)
class _Fit:
    """A fit of a learning step, with what it learns from and what it produced."""

    call: ResolvedCall
    step: str  # the class as the message names it: `StandardScaler`
    data: cst.BaseExpression
    #: Bindings whose values are the step's output (`X_s = scaler.fit_transform(X)`).
    outputs: frozenset[int]
    #: Bindings changed in place by the step's output (`df["a"] = imputer.fit_transform(...)`),
    #: with the point after which they hold it.
    changed: tuple[tuple[int | str, Point], ...]
    model: bool  # a predictive model rather than a preprocessing step


class DataLeakage(Checker):
    name = "data-leakage"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        fits = list(_fits(ctx, knowledge))
        yield from _tuned_on_test(ctx, knowledge)
        if not fits:
            return
        roles = DataRoles.of(ctx)
        splits: list[ResolvedCall] | None = None
        for fit in fits:
            point = fit.call.point
            held_out = roles.role(fit.data, point) is Role.HELD_OUT
            if held_out and not _joined(ctx, roles, fit.data, point):
                if not (fit.model and _swapped(ctx, roles, fit)):
                    yield _violation(fit, _held_out_message(fit))
                continue
            if fit.model or _synthetic(ctx, knowledge, fit.data, point):
                continue
            if splits is None:
                splits = list(_splits(ctx, knowledge))
            found = _leaking_split(ctx, fit, splits)
            if found is not None:
                split, applied = found
                yield _violation(fit, _split_message(fit, split, applied))


def _violation(fit: _Fit, message: str) -> Violation:
    return Violation(fit.call.cell, message, node=fit.call.site.node)


# -- the fits -----------------------------------------------------------------------------


def _fits(ctx: NotebookContext, knowledge: Mapping[str, tuple[str, ...]]) -> Iterator[_Fit]:
    learners = knowledge.get("learners", ())
    vocabularies = knowledge.get("vocabulary-learners", ())
    frequency = frozenset(knowledge.get("frequency-keywords", ()))
    models = knowledge.get("models", ())
    for call in ctx.calls_named(*_FITS):
        site = call.site
        data = site.arg(0, "X")
        if data is None or site.receiver is None:
            continue
        made = _made_with(ctx, call)
        if made is None:
            continue
        cls, construction = made
        is_model = site.method == "fit" and _under(cls, models)
        if not is_model:
            if not _under(cls, learners):
                continue
            if _learns_nothing(cls, construction, vocabularies, frequency):
                continue
        outputs, changed = _outputs(ctx, call, data)
        yield _Fit(call, cls.last, data, outputs, changed, is_model)


def _under(qualified: QualifiedName, names: Iterable[str]) -> bool:
    """`qualified` is one of `names` (spelled as in the catalog) or a member under one."""
    return qualified.is_any(*names)


def _made_with(
    ctx: NotebookContext, call: ResolvedCall
) -> tuple[QualifiedName, cst.Call | None] | None:
    """The class of the fitted object (`sklearn.preprocessing.StandardScaler`) and the call
    that built it, when the notebook shows it."""
    owner = call.qualified.owner if call.qualified is not None else None
    cls = owner.maker if owner is not None else None
    if cls is None:
        return None
    construction: cst.Call | None = None
    receiver = call.site.node.func
    if isinstance(receiver, cst.Attribute):
        value = receiver.value
        if isinstance(value, cst.Call):
            construction = value
        elif isinstance(value, cst.Name):
            bound = ctx.call_bound(value.value, call.point)
            construction = bound[0] if bound is not None else None
    return cls, construction


def _learns_nothing(
    cls: QualifiedName,
    construction: cst.Call | None,
    vocabularies: tuple[str, ...],
    frequency: frozenset[str],
) -> bool:
    """Steps whose fit learns no statistic of the rows: explicit categories, or only the
    set of values seen (a vocabulary) with no frequency threshold."""
    keywords = (
        {arg.keyword.value for arg in construction.args if arg.keyword is not None}
        if construction is not None
        else set()
    )
    if "categories" in keywords or "vocabulary" in keywords:
        return True
    return _under(cls, vocabularies) and not (keywords & frequency)


def _outputs(
    ctx: NotebookContext, call: ResolvedCall, data: cst.BaseExpression
) -> tuple[frozenset[int], tuple[tuple[int | str, Point], ...]]:
    """What the fit produced: bindings of its result, bindings of a later `transform` of the
    same step on the same data, and objects the result was stored into. A result wrapped
    or converted in the same statement (`pd.DataFrame(imputer.fit_transform(X))`,
    `tfidf.fit_transform(texts).toarray()`) is still the step's output."""
    produced: set[int] = set()
    changed: list[tuple[int | str, Point]] = []
    results = [call]
    if call.site.method == "fit":
        results = list(_later_transforms(ctx, call, data))
    for result in results:
        point = result.point
        site = result.site
        facts = result.cell.analysis.facts
        for binding in facts.bindings:
            same = binding.order == site.order and binding.scope == site.scope
            if same and _contains(binding.value, site.node):
                produced.add(id(binding))
        for store in facts.stores:
            same = store.order == site.order and store.scope == site.scope
            if not same or not _contains(store.value, site.node):
                continue
            target = store.target
            for indexer in ("loc", "iloc"):  # `df.loc[...] = ...` changes `df`
                if not target.is_name and target.parts[-1] == indexer:
                    target = QualifiedName(target.parts[:-1])
            if not target.is_name:
                continue  # only names are bound
            found = ctx.binding_at(target.root, point)
            if found is not None:
                changed.append((id(found[1]), point))
            else:
                changed.append((target.root, point))
    return frozenset(produced), tuple(changed)


def _contains(tree: cst.CSTNode, node: cst.CSTNode) -> bool:
    """Whether `node` is `tree` or inside it (by identity: libcst compares nodes by value)."""
    stack = [tree]
    while stack:
        current = stack.pop()
        if current is node:
            return True
        stack.extend(current.children)
    return False


def _later_transforms(
    ctx: NotebookContext, fit: ResolvedCall, data: cst.BaseExpression
) -> Iterator[ResolvedCall]:
    """`scaler.fit(X)` then `scaler.transform(X)`: the same step on the same data."""
    text = _code(data)
    for call in _applications(ctx, fit):
        argument = call.site.arg(0, "X")
        if argument is not None and _code(argument) == text:
            yield call


def _applications(
    ctx: NotebookContext, fit: ResolvedCall, methods: tuple[str, ...] = ("transform",)
) -> Iterator[ResolvedCall]:
    """The calls of `methods` on the fitted object after its fit: on the name it was fit
    through (`scaler.fit(X)`, `scaler.transform(...)`), on the name the fit's result is
    bound to (`scale = StandardScaler().fit(X)`), or chained (`....fit(X).transform(X)`)."""
    steps: set[int] = set()
    receiver = fit.site.receiver
    if receiver is not None and receiver.is_name:
        found = ctx.binding_at(receiver.root, fit.point)
        if found is not None:
            steps.add(id(found[1]))
    bound = fit.cell.binding_of(fit.site)
    if bound is not None:
        steps.add(id(bound))
    for call in ctx.calls_named(*methods):
        if call.point.key < fit.point.key:
            continue
        func = call.site.node.func
        if isinstance(func, cst.Attribute) and func.value is fit.site.node:
            yield call
            continue
        name = call.site.receiver
        if call.point.key == fit.point.key or name is None or not name.is_name:
            continue
        found = ctx.binding_at(name.root, call.point)
        if found is not None and id(found[1]) in steps:
            yield call


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


# -- guards -------------------------------------------------------------------------------


def _joined(ctx: NotebookContext, roles: DataRoles, data: cst.BaseExpression, at: Point) -> bool:
    """True when the data joins held-out rows with others (`pd.concat([train, test])`)."""
    for node, where in _expressions(ctx, data, at):
        parts: list[cst.BaseExpression] = []
        if isinstance(node, (cst.List, cst.Tuple)):
            parts = [element.value for element in node.elements]
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            parts = [node.left, node.right]
        elif isinstance(node, cst.Call) and _last(node.func) in _JOINS:
            parts = [arg.value for arg in node.args if arg.keyword is None]
            if isinstance(node.func, cst.Attribute) and _last(node.func) in ("append", "union"):
                parts.append(node.func.value)
        if len(parts) < 2:
            continue
        found = {roles.role(part, where) for part in parts}
        if Role.HELD_OUT in found and len(found) > 1:
            return True
    return False


def _swapped(ctx: NotebookContext, roles: DataRoles, fit: _Fit) -> bool:
    """A model fit on the held-out part and judged on the training part: the two halves
    swapped, as in two-fold cross-validation written out by hand."""
    for call in _applications(ctx, fit.call, _JUDGES):
        data = call.site.arg(0, "X")
        if data is not None and roles.role(data, call.point) is Role.TRAIN:
            return True
    return False


def _synthetic(
    ctx: NotebookContext,
    knowledge: Mapping[str, tuple[str, ...]],
    data: cst.BaseExpression,
    at: Point,
) -> bool:
    """Data the notebook generates (`make_classification`, `np.random.rand`): an API demo."""
    generators = knowledge.get("synthetic-data", ())
    for node, where in _expressions(ctx, data, at):
        if not isinstance(node, cst.Call):
            continue
        qualified = ctx.resolve(QualifiedName.of(node.func), where)
        if qualified is not None and _under(qualified, generators):
            return True
    return False


def _last(func: cst.BaseExpression) -> str:
    """The callee's last step (`concat` for `pd.concat`; a call or item step matches no
    method name)."""
    written = QualifiedName.of(func)
    return written.parts[-1] if written is not None else ""


# -- dataflow -----------------------------------------------------------------------------


def _names(node: cst.CSTNode) -> Iterator[str]:
    """The names an expression reads (not attribute names or keywords)."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current.value
        elif isinstance(current, (cst.Attribute, cst.Arg)):
            stack.append(current.value)
        elif isinstance(current, (cst.Lambda, cst.FunctionDef)):
            continue
        else:
            stack.extend(current.children)


def _dependencies(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point
) -> Iterator[tuple[AnalyzedCell, Binding, Point]]:
    """The bindings an expression's value comes from, transitively, each with the point at
    which it was read; only bindings made before that point (a loop variable the engine
    does not bind must not resolve to an unrelated later binding)."""
    for found, _, where in _reads(ctx, node, at):
        if found is not None:
            yield found[0], found[1], where


def _reads(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point
) -> Iterator[tuple[tuple[AnalyzedCell, Binding] | None, str, Point]]:
    """Every name an expression's value is read from, transitively: its binding (None for a
    name the notebook uses without binding it, such as data made in a hidden cell), the
    name, and the point where it is read."""
    seen: set[int | str] = set()
    pending: list[tuple[cst.CSTNode, Point, int]] = [(node, at, 0)]
    while pending and len(seen) < _MAX_BINDINGS:
        current, where, depth = pending.pop()
        for name in _names(current):
            found = ctx.binding_at(name, where)
            if found is None:
                if name not in seen and name not in ctx.imports:
                    seen.add(name)
                    yield None, name, where
                continue
            analyzed, binding = found
            made = Point.of(analyzed, binding)
            if binding.parameter or id(binding) in seen or made.key >= where.key:
                continue
            seen.add(id(binding))
            yield found, name, where
            if depth < _MAX_DEPTH:
                pending.append((binding.value, made, depth + 1))


def _keys(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> dict[int | str, Point]:
    """What an expression depends on, as keys: a binding's id, or an unbound name."""
    keys: dict[int | str, Point] = {}
    for found, name, where in _reads(ctx, node, at):
        keys.setdefault(id(found[1]) if found is not None else name, where)
    return keys


def _expressions(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point
) -> Iterator[tuple[cst.BaseExpression, Point]]:
    """The expression and the values of the bindings it depends on, each where it is read,
    with the sub-expressions of each."""
    roots: list[tuple[cst.BaseExpression, Point]] = [(node, at)]
    roots += [
        (binding.value, Point.of(cell, binding))
        for cell, binding, _ in _dependencies(ctx, node, at)
    ]
    for root, where in roots:
        stack: list[cst.CSTNode] = [root]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.BaseExpression):
                yield current, where
            if not isinstance(current, (cst.Lambda, cst.FunctionDef)):
                stack.extend(current.children)


# -- splits -------------------------------------------------------------------------------


def _splits(
    ctx: NotebookContext, knowledge: Mapping[str, tuple[str, ...]]
) -> Iterator[ResolvedCall]:
    """Calls that hold rows out: splits, cross-validation, searches that cross-validate."""
    splits = knowledge.get("splits", ())
    splitters = knowledge.get("splitters", ())
    for call in ctx.calls:
        qualified = call.qualified
        if qualified is None:
            continue
        owner = qualified.owner
        if _under(qualified.maker or qualified, splits) or (
            call.site.method == "split"
            and owner is not None
            and _under(owner.maker or owner, splitters)
        ):
            yield call


def _split_data(call: ResolvedCall) -> list[cst.BaseExpression]:
    """The data a split call is given: every positional and data keyword argument, except
    the estimator a cross-validation function takes first."""
    site = call.site
    positional = [arg.value for arg in site.args if arg.keyword is None and not arg.star]
    last = call.qualified.last if call.qualified is not None else ""
    if last.startswith(("cross_val", "cross_validate", "learning_curve", "validation_curve")):
        positional = positional[1:]
    keywords = [site.kwargs[key].value for key in ("X", "y", "arrays") if key in site.kwargs]
    return positional + keywords


def _leaking_split(
    ctx: NotebookContext, fit: _Fit, splits: list[ResolvedCall]
) -> tuple[ResolvedCall, ResolvedCall | None] | None:
    """The first later split that holds out rows the step learnt from, and the transform of
    held-out data that shows it when the step's own output is not what was split."""
    at = fit.call.point
    learnt = _keys(ctx, fit.data, at).keys()
    for split in splits:
        if split.point.key <= at.key or split.site.scope is not None:
            continue
        depends: dict[int | str, Point] = {}
        for data in _split_data(split):
            for key, where in _keys(ctx, data, split.point).items():
                depends.setdefault(key, where)
        if fit.outputs & depends.keys():
            return split, None
        if any(key in depends and depends[key].key > after.key for key, after in fit.changed):
            return split, None
        if learnt & depends.keys():
            applied = _applied_to_held_out(ctx, fit, split)
            if applied is not None:
                return split, applied
    return None


def _applied_to_held_out(
    ctx: NotebookContext, fit: _Fit, split: ResolvedCall
) -> ResolvedCall | None:
    """A later `transform` by the fitted step of data held out by `split`."""
    roles = DataRoles.of(ctx)
    for call in _applications(ctx, fit.call):
        if call.point.key <= split.point.key:
            continue
        data = call.site.arg(0, "X")
        if data is None or roles.role(data, call.point) is not Role.HELD_OUT:
            continue
        if any(
            binding.value is split.site.node
            for _, binding, _ in _dependencies(ctx, data, call.point)
        ):
            return call
    return None


# -- model selection on the test set ------------------------------------------------------

#: Calls that pick the best of several scores.
_PICKS = frozenset({"max", "argmax", "idxmax", "nlargest", "sorted", "sort_values", "argsort"})
#: Evaluations of a fitted model on data.
_EVALUATIONS = ("score", "predict", "predict_proba", "evaluate")


def _tuned_on_test(
    ctx: NotebookContext, knowledge: Mapping[str, tuple[str, ...]]
) -> Iterator[Violation]:
    """A loop over candidates (hyperparameter values, models) that fits each one and scores
    it on the notebook's only held-out set, whose best is then picked: the test set chose
    the model, so its score of that model is optimistic.

    Not reported when a later split carves another part out of that split's results (a
    validation part, on which tuning is what the loop should do).
    """
    splits = [call for call in _splits(ctx, knowledge) if _holds_out(call)]
    if not splits:
        return
    roles = DataRoles.of(ctx)
    by_cell: dict[int, list[ResolvedCall]] = {}
    for call in ctx.calls:
        by_cell.setdefault(call.cell.cell.ordinal, []).append(call)
    for analyzed in ctx.cells:
        for loop in analyzed.analysis.facts.loops:
            if not isinstance(loop.node, cst.For):
                continue
            body = [
                call
                for call in by_cell.get(analyzed.cell.ordinal, ())
                if loop.order < call.site.order <= loop.end
            ]
            fitted = {call.site.receiver for call in body if call.site.method == "fit"}
            fitted.discard(None)
            if not fitted:
                continue
            for call in body:
                site = call.site
                if site.method not in _EVALUATIONS or site.receiver not in fitted:
                    continue
                data = site.arg(0, "X")
                if data is None or roles.role(data, call.point) is not Role.HELD_OUT:
                    continue
                split = _origin_split(ctx, data, call.point, splits)
                if split is None or _nested(ctx, split, splits):
                    continue
                if not _picks_best(ctx, analyzed, loop, body):
                    continue
                yield Violation(
                    analyzed,
                    f"`{_described(site.node)}` scores every candidate of this loop on the "
                    f"test set `{_described(data)}`, and the best is picked by that score: the "
                    "test set chose the model, so its score of that model is optimistic; tune "
                    "on a validation split or by cross-validation (`GridSearchCV`) and score "
                    "the test set once, at the end",
                    node=site.node,
                )
                break


def _holds_out(call: ResolvedCall) -> bool:
    """A split whose parts are kept apart (`a, b, c, d = train_test_split(...)`), not
    cross-validation, which holds out folds internally."""
    if call.qualified is None or call.qualified.parts[-1] != "train_test_split":
        return False
    return any(
        binding.value is call.site.node and binding.unpacked is not None
        for binding in call.cell.analysis.facts.bindings
    )


def _origin_split(
    ctx: NotebookContext, data: cst.BaseExpression, at: Point, splits: list[ResolvedCall]
) -> ResolvedCall | None:
    """The split whose held-out part `data` is."""
    nodes = {id(split.site.node): split for split in splits}
    for _, binding, _ in _dependencies(ctx, data, at):
        if binding.unpacked is not None and id(binding.value) in nodes:
            return nodes[id(binding.value)]
    return None


def _nested(ctx: NotebookContext, split: ResolvedCall, splits: list[ResolvedCall]) -> bool:
    """Whether the split is one of a train / validation / test chain: another split divides
    its results further, or it divides another split's results (tuning on a validation
    part carved out of the training part is what the loop should do)."""
    for other in splits:
        if other is split:
            continue
        first, second = (split, other) if split.point.key < other.point.key else (other, split)
        for data in _split_data(second):
            for _, binding, _ in _dependencies(ctx, data, second.point):
                if binding.value is first.site.node:
                    return True
    return False


def _picks_best(
    ctx: NotebookContext, analyzed: AnalyzedCell, loop: Loop, body: list[ResolvedCall]
) -> bool:
    """Whether the loop's scores are compared to pick one: a `best...` name bound in the
    loop (`if score > best_score: best_score = score`), or `max`, `argmax`, `idxmax`,
    `sorted`... applied to what the loop collected (`scores.append(...)`,
    `results[k] = ...`), later in its cell or in the next two cells."""
    facts = analyzed.analysis.facts
    inside = [b for b in facts.bindings if loop.order < b.order <= loop.end]
    if any(binding.name.lower().startswith("best") for binding in inside):
        return True
    collected = {call.site.receiver for call in body if call.site.method == "append"}
    collected |= {store.target for store in facts.stores if loop.order < store.order <= loop.end}
    collected.discard(None)
    if not collected:
        return False
    for cell in ctx.cells:
        if not analyzed.cell.ordinal <= cell.cell.ordinal <= analyzed.cell.ordinal + 2:
            continue
        for site in cell.analysis.facts.calls:
            if cell is analyzed and site.order <= loop.end:
                continue
            if (site.method or "") not in _PICKS:
                continue
            read = {site.receiver} | {
                QualifiedName((name,)) for arg in site.args for name in _names(arg)
            }
            if read & collected:
                return True
    return False


# -- messages -----------------------------------------------------------------------------


def _described(node: cst.BaseExpression) -> str:
    text = _code(node)
    return text if len(text) <= 40 else text[:37] + "..."


def _held_out_message(fit: _Fit) -> str:
    data = _described(fit.data)
    method = fit.call.site.method
    if fit.model:
        return (
            f"`{fit.step}.{method}` trains on `{data}`, held-out data: a model fit on its test "
            "set can no longer be judged on it; train on the training part and keep the "
            "held-out part for evaluation only"
        )
    return (
        f"`{fit.step}.{method}` learns from `{data}`, held-out data: the step takes statistics "
        "of the test set into the features, so the score no longer measures unseen data; fit "
        "it on the training part and only `transform` the held-out part"
    )


def _split_message(fit: _Fit, split: ResolvedCall, applied: ResolvedCall | None) -> str:
    data = _described(fit.data)
    method = fit.call.site.method
    index = split.cell.cell.index
    place = f" (cell {index + 1})" if index is not None else ""
    parts = split.qualified.names if split.qualified is not None else ("",)
    how = ".".join(parts[-2:]) if parts[-1] in ("fit", "split") else parts[-1]
    if applied is None:
        flow = f"and its output is split afterwards by `{how}`{place}"
    else:
        flow = (
            f"which `{how}`{place} splits afterwards, and is then applied to the held-out "
            f"part (`{_described(applied.site.node)}`)"
        )
    return (
        f"`{fit.step}.{method}` learns from `{data}`, {flow}: the held-out rows shaped the "
        "features, so the score is optimistic; split first and fit the step on the training "
        "part only, or put it in a `Pipeline` that is fit or cross-validated as a whole"
    )
