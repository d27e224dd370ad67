"""Static integer values: what a count (epochs, boosting rounds) evaluates to, as far as the
notebook says.

Training budgets are set in one cell and used in another: `EPOCHS = 100` in a settings cell,
`model.fit(X, y, epochs=EPOCHS)` five cells later, `num_boost_round=config["rounds"]`,
`epochs=2 * BASE`. `int_of` follows a name to the binding in force at the use (see
`context.py`), a subscript of a dict literal to its entry, and `+ - * //` over known parts.
Anything it cannot know (a function parameter, `args.epochs`, a value read from a file) is
None, so a rule that needs the number stays silent rather than guess.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from .names import dotted_name, string_value

if TYPE_CHECKING:
    from .context import NotebookContext, Point

_MAX_DEPTH = 8


def int_of(
    ctx: NotebookContext, node: cst.BaseExpression | None, at: Point | None, depth: int = 0
) -> int | None:
    """The integer `node` evaluates to at `at`, or None when the notebook does not say."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.Integer):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return None
    if isinstance(node, cst.Float):
        try:
            value = float(node.value.replace("_", ""))
        except ValueError:
            return None
        return int(value) if value.is_integer() and abs(value) < 1e12 else None
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = int_of(ctx, node.expression, at, depth + 1)
        return None if inner is None else -inner
    if isinstance(node, cst.BinaryOperation):
        return _binary(ctx, node, at, depth)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "int" and len(node.args) == 1:
        return int_of(ctx, node.args[0].value, at, depth + 1)
    if isinstance(node, cst.Name):
        found = ctx.binding_at(node.value, at)
        if found is None or found[1].parameter or found[1].unpacked is not None:
            return None
        from .context import Point

        analyzed, binding = found
        return int_of(ctx, binding.value, Point.of(analyzed, binding), depth + 1)
    if isinstance(node, cst.Subscript):
        return _entry(ctx, node, at, depth)
    return None


def _binary(
    ctx: NotebookContext, node: cst.BinaryOperation, at: Point | None, depth: int
) -> int | None:
    left = int_of(ctx, node.left, at, depth + 1)
    right = int_of(ctx, node.right, at, depth + 1)
    if left is None or right is None:
        return None
    operator = node.operator
    if isinstance(operator, cst.Add):
        return left + right
    if isinstance(operator, cst.Subtract):
        return left - right
    if isinstance(operator, cst.Multiply) and abs(left) < 1 << 31 and abs(right) < 1 << 31:
        return left * right
    if isinstance(operator, cst.FloorDivide) and right != 0:
        return left // right
    return None


def _entry(ctx: NotebookContext, node: cst.Subscript, at: Point | None, depth: int) -> int | None:
    """`config["epochs"]` where `config` is bound to a dict literal (or `dict(epochs=...)`)."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = string_value(node.slice[0].slice.value)
    if key is None:
        return None
    value = dict_entry(ctx, node.value, key, at)
    if value is None:
        return None
    return int_of(ctx, value[0], value[1], depth + 1)


def dict_entry(
    ctx: NotebookContext, node: cst.BaseExpression | None, key: str, at: Point | None
) -> tuple[cst.BaseExpression, Point | None] | None:
    """The value under `key` of the dict literal `node` is (or names), with where it stands.

    Looks through one name to its binding: `params = {"eta": 0.1, ...}` then
    `xgb.train(params, ...)`. A key set later (`params["rounds"] = 500`) is not seen.
    """
    where = at
    if isinstance(node, cst.Name):
        found = ctx.binding_at(node.value, at)
        if found is None or found[1].parameter or found[1].unpacked is not None:
            return None
        from .context import Point

        where = Point.of(found[0], found[1])
        node = found[1].value
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement) and string_value(element.key) == key:
                return element.value, where
        return None
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == key:
                return arg.value, where
    return None


def dict_keys(
    ctx: NotebookContext, node: cst.BaseExpression | None, at: Point | None
) -> frozenset[str] | None:
    """The string keys of the dict literal `node` is (or names); None when it is not one."""
    if isinstance(node, cst.Name):
        found = ctx.binding_at(node.value, at)
        if found is None or found[1].parameter or found[1].unpacked is not None:
            return None
        node = found[1].value
    if isinstance(node, cst.Dict):
        keys = set()
        for element in node.elements:
            if not isinstance(element, cst.DictElement):
                return None  # `{**base, ...}`: not all keys are known
            key = string_value(element.key)
            if key is not None:
                keys.add(key)
        return frozenset(keys)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "dict":
        if any(arg.keyword is None for arg in node.args):
            return None
        return frozenset(arg.keyword.value for arg in node.args if arg.keyword is not None)
    return None
