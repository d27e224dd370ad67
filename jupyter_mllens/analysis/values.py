"""Static string values: what a path or URL expression evaluates to, as far as the notebook says.

Notebooks build paths and URLs in steps: `BUCKET = "my-bucket"` in cell 2, then
`f"s3://{BUCKET}/{prefix}/train.csv"`, `os.path.join(DATA, "train.csv")`,
`Path(root) / "raw" / name`, `base_url + "main/data.csv"`, `"{}/{}".format(a, b)`,
`str(path)`. `text_of` follows these through the bindings in force (see `context.py`) and
returns a `Text`: the literal parts as written, and each part it cannot know shown as the
expression in braces (`{prefix}`), so a message names the resource the way the user wrote
it instead of as an opaque "object".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from .names import string_value
from .qualified import QualifiedName

if TYPE_CHECKING:
    from .context import NotebookContext, Point

_MAX_DEPTH = 8
_JOINERS = ("os.path.join", "posixpath.join", "ntpath.join")
_PATH_TYPES = (
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "pathlib.PurePosixPath",
    "upath.UPath",
    "cloudpathlib.CloudPath",
    "cloudpathlib.S3Path",
    "cloudpathlib.GSPath",
)
_JOINER_NAMES = frozenset(QualifiedName.parse(name) for name in _JOINERS)
_PATH_TYPE_VALUES = frozenset(QualifiedName.parse(name) for name in _PATH_TYPES)
_PATH_TYPE_NAMES = tuple(name.names for name in _PATH_TYPE_VALUES)
_FORMAT_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass(frozen=True)
class Text:
    """A string value: `exact` when every part is known; unknown parts read `{expression}`.

    `origins` holds what the unknown parts resolve to (`sagemaker.Session().default_bucket()`
    for a `{bucket}`), so a rule can tell the notebook's own storage from someone else's.
    """

    value: str
    exact: bool
    origins: frozenset[QualifiedName] = frozenset()

    @property
    def literal_chars(self) -> int:
        """How much of the value is known text (placeholders, `/` and spaces not counted)."""
        if self.exact:
            return len(self.value)
        return len(re.sub(r"\{[^{}]*\}|[/\s]", "", self.value))

    def __add__(self, other: Text) -> Text:
        return Text(
            self.value + other.value, self.exact and other.exact, self.origins | other.origins
        )


def _unknown(ctx: NotebookContext, node: cst.CSTNode, at: Point | None) -> Text:
    name = QualifiedName.of(node)
    if name is None:
        return Text("{...}", False)
    origin = ctx.resolve(name, at) or name
    return Text("{" + str(name) + "}", False, frozenset({origin}))


def text_of(
    ctx: NotebookContext, node: cst.BaseExpression | None, at: Point | None, depth: int = 0
) -> Text | None:
    """The value of `node` at `at`, or None when nothing about it is known."""
    if node is None:
        return None
    found = _evaluate(ctx, node, at, depth)
    if found is None or (not found.exact and found.literal_chars == 0):
        return None
    return found


def _evaluate(
    ctx: NotebookContext, node: cst.BaseExpression, at: Point | None, depth: int
) -> Text | None:
    if depth > _MAX_DEPTH:
        return None
    literal = string_value(node)
    if literal is not None:
        return Text(literal, True)
    if isinstance(node, (cst.Integer, cst.Float)):
        return Text(node.value, True)
    if isinstance(node, cst.Name):
        return _name(ctx, node, at, depth)
    if isinstance(node, cst.FormattedString):
        return _fstring(ctx, node, at, depth)
    if isinstance(node, cst.BinaryOperation):
        return _binary(ctx, node, at, depth)
    if isinstance(node, cst.Call):
        return _call(ctx, node, at, depth)
    return None


def _part(ctx: NotebookContext, node: cst.BaseExpression, at: Point | None, depth: int) -> Text:
    """A part of a larger value: its value, or a placeholder naming it."""
    return _evaluate(ctx, node, at, depth + 1) or _unknown(ctx, node, at)


def _name(ctx: NotebookContext, node: cst.Name, at: Point | None, depth: int) -> Text | None:
    from .context import Point

    found = ctx.binding_at(node.value, at)
    if found is None or found[1].parameter or found[1].unpacked is not None:
        return None
    analyzed, binding = found
    return _evaluate(ctx, binding.value, Point.of(analyzed, binding), depth + 1)


def _fstring(ctx: NotebookContext, node: cst.FormattedString, at: Point | None, depth: int) -> Text:
    result = Text("", True)
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            result = result + Text(part.value, True)
        elif isinstance(part, cst.FormattedStringExpression):
            if part.conversion is None and part.format_spec is None:
                result = result + _part(ctx, part.expression, at, depth)
            else:
                result = result + _unknown(ctx, part.expression, at)
    return result


def _binary(
    ctx: NotebookContext, node: cst.BinaryOperation, at: Point | None, depth: int
) -> Text | None:
    if isinstance(node.operator, cst.Add):
        left = _evaluate(ctx, node.left, at, depth + 1)
        right = _evaluate(ctx, node.right, at, depth + 1)
        if left is None and right is None:
            return None
        return (left or _unknown(ctx, node.left, at)) + (right or _unknown(ctx, node.right, at))
    if isinstance(node.operator, cst.Divide):  # pathlib: Path(root) / "raw" / name
        left = _evaluate(ctx, node.left, at, depth + 1)
        right = _evaluate(ctx, node.right, at, depth + 1)
        if right is None or (left is None and not right.exact):
            return None
        if left is None and not _is_path(ctx, node.left, at):
            return None
        return _join([left or _unknown(ctx, node.left, at), right])
    return None


def _is_path(ctx: NotebookContext, node: cst.BaseExpression, at: Point | None) -> bool:
    """Whether `node` is a pathlib-style path (so `/` joins rather than divides)."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        return _is_path(ctx, node.left, at)
    resolved = ctx.resolve(QualifiedName.of(node), at)
    if resolved is None:
        return False
    names = resolved.names
    return any(names[: len(path)] == path for path in _PATH_TYPE_NAMES) or (
        resolved.is_call and resolved.last == "Path" and not resolved.is_name
    )


