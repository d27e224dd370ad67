"""`row-wise-dataframe-loop`: feature engineering one DataFrame row at a time.

Three shapes, reported only when what is computed per row has a column-wise form:

- a `for ... in df.iterrows()` / `df.itertuples()` loop whose body only computes values
  from the row and stores them (`df.loc[i, "c"] = ...`, `df.at[...]`, `values.append(...)`,
  `total += ...`), with `if`/`else` choosing between them;
- a list, set, dict or generator comprehension over `iterrows()` / `itertuples()` whose
  element is such a value;
- `df.apply(f, axis=1)` where `f` is a lambda, or a function of the notebook, that returns
  such a value.

"Such a value" is arithmetic, comparisons, boolean logic and conditional expressions over
the row's fields, constants and lookups, calls of NumPy / `math` functions and of a few
builtins (`abs`, `round`, `min`, `max`, `int`, `float`, `str`, `len`), and string methods
(pandas' `.str` accessor has them all). A row-wise loop that does anything else (prints a
few rows, calls a model or a web API per row, opens files, breaks early) is not
vectorisable and is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.qualified import QualifiedName
from ..analysis.walk import walk
from .base import Checker, Violation
from .model_origins import definitions

_ROW_METHODS = ("iterrows", "itertuples")
_BUILTINS = frozenset({"abs", "round", "min", "max", "int", "float", "str", "bool", "len", "sum"})
_STRING_METHODS = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "replace",
        "split",
        "title",
        "capitalize",
        "zfill",
        "find",
        "count",
        "isdigit",
        "isalpha",
        "isnumeric",
        "isalnum",
        "isspace",
        "islower",
        "isupper",
    }
)
_NUMERIC_MODULES = ("numpy", "math")
_NUMERIC_FUNCTIONS = frozenset(
    map(QualifiedName.parse, ("pandas.isna", "pandas.isnull", "pandas.notna", "pandas.notnull"))
)
_LOCATORS = frozenset({"loc", "at", "iloc", "iat"})
_MAX_NODES = 2_000

_LOOP_MESSAGE = (
    "`{method}` loop computes per-row values that a column-wise expression computes at once: "
    'use vectorised pandas/NumPy operations (`df["c"] = df["a"] * df["b"]`, `np.where`, '
    "`.map`, `.str`) instead of a Python loop over rows"
)
_APPLY_MESSAGE = (
    "`apply(axis=1)` calls a Python function once per row for a value pandas can compute "
    'column-wise: write it as a vectorised expression over columns (`df["a"] * df["b"]`, '
    "`np.where(cond, x, y)`, `.map`, `.str`)"
)


class RowWiseDataframeLoop(Checker):
    name = "row-wise-dataframe-loop"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for call in ctx.calls_named(*_ROW_METHODS):
            found = _row_iteration(ctx, call)
            if found is not None:
                yield found
        for call in ctx.calls_named("apply"):
            found = _row_apply(ctx, call)
            if found is not None:
                yield found


# -- loops and comprehensions ----------------------------------------------------------
def _row_iteration(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    if site.receiver is None or _small_frame(site.node) or _small_binding(ctx, call):
        return None
    method = site.method or "iterrows"
    analyzed = call.cell
    for loop in analyzed.analysis.facts.loops:
        if loop.iter is site.node and isinstance(loop.node, cst.For):
            if loop.capped or loop.node.orelse is not None:
                return None
            rows = frozenset(loop.targets)
            expressions = _Expressions(ctx, call.point, rows)
            body = loop.node.body
            if _loop_body(body, expressions) and expressions.produced:
                return Violation(analyzed, _LOOP_MESSAGE.format(method=method), node=site.node)
            return None
    comprehension = _comprehension_over(analyzed, site.node)
    if comprehension is None:
        return None
    element, targets = comprehension
    expressions = _Expressions(ctx, call.point, targets)
    if all(expressions.value(node) for node in element) and expressions.computed(element[-1]):
        return Violation(analyzed, _LOOP_MESSAGE.format(method=method), node=site.node)
    return None


def _small_frame(node: cst.Call) -> bool:
    """`df.head(5).iterrows()`, `df.sample(3).itertuples()`, `df[:10].iterrows()`: a look."""
    func = node.func
    if not isinstance(func, cst.Attribute):
        return False
    receiver = func.value
    if isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute):
        return receiver.func.attr.value in ("head", "tail", "sample", "nlargest", "nsmallest")
    if isinstance(receiver, cst.Subscript):
        return any(isinstance(element.slice, cst.Slice) for element in receiver.slice)
    return False


def _small_binding(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """`few = df.sample(3)` or `top = db.iloc[indices]` then `few.iterrows()`: a few rows."""
    receiver = call.site.receiver
    if receiver is None or not receiver.is_name:
        return False
    bound = ctx.binding_at(receiver.root, call.point)
    if bound is None:
        return False
    value = bound[1].value
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute):
        return value.func.attr.value in ("head", "tail", "sample", "nlargest", "nsmallest")
    return isinstance(value, cst.Subscript) and (
        (isinstance(value.value, cst.Attribute) and value.value.attr.value in ("iloc", "loc"))
        or any(isinstance(element.slice, cst.Slice) for element in value.slice)
    )


def _loop_body(body: cst.BaseSuite, expressions: _Expressions) -> bool:
    if isinstance(body, cst.SimpleStatementSuite):
        return all(_small_statement(small, expressions) for small in body.body)
    for statement in body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            if not all(_small_statement(small, expressions) for small in statement.body):
                return False
        elif isinstance(statement, cst.If):
            if not _if(statement, expressions):
                return False
        else:
            return False  # nested loops, try, with, definitions: more than a column formula
    return True


def _if(node: cst.If, expressions: _Expressions) -> bool:
    if not expressions.value(node.test) or not _loop_body(node.body, expressions):
        return False
    orelse = node.orelse
    if orelse is None:
        return True
    if isinstance(orelse, cst.If):
        return _if(orelse, expressions)
    return _loop_body(orelse.body, expressions)


def _small_statement(small: cst.BaseSmallStatement, expressions: _Expressions) -> bool:
    if isinstance(small, (cst.Pass, cst.Continue)):
        return True
    if isinstance(small, cst.Assign):
        if not expressions.value(small.value):
            return False
        for target in small.targets:
            stored = _store(target.target, expressions)
            if stored is None:
                return False
            expressions.produced |= stored and expressions.computed(small.value)
        return True
    if isinstance(small, cst.AugAssign):
        if not expressions.value(small.value) or _store(small.target, expressions) is None:
            return False
        if isinstance(small.target, cst.Name) and isinstance(
            small.value, (cst.FormattedString, cst.SimpleString, cst.ConcatenatedString)
        ):
            return False  # text built from a few rows (a prompt), not a feature column
        expressions.produced = True
        return True
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("append", "add")
            and isinstance(func.value, cst.Name)
            and func.value.value not in expressions.rows
            and len(call.args) == 1
            and expressions.value(call.args[0].value)
        ):
            expressions.produced |= expressions.computed(call.args[0].value)
            return True
    return False


def _store(target: cst.BaseExpression, expressions: _Expressions) -> bool | None:
    """Where a value is stored: None when not a plain store, True when it is an output (a
    frame cell, a container item, an accumulator), False for a temporary name."""
    if isinstance(target, cst.Name):
        return False
    if isinstance(target, cst.Subscript):
        holder = target.value
        if isinstance(holder, cst.Attribute) and holder.attr.value in _LOCATORS:
            return all(expressions.value(element.slice) for element in target.slice) or None
        if isinstance(holder, cst.Name) and holder.value not in expressions.rows:
            return all(expressions.value(element.slice) for element in target.slice) or None
    return None


def _comprehension_over(
    analyzed: AnalyzedCell, iterated: cst.Call
) -> tuple[tuple[cst.BaseExpression, ...], frozenset[str]] | None:
    """The element (and `if` filters) of a comprehension whose only `for` iterates `iterated`."""
    module = analyzed.analysis.module
    if module is None:
        return None
    finder = _ComprehensionFinder(iterated)
    walk(module, finder)
    return finder.found


class _ComprehensionFinder:
    def __init__(self, iterated: cst.Call) -> None:
        self.iterated = iterated
        self.found: tuple[tuple[cst.BaseExpression, ...], frozenset[str]] | None = None

    def _check(self, node: cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp) -> None:
        clause = node.for_in
        if clause.iter is not self.iterated or clause.inner_for_in is not None:
            return
        parts: list[cst.BaseExpression] = [test.test for test in clause.ifs]
        if isinstance(node, cst.DictComp):
            parts.extend((node.key, node.value))
        else:
            parts.append(node.elt)
        self.found = (tuple(parts), frozenset(_names(clause.target)))

    def visit_ListComp(self, node: cst.ListComp) -> None:
        self._check(node)

    def visit_SetComp(self, node: cst.SetComp) -> None:
        self._check(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self._check(node)

    def visit_DictComp(self, node: cst.DictComp) -> None:
        self._check(node)


def _names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)


# -- apply(axis=1) ---------------------------------------------------------------------
def _row_apply(ctx: NotebookContext, call: ResolvedCall) -> Violation | None:
    site = call.site
    axis = site.kwargs.get("axis")
    if axis is None or site.receiver is None:
        return None
    value = axis.value
    if not (
        (isinstance(value, cst.Integer) and value.value == "1") or string_value(value) == "columns"
    ):
        return None
    func = site.arg(0, "func")
    if isinstance(func, cst.Lambda):
        rows = frozenset(p.name.value for p in func.params.params)
        judge = _Expressions(ctx, call.point, rows)
        if len(rows) != 1 or not judge.value(func.body) or not judge.computed(func.body):
            return None
        return Violation(call.cell, _APPLY_MESSAGE, node=site.node)
    if isinstance(func, cst.Name):
        defined = definitions(ctx).functions.get(func.value)
        if defined is None or site.args[1:] or site.kwargs.keys() - {"func", "axis"}:
            return None
        function = defined[1]
        params = function.params.params
        if (
            len(params) != 1
            or isinstance(function.params.star_arg, cst.Param)
            or function.params.star_kwarg
        ):
            return None
        expressions = _Expressions(ctx, call.point, frozenset({params[0].name.value}))
        if _function_body(function.body, expressions) and expressions.returned:
            return Violation(call.cell, _APPLY_MESSAGE, node=site.node)
    return None


def _function_body(body: cst.BaseSuite, expressions: _Expressions) -> bool:
    statements: Iterable[cst.CSTNode]
    statements = body.body if not isinstance(body, cst.SimpleStatementSuite) else [body]
    for index, statement in enumerate(statements):
        smalls: Iterable[cst.BaseSmallStatement]
        if isinstance(statement, (cst.SimpleStatementSuite, cst.SimpleStatementLine)):
            smalls = statement.body
        elif isinstance(statement, cst.If):
            if not _function_if(statement, expressions):
                return False
            continue
        else:
            return False
        for small in smalls:
            if isinstance(small, cst.Return):
                if small.value is None or not expressions.value(small.value):
                    return False
                if isinstance(small.value, (cst.List, cst.Tuple, cst.Dict)) or _repeats_a_list(
                    small.value
                ):
                    return False  # a record or a style list per row, not a feature value
                expressions.returned |= expressions.computed(small.value) or index > 0
            elif isinstance(small, cst.Assign):
                if not expressions.value(small.value) or not all(
                    isinstance(t.target, cst.Name) for t in small.targets
                ):
                    return False
            elif isinstance(small, cst.Expr) and index == 0 and string_value(small.value):
                continue  # the docstring
            elif not isinstance(small, cst.Pass):
                return False
    return True


def _repeats_a_list(node: cst.BaseExpression) -> bool:
    """`[style] * len(row)`: one list per row (a `Styler.apply` style), not a feature."""
    return isinstance(node, cst.BinaryOperation) and (
        isinstance(node.left, (cst.List, cst.Tuple))
        or isinstance(node.right, (cst.List, cst.Tuple))
    )


def _function_if(node: cst.If, expressions: _Expressions) -> bool:
    if not expressions.value(node.test) or not _function_body(node.body, expressions):
        return False
    orelse = node.orelse
    if orelse is None:
        return True
    if isinstance(orelse, cst.If):
        return _function_if(orelse, expressions)
    return _function_body(orelse.body, expressions)


# -- what has a column-wise form -------------------------------------------------------
class _Expressions:
    """Judges expressions of a row: whether each has a column-wise (vectorised) form."""

    def __init__(self, ctx: NotebookContext, at: Point, rows: frozenset[str]) -> None:
        self.ctx = ctx
        self.at = at
        self.rows = rows
        self.produced = False
        self.returned = False
        self._budget = _MAX_NODES

    def computed(self, node: cst.BaseExpression) -> bool:
        """A value that computes something from the row (not a copy of fields into a record)."""
        if isinstance(node, (cst.BinaryOperation, cst.Comparison, cst.IfExp, cst.BooleanOperation)):
            return self.value(node)
        if isinstance(node, cst.UnaryOperation):
            return self.value(node)
        if isinstance(node, cst.Call):
            return self.value(node)
        return False

    def value(self, node: cst.BaseExpression | cst.BaseSlice) -> bool:
        self._budget -= 1
        if self._budget < 0:
            return False
        if isinstance(
            node,
            (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.Ellipsis),
        ):
            return True
        if isinstance(node, cst.ConcatenatedString):
            return self.value(node.left) and self.value(node.right)
        if isinstance(node, cst.FormattedString):
            return all(
                self.value(part.expression)
                for part in node.parts
                if isinstance(part, cst.FormattedStringExpression)
            )
        if isinstance(node, cst.Attribute):
            return self.value(node.value)
        if isinstance(node, cst.Subscript):
            return self.value(node.value) and all(
                self.value(element.slice) for element in node.slice
            )
        if isinstance(node, cst.Index):
            return self.value(node.value)
        if isinstance(node, cst.Slice):
            return all(
                part is None or self.value(part) for part in (node.lower, node.upper, node.step)
            )
        if isinstance(node, cst.BinaryOperation):
            return self.value(node.left) and self.value(node.right)
        if isinstance(node, cst.UnaryOperation):
            return self.value(node.expression)
        if isinstance(node, cst.BooleanOperation):
            return self.value(node.left) and self.value(node.right)
        if isinstance(node, cst.Comparison):
            return self.value(node.left) and all(
                self.value(target.comparator) for target in node.comparisons
            )
        if isinstance(node, cst.IfExp):
            return self.value(node.test) and self.value(node.body) and self.value(node.orelse)
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            return all(
                not isinstance(element, cst.StarredElement) and self.value(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.Dict):
            return all(
                isinstance(element, cst.DictElement)
                and self.value(element.key)
                and self.value(element.value)
                for element in node.elements
            )
        if isinstance(node, cst.Call):
            return self._call(node)
        return False

    def _call(self, node: cst.Call) -> bool:
        if any(arg.star for arg in node.args):
            return False
        if not all(self.value(arg.value) for arg in node.args):
            return False
        func = node.func
        if isinstance(func, cst.Name) and func.value in _BUILTINS:
            return True
        if isinstance(func, cst.Attribute):
            if func.attr.value == "get":  # `row.get("a", 0)`; not a client's `get`
                return isinstance(func.value, cst.Name) and func.value.value in self.rows
            if func.attr.value in _STRING_METHODS and self.value(func.value):
                return not self._names_a_module(func.value)
            qualified = self.ctx.resolve(QualifiedName.of(func), self.at)
            if qualified is None:
                return False
            if qualified.root in _NUMERIC_MODULES and not qualified.is_name:
                return qualified.parts[1] != "random"
            if qualified in _NUMERIC_FUNCTIONS:
                return True
        return False

    def _names_a_module(self, node: cst.BaseExpression) -> bool:
        """`os.path.split(...)`, `re.split(...)`: a module's function, not a string method."""
        name = QualifiedName.of(node)
        if name is None:
            return False
        return name.root in self.ctx.imports and name.root not in self.rows
