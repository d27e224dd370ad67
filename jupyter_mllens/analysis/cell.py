"""Per-cell analysis: parse once with libcst, extract facts once, cache by content.

A cell's facts depend only on its text, so they are computed once per distinct cell text
and shared by every rule and every later lint of the same (or any other) notebook. This is
what makes re-linting after a one-cell edit cheap, and it pays even in a cold batch run:
about half of the code cells in public notebook corpora are verbatim copies of others.

Facts are extracted with names *as written* (`tts`, `ms.train_test_split`); resolving them
through imports of other cells is the notebook context's job (`context.py`). Positions
are resolved lazily, only for cells that end up with a finding, and only as far into the
cell as the finding's node (`positions.py`): libcst's PositionProvider is the most
expensive part of a naive pipeline and most cells never need it.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst
from libcst.metadata import CodePosition, CodeRange

from ..ipython_syntax import ShellText, translate
from .complexity import ComplexityProblem, check_complexity
from .names import dotted_name, string_value
from .positions import Positions
from .qualified import ITEM, QualifiedName
from .walk import walk


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a cell is not Python, and where (1-based line and column)."""

    message: str
    line: int
    column: int


@dataclass(eq=False)
class CallSite:
    """One call expression, with its callee spelled as written (`pd.read_csv`).

    `order` counts statements within the cell (see `_FactCollector`) and `scope` names the
    enclosing function or class (None at the top level): together with the cell's place in
    the notebook they say which binding of a name is in force at the call.
    """

    node: cst.Call
    #: The callee's path as written (`pd.read_csv`); None for a callee no path spells
    #: (`(lambda: x)()`).
    func: QualifiedName | None
    args: tuple[cst.Arg, ...]
    kwargs: Mapping[str, cst.Arg]
    order: int = 0
    scope: str | None = None
    #: The last attribute of the callee (`fit` for `model.fit`); rules ask for it millions
    #: of times in a batch, so it is worked out once.
    method: str | None = field(init=False)

    def __post_init__(self) -> None:
        func = self.func
        self.method = None if func is None or func.is_call or func.parts[-1] == ITEM else func.last

    @cached_property
    def receiver(self) -> QualifiedName | None:
        """What the method is called on (`model` for `model.fit`); None for a bare callee."""
        return None if self.func is None else self.func.owner

    def arg(self, position: int, keyword: str | None = None) -> cst.BaseExpression | None:
        """The argument given by keyword, else at `position`; None when absent."""
        if keyword is not None and keyword in self.kwargs:
            return self.kwargs[keyword].value
        if position < len(self.args):
            return self.args[position].value
        return None


@dataclass(eq=False)
class ImportBinding:
    """A name bound by an import: `local` is usable in code, `qualified` is what it is."""

    local: str
    qualified: QualifiedName
    node: cst.CSTNode
    #: The statement's number and scope, as a `Binding`'s: a later assignment to the same
    #: name replaces what the import bound (`datasets = load_dataset(...)` after
    #: `from sklearn import datasets`).
    order: int = 0
    scope: str | None = None


@dataclass(eq=False)
class Binding:
    """`name = value` at the top of an assignment (tuple targets are unpacked when they can be).

    The binding takes effect after the statement numbered `order`, in `scope`. A function's
    parameter is a binding too (`parameter`, its value the parameter's name): it shadows a
    global of the same name and stands for whatever a caller passes, which is unknown. A
    target unpacked from a value that is not a tuple literal (`X_tr, X_te, y_tr, y_te =
    train_test_split(X, y)`) is bound to the whole value with its place in the target:
    `unpacked` is the path of indexes, `(1,)` for `X_te`, `(1, 0)` for `x_test` in
    `(x_train, y_train), (x_test, y_test) = mnist.load_data()`. What such a name *is* cannot
    be read from the value alone, so name resolution treats it as unknown; the data-role
    model reads the place.
    """

    name: str
    value: cst.BaseExpression
    node: cst.CSTNode
    order: int = 0
    scope: str | None = None
    parameter: bool = False
    unpacked: tuple[int, ...] | None = None


