"""`cell-too-complex`: cells the analysis refused to parse, so no rule could look inside."""

from __future__ import annotations

from collections.abc import Iterable

from ..analysis import NotebookContext
from .base import Checker, Violation


class CellTooComplex(Checker):
    """Reports the cells `analysis.complexity` kept away from the parser.

    The finding exists so that silence is never mistaken for a clean cell: the other
    rules saw only this cell's text (secrets are still scanned for), not its code.
    """

    name = "cell-too-complex"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for analyzed in ctx.cells:
            problem = analyzed.analysis.too_complex
            if problem is not None:
                yield Violation(
                    analyzed,
                    f"cell is too complex to analyse ({problem.message}); it was not parsed, "
                    "so only its text was checked for secrets",
                    span=(problem.line, 1, problem.line, 1),
                )
