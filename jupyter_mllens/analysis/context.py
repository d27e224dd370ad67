"""Notebook-wide view over per-cell facts: names resolved across cells.

Notebooks import in cell 1 and use in cell 9, alias freely (`import sklearn.model_selection
as ms`, `from numpy import load as np_load`) and are run out of order. The cells are read
as one program in document order: a use of a name sees the binding *in force* at that
point (`Point`: the cell's place and the statement's number in it), so a notebook that fits
`model = LinearRegression()` in cell 3 and rebinds `model = KNeighborsRegressor()` in cell 7
is told about the model it actually fitted. Bindings inside a function or class body are
local to it. A name used before any binding (a notebook run out of order) takes the first
binding after the use; a global used inside a function takes the last one, as the function
may run at any later time. This costs microseconds, where libcst's Scope/QualifiedName
providers cost ~150 ms per notebook and stop at a cell's boundary.

A method call on an object is resolved through the call that made the object:
`model = RandomForestClassifier(); model.fit(X, y)` resolves `model.fit` to
`sklearn.ensemble.RandomForestClassifier().fit`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple, TypeVar

import libcst as cst

from ..document import Cell, Document
from .cell import Binding, CallSite, CellAnalysis, StringSite
from .names import string_value
from .qualified import QualifiedName, pattern_set
from .values import Text, text_of

_MAX_STRING_DEPTH = 8
T = TypeVar("T")


@dataclass(frozen=True)
class AnalyzedCell:
    cell: Cell
    analysis: CellAnalysis

    def binding_of(self, site: CallSite) -> Binding | None:
        """The plain binding whose value is this call (`clf = SVC().fit(X, y)`), if any."""
        for binding in self.analysis.facts.bindings:
            if binding.value is site.node and binding.unpacked is None:
                return binding
        return None


class Point(NamedTuple):
    """A place in the notebook read as one program: which cell, which statement in it.

    A named tuple rather than a dataclass: one is made per call site, and tuples are
    several times cheaper to build.
    """

    cell: int
    order: int
    scope: str | None = None

    @staticmethod
    def of(analyzed: AnalyzedCell, site: CallSite | Binding | StringSite) -> Point:
        return Point(analyzed.cell.ordinal, site.order, site.scope)

    @property
    def key(self) -> tuple[int, int]:
        return (self.cell, self.order)


@dataclass(frozen=True)
class ResolvedCall:
    """A call site with its callee's qualified name (`sklearn.model_selection.train_test_split`)."""

    cell: AnalyzedCell
    site: CallSite
    qualified: QualifiedName | None

    @property
    def point(self) -> Point:
        return Point.of(self.cell, self.site)

    def is_any(self, *names: str | QualifiedName) -> bool:
        """True when the callee is one of `names` or a member under one (`QualifiedName.is_any`)."""
        qualified = self.qualified
        if qualified is None:
            return False
        return not qualified.members().isdisjoint(pattern_set(names))


