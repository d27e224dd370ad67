"""The linted document: a notebook or a script, reduced to what the rules need.

Both faces of the input (an `.ipynb` notebook and a `.py` script, plain or jupytext
"percent" format) become one `Document` holding code `Cell`s. Rules never see the file
format, so a `.py` handed over by `nbqa` and the notebook it came from are linted alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .notebook_content import EMPTY, NotebookContent


class DocumentKind(str, Enum):
    NOTEBOOK = "notebook"
    SCRIPT = "script"


@dataclass(frozen=True)
class Cell:
    """One code cell.

    `index` is the position in the notebook's `cells` array (markdown cells included), so
    it is what a user counts and what the JupyterLab panel jumps to. For a script it is
    `None` and `line_offset` says how many file lines precede the cell, so findings can be
    reported in file coordinates (the form `nbqa` maps back to notebook cells).
    """

    source: str
    index: int | None = None
    cell_id: str | None = None
    line_offset: int = 0
    ordinal: int = 0


@dataclass(frozen=True)
class Document:
    """A notebook or script ready for analysis."""

    path: str
    kind: DocumentKind
    cells: tuple[Cell, ...]
    language: str | None = "python"
    ignored_rules: frozenset[str] = field(default_factory=frozenset)
    #: Outputs, execution counts, markdown and raw cells, metadata (notebooks only).
    content: NotebookContent = EMPTY

    @property
    def is_python(self) -> bool:
        """Notebooks of another kernel language (R, Julia, Scala) are not linted."""
        return self.language is None or self.language.lower() in _PYTHON_LANGUAGES


_PYTHON_LANGUAGES = frozenset({"python", "python3", "python2", "ipython", "ipython3", "pyspark"})