def _call(ctx: NotebookContext, node: cst.Call, at: Point | None, depth: int) -> Text | None:
    func = QualifiedName.of(node.func)
    qualified = ctx.resolve(func, at)
    positional = [arg.value for arg in node.args if arg.keyword is None and arg.star == ""]
    joinpath = qualified is not None and qualified.parts[-1] == "joinpath" and not qualified.is_name
    if qualified in _JOINER_NAMES or qualified in _PATH_TYPE_VALUES or joinpath:
        parts = [_part(ctx, value, at, depth) for value in positional]
        if joinpath and isinstance(node.func, cst.Attribute):
            parts.insert(0, _part(ctx, node.func.value, at, depth))
        return _join(parts) if parts else None
    if qualified is not None and qualified.parts == ("str",) and len(positional) == 1:
        return _evaluate(ctx, positional[0], at, depth + 1)
    if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
        template = _evaluate(ctx, node.func.value, at, depth + 1)
        if template is not None and template.exact:
            return _format(ctx, template.value, node, at, depth)
    return None


def _join(parts: list[Text]) -> Text:
    """`os.path.join` semantics on POSIX: an absolute part starts the path afresh."""
    result: Text | None = None
    for part in parts:
        if result is None or part.value.startswith("/") or "://" in part.value:
            result = part
        elif result.value.endswith("/") or not result.value:
            result = result + part
        else:
            result = result + Text("/", True) + part
    return result if result is not None else Text("", True)


def _format(
    ctx: NotebookContext, template: str, call: cst.Call, at: Point | None, depth: int
) -> Text:
    positional = [arg.value for arg in call.args if arg.keyword is None and arg.star == ""]
    keywords = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    result = Text("", True)
    position = 0
    auto = 0
    for field in _FORMAT_FIELD.finditer(template):
        result = result + Text(template[position : field.start()], True)
        position = field.end()
        token = field.group()
        if token in ("{{", "}}"):
            result = result + Text(token[0], True)
            continue
        name = (field.group(1) or "").split("!", 1)[0].split(":", 1)[0]
        value: cst.BaseExpression | None = None
        if name == "":
            value = positional[auto] if auto < len(positional) else None
            auto += 1
        elif name.isdigit():
            index = int(name)
            value = positional[index] if index < len(positional) else None
        else:
            value = keywords.get(name)
        if value is None or field.group(1) != name:
            result = result + Text("{" + name + "}", False)
        else:
            result = result + _part(ctx, value, at, depth)
    return result + Text(template[position:], True)