@dataclass(eq=False)
class Store:
    """`target.key = value` or `target["key"] = value`: a value stored into an object.

    Not a binding (the name `target` keeps what it was), but what an object was given after
    it was made: a SageMaker estimator's `estimator.max_run = 3600`, a keyword dict's
    `job_args["max_run"] = 3600` before `Estimator(**job_args)`. `item` tells the two apart;
    `key` is the attribute or the literal string key; a store under any other key
    (`df[cols] = scaler.fit_transform(df[cols])`) has the key `""`: the object still changed.
    """

    target: QualifiedName
    key: str
    value: cst.BaseExpression
    node: cst.CSTNode
    order: int = 0
    scope: str | None = None
    item: bool = False


@dataclass(eq=False)
class Loop:
    """A `for` or `while` statement: its header's statement number and its body's last.

    Calls in the loop are the cell's calls numbered `order < n <= end` (in the loop's scope or
    one nested in it). `targets` are the names a `for` binds, `iter` what it iterates;
    `capped` says the loop breaks once a counter reaches a small literal (`if i == 3:
    break`), as timing and smoke-test loops do.
    """

    node: cst.For | cst.While
    targets: tuple[str, ...]
    iter: cst.BaseExpression | None
    order: int
    end: int
    scope: str | None
    capped: bool = False


class StringContext:
    """Where a string literal stands; the credential rule reads a literal by its context."""

    ASSIGN = "assign"  # name = "literal"  (key: the name)
    KEYWORD = "keyword"  # f(key="literal")  (key: the keyword, call: f)
    ARGUMENT = "argument"  # f("literal")  (call: f)
    DICT_VALUE = "dict-value"  # {"key": "literal"}  (key: the dict key)
    SUBSCRIPT_ASSIGN = "subscript-assign"  # target["key"] = "literal" (key: "key", target: dotted)
    COMPARE = "compare"  # x == "literal"  (key: the other side's name)
    DEFAULT = "default"  # def f(password="literal")
    OTHER = "other"


@dataclass(eq=False)
class StringSite:
    node: cst.CSTNode
    value: str
    context: str
    key: str | None = None
    call: CallSite | None = None
    target: str | None = None
    order: int = 0
    scope: str | None = None


@dataclass(eq=False)
class CellFacts:
    calls: list[CallSite] = field(default_factory=list)
    imports: list[ImportBinding] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    strings: list[StringSite] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    loops: list[Loop] = field(default_factory=list)
    stores: list[Store] = field(default_factory=list)


class CellAnalysis:
    """Everything the rules may ask of one cell's source text. Immutable once built."""

    __slots__ = (
        "_lock",
        "_positions",
        "_shifts",
        "facts",
        "ipython_problem",
        "module",
        "python",
        "shell",
        "source",
        "syntax_error",
        "too_complex",
    )

    def __init__(self, source: str) -> None:
        self.source = source
        translated = translate(source)
        self.python = translated.python
        self.shell: tuple[ShellText, ...] = translated.shell
        # Columns stripped from line starts (prompts, a pasted block's indentation).
        self._shifts = translated.shifts
        self.module: cst.Module | None = None
        self.syntax_error: SyntaxProblem | None = None
        self.too_complex: ComplexityProblem | None = None
        # The cell parses, but IPython will not run it (`pip install x` among other lines).
        self.ipython_problem: SyntaxProblem | None = None
        if translated.problem is not None:
            found = translated.problem
            self.ipython_problem = SyntaxProblem(found.message, found.line, found.column)
        self.facts = CellFacts()
        self._positions: Positions | None = None
        self._lock = threading.Lock()
        if self.python is None:
            return
        self.too_complex = check_complexity(self.python)
        if self.too_complex is not None:
            return  # parsing it could crash or stall the process; see complexity.py
        try:
            self.module = cst.parse_module(self.python)
        except cst.ParserSyntaxError as exc:
            problem = _describe_syntax_error(self.python, exc)
            column = translated.column(problem.line, problem.column)
            self.syntax_error = SyntaxProblem(problem.message, problem.line, column)
            return
        except RecursionError:
            self.syntax_error = SyntaxProblem("cell is nested too deeply to analyse", 1, 1)
            return
        walk(self.module, _FactCollector(self.facts))

    @property
    def unparsed(self) -> bool:
        """Python text that has no tree: invalid, or too complex to parse safely."""
        return self.syntax_error is not None or self.too_complex is not None

    def position(self, node: cst.CSTNode) -> CodeRange:
        """The node's range (1-based lines, 0-based columns, as libcst reports)."""
        with self._lock:
            if self._positions is None:
                assert self.module is not None
                self._positions = Positions(self.module)
            found = self._positions.of(node)
        if not self._shifts:
            return found
        return CodeRange(self._in_cell(found.start), self._in_cell(found.end))

    def _in_cell(self, position: CodePosition) -> CodePosition:
        line = position.line
        shift = self._shifts[line - 1] if 0 < line <= len(self._shifts) else 0
        return CodePosition(line, position.column + shift)


