"""What a rule's detection code is: a small class named after its catalog entry.

Detection is the only thing a checker holds. Its code, severity, pillar, phase, lens
references, explanation and examples live in `rules/<code>-<name>.toml`, joined to the
checker by `name`, so nothing about a rule is said twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..findings import Part, Severity


@dataclass(frozen=True)
class Violation:
    """A checker's raw result: where (a node, or an explicit 1-based span) and what.

    `severity`, when set, replaces the rule's for this finding (a Hub dataset without a
    revision is `low` where other unpinned data is `medium`); configuration still wins.
    """

    cell: AnalyzedCell
    message: str
    node: cst.CSTNode | None = None
    span: tuple[int, int, int, int] | None = None
    severity: Severity | None = None
    #: True when the finding is about something the notebook has not done *yet* (a model
    #: never evaluated): a later cell can settle it. The cell guard, which looks at a cell
    #: before the rest of the notebook exists, reports only findings that are not.
    provisional: bool = False


@dataclass(frozen=True)
class ContentViolation:
    """A result outside the analysed source of a code cell: in a markdown or raw cell, in
    a saved output (`part` output, `output` its index) or in metadata (`cell_index` None
    for the notebook's). `span` is 1-based line and column within that text.
    """

    cell_index: int | None
    cell_id: str | None
    message: str
    span: tuple[int, int, int, int] = (1, 1, 1, 1)
    part: Part = Part.SOURCE
    output: int | None = None
    severity: Severity | None = None
    provisional: bool = False


class Checker:
    """Base class for rule detection. Subclasses set `name` and implement `check`.

    `options` lists the keys a team may set in `[tool.mllens.rules.<name>]`, each with a
    one-line description for the docs and `mllens explain`. Every option extends the
    `[knowledge]` key of the same name in the rule's TOML; the checker reads the merged
    entries with `ctx.knowledge(name)`.

    `reference` is Markdown the docs add about what the checker's code knows (a table of the
    token formats it recognises), generated from the code so the docs cannot drift from it.
    """

    name: ClassVar[str]
    options: ClassVar[Mapping[str, str]] = {}
    reference: ClassVar[tuple[str, ...]] = ()

    def check(self, ctx: NotebookContext) -> Iterable[Violation | ContentViolation]:
        raise NotImplementedError
