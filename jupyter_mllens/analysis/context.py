"""Notebook-wide view over per-cell facts: names resolved across cells.

Notebooks import in cell 1 and use in cell 9, alias freely (`import sklearn.model_selection
as ms`, `from numpy import load as np_load`) and are run out of order. Resolution here is
name-based over the whole notebook (the last binding of a name in document order wins),
which matches how notebooks are written and costs microseconds, where libcst's
Scope/QualifiedName providers cost ~150 ms per notebook and stop at a cell's boundary.

A method call on an object is resolved through the call that made the object:
`model = RandomForestClassifier(); model.fit(X, y)` resolves `model.fit` to
`sklearn.ensemble.RandomForestClassifier().fit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import libcst as cst

from ..document import Cell, Document
from .cell import Binding, CallSite, CellAnalysis, StringSite
from .names import dotted_name, string_value

_MAX_STRING_DEPTH = 8
T = TypeVar("T")


@dataclass(frozen=True)
class AnalyzedCell:
    cell: Cell
    analysis: CellAnalysis


@dataclass(frozen=True)
class ResolvedCall:
    """A call site with its callee's qualified name (`sklearn.model_selection.train_test_split`)."""

    cell: AnalyzedCell
    site: CallSite
    qualified: str | None

    def is_any(self, *names: str) -> bool:
        """True when the qualified name equals one of `names` or is a member under one."""
        prefixes = self._prefixes
        return any(n in prefixes for n in names)

    @cached_property
    def _prefixes(self) -> frozenset[str]:
        """`a`, `a.b`, `a.b.c` for `a.b.c`: membership tests instead of a string scan per name."""
        q = self.qualified
        if q is None:
            return frozenset()
        parts = q.split(".")
        return frozenset(".".join(parts[: i + 1]) for i in range(len(parts)))


class NotebookContext:
    """What rules query: resolved calls, bindings and literals across all cells."""

    def __init__(self, document: Document, cells: Sequence[AnalyzedCell]) -> None:
        self.document = document
        self.cells = tuple(cells)
        self.imports: dict[str, str] = {}
        self.bindings: dict[str, list[tuple[AnalyzedCell, Binding]]] = {}
        self._memo: dict[str, Any] = {}
        self._origins: dict[str, str | None] = {}
        for analyzed in self.cells:
            facts = analyzed.analysis.facts
            for imported in facts.imports:
                if imported.local != "*":
                    self.imports[imported.local] = imported.qualified
            for binding in facts.bindings:
                self.bindings.setdefault(binding.name, []).append((analyzed, binding))

    def memo(self, key: str, compute: Callable[[NotebookContext], T]) -> T:
        """Share a notebook-level computation between rules (e.g. "where is the model trained")."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        value: T = self._memo[key]
        return value

    # -- names -------------------------------------------------------------------------
    def resolve(self, dotted: str | None) -> str | None:
        """Qualify a dotted name through imports and constructor bindings of any cell."""
        if dotted is None:
            return None
        head, sep, rest = dotted.partition(".")
        call_suffix = ""
        if head.endswith(("()", "[]")):
            call_suffix, head = head[-2:], head[:-2]
        origin = self._origin(head)
        if origin is None:
            return dotted
        return origin + call_suffix + sep + rest

    def _origin(self, name: str) -> str | None:
        """What a bare name stands for: an import, or the call or alias that last bound it.

        Memoized per notebook. A rebinding in terms of itself (`df = df.dropna()`) says
        nothing new about what `df` is, so the binding before it is used instead.
        """
        if name in self.imports:
            return self.imports[name]
        if name in self._origins:
            return self._origins[name]
        self._origins[name] = None  # a cycle resolves to "unknown"
        origin: str | None = None
        for _, binding in reversed(self.bindings.get(name, ())):
            value = binding.value
            if isinstance(value, cst.Call):
                source = dotted_name(value.func)
            elif isinstance(value, (cst.Name, cst.Attribute, cst.Subscript)):
                source = dotted_name(value)
            else:
                break
            if source is None:
                break
            if source.partition(".")[0].removesuffix("()").removesuffix("[]") == name:
                continue
            resolved = self.resolve(source) or source
            origin = resolved + "()" if isinstance(value, cst.Call) else resolved
            break
        self._origins[name] = origin
        return origin

    def is_imported(self, qualified: str) -> bool:
        """True when `qualified` starts at a module some cell imports (it was resolved)."""
        head = qualified.split(".", 1)[0]
        return any(q.split(".", 1)[0] == head for q in self.imports.values())

    def imports_module(self, *modules: str) -> bool:
        """True when any cell imports one of `modules` (or something inside it)."""
        return any(q == m or q.startswith(m + ".") for q in self.imports.values() for m in modules)

    # -- calls -------------------------------------------------------------------------
    @cached_property
    def calls(self) -> tuple[ResolvedCall, ...]:
        """Every call in document order, resolved once per lint."""
        return tuple(
            ResolvedCall(analyzed, site, self.resolve(site.func))
            for analyzed in self.cells
            for site in analyzed.analysis.facts.calls
        )

    def strings(self) -> Iterator[tuple[AnalyzedCell, StringSite]]:
        for analyzed in self.cells:
            for site in analyzed.analysis.facts.strings:
                yield analyzed, site

    # -- values ------------------------------------------------------------------------
    def string_of(self, node: cst.BaseExpression | None, depth: int = 0) -> str | None:
        """A string literal's value, following a plain name to the literal it was bound to."""
        value = string_value(node)
        if value is not None or depth >= _MAX_STRING_DEPTH:
            return value
        if isinstance(node, cst.Name) and node.value in self.bindings:
            _, binding = self.bindings[node.value][-1]
            return self.string_of(binding.value, depth + 1)
        return None

    def made_by(self, name: str) -> str | None:
        """The qualified name of the call that last bound `name` (`model = SVC()` -> `sklearn.svm.SVC`)."""
        resolved = self.resolve(name)
        if resolved is None or not resolved.endswith("()"):
            return None
        return resolved[:-2]
