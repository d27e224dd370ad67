"""The checker for declarative rules: runs a catalog entry's `[[detect]]` tables.

One instance per rule that has specs (the engine makes them from the catalog); it is not a
class of its own per rule, since such a rule is all data. See `jupyter_mllens/specs.py` for
the spec kinds.
"""

from __future__ import annotations

import itertools
import shlex
from collections.abc import Iterable, Sequence
from functools import lru_cache

import libcst as cst

from ..analysis import NotebookContext, Point
from ..analysis.context import ResolvedCall
from ..analysis.names import string_value
from ..analysis.shell import shell_commands
from ..specs import CallSpec, Literal, ShellSpec, Spec
from .base import Checker, Violation

_UNKNOWN = object()


class SpecChecker(Checker):
    def __init__(self, rule_name: str, specs: tuple[Spec, ...]) -> None:
        self.rule_name = rule_name
        self.specs = specs

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for spec in self.specs:
            if isinstance(spec, CallSpec):
                yield from _calls(ctx, spec)
            else:
                yield from _shell(ctx, spec)


def _calls(ctx: NotebookContext, spec: CallSpec) -> Iterable[Violation]:
    for call in ctx.calls_to(*spec.calls):
        site = call.site
        if any(arg.star == "**" for arg in site.node.args):
            continue  # keywords passed as **kwargs: what they hold is not known
        details = {"callee": site.func or call.qualified or "call", "keyword": "", "value": ""}
        if spec.without:
            if any(keyword in site.kwargs for keyword in spec.without):
                continue
        elif spec.keyword is not None:
            value = _keyword_literal(ctx, call, spec.keyword)
            if value is _UNKNOWN or value not in spec.values:
                continue
            details["keyword"] = spec.keyword
            details["value"] = repr(value) if isinstance(value, str) else str(value)
        yield Violation(call.cell, spec.message.format(**details), node=site.node)


def _keyword_literal(ctx: NotebookContext, call: ResolvedCall, keyword: str) -> object:
    """The literal a (dotted: `ExtraArgs.ACL`) keyword is given, or `_UNKNOWN`."""
    first, _, rest = keyword.partition(".")
    arg = call.site.kwargs.get(first)
    if arg is None:
        return _UNKNOWN
    node: cst.BaseExpression = arg.value
    for key in rest.split(".") if rest else ():
        if not isinstance(node, cst.Dict):
            return _UNKNOWN
        found = next(
            (
                element.value
                for element in node.elements
                if isinstance(element, cst.DictElement) and string_value(element.key) == key
            ),
            None,
        )
        if found is None:
            return _UNKNOWN
        node = found
    return _literal(ctx, node, call.point)


def _literal(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> object:
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        value: Literal = {"True": True, "False": False, "None": None}[node.value]
        return value
    if isinstance(node, cst.Integer):
        return int(node.value.replace("_", ""), 0)
    text = ctx.string_of(node, at)
    return text if text is not None else _UNKNOWN


def _shell(ctx: NotebookContext, spec: ShellSpec) -> Iterable[Violation]:
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for offset, command in shell_commands(shell):
                words = _words(command)
                if not words or words[0] != spec.program:
                    continue
                flag = _flag(words[1:], spec.flags)
                if flag is None:
                    continue
                start = shell.text.find(command, offset)
                line, column = shell.position(max(start, 0))
                yield Violation(
                    analyzed,
                    spec.message.format(callee=spec.program, flag=flag, keyword="", value=""),
                    span=(line, column, line, column + len(command)),
                )


@lru_cache(maxsize=4096)
def _words(command: str) -> tuple[str, ...]:
    """A command's words as the shell reads them (quotes removed); memoized, as every lint
    of a notebook (each cell the guard checks) reads the same commands again."""
    try:
        return tuple(shlex.split(command, comments=False))
    except ValueError:
        return tuple(command.split())


def _flag(words: Sequence[str], flags: tuple[str, ...]) -> str | None:
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(words)]
    for flag in flags:
        if " " in flag:
            name, value = flag.split(" ", 1)
            if flag in pairs or f"{name}={value}" in words:
                return flag
        elif flag in words:
            return flag
    return None
