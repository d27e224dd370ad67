"""Small, total helpers that read names and literals out of libcst expressions."""

from __future__ import annotations

import libcst as cst

from .qualified import QualifiedName


def dotted_name(node: cst.CSTNode | None) -> str | None:
    """The spelling of a Name/Attribute/Call/Subscript chain (`spark.read.format().load`), as
    a label: rules that reason about what a name *is* use `QualifiedName.of` instead."""
    name = QualifiedName.of(node)
    return None if name is None else str(name)


def string_value(node: cst.CSTNode | None, holes: bool = False) -> str | None:
    """The value of a string literal (implicit concatenation included).

    With `holes`, f-strings count too, each `{expression}` reading as `{}`, so text around
    the holes can still be checked (a password in `f"postgresql://u:pw@{host}/db"`).
    """
    if isinstance(node, cst.SimpleString):
        raw = node.value
        quote = raw[-1]
        if raw[0] == quote and "\\" not in raw:
            # No prefix, no escapes (most literals): slicing is exact and far cheaper than
            # libcst's `evaluated_value`, which compiles every string.
            width = 3 if raw.startswith(quote * 3) and len(raw) >= 6 else 1
            return raw[width:-width]
        try:
            value = node.evaluated_value
        except Exception:  # malformed escapes: treat as not a literal
            return None
        return value.decode("latin-1") if isinstance(value, bytes) else value
    if isinstance(node, cst.ConcatenatedString):
        left = string_value(node.left, holes)
        right = string_value(node.right, holes)
        return None if left is None or right is None else left + right
    if holes and isinstance(node, cst.FormattedString):
        pieces: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
            else:
                pieces.append("{}")
        return "".join(pieces)
    return None