class NotebookContext:
    """What rules query: resolved calls, bindings and literals across all cells."""

    def __init__(
        self,
        document: Document,
        cells: Sequence[AnalyzedCell],
        knowledge: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self.document = document
        self.cells = tuple(cells)
        self._knowledge = knowledge or {}
        self.imports: dict[str, QualifiedName] = {}
        #: Every binding of a name, in document order, per scope (None: the notebook's top level).
        self._scoped: dict[tuple[str | None, str], list[tuple[AnalyzedCell, Binding]]] = {}
        self._keys: dict[tuple[str | None, str], list[tuple[int, int]]] = {}
        #: Where a `for` header binds a name, per scope, in document order.
        self._loop_keys: dict[tuple[str | None, str], list[tuple[int, int]]] = {}
        self._memo: dict[str, Any] = {}
        self._origins: dict[int, QualifiedName | None] = {}
        #: Every import of a name, in document order: what it binds, and where (for bisect).
        self._imported: dict[str, list[QualifiedName]] = {}
        self._import_keys: dict[str, list[tuple[int, int]]] = {}
        for analyzed in self.cells:
            facts = analyzed.analysis.facts
            ordinal = analyzed.cell.ordinal
            for imported in facts.imports:
                if imported.local != "*":
                    self.imports[imported.local] = imported.qualified
                    self._imported.setdefault(imported.local, []).append(imported.qualified)
                    self._import_keys.setdefault(imported.local, []).append(
                        (ordinal, imported.order)
                    )
            for loop in facts.loops:
                for target in loop.targets:
                    self._loop_keys.setdefault((loop.scope, target), []).append(
                        (ordinal, loop.order)
                    )
            for binding in facts.bindings:
                key = (binding.scope, binding.name)
                self._scoped.setdefault(key, []).append((analyzed, binding))
                self._keys.setdefault(key, []).append((ordinal, binding.order))

    def memo(self, key: str, compute: Callable[[NotebookContext], T]) -> T:
        """Share a notebook-level computation between rules (e.g. "where is the model trained")."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        value: T = self._memo[key]
        return value

    def knowledge(self, rule: str) -> Mapping[str, tuple[str, ...]]:
        """A rule's library knowledge: its `[knowledge]` entries plus the configured options.

        Options only change what checkers look for, never what a cell's facts are, so the
        per-cell cache is shared by every configuration.
        """
        return self._knowledge.get(rule, {})

    # -- names -------------------------------------------------------------------------
    def binding_at(self, name: str, at: Point | None) -> tuple[AnalyzedCell, Binding] | None:
        """The binding of `name` in force at `at` (the notebook's last one when `at` is None).

        None when what is in force is a `for` loop's target (`for model in models:`): the
        name holds one element of what the loop iterates, whatever it was bound to before or
        is bound to later. Data roles read loops themselves (`roles.py`).
        """
        found = self._assigned_at(name, at)
        return None if self._loop_target_in_force(name, at, found) else found

    def _loop_target_in_force(
        self, name: str, at: Point | None, found: tuple[AnalyzedCell, Binding] | None
    ) -> bool:
        """True when the latest binding of `name` before `at` is a `for` header's target, not
        `found` (the assignment `binding_at` would otherwise give) nor an import of it."""
        if at is None:
            return False
        keys = self._loop_keys.get((at.scope, name))
        if not keys:
            return False
        before = bisect.bisect_left(keys, at.key)  # a header's own iterable is read first
        if before == 0:
            return False
        loop = keys[before - 1]
        if name in self.imports and at.scope is None:
            imported = self._import_in_force(name, at)[0]
            if loop < imported <= at.key:
                return False
        if found is None:
            return True
        bound = (found[0].cell.ordinal, found[1].order)
        return bound < loop or bound > at.key

    def _assigned_at(self, name: str, at: Point | None) -> tuple[AnalyzedCell, Binding] | None:
        """`binding_at` among assignments, imports aside and loop targets aside."""
        if at is not None:
            scope = at.scope
            while scope is not None:
                local = self._before((scope, name), at.key, local=True)
                if local is not None:
                    return local
                scope = scope.rpartition(".")[0] or None
            if at.scope is not None:
                at = None  # a global read inside a function: it may run at any later time
        if at is None:
            bound = self._scoped.get((None, name))
            return bound[-1] if bound else None
        return self._before((None, name), at.key, local=False)

    def _before(
        self, key: tuple[str | None, str], point: tuple[int, int], local: bool
    ) -> tuple[AnalyzedCell, Binding] | None:
        keys = self._keys.get(key)
        if not keys:
            return None
        before = bisect.bisect_left(keys, point)
        after = bisect.bisect_right(keys, point)  # not the statement's own binding
        if local:
            # A function body lives in one cell; a same-named function elsewhere is another.
            if before > 0 and keys[before - 1][0] == point[0]:
                return self._scoped[key][before - 1]
            if after < len(keys) and keys[after][0] == point[0]:
                return self._scoped[key][after]  # assigned later in a loop
            return None
        if before > 0:
            return self._scoped[key][before - 1]
        # Used before any binding: the notebook was run out of order. The nearest binding
        # after the use is the best guess.
        return self._scoped[key][after] if after < len(keys) else None

    def resolve(
        self, dotted: QualifiedName | None, at: Point | None = None
    ) -> QualifiedName | None:
        """Qualify a path as written through imports and the bindings in force at `at`:
        its root name is replaced by what the root stands for there."""
        if dotted is None:
            return None
        origin = self._origin(dotted.root, at)
        if origin is None:
            return dotted
        return dotted.rebased(origin)

    def _origin(self, name: str, at: Point | None) -> QualifiedName | None:
        """What a bare name stands for at `at`: an import, or the call or alias bound to it.

        Memoized per binding. A rebinding in terms of itself (`df = df.dropna()`) says
        nothing new about what `df` is, so what `df` was before it is used instead.
        """
        found = self._assigned_at(name, at)
        if self._loop_target_in_force(name, at, found):
            return None  # one element of what a loop iterates
        if name in self.imports:
            imported = self._import_in_force(name, at)
            if found is None or not self._replaces_import(found, imported[0], at):
                return imported[1]
        if found is None:
            return None
        analyzed, binding = found
        key = id(binding)
        if key in self._origins:
            return self._origins[key]
        self._origins[key] = None  # a cycle resolves to "unknown"
        origin = self._origin_of(name, binding, Point.of(analyzed, binding))
        self._origins[key] = origin
        return origin

    def _import_in_force(
        self, name: str, at: Point | None
    ) -> tuple[tuple[int, int], QualifiedName]:
        """The import of `name` in force at `at`, by the rules of `binding_at`."""
        keys = self._import_keys[name]
        if at is None or at.scope is not None:
            chosen = len(keys) - 1
        else:
            before = bisect.bisect_right(keys, at.key)
            chosen = before - 1 if before else 0
        return keys[chosen], self._imported[name][chosen]

    @staticmethod
    def _replaces_import(
        found: tuple[AnalyzedCell, Binding], imported: tuple[int, int], at: Point | None
    ) -> bool:
        """True when the assignment in force, not the import, is what the name holds at `at`.

        A local binding always shadows. At the top level the later of the two in force
        wins; when both come after the use (a notebook run out of order), the nearer one.
        """
        analyzed, binding = found
        if binding.scope is not None:
            return True
        bound = (analyzed.cell.ordinal, binding.order)
        if at is None or at.scope is not None:
            return bound > imported
        if (bound <= at.key) != (imported <= at.key):
            return bound <= at.key
        return bound > imported if bound <= at.key else bound < imported

    def _origin_of(self, name: str, binding: Binding, where: Point) -> QualifiedName | None:
        if binding.parameter:
            return None  # whatever a caller passes
        if binding.unpacked is not None:
            return None  # one part of a value: what the part is, the value does not say
        value = binding.value
        if isinstance(value, cst.Call):
            source = QualifiedName.of(value.func)
        elif isinstance(value, (cst.Name, cst.Attribute, cst.Subscript)):
            source = QualifiedName.of(value)
        else:
            return None
        if source is None:
            return None
        if source.root == name:
            return self._origin(name, where)  # the binding before this one
        resolved = self.resolve(source, where) or source
        return resolved.called() if isinstance(value, cst.Call) else resolved

    def is_imported(self, qualified: QualifiedName | None) -> bool:
        """True when `qualified` starts at a module some cell imports (it was resolved)."""
        if qualified is None:
            return False
        head = qualified.root
        return any(q.root == head for q in self.imports.values())

    def imports_module(self, *modules: str) -> bool:
        """True when any cell imports one of `modules` (or something inside it)."""
        return any(q.is_any(*modules) for q in self.imports.values())

    # -- calls -------------------------------------------------------------------------
    @cached_property
    def calls(self) -> tuple[ResolvedCall, ...]:
        """Every call in document order, resolved once per lint."""
        return tuple(
            ResolvedCall(analyzed, site, self.resolve(site.func, Point.of(analyzed, site)))
            for analyzed in self.cells
            for site in analyzed.analysis.facts.calls
        )

    @cached_property
    def _by_method(self) -> dict[str, tuple[int, ...]]:
        """Where in `calls` each method's calls are (ascending)."""
        index: dict[str, list[int]] = {}
        for position, call in enumerate(self.calls):
            method = call.site.method
            if method is not None:
                index.setdefault(method, []).append(position)
        return {method: tuple(positions) for method, positions in index.items()}

    @cached_property
    def _by_root(self) -> dict[str, tuple[ResolvedCall, ...]]:
        index: dict[str, list[ResolvedCall]] = {}
        for call in self.calls:
            if call.qualified is not None:
                index.setdefault(call.qualified.root, []).append(call)
        return {root: tuple(calls) for root, calls in index.items()}

    def calls_named(self, *methods: str) -> Iterator[ResolvedCall]:
        """Calls whose callee's last name is one of `methods` (`fit` for `model.fit`), in order."""
        calls = self.calls
        index = self._by_method
        if len(methods) == 1:
            found = index.get(methods[0], ())
        else:
            found = tuple(sorted({p for method in set(methods) for p in index.get(method, ())}))
        for position in found:
            yield calls[position]

    def calls_to(self, *qualified: str | QualifiedName) -> Iterator[ResolvedCall]:
        """Calls resolving to one of `qualified` or to something under it, in document order.

        Looks only at the calls whose qualified name starts at the same top-level module, so
        a rule asking for `datasets.load_dataset` does not scan every call of the notebook.
        """
        wanted = pattern_set(qualified)
        roots = {parts[0] for parts in wanted}
        candidates = sorted(
            (call for root in roots for call in self._by_root.get(root, ())),
            key=lambda call: call.point.key,
        )
        for call in candidates:
            name = call.qualified
            if name is not None and not name.members().isdisjoint(wanted):
                yield call

    def strings(self) -> Iterator[tuple[AnalyzedCell, StringSite]]:
        for analyzed in self.cells:
            for site in analyzed.analysis.facts.strings:
                yield analyzed, site

    # -- values ------------------------------------------------------------------------
    def string_of(
        self, node: cst.BaseExpression | None, at: Point | None = None, depth: int = 0
    ) -> str | None:
        """A string literal's value, following a plain name to the literal bound at `at`."""
        value = string_value(node)
        if value is not None or depth >= _MAX_STRING_DEPTH:
            return value
        if isinstance(node, cst.Name):
            found = self.binding_at(node.value, at)
            if found is not None and not found[1].parameter and found[1].unpacked is None:
                analyzed, binding = found
                return self.string_of(binding.value, Point.of(analyzed, binding), depth + 1)
        return None

    def text_of(self, node: cst.BaseExpression | None, at: Point | None = None) -> Text | None:
        """What a string expression evaluates to at `at` (f-strings, `+`, joins, `.format`)."""
        return text_of(self, node, at)

    def call_bound(self, name: str, at: Point | None) -> tuple[cst.Call, Point] | None:
        """The call `name` holds where it is read (`model = SVC(C=1)` -> that call) and the
        point it was made at; None for a parameter, a name unpacked from a call, or any
        other value. Rules read the constructor's arguments through it."""
        found = self.binding_at(name, at)
        if found is None or found[1].parameter or found[1].unpacked is not None:
            return None
        analyzed, binding = found
        if not isinstance(binding.value, cst.Call):
            return None
        return binding.value, Point.of(analyzed, binding)

    def made_by(self, name: str, at: Point | None = None) -> QualifiedName | None:
        """What was called to make the value `name` holds at `at` (`model = SVC()` ->
        `sklearn.svm.SVC`); None when it holds no call's result."""
        resolved = self.resolve(QualifiedName.parse(name), at)
        return None if resolved is None else resolved.maker
