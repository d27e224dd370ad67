"""`non-python-notebook`: one notice for a notebook written in another language.

R, Julia, Scala or SQL notebooks often carry Python kernel metadata (copied templates,
converted files, no metadata at all). Every cell then fails to parse, and a finding per
cell buries the one fact that matters: the linter cannot read this notebook. So when most
code cells fail and the failures read like one other language, the notebook gets a single
`info` notice and no other finding; the engine asks `foreign_language` before the rules
run. A notebook whose metadata names another language is skipped before this point.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analysis import AnalyzedCell, NotebookContext
from .base import Checker, Violation

NON_PYTHON = "non-python-notebook"

#: Marks of each language that Python code does not show (checked on failing cells only).
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "R",
        re.compile(
            r"^\s*[\w.$\[\]\"']+\s*<<?-\s*\S|\b(?:library|require|install\.packages)\(|"
            r"\bfunction\s*\([^)]*\)\s*\{|%>%|%in%|\bggplot\(|\w\$\w",
            re.MULTILINE,
        ),
    ),
    (
        "Julia",
        re.compile(
            r"^\s*using\s+[A-Z]\w*|^\s*end\s*$|^\s*function\s+\w+\(.*\)\s*$|\bprintln\(",
            re.MULTILINE,
        ),
    ),
    (
        "Scala",
        re.compile(
            r"^\s*(?:val|var)\s+\w+\s*(?::\s*[\w\[\]]+\s*)?=|^\s*import\s+[\w.]+\._|"
            r"^\s*def\s+\w+\(.*\)\s*:\s*[\w\[\]]+\s*=|^\s*(?:case\s+)?(?:class|object)\s+\w+.*\{\s*$",
            re.MULTILINE,
        ),
    ),
    (
        "SQL",
        re.compile(
            r"^\s*(?:select\s[\s\S]+?\sfrom\s|create\s+(?:or\s+replace\s+)?(?:table|view)\s|"
            r"insert\s+into\s|with\s+\w+\s+as\s*\()",
            re.IGNORECASE,
        ),
    ),
    (
        "JavaScript",
        re.compile(
            r"^\s*(?:const|let)\s+\w+\s*=|\bconsole\.log\(|=>\s*\{|\bfunction\s+\w+\s*\([^)]*\)\s*\{",
            re.MULTILINE,
        ),
    ),
)


@dataclass(frozen=True)
class ForeignCode:
    """A notebook judged to be in another language, with the counts behind the verdict."""

    language: str
    alike: int  # code cells that read like `language`
    failing: int  # code cells that do not parse as Python
    code: int  # code cells with any content


def foreign_language(cells: Sequence[AnalyzedCell]) -> ForeignCode | None:
    """The verdict when the notebook's code is not Python, else None.

    Much R or Julia parses as Python by accident (`df <- f(x)` is a comparison), so the
    test is not "most cells fail": some cell must fail, a majority of code cells must
    read like one other language, and so must at least half of the failing cells. A
    Python notebook with broken cells, or a Python 2 one, keeps its `syntax-error`s.
    """
    if all(c.analysis.syntax_error is None for c in cells):
        return None  # every Python notebook that parses: no work beyond this check
    code = [c for c in cells if c.analysis.python is not None and c.cell.source.strip()]
    failing = sum(1 for c in code if c.analysis.syntax_error is not None)
    looks: Counter[str] = Counter()
    looks_failing: Counter[str] = Counter()
    for analyzed in code:
        language = _looks_like(analyzed.cell.source)
        if language is not None:
            looks[language] += 1
            if analyzed.analysis.syntax_error is not None:
                looks_failing[language] += 1
    if not looks:
        return None
    language, count = looks.most_common(1)[0]
    if 2 * count <= len(code) or 2 * looks_failing[language] < failing:
        return None
    return ForeignCode(language, count, failing, len(code))


def _looks_like(source: str) -> str | None:
    """The language whose marks the cell shows most, if any."""
    best, name = max((len(p.findall(source)), name) for name, p in _MARKERS)
    return name if best else None


class NonPythonNotebook(Checker):
    name = NON_PYTHON

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        found = foreign_language(ctx.cells)
        if found is None:
            return
        first = next(c for c in ctx.cells if c.analysis.syntax_error is not None)
        yield Violation(
            first,
            f"this notebook's code does not look like Python: {found.alike} of {found.code}"
            f" code cells read like {found.language} and {found.failing}"
            f" {'does' if found.failing == 1 else 'do'} not parse; it"
            f" was not analysed. Set the notebook's kernel to {found.language} to skip it"
            " silently",
            span=(1, 1, 1, 1),
        )
