"""`missing-data-validation`: a model trained on data read from outside that is never checked.

Reported: the first training call (`training.training_calls`: a scikit-learn, XGBoost,
LightGBM, CatBoost or Keras `fit`, `xgboost.train`, `lightgbm.train`; and
`model_origins.helper_training_calls`: a Keras subclass or a from-scratch model class of
the notebook, a model a helper function returns) whose data flows,
through the notebook's bindings, from an external read (`pd.read_csv`, `read_parquet`,
`read_sql`..., the Polars, Modin, Dask and BigFrames readers, `np.loadtxt`/`genfromtxt`),
when nothing in the notebook checks that data. One finding per notebook is enough: the
fix (check the data once, where it is read) is the same for every fit.

What counts as a check, on the data's lineage (the variables and reads the training data
flows from, or anything whose own flow reaches the same read):

- an `assert` naming it (schema, null, range or shape assertion);
- missing-value handling or inspection: `isnull()`/`isna()`/`notna()`/`notnull()`,
  `pd.isna(df)`, `dropna()`, `fillna()`, `interpolate()`;
- a range or duplicate check: `between()`, `clip()`, `duplicated()`/`drop_duplicates()`,
  or a filter bounding a number (`df[df.age > 0]`, `df[df["wdsp"] != 999.9]` drops a
  sentinel); a filter on a string or a class (`df[df.city == "Paris"]`,
  `df[df.label != 1]`) selects rows and checks nothing;
- column types declared at the read (`pd.read_csv(path, dtype={...})`, Polars `schema=`):
  the read fails on data that does not fit;
- inspection that summarises the whole data: `info()`, `describe()`, `dtypes`. A person
  reading `df.info()` or `df.isnull().sum()` output has checked types and nulls, so a
  notebook that shows them is not reported. `head()` and `shape` show a few rows and a
  size, not the data's quality, and do not count (`shape` in an `assert` does);
- anywhere in the notebook: a validation or profiling library (Great Expectations,
  pandera, Deequ/PyDeequ, TensorFlow Data Validation, Evidently, Deepchecks, whylogs,
  ydata-profiling/pandas-profiling, Sweetviz, missingno), or a `SimpleImputer`/`KNNImputer`.

Not reported: data that is synthetic (`make_classification`, `np.random`) or a built-in
toy dataset (`load_iris`, `keras.datasets`): these are not external reads, so no lineage
reaches one. SageMaker estimators and other remote jobs train in a container whose script
the notebook does not contain, and a fit in a function decorated with SageMaker's
`@remote` runs as such a job. Data the flow cannot follow (a library helper's return value, a
parameter of a function the notebook never calls) is left alone: precision before recall.
A parameter of a notebook function is followed to the arguments of its calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext, Point
from ..analysis.cell import Binding
from ..analysis.context import ResolvedCall
from ..analysis.qualified import CALL, ITEM, QualifiedName
from ..analysis.walk import walk
from .base import Checker, Violation
from .model_origins import definitions, helper_training_calls
from .training import TrainingCall, training_calls

_MAX_DEPTH = 48
_MAX_VISITS = 600
#: Reader keywords that declare the columns' types: a read that enforces a schema.
_SCHEMA_KEYWORDS = frozenset({"dtype", "dtypes", "schema", "schema_overrides"})


@dataclass(frozen=True)
class _Knowledge:
    dataframe_libraries: frozenset[QualifiedName]
    dataframe_readers: tuple[str, ...]
    array_libraries: frozenset[QualifiedName]
    array_readers: tuple[str, ...]
    check_methods: frozenset[str]
    check_functions: tuple[str, ...]
    check_attributes: frozenset[str]
    validation_libraries: tuple[str, ...]
    imputers: tuple[str, ...]


def _knowledge(ctx: NotebookContext) -> _Knowledge:
    entries = ctx.knowledge(MissingDataValidation.name)
    return _Knowledge(
        frozenset(map(QualifiedName.parse, entries.get("dataframe-libraries", ()))),
        tuple(entries.get("dataframe-readers", ())),
        frozenset(map(QualifiedName.parse, entries.get("array-libraries", ()))),
        tuple(entries.get("array-readers", ())),
        frozenset(entries.get("check-methods", ())),
        tuple(entries.get("check-functions", ())),
        frozenset(entries.get("check-attributes", ())),
        tuple(entries.get("validation-libraries", ())),
        tuple(entries.get("imputers", ())),
    )


@dataclass
class _Lineage:
    """What a value flows from: the variable names on the way and the external reads."""

    names: set[str] = field(default_factory=set)
    reads: list[ResolvedCall] = field(default_factory=list)
    checked: bool = False  # a check method on the way (`df = pd.read_csv(p).dropna()`)
    visits: int = 0
    seen: set[int] = field(default_factory=set)


class MissingDataValidation(Checker):
    name = "missing-data-validation"
    options: ClassVar[Mapping[str, str]] = {
        "validation-libraries": "modules whose import counts as validating the notebook's data",
        "check-methods": "methods that check or inspect the data they are called on",
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = _knowledge(ctx)
        if ctx.imports_module(*knowledge.validation_libraries):
            return
        if any(True for _ in ctx.calls_to(*knowledge.imputers)):
            return
        tracer = _Tracer(ctx, knowledge)
        trainings = sorted(
            [*training_calls(ctx), *helper_training_calls(ctx)], key=lambda t: t.call.point.key
        )
        for training in trainings:
            if not _local(training) or _remote_function(ctx, training):
                continue
            lineage = tracer.lineage(training)
            if lineage is None or not lineage.reads or lineage.checked:
                continue
            if _checked(ctx, tracer, lineage):
                return  # the data is checked: every later fit trains on checked data too
            read = lineage.reads[0]
            yield Violation(
                training.call.cell,
                f"`{training.label}` trains on data read by `{_short(read)}` that the "
                "notebook never checks (no schema, null, range or shape assertion, no "
                "`info()`/`describe()`/`isnull()` inspection, no validation library); "
                "validate it where it is read, e.g. with pandera or Great Expectations",
                node=training.call.site.node,
            )
            return


def _local(training: TrainingCall) -> bool:
    """Training this notebook runs itself: not a SageMaker job, not an optimizer loop."""
    qualified = training.call.qualified
    if training.remote_script or (qualified is not None and qualified.is_any("sagemaker")):
        return False
    return training.label != "optimizer.step"


def _remote_function(ctx: NotebookContext, training: TrainingCall) -> bool:
    """A fit inside a function decorated with SageMaker's `@remote`: it runs as a job."""
    scope = training.call.site.scope
    defined = definitions(ctx).functions.get((scope or "").split(".", 1)[0])
    if defined is None:
        return False
    for decorator in defined[1].decorators:
        node = decorator.decorator
        name = QualifiedName.of(node.func if isinstance(node, cst.Call) else node)
        resolved = ctx.resolve(name, training.call.point)
        if resolved is not None and resolved.is_any("sagemaker") and resolved.parts[-1] == "remote":
            return True
    return False


