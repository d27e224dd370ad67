"""Declarative fix actions: each turns the node a finding points at into an edit.

An action gets the parsed cell (`Site`) and the rule's `FixSpec`, and returns the edits of
one fix, or `None` when the code is not the shape the action rewrites (then the finding
simply has no fix). New actions are added to `ACTIONS`; a rule uses one by naming it in
its `[autofix]` table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import CodeRange, ParentNodeProvider, PositionProvider

from ..analysis.names import dotted_name
from .spec import FixSpec


@dataclass(frozen=True)
class TextEdit:
    """An edit of one cell before it is given the cell's index and id."""

    cell: int  # position of the cell in `Site.cells`
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True)
class Site:
    """Where a finding points, in a cell libcst parsed exactly as the user wrote it."""

    cells: Sequence[str]  # every code cell's source, in order
    cell: int
    module: cst.Module
    wrapper: cst.MetadataWrapper
    line: int  # 1-based
    column: int  # 1-based

    def range_of(self, node: cst.CSTNode) -> CodeRange:
        return self.wrapper.resolve(PositionProvider)[node]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.wrapper.resolve(ParentNodeProvider).get(node)

    def nodes_at(self, kind: type[cst.CSTNode]) -> list[cst.CSTNode]:
        """Nodes of `kind` whose range holds the finding's start, innermost first."""
        point = (self.line, self.column - 1)
        found: list[tuple[int, cst.CSTNode]] = []
        for node, code_range in self.wrapper.resolve(PositionProvider).items():
            if not isinstance(node, kind):
                continue
            start = (code_range.start.line, code_range.start.column)
            end = (code_range.end.line, code_range.end.column)
            if start <= point < end:
                found.append((_size(code_range), node))
        return [node for _, node in sorted(found, key=lambda item: item[0])]

    def replace(self, node: cst.CSTNode, new: cst.CSTNode) -> TextEdit:
        code_range = self.range_of(node)
        return TextEdit(
            self.cell,
            code_range.start.line,
            code_range.start.column + 1,
            code_range.end.line,
            code_range.end.column + 1,
            self.module.code_for_node(new),
        )


def _size(code_range: CodeRange) -> int:
    lines = code_range.end.line - code_range.start.line
    return lines * 100_000 + code_range.end.column - code_range.start.column


Action = Callable[[Site, FixSpec], "list[TextEdit] | None"]


def _keyword_call(site: Site, keyword: str, present: bool) -> cst.Call | None:
    for node in site.nodes_at(cst.Call):
        assert isinstance(node, cst.Call)
        has = any(arg.keyword is not None and arg.keyword.value == keyword for arg in node.args)
        if has == present:
            return node
    return None


def drop_keyword(site: Site, spec: FixSpec) -> list[TextEdit] | None:
    """`f(a, verify=False)` becomes `f(a)`; the call's other arguments keep their layout."""
    assert spec.keyword is not None
    call = _keyword_call(site, spec.keyword, present=True)
    if call is None:
        return None
    return [site.replace(call, _without(call, spec.keyword))]


def _without(call: cst.Call, keyword: str) -> cst.Call:
    """The call without its `keyword=` argument, the others keeping their layout."""
    args = [a for a in call.args if a.keyword is None or a.keyword.value != keyword]
    if args and call.args[-1] not in args:
        # the dropped argument was last: the new last one keeps the dropped one's comma
        args[-1] = args[-1].with_changes(comma=call.args[-1].comma)
    return call.with_changes(args=args)


