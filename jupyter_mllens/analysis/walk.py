"""A read-only, pre-order walk over a libcst tree, several times faster than `Module.visit`.

libcst's visitor protocol rebuilds every node on the way back up (it is built for
transformers); for a pure reader that reconstruction is most of the cost of analysing a
cell. This walk reads a node's child fields directly, skips whitespace and punctuation
fields no rule reads, and calls the same `visit_<Node>` methods a `CSTVisitor` would, in the
same order. Nothing in the analysis needs `leave_<Node>`, so the walk has none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import libcst as cst

_SKIPPED_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "comma",
        "semicolon",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "newline",
        "trailing_whitespace",
        "equal",
        "colon",
        "dot",
        "star",
        "operator",
        "default_indent",
        "default_newline",
        "encoding",
        "asynchronous",
        "prefix",
        "value_raw",
        "quote",
        "start",
        "end",
        "indent",
    }
)
_node_types: set[type] = set()
_other_types: set[type] = set()


def _is_node(kind: type) -> bool:
    """Remember per type whether it is a CSTNode (sentinels, enums and str are not)."""
    if issubclass(kind, cst.CSTNode):
        _node_types.add(kind)
        return True
    _other_types.add(kind)
    return False


_fields: dict[type, tuple[str, ...]] = {}
_visits: dict[tuple[type, type], Callable[..., Any] | None] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _fields.get(cls)
    if names is None:
        names = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if f.name not in _SKIPPED_FIELDS and "whitespace" not in f.name
        )
        _fields[cls] = names
    return names


def walk(root: cst.CSTNode, visitor: object) -> None:
    """Call `visitor.visit_X(node)` for each node, parents before children, in source order.

    As with `CSTVisitor`, a `visit_X` returning False skips the node's children.
    """
    stack: list[cst.CSTNode] = [root]
    pop = stack.pop
    visitor_type = type(visitor)
    while stack:
        node = pop()
        cls = type(node)
        key = (visitor_type, cls)
        if key in _visits:
            visit = _visits[key]
        else:
            visit = _visits[key] = getattr(visitor_type, f"visit_{cls.__name__}", None)
        if visit is not None and visit(visitor, node) is False:
            continue
        children: list[cst.CSTNode] = []
        for name in _child_fields(cls):
            value = getattr(node, name)
            kind = type(value)
            if kind is tuple or kind is list:
                children.extend(value)
            elif kind in _node_types or (kind not in _other_types and _is_node(kind)):
                children.append(value)
        children.reverse()
        stack.extend(children)
