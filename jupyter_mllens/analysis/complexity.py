"""A cheap pre-parse guard: refuse cells whose expressions nest deeper than is safe to parse.

libcst's native parser recurses once per level of an expression tree. Deep trees crash it
(a stack overflow takes the whole process down at ~1,200 nested brackets), make it slow
(parse time grows faster than quadratically with depth: a 4,000-term `1+1+...` takes
seconds, a 20,000-term one minutes), and overflow Python's recursion limit later, when
positions are resolved (nested subscripts fail past ~90 levels). Real notebook code stays
far from all of this, so a cell that comes close is reported as too complex to analyse
instead of being parsed, and the rest of the notebook is analysed as usual.

The guard scans tokens with one regular expression, never parses, and bounds two things:

* **bracket depth**: how many `(`, `[` and `{` are open at once;
* **expression depth**: an estimate of the expression tree's depth. Every operator, `.`,
  keyword operator (`not`, `and`, `lambda`, `if` ...) and opening bracket adds a level to
  the innermost open bracket; a comma starts a sibling (list items do not nest), and a
  statement boundary starts afresh. The estimate is the sum over the open brackets, which
  bounds the depth of left-nested chains (`a+a+a`, `f()()()`, `a.b.c`) and of nesting.

Strings and comments are skipped; the `{...}` holes of f-strings are scanned, since
libcst parses them as expressions too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Open brackets at once. CPython itself refuses 200; real code rarely passes 15.
MAX_BRACKET_DEPTH = 50
#: Estimated expression-tree depth. Parsing stays under ~20 ms and every later tree walk
#: within Python's default recursion limit below this.
MAX_EXPRESSION_DEPTH = 200
#: Lines in one cell. Parse time is linear in size, but a cell this long is a data dump,
#: and parsing it would hold up a live lint for seconds (real cells stay under 1,500).
MAX_CELL_LINES = 5_000
#: An opening bracket costs more than an operator: a subscript or call argument is several
#: tree levels (`Subscript` → `SubscriptElement` → `Index`).
_BRACKET_WEIGHT = 2

_STRING_BODY = (
    r"(?:'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    r'|"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    r"|'(?:[^'\\\n]|\\.)*(?:'|$)"
    r'|"(?:[^"\\\n]|\\.)*(?:"|$))'
)
#: Only the tokens that matter; identifiers and whitespace are skipped by the regex engine
#: itself. Comparisons (`<`, `in`, `is`) are left out: libcst keeps a chain of them flat.
_TOKENS = re.compile(
    r"(?P<op>\*\*|//|<<|>>|[-+*/%@&|^~.])"
    r"|(?P<open>[(\[{])"
    r"|(?P<close>[)\]}])"
    r"|(?P<comma>,)"
    r"|(?P<end>[\n;])"
    r"|(?P<keyword>\b(?:not|and|or|if|lambda|await)\b)"
    r"|(?P<comment>\#[^\n]*)"
    r"|(?P<fstring>\b(?:[fF][rR]?|[rR][fF])" + _STRING_BODY + ")"
    r"|(?P<string>(?:\b[rRbBuU]{1,2})?" + _STRING_BODY + ")"
    r"|(?P<continuation>\\\r?\n)",
    re.MULTILINE,
)
_FSTRING_BRACES = re.compile(r"\{\{|\}\}|[{}]")
#: An upper bound of the level-adding tokens (substrings over-count words, which is safe).
_LEVEL_CHARS = "-+*/%@&|^~.([{'\""
_LEVEL_WORDS = ("not", "and", "or", "if", "lambda", "await")


@dataclass(frozen=True)
class ComplexityProblem:
    """Why a cell was not parsed, and the 1-based line where the limit was passed."""

    message: str
    line: int


def check_complexity(python: str) -> ComplexityProblem | None:
    """None when `python` is safe to parse, else where and why it is not.

    Costs one regex scan of the text for cells that could reach the limits at all; the
    rest (almost every real cell) are cleared by a cheaper count.
    """
    if len(python) <= MAX_BRACKET_DEPTH:
        return None
    lines = python.count("\n") + (not python.endswith("\n"))
    if lines > MAX_CELL_LINES:
        return ComplexityProblem(f"{lines:,} lines, more than {MAX_CELL_LINES:,}", 1)
    # Sound upper bounds from plain counts: substrings over-count keywords, and every
    # quote character is counted as if it began a literal.
    opens = python.count("(") + python.count("[") + python.count("{")
    if opens <= MAX_BRACKET_DEPTH:
        levels = sum(map(python.count, _LEVEL_CHARS)) + sum(map(python.count, _LEVEL_WORDS))
        if levels + opens * (_BRACKET_WEIGHT - 1) <= MAX_EXPRESSION_DEPTH:
            return None
    scanner = _Scanner()
    offset = scanner.scan(python)
    if offset is None:
        return None
    return ComplexityProblem(scanner.reason, python.count("\n", 0, offset) + 1)


class _Scanner:
    """Tracks per open bracket how many levels its current item has stacked up."""

    def __init__(self) -> None:
        self.levels = [0]
        self.total = 0
        self.reason = ""

    def scan(self, text: str) -> int | None:
        """The offset where a limit is passed, or None."""
        levels = self.levels
        previous: str | None = None
        for match in _TOKENS.finditer(text):
            kind = match.lastgroup
            adjacent = previous in ("string", "fstring")
            if kind not in ("comment", "continuation", "end"):
                previous = kind  # literals separated only by these still concatenate
            if kind == "op" or kind == "keyword":
                levels[-1] += 1
                self.total += 1
            elif kind == "open":
                levels[-1] += _BRACKET_WEIGHT
                self.total += _BRACKET_WEIGHT
                levels.append(0)
                if len(levels) - 1 > MAX_BRACKET_DEPTH:
                    self.reason = f"brackets nest more than {MAX_BRACKET_DEPTH} deep"
                    return match.start()
            elif kind == "close":
                if len(levels) > 1:
                    self.total -= levels.pop()
            elif kind == "comma":
                self.total -= levels[-1]
                levels[-1] = 0
            elif kind == "end":
                if len(levels) == 1:
                    self.total = levels[0] = 0
            elif kind == "string" or kind == "fstring":
                if adjacent:  # implicit concatenation nests, like `+` does
                    levels[-1] += 1
                    self.total += 1
                if kind == "fstring":
                    hole = self._scan_fstring(match.group())
                    if hole is not None:
                        return match.start() + hole
            else:
                continue
            if self.total > MAX_EXPRESSION_DEPTH:
                self.reason = f"an expression nests more than {MAX_EXPRESSION_DEPTH} levels deep"
                return match.start()
        return None

    def _scan_fstring(self, literal: str) -> int | None:
        """Scan the expressions in an f-string's `{...}` holes as code at this level."""
        depth = 0
        start = 0
        for brace in _FSTRING_BRACES.finditer(literal):
            token = brace.group()
            if token == "{":
                depth += 1
                if depth == 1:
                    start = brace.end()
            elif token == "}" and depth > 0:
                depth -= 1
                if depth == 0:
                    found = self._scan_hole(literal[start : brace.start()])
                    if found is not None:
                        return start + found
        return None

    def _scan_hole(self, code: str) -> int | None:
        inner = _Scanner()
        inner.levels = [self.levels[-1]]
        inner.total = self.total
        found = inner.scan(code)
        if found is not None:
            self.reason = inner.reason
        return found