def _describe_syntax_error(python: str, exc: cst.ParserSyntaxError) -> SyntaxProblem:
    """Word the problem as CPython would: its messages are the ones users know.

    Only failing cells get here, so compiling them a second time costs nothing overall.
    """
    try:
        compile(python, "<cell>", "exec", dont_inherit=True)
    except SyntaxError as error:
        message = (error.msg or "invalid syntax").rstrip(".")
        return SyntaxProblem(message, error.lineno or 1, error.offset or 1)
    except (ValueError, RecursionError, MemoryError):
        pass
    return SyntaxProblem("invalid syntax", exc.raw_line, exc.raw_column + 1)


class CellCache:
    """A bounded, thread-safe LRU of `CellAnalysis` keyed by the cell's exact text."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: OrderedDict[str, CellAnalysis] = OrderedDict()
        self._max = max_entries
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, source: str) -> CellAnalysis:
        with self._lock:
            found = self._entries.get(source)
            if found is not None:
                self._entries.move_to_end(source)
                self.hits += 1
                return found
        analysis = CellAnalysis(source)
        with self._lock:
            self.misses += 1
            self._entries[source] = analysis
            if len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return analysis

    def __len__(self) -> int:
        return len(self._entries)


class _FactCollector(cst.CSTVisitor):
    """One pass over a cell's tree that records what the rules look for.

    Statements are numbered in source order (one number per line of simple statements and
    per compound-statement header), so a use sees the bindings of earlier statements: in
    `x = f(x)` the `x` passed to `f` is the one bound before. Function and class bodies are
    walked by a collector of their own scope, sharing the numbering.
    """

    def __init__(
        self, facts: CellFacts, scope: str | None = None, counter: list[int] | None = None
    ) -> None:
        super().__init__()
        self.facts = facts
        self.scope = scope
        self.counter = counter if counter is not None else [0]
        self.string_context: dict[int, tuple[str, str | None, str | None]] = {}
        self.call_of_arg: dict[int, CallSite] = {}
        self.open_loops: list[Loop] = []

    @property
    def order(self) -> int:
        return self.counter[0]

    def _next_statement(self) -> None:
        self.counter[0] += 1

    # -- statements and scopes ---------------------------------------------------------
    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._next_statement()

    def visit_If(self, node: cst.If) -> None:
        self._next_statement()
        if self.open_loops and _breaks_at_small_count(node, self.open_loops[-1].targets):
            self.open_loops[-1].capped = True

    def visit_For(self, node: cst.For) -> bool:
        self._next_statement()
        targets = tuple(_target_names(node.target))
        self._walk_loop(node, targets, node.iter, (node.target, node.iter), node.body, node.orelse)
        return False

    def visit_While(self, node: cst.While) -> bool:
        self._next_statement()
        self._walk_loop(node, (), None, (node.test,), node.body, node.orelse)
        return False

    def _walk_loop(
        self,
        node: cst.For | cst.While,
        targets: tuple[str, ...],
        iterated: cst.BaseExpression | None,
        header: tuple[cst.CSTNode, ...],
        body: cst.CSTNode,
        orelse: cst.CSTNode | None,
    ) -> None:
        """Walk a loop's parts in source order, noting which statements its body spans."""
        for part in header:
            walk(part, self)
        loop = Loop(node, targets, iterated, self.order, self.order, self.scope)
        self.facts.loops.append(loop)
        self.open_loops.append(loop)
        walk(body, self)
        self.open_loops.pop()
        loop.end = self.order
        if orelse is not None:
            walk(orelse, self)

    def visit_With(self, node: cst.With) -> None:
        self._next_statement()

    def visit_Try(self, node: cst.Try) -> None:
        self._next_statement()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._next_statement()
        for decorator in node.decorators:
            walk(decorator, self)
        walk(node.params, self)
        if node.returns is not None:
            walk(node.returns, self)
        scope = self._scope_name(node.name.value)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self.facts.bindings.append(
                Binding(param.name.value, param.name, param, self.order, scope, parameter=True)
            )
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.facts.bindings.append(
                    Binding(star.name.value, star.name, star, self.order, scope, parameter=True)
                )
        self._walk_scope(node.name.value, node.body)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._next_statement()
        for part in (*node.decorators, *node.bases, *node.keywords):
            walk(part, self)
        self._walk_scope(node.name.value, node.body)
        return False

    def _scope_name(self, name: str) -> str:
        return name if self.scope is None else f"{self.scope}.{name}"

    def _walk_scope(self, name: str, body: cst.CSTNode) -> None:
        inner = _FactCollector(self.facts, self._scope_name(name), self.counter)
        walk(body, inner)

    # -- imports -----------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            qualified = QualifiedName.of(alias.name)
            if qualified is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self.facts.imports.append(
                    ImportBinding(local, qualified, node, self.order, self.scope)
                )
            else:
                # `import a.b.c` binds `a`, which then refers to the package `a`.
                head = qualified.root
                self.facts.imports.append(
                    ImportBinding(head, QualifiedName((head,)), node, self.order, self.scope)
                )
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            return False
        module = QualifiedName.of(node.module)
        if module is None:
            return False
        if isinstance(node.names, cst.ImportStar):
            self.facts.imports.append(ImportBinding("*", module, node, self.order, self.scope))
            return False
        for alias in node.names:
            name = QualifiedName.of(alias.name)
            if name is None:
                continue
            local = str(name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.facts.imports.append(
                ImportBinding(
                    local, QualifiedName(module.parts + name.parts), node, self.order, self.scope
                )
            )
        return False

    # -- bindings ----------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value, node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value, node)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._note_string(node.value, StringContext.ASSIGN, node.target.value)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, node.value, node)

    def _bind(
        self, target: cst.BaseExpression, value: cst.BaseExpression, node: cst.CSTNode
    ) -> None:
        if isinstance(target, cst.Name):
            self.facts.bindings.append(Binding(target.value, value, node, self.order, self.scope))
            self._note_string(value, StringContext.ASSIGN, target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == len(
                target.elements
            ):
                for el_t, el_v in zip(target.elements, value.elements, strict=True):
                    self._bind(el_t.value, el_v.value, node)
            else:
                self._bind_unpacked(target, value, node, ())
        elif isinstance(target, cst.Subscript):
            key = _subscript_key(target)
            owner = QualifiedName.of(target.value)
            label = None if owner is None else str(owner)
            self._note_string(value, StringContext.SUBSCRIPT_ASSIGN, key, label)
            if owner is not None:
                self.facts.stores.append(
                    Store(owner, key or "", value, node, self.order, self.scope, item=True)
                )
        elif isinstance(target, cst.Attribute):
            self._note_string(value, StringContext.ASSIGN, target.attr.value)
            owner = QualifiedName.of(target.value)
            if owner is not None:
                self.facts.stores.append(
                    Store(owner, target.attr.value, value, node, self.order, self.scope)
                )

    def _bind_unpacked(
        self,
        target: cst.Tuple | cst.List,
        value: cst.BaseExpression,
        node: cst.CSTNode,
        path: tuple[int, ...],
    ) -> None:
        """Bind each name of a tuple target to the whole value, with its place in the target.

        Places after a starred element are not known from the front, so the walk stops there.
        """
        for index, element in enumerate(target.elements):
            if isinstance(element, cst.StarredElement):
                return
            inner = element.value
            if isinstance(inner, cst.Name):
                self.facts.bindings.append(
                    Binding(
                        inner.value, value, node, self.order, self.scope, unpacked=(*path, index)
                    )
                )
            elif isinstance(inner, (cst.Tuple, cst.List)):
                self._bind_unpacked(inner, value, node, (*path, index))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        """`with dvc.api.open(...) as f` binds `f` to the call, like an assignment."""
        asname = node.asname
        if asname is not None and isinstance(asname.name, cst.Name):
            self.facts.bindings.append(
                Binding(asname.name.value, node.item, node, self.order, self.scope)
            )

    # -- calls -------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        positional: list[cst.Arg] = []
        keywords: dict[str, cst.Arg] = {}
        for arg in node.args:
            if arg.keyword is not None:
                keywords[arg.keyword.value] = arg
            elif arg.star == "":
                positional.append(arg)
        site = CallSite(
            node=node,
            func=QualifiedName.of(node.func),
            args=tuple(positional),
            kwargs=keywords,
            order=self.order,
            scope=self.scope,
        )
        self.facts.calls.append(site)
        for keyword, arg in keywords.items():
            self._note_string(arg.value, StringContext.KEYWORD, keyword, call=site)
        for arg in positional:
            self._note_string(arg.value, StringContext.ARGUMENT, None, call=site)

    # -- containers, comparisons, defaults -------------------------------------------
    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = string_value(element.key)
                if key is None:
                    key = dotted_name(element.key)
                self._note_string(element.value, StringContext.DICT_VALUE, key)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        left = dotted_name(node.left)
        for target in node.comparisons:
            self._note_string(target.comparator, StringContext.COMPARE, left)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._note_string(node.default, StringContext.DEFAULT, node.name.value)

    # -- names and strings -------------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        self.facts.names.add(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self._record_string(node)

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> bool:
        self._record_string(node)
        return False

    def visit_FormattedString(self, node: cst.FormattedString) -> bool:
        self._record_string(node)
        return True

    def _note_string(
        self,
        value: cst.BaseExpression,
        context: str,
        key: str | None,
        target: str | None = None,
        call: CallSite | None = None,
    ) -> None:
        if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            self.string_context.setdefault(id(value), (context, key, target))
            if call is not None:
                self.call_of_arg.setdefault(id(value), call)

    def _record_string(
        self, node: cst.SimpleString | cst.ConcatenatedString | cst.FormattedString
    ) -> None:
        value = string_value(node, holes=True)
        if value is None:
            return
        context, key, target = self.string_context.get(id(node), (StringContext.OTHER, None, None))
        self.facts.strings.append(
            StringSite(
                node,
                value,
                context,
                key,
                self.call_of_arg.get(id(node)),
                target,
                self.order,
                self.scope,
            )
        )


def _target_names(target: cst.BaseExpression) -> list[str]:
    """The names a `for` target binds (`i, (x, y)` -> i, x, y)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


_SMALL_COUNT = 20


_COUNTER = re.compile(r"^(?:i+|j|k|n|idx|ix|step\w*|batch\w*|it\w*|count\w*|epoch\w*)$")


def _breaks_at_small_count(node: cst.If, loop_targets: tuple[str, ...]) -> bool:
    """`if i == 3: break` (or `>=`, `>`) on a counter: a loop stopped after a few iterations."""
    test = node.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    counter = test.left
    if not isinstance(counter, cst.Name) or not (
        counter.value in loop_targets or _COUNTER.match(counter.value)
    ):
        return False
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, (cst.Equal, cst.GreaterThan, cst.GreaterThanEqual)):
        return False
    limit = comparison.comparator
    if not isinstance(limit, cst.Integer) or int(limit.evaluated_value) > _SMALL_COUNT:
        return False
    body = node.body
    if isinstance(body, cst.SimpleStatementSuite):
        return any(isinstance(small, cst.Break) for small in body.body)
    return any(
        isinstance(small, cst.Break)
        for statement in body.body
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    )


def _subscript_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1:
        return None
    element = node.slice[0].slice
    if isinstance(element, cst.Index):
        return string_value(element.value)
    return None
