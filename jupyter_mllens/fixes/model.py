"""The fix model: what a fix changes, in cell coordinates, and how safe it is to apply.

A fix is data, not code, so every face can carry it unchanged: the CLI applies it, the
server returns it for the sidebar to apply as one undoable edit, SARIF lists it under
`fixes`. Positions follow `findings.Location`: 1-based lines and columns within a cell,
the end exclusive. A fix touching several cells (adding `import os` to the first import
cell) holds all its edits and is applied whole or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any


class Applicability(str, Enum):
    """Ruff's fix safety: `safe` keeps behaviour, `unsafe` changes it, `display-only` needs a
    value only the user knows and is shown as a template, never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the text from (`line`, `column`) up to (`end_line`, `end_column`) of one cell."""

    cell_index: int | None
    cell_id: str | None
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def to_json(self) -> dict[str, Any]:
        return {
            "cell_index": self.cell_index,
            "cell_id": self.cell_id,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Edit:
        return cls(
            cell_index=data["cell_index"],
            cell_id=data["cell_id"],
            line=int(data["line"]),
            column=int(data["column"]),
            end_line=int(data["end_line"]),
            end_column=int(data["end_column"]),
            replacement=str(data["replacement"]),
        )


@dataclass(frozen=True)
class Fix:
    """One finding's fix: a title, its applicability, and its edits (atomic) or a template."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...] = ()
    #: For display-only fixes: the code the user completes by hand.
    template: str | None = None

    @property
    def applicable(self) -> bool:
        return self.applicability is not Applicability.DISPLAY_ONLY and bool(self.edits)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "applicability": self.applicability.value,
            "edits": [edit.to_json() for edit in self.edits],
            "template": self.template,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fix:
        try:
            template = data.get("template")
            return cls(
                title=str(data["title"]),
                applicability=Applicability(data["applicability"]),
                edits=tuple(Edit.from_json(edit) for edit in data["edits"]),
                template=None if template is None else str(template),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a fix: {type(exc).__name__} {exc}") from None
