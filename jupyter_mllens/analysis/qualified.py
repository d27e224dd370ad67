"""Qualified names as values: a path of attribute, call and item steps from a root name.

`sklearn.svm.SVC().fit` is the root `sklearn`, the attributes `svm` and `SVC`, a call, and
the attribute `fit`: what the engine knows about the callee of `model.fit(X, y)` after
`model = SVC()`. Keeping the steps, not a spelling with `()`/`[]` pasted in, lets a rule ask
what it means ("is this made by a call, and by what?", "is it under `boto3`?") instead of
cutting strings, and two spellings of one path are one value.

`parts` holds the steps in order: an attribute is its identifier, a call is `CALL`, a
subscript is `ITEM`. Neither marker is an identifier, so a path and its parts determine each
other, and a tuple of short strings hashes and compares at C speed: a batch matches
millions of calls against the catalog's patterns.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

import libcst as cst

CALL: Final = "()"
"""The step of calling what the path so far names (`SVC()`)."""
ITEM: Final = "[]"
"""The step of subscripting what the path so far names (`df[...]`)."""
_ACCESSES: Final = frozenset({CALL, ITEM})
_set = object.__setattr__  # the one way past `QualifiedName.__setattr__`


class QualifiedName:
    """A root name and its steps; immutable, hashable, compared by its steps."""

    __slots__ = ("_prefixes", "parts")

    parts: tuple[str, ...]
    _prefixes: frozenset[tuple[str, ...]] | None

    def __init__(self, parts: tuple[str, ...]) -> None:
        if not parts or parts[0] in _ACCESSES:
            raise ValueError(f"a qualified name starts at a name: {parts!r}")
        _set(self, "parts", parts)
        _set(self, "_prefixes", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("QualifiedName is immutable")

    # -- building ----------------------------------------------------------------------
    @staticmethod
    def parse(text: str) -> QualifiedName:
        """The value a spelling such as `boto3.client().put_object` stands for.

        The catalog and `pyproject.toml` write patterns this way; each spelling is parsed
        once per process.
        """
        return _parse(text)

    @staticmethod
    def of(node: cst.CSTNode | None) -> QualifiedName | None:
        """The path a Name/Attribute/Call/Subscript chain spells, as written; else None.

        `spark.read.format("csv").load` is `spark.read.format().load`: arguments and
        subscript keys are not part of the path, so rules match a method chain whatever
        its arguments.
        """
        parts: list[str] = []
        current = node
        while True:
            if isinstance(current, cst.Name):
                parts.append(current.value)
                break
            if isinstance(current, cst.Attribute):
                parts.append(current.attr.value)
                current = current.value
            elif isinstance(current, cst.Call):
                parts.append(CALL)
                current = current.func
            elif isinstance(current, cst.Subscript):
                parts.append(ITEM)
                current = current.value
            else:
                return None
        parts.reverse()
        return QualifiedName(tuple(parts))

    def member(self, name: str) -> QualifiedName:
        """`self.name`."""
        return QualifiedName((*self.parts, name))

    def called(self) -> QualifiedName:
        """What calling this gives: `SVC` -> `SVC()`."""
        return QualifiedName((*self.parts, CALL))

    def rebased(self, origin: QualifiedName) -> QualifiedName:
        """This path with its root name replaced by what the root stands for (`origin`).

        `model.fit` rebased on `sklearn.svm.SVC()` is `sklearn.svm.SVC().fit`.
        """
        return QualifiedName(origin.parts + self.parts[1:])

    # -- reading -----------------------------------------------------------------------
    @property
    def root(self) -> str:
        """The name the path starts at (`sklearn` for `sklearn.svm.SVC().fit`)."""
        return self.parts[0]

    @property
    def last(self) -> str:
        """The last name on the path, whatever is done to it after (`fit`; `SVC` for `SVC()`)."""
        for part in reversed(self.parts):
            if part not in _ACCESSES:
                return part
        raise AssertionError("unreachable: a path starts at a name")

    @property
    def names(self) -> tuple[str, ...]:
        """The names on the path, steps of calling and subscripting left out."""
        return tuple(part for part in self.parts if part not in _ACCESSES)

    @property
    def head(self) -> str | None:
        """The variable an attribute path starts at: `model` for `model` and
        `model.fc.weight()`; None for `models[0].fc` or `make()(x)`, where what the root
        gives when called or subscripted is another value."""
        parts = self.parts
        return None if len(parts) > 1 and parts[1] in _ACCESSES else parts[0]

    @property
    def is_name(self) -> bool:
        """True for a bare name (`model`), with no step after it."""
        return len(self.parts) == 1

    @property
    def is_call(self) -> bool:
        """True when the last step is a call: the path names what a call returned."""
        return self.parts[-1] == CALL

    @property
    def accessed(self) -> bool:
        """True when some step calls or subscripts: the path goes through a value made at
        run time, not only through modules and attributes."""
        return not _ACCESSES.isdisjoint(self.parts)

    @property
    def maker(self) -> QualifiedName | None:
        """What was called to make this value: `sklearn.svm.SVC` for `sklearn.svm.SVC()`;
        None when the path does not end in a call."""
        if not self.is_call or len(self.parts) < 2:
            return None
        return QualifiedName(self.parts[:-1])

    @property
    def owner(self) -> QualifiedName | None:
        """The path before its last attribute (`sklearn.svm.SVC()` for
        `sklearn.svm.SVC().fit`); None for a path with no attribute step."""
        for index in range(len(self.parts) - 1, 0, -1):
            if self.parts[index] not in _ACCESSES:
                return QualifiedName(self.parts[:index])
        return None

    def members(self) -> frozenset[tuple[str, ...]]:
        """The paths this one is a member of, itself included, as parts.

        `a.b().c` is a member of `a`, `a.b()` and itself, not of `a.b` (a call's result is
        not a member of what was called). Worked out once per value.
        """
        found = self._prefixes
        if found is None:
            parts = self.parts
            ends = [end for end in range(1, len(parts)) if parts[end] not in _ACCESSES]
            found = frozenset([*(parts[:end] for end in ends), parts])
            _set(self, "_prefixes", found)
        return found

    def is_any(self, *patterns: str | QualifiedName) -> bool:
        """True when this is one of `patterns` or a member under one (`boto3` covers
        `boto3.client().upload_file`). Patterns may be spelled (`"requests.Session()"`)."""
        return not self.members().isdisjoint(pattern_set(patterns))

    def begins_with(self, pattern: str | QualifiedName, *, partial_name: bool = False) -> bool:
        """True when the path starts with `pattern`'s steps, calls included (`a.B().train`
        begins with `a.B`, though it is not a member of it).

        With `partial_name`, the pattern's last name may be the start of a name: the
        catalog's "a function or its family" entries (`sklearn.datasets.make_` covers
        `make_blobs(...)`, `torch.rand` covers `torch.rand_like` and `torch.rand(3).to`).
        """
        lead = _parts(pattern)
        parts = self.parts
        if not partial_name or lead[-1] in _ACCESSES:
            return parts[: len(lead)] == lead
        end = len(lead) - 1
        return len(parts) > end and parts[:end] == lead[:end] and parts[end].startswith(lead[end])

    # -- value protocol ----------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, QualifiedName):
            return self.parts == other.parts
        if isinstance(other, str):
            # A spelling is not a value: comparing one is a bug that would silently be False.
            raise TypeError(f"compare {self} with QualifiedName.parse({other!r}), not a string")
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.parts)

    def __str__(self) -> str:
        """The spelling used in messages and patterns: `sklearn.svm.SVC().fit`."""
        text = [self.parts[0]]
        for part in self.parts[1:]:
            text.append(part if part in _ACCESSES else "." + part)
        return "".join(text)

    def __repr__(self) -> str:
        return f"QualifiedName.parse({str(self)!r})"

    def __reduce__(self) -> tuple[type[QualifiedName], tuple[tuple[str, ...]]]:
        return (QualifiedName, (self.parts,))


@lru_cache(maxsize=4096)
def pattern_set(patterns: tuple[str | QualifiedName, ...]) -> frozenset[tuple[str, ...]]:
    """The parts of each pattern, once per tuple of patterns: rules pass the same tables
    (a `[knowledge]` list, a module constant) for every call of every notebook, so a
    match is one set intersection instead of a parse per pattern."""
    return frozenset(_parts(pattern) for pattern in patterns)


def _parts(pattern: str | QualifiedName) -> tuple[str, ...]:
    return _parse(pattern).parts if isinstance(pattern, str) else pattern.parts


@lru_cache(maxsize=4096)
def _parse(text: str) -> QualifiedName:
    parts: list[str] = []
    for piece in text.split("."):
        name = piece
        accesses: list[str] = []
        while name.endswith((CALL, ITEM)):
            accesses.append(name[-2:])
            name = name[:-2]
        if not name.isidentifier():
            raise ValueError(f"not a qualified name: {text!r}")
        parts.append(name)
        parts.extend(reversed(accesses))
    return QualifiedName(tuple(parts))