def _short(call: ResolvedCall) -> str:
    """The read as the message names it: as written (`pd.read_csv`)."""
    func = call.site.func
    return "" if func is None else str(func)


class _Tracer:
    """Follows a value back through the bindings in force to the calls that made it."""

    def __init__(self, ctx: NotebookContext, knowledge: _Knowledge) -> None:
        self.ctx = ctx
        self.knowledge = knowledge
        self._calls: dict[int, ResolvedCall] = {id(call.site.node): call for call in ctx.calls}

    def lineage(self, training: TrainingCall) -> _Lineage | None:
        site = training.call.site
        nodes: list[cst.BaseExpression] = []
        if training.call.is_any("xgboost.train", "lightgbm.train", "catboost.train"):
            data = site.arg(1, "dtrain") or site.arg(1, "train_set") or site.arg(1, "pool")
            if data is not None:
                nodes.append(data)
        else:
            nodes.extend(arg.value for arg in site.args[:2] if not arg.star)
            nodes.extend(
                site.kwargs[k].value for k in ("x", "X", "y", "Y", "train_data") if k in site.kwargs
            )
        if not nodes:
            return None
        found = _Lineage()
        for node in nodes:
            self.trace(node, training.call.point, found, 0)
        return found

    def trace(self, node: cst.BaseExpression, at: Point, found: _Lineage, depth: int) -> None:
        found.visits += 1
        if depth > _MAX_DEPTH or found.visits > _MAX_VISITS:
            return
        if isinstance(node, cst.Name):
            self._name(node.value, at, found, depth)
        elif isinstance(node, (cst.Attribute, cst.Subscript)):
            self.trace(node.value, at, found, depth + 1)
        elif isinstance(node, cst.Call):
            self._call(node, at, found, depth)
        elif isinstance(node, cst.BinaryOperation):
            self.trace(node.left, at, found, depth + 1)
            self.trace(node.right, at, found, depth + 1)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for item in node.elements:
                self.trace(item.value, at, found, depth + 1)
        elif isinstance(node, cst.Dict):
            for entry in node.elements:
                if isinstance(entry, cst.DictElement):
                    self.trace(entry.value, at, found, depth + 1)

    def _name(self, name: str, at: Point, found: _Lineage, depth: int) -> None:
        bound = self.ctx.binding_at(name, at)
        if bound is None:
            return
        if bound[1].parameter:
            self._parameter(bound[1], found, depth)
            return
        found.names.add(name)
        analyzed, binding = bound
        if id(binding) in found.seen:
            return
        found.seen.add(id(binding))
        self.trace(binding.value, Point.of(analyzed, binding), found, depth + 1)

    def _parameter(self, binding: Binding, found: _Lineage, depth: int) -> None:
        """A parameter of a notebook function holds what its callers pass: the arguments
        of the calls of that function by name (`train(model, X_train, y_train)`)."""
        function = binding.scope
        defined = definitions(self.ctx).functions.get(function or "")
        if function is None or defined is None:
            return
        params = defined[1].params
        names = [param.name.value for param in (*params.posonly_params, *params.params)]
        position = names.index(binding.name) if binding.name in names else None
        for call in self.ctx.calls_named(function):
            site = call.site
            func = site.func
            if func is None or not func.is_name or func.root != function:
                continue
            if id(site.node) in found.seen:
                continue
            found.seen.add(id(site.node))
            given = site.kwargs.get(binding.name)
            if given is None and position is not None and position < len(site.args):
                given = site.args[position] if not site.args[position].star else None
            if given is not None:
                self.trace(given.value, call.point, found, depth + 1)

    def _call(self, node: cst.Call, at: Point, found: _Lineage, depth: int) -> None:
        resolved = self._calls.get(id(node))
        if resolved is not None and self._reads(resolved):
            found.reads.append(resolved)
            if _SCHEMA_KEYWORDS & set(resolved.site.kwargs):
                found.checked = True
            return
        func = node.func
        if isinstance(func, cst.Attribute):
            if func.attr.value in self.knowledge.check_methods:
                found.checked = True
            if not self.is_module(func.value, at):
                self.trace(func.value, at, found, depth + 1)
        for arg in node.args:
            self.trace(arg.value, at, found, depth + 1)

    def is_module(self, node: cst.BaseExpression, at: Point) -> bool:
        """`pd` in `pd.concat(...)`: a module, not data."""
        path = QualifiedName.of(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
        if path is None or path.accessed:
            return False  # `tf.data.Dataset.zip(...)` in `....batch(32)` is data
        head = path.root
        return head in self.ctx.imports and self.ctx.binding_at(head, at) is None

    def _reads(self, call: ResolvedCall) -> bool:
        qualified = call.qualified
        library = None if qualified is None else qualified.owner
        if qualified is None or library is None or qualified.parts[-1] in (CALL, ITEM):
            return False  # `pd.read_csv` itself, not what it returns
        function = qualified.parts[-1]
        if library in self.knowledge.array_libraries:
            return function in self.knowledge.array_readers
        if library not in self.knowledge.dataframe_libraries:
            return False
        return any(
            function == reader or (reader.endswith("*") and function.startswith(reader[:-1]))
            for reader in self.knowledge.dataframe_readers
        )


def _checked(ctx: NotebookContext, tracer: _Tracer, lineage: _Lineage) -> bool:
    """True when a check anywhere in the notebook is on the training data's lineage."""
    knowledge = tracer.knowledge
    reads = {id(call.site.node) for call in lineage.reads}

    def on_lineage(node: cst.BaseExpression | None, at: Point) -> bool:
        if node is None:
            return False
        root = _root(node)
        if root is not None and root in lineage.names:
            return True
        other = _Lineage()
        tracer.trace(node, at, other, 0)
        return bool(other.names & lineage.names) or any(
            id(call.site.node) in reads for call in other.reads
        )

    for call in ctx.calls:
        site = call.site
        func = site.node.func
        if site.method in knowledge.check_methods and isinstance(func, cst.Attribute):
            if not tracer.is_module(func.value, call.point) and on_lineage(func.value, call.point):
                return True
        elif call.is_any(*knowledge.check_functions) and on_lineage(site.arg(0), call.point):
            return True
    names = lineage.names
    for analyzed in ctx.cells:
        module = analyzed.analysis.module
        if module is None:
            continue
        finder = _AssertsAndAttributes(knowledge.check_attributes)
        walk(module, finder)
        if names & finder.names:
            return True
    return False


def _root(node: cst.BaseExpression) -> str | None:
    """The variable an expression starts from: `df` in `df["a"].isnull`."""
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    return node.value if isinstance(node, cst.Name) else None


class _AssertsAndAttributes:
    """Names checked by an `assert`, read for their schema (`df.dtypes`) or filtered to a
    numeric range (`df[df["wdsp"] != 999.9]`, `df[(df.age > 0) & (df.age < 120)]`): a
    filter on a string or a class (`df[df.city == "Paris"]`, `df[df.label != 1]`) selects
    rows, it checks nothing."""

    def __init__(self, attributes: frozenset[str]) -> None:
        self.attributes = attributes
        self.names: set[str] = set()

    def visit_Assert(self, node: cst.Assert) -> bool:
        finder = _Names()
        walk(node.test, finder)
        self.names |= finder.names
        return False

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        if _numeric_mask(node.slice[0].slice.value):
            root = _root(node.value)
            if root is not None:
                self.names.add(root)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value in self.attributes:
            root = _root(node.value)
            if root is not None:
                self.names.add(root)


def _numeric_mask(node: cst.BaseExpression) -> bool:
    """A comparison bounding data by a number, alone or combined with `&`, `|`, `~`."""
    if isinstance(node, cst.Comparison):
        return any(_bound(target.operator, target.comparator) for target in node.comparisons)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitAnd, cst.BitOr)):
        return _numeric_mask(node.left) or _numeric_mask(node.right)
    if isinstance(node, cst.UnaryOperation):
        return _numeric_mask(node.expression)
    return False


_RANGE_OPERATORS = (cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)


def _bound(operator: cst.BaseCompOp, node: cst.BaseExpression) -> bool:
    """`> 0`, `<= 120` bound a range; `!= 999.9`, `!= -1`, `!= 9999` drop a sentinel. `== 1`
    and `!= 1` pick or drop a class or a cluster: a selection, not a check."""
    negative = False
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        negative, node = True, node.expression
    if not isinstance(node, (cst.Integer, cst.Float)):
        return False
    if isinstance(operator, _RANGE_OPERATORS):
        return True
    if not isinstance(operator, cst.NotEqual):
        return False
    return negative or isinstance(node, cst.Float) or abs(node.evaluated_value) >= 99


class _Names:
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)