def add_keyword(site: Site, spec: FixSpec) -> list[TextEdit] | None:
    """`torch.load(f)` becomes `torch.load(f, weights_only=True)`."""
    assert spec.keyword is not None
    assert spec.value is not None
    call = _keyword_call(site, spec.keyword, present=False)
    if call is None or any(arg.star for arg in call.args):
        return None
    new = cst.Arg(
        value=cst.parse_expression(spec.value),
        keyword=cst.Name(spec.keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    args = list(call.args)
    if args:
        last = args[-1]
        trailing = last.comma
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        new = new.with_changes(comma=trailing)
    return [site.replace(call, call.with_changes(args=[*args, new]))]


def replace_callee(site: Site, spec: FixSpec) -> list[TextEdit] | None:
    """`yaml.load(f)` becomes `yaml.safe_load(f)`: the callee changes, the arguments stay,
    but for `spec.keyword` (`Loader=`), which the new callee does not take. With
    `spec.matches`, only a callee written that way is replaced (`yaml.load`, not
    `pickle.load`, when one rule reports both)."""
    assert spec.callee is not None
    calls = site.nodes_at(cst.Call)
    if not calls:
        return None
    call = calls[0]
    assert isinstance(call, cst.Call)
    written = dotted_name(call.func)
    if spec.matches is not None and not (written and re.fullmatch(spec.matches, written)):
        return None
    callee = cst.parse_expression(spec.callee)
    if spec.keyword is None:
        return [site.replace(call.func, callee)]
    if sum(arg.keyword is None for arg in call.args) > 1:
        return None  # `yaml.load(f, yaml.Loader)`: the dropped argument may be positional
    return [site.replace(call, _without(call, spec.keyword).with_changes(func=callee))]


def replace_literal(site: Site, spec: FixSpec) -> list[TextEdit] | None:
    """The string literal at the finding becomes `spec.value` (`{name}` is the upper-cased
    name it is bound to, e.g. `aws_secret_access_key=` -> `AWS_SECRET_ACCESS_KEY`), and
    `import <module>` is added to the first import cell when no cell imports it yet."""
    assert spec.value is not None
    strings = [
        node
        for node in site.nodes_at(cst.SimpleString)
        if site.range_of(node).start.line == site.line
        and site.range_of(node).start.column == site.column - 1
    ]
    if not strings:
        return None
    literal = strings[0]
    assert isinstance(literal, cst.SimpleString)
    value = literal.evaluated_value
    if spec.matches is not None and not (
        isinstance(value, str) and re.fullmatch(spec.matches, value)
    ):
        return None
    name = _bound_name(site, literal)
    if name is None and "{name}" in spec.value:
        return None
    expression = spec.value.replace("{name}", (name or "").upper())
    edits = [site.replace(literal, cst.parse_expression(expression))]
    module = expression.split(".", 1)[0]
    if module.isidentifier() and not _imports(site.cells, module):
        edits.append(_add_import(site, module))
    return edits


def _bound_name(site: Site, literal: cst.CSTNode) -> str | None:
    parent = site.parent(literal)
    if isinstance(parent, cst.Arg) and parent.keyword is not None:
        return parent.keyword.value
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name):
            return target.value
    if isinstance(parent, cst.DictElement) and isinstance(parent.key, cst.SimpleString):
        key = parent.key.evaluated_value
        if isinstance(key, str) and key.isidentifier():
            return key
    return None


def _imports(cells: Sequence[str], module: str) -> bool:
    pattern = re.compile(rf"^\s*(import\s+([\w.]+\s*,\s*)*{module}\b|from\s+{module}\b)", re.M)
    return any(pattern.search(cell) for cell in cells)


_IMPORT = re.compile(r"^(import|from)\s", re.M)


def _add_import(site: Site, module: str) -> TextEdit:
    """`import <module>` above the first top-level import of the first cell that has one
    (the finding's own cell when none has), so the fix's cells change together."""
    for index, cell in enumerate(site.cells):
        match = _IMPORT.search(cell)
        if match is not None and index <= site.cell:
            line = cell.count("\n", 0, match.start()) + 1
            return TextEdit(index, line, 1, line, 1, f"import {module}\n")
    return TextEdit(site.cell, 1, 1, 1, 1, f"import {module}\n")


ACTIONS: dict[str, Action] = {
    "drop-keyword": drop_keyword,
    "add-keyword": add_keyword,
    "replace-callee": replace_callee,
    "replace-literal": replace_literal,
}
