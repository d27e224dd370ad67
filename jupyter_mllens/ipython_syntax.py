"""Make IPython cells parseable by libcst without losing a line or a shell command.

IPython accepts syntax Python does not: `!cmd`, `x = !cmd`, `%magic`, `%%cell_magic`,
`obj?`, `cd ../` alone in a cell, pasted `>>>` prompts, a pasted block that is indented as
a whole. libcst needs valid Python, and findings need exact positions, so each such line
is replaced *in place* by a call placeholder with the same indentation (`x = !ls` becomes
`x = _ipython_()`), prompts and common indentation are stripped from the start of lines
(`TranslatedCell.shifts` says by how many columns), and every other line is kept
verbatim. The line count never changes, so a position in the translated code maps back
to a position in the user's cell.

The raw commands are not thrown away: they come back as `ShellText` records so text-level
rules (secrets in `!git clone https://TOKEN@...`, `%env KEY=...`, `%%bash` cells, downloads
with `!wget`) see exactly what the user wrote, with positions.

The rules are IPython's own (`IPython.core.inputtransformer2` plus the automagic of its
prefilter), matched here instead of called: IPython's `TransformerManager` collapses a
cell magic or a continued line into one line and would pull IPython into the engine.
`tests/test_ipython_differential.py` checks that every cell IPython turns into valid
Python also parses here, with the same number of lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ipython_automagic import SHELL_ALIASES, command_word, has_command_line, is_python
from .ipython_cleanup import cleanup

PLACEHOLDER = "_ipython_()"

#: Cell magics whose body is still Python (timed, captured, profiled).
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "px", "autopx", "pypy"}
)
#: Cell magics whose body is shell script.
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "shell", "script", "system", "sx", "zsh"})

#: Anything that may be IPython syntax; a cell with none of it is plain Python (most
#: cells). Each pattern starts with a literal so the regex engine can skip ahead to it.
_MAYBE_IPYTHON = (
    re.compile(r"\n[ \t]*(?:[!%?,;/]|>>>|\.{3,}:|In \[)"),  # a line starts with an escape or prompt
    re.compile(r"=[ \t]*[!%]"),  # x = !ls, x = %time ...
    re.compile(r"\?[ \t]*(?:#[^\n]*)?(?:\n|$)"),  # obj? at the end of a line
)
_FIRST_CODE = re.compile(r"^[ \t]*\S", re.MULTILINE)
_ASSIGN_ESCAPE = re.compile(
    r"^(?P<lhs>[A-Za-z_][\w \t,.\[\]()*]*?)[ \t]*=[ \t]*(?P<esc>!|%(?=[A-Za-z_]))"
)
_MAGIC_NAME = re.compile(r"%*([\w.-]+)")
_HELP_CELL_MAGIC = re.compile(r"%%\w+\?")
#: What IPython can show help for: a dotted name, maybe indexed by integers (`x.y[0]??`).
_HELP_TARGET = re.compile(r"%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?[0-9]+\])*\?\??$")


@dataclass(frozen=True)
class ShellText:
    """Raw IPython-only text: a shell escape, a line magic, or a cell magic's body.

    `text` is what follows the escape (`pip install x` for `!pip install x` or
    `%pip install x`); for a cell magic it is the body. It may span lines (backslash
    continuations, cell bodies); `position` maps an offset in `text` to the cell.
    """

    line: int
    column: int
    text: str
    kind: str  # "shell" | "line-magic" | "cell-magic"
    magic: str | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the cell of `text[offset]`."""
        newlines = self.text.count("\n", 0, offset)
        if newlines == 0:
            return self.line, self.column + offset
        return self.line + newlines, offset - self.text.rfind("\n", 0, offset)

    @property
    def command(self) -> str:
        """The program or magic name: `wget`, `pip`, `env`, `bash`, ..."""
        if self.magic:
            return self.magic
        first = self.text.split(None, 1)
        return first[0] if first else ""


@dataclass(frozen=True)
class IPythonProblem:
    """Why a cell will not run although every line was translated (1-based position)."""

    message: str
    line: int
    column: int


@dataclass(frozen=True)
class TranslatedCell:
    """The cell as Python (`None` when it is not Python at all, e.g. `%%bash`).

    `shifts[i]` is how many columns were stripped from the start of line `i + 1` (a
    prompt, a common indentation); empty when none were. `problem` is set when a line is
    IPython syntax only where it stands alone (`pip install x` among other lines).
    """

    python: str | None
    shell: tuple[ShellText, ...] = ()
    shifts: tuple[int, ...] = ()
    problem: IPythonProblem | None = None

    def column(self, line: int, column: int) -> int:
        """The cell's column of (1-based) `line`, `column` in `python`."""
        if 0 < line <= len(self.shifts):
            return column + self.shifts[line - 1]
        return column


def translate(source: str) -> TranslatedCell:
    """Translate one cell; valid Python passes through untouched (the common, fast case)."""
    first = _FIRST_CODE.search(source)
    if first is None:
        return TranslatedCell(source)
    lines_text = "\n" + source
    if (
        first.end() - first.start() == 1
        and not any(pattern.search(lines_text) for pattern in _MAYBE_IPYTHON)
        and not has_command_line(source)
    ):
        return TranslatedCell(source)
    lines = source.split("\n")
    return _translate(lines, lines, [0] * len(lines), 0)


def _translate(
    lines: list[str], original: list[str], shifts_before: list[int], base: int
) -> TranslatedCell:
    """`lines` (cell lines `base + 1...`) as Python.

    `original` holds the same lines as the user wrote them, `shifts_before` the columns
    already stripped from each; shell text is taken from `original` so its positions are
    exact however much cleanup removed.
    """
    cleaned = cleanup(lines)
    work = list(cleaned.lines)
    shifts = [a + b for a, b in zip(shifts_before, cleaned.shifts, strict=True)]
    first = next((i for i, line in enumerate(work) if line.strip()), None)
    if first is None:
        return TranslatedCell("\n".join(work), (), _nonzero(shifts))
    if work[first].startswith("%%") and not _HELP_CELL_MAGIC.match(work[first]):
        return _translate_cell_magic(work, original, shifts, first, base)
    code_lines = sum(1 for line in work if line.strip())
    return _translate_lines(work, original, shifts, base, alone=code_lines == 1)


def _nonzero(shifts: list[int]) -> tuple[int, ...]:
    return tuple(shifts) if any(shifts) else ()


def _translate_cell_magic(
    lines: list[str], original: list[str], shifts: list[int], first: int, base: int
) -> TranslatedCell:
    header = lines[first].strip()
    match = _MAGIC_NAME.match(header)
    magic = match.group(1) if match else ""
    header_text = ShellText(base + first + 1, shifts[first] + 3, header[2:], "line-magic", magic)
    body_lines = lines[first + 1 :]
    if magic in PYTHON_CELL_MAGICS and not body_lines:
        return TranslatedCell("\n" * first, (header_text,), _nonzero(shifts))
    if magic in PYTHON_CELL_MAGICS:
        # IPython runs the body as a cell of its own: translate it as one (nested magics too).
        inner = _translate(body_lines, original[first + 1 :], shifts[first + 1 :], base + first + 1)
        prefix = [""] * (first + 1)
        python = "\n".join([*prefix, inner.python]) if inner.python is not None else None
        if python is None:
            # `%%time` over `%%bash`: the whole cell is shell text.
            return TranslatedCell(None, (header_text, *inner.shell))
        inner_shifts = inner.shifts or (0,) * len(body_lines)
        all_shifts = _nonzero([*shifts[: first + 1], *inner_shifts])
        return TranslatedCell(python, (header_text, *inner.shell), all_shifts, inner.problem)
    body = ShellText(base + first + 2, 1, "\n".join(original[first + 1 :]), "cell-magic", magic)
    return TranslatedCell(None, (header_text, body))


def _translate_lines(
    lines: list[str], original: list[str], shifts: list[int], base: int, alone: bool
) -> TranslatedCell:
    out: list[str] = []
    shell: list[ShellText] = []
    problem: IPythonProblem | None = None
    state = _LexState()
    pending: tuple[int, int, list[str], str, str | None] | None = None
    for index, line in enumerate(lines):
        number = base + index + 1
        if pending is not None:
            # A continuation line of a shell command or magic (the previous ended with "\").
            pending[2].append(original[index])
            out.append("")
            if not line.endswith("\\"):
                shell.append(_shell(pending))
                pending = None
            continue
        if state.at_statement_start():
            escaped = _escape(line)
            if escaped is None:
                escaped = _automagic(line)
                if escaped is not None and not alone and problem is None:
                    problem = _alone_only(line, escaped, number, shifts[index])
            if escaped is not None:
                start, replacement, kind, magic = escaped
                text = line[start:]
                if kind == "line-magic" and magic is None:
                    name = _MAGIC_NAME.match(text)
                    magic = name.group(1) if name else None
                    text = text.lstrip("%")
                elif kind == "shell" and text.startswith("!"):
                    text = text.lstrip("!")
                column = len(line) - len(text) + 1 + shifts[index]
                out.append(replacement)
                if kind in ("help", "autocall"):
                    continue
                record = (number, column, [text], kind, magic)
                if line.endswith("\\"):
                    pending = record
                else:
                    shell.append(_shell(record))
                continue
        state.feed(line)
        out.append(line)
    if pending is not None:
        shell.append(_shell(pending))
    return TranslatedCell("\n".join(out), tuple(shell), _nonzero(shifts), problem)


def _shell(record: tuple[int, int, list[str], str, str | None]) -> ShellText:
    line, column, parts, kind, magic = record
    return ShellText(line, column, "\n".join(parts), kind, magic)


#: (index of the escape, replacement line, kind, magic name)
_Escape = tuple[int, str, str, str | None]


def _escape(line: str) -> _Escape | None:
    """If `line` starts an IPython-only statement: (index of the escape, replacement, kind, magic)."""
    stripped = line.lstrip()
    if not stripped:
        return None
    indent = line[: len(line) - len(stripped)]
    first = stripped[0]
    if first == "!":
        return len(indent), indent + PLACEHOLDER, "shell", None
    if first == "%":
        return len(indent), indent + PLACEHOLDER, "line-magic", None
    if first == "?" or _ends_with_help(stripped):
        return len(indent), indent + PLACEHOLDER, "help", None
    if first in ",;/":
        # Autocall escapes (`/f x` is `f(x)`); no Python statement starts with them.
        return len(indent), indent + PLACEHOLDER, "autocall", None
    match = _ASSIGN_ESCAPE.match(stripped)
    if match:
        lhs = match.group("lhs")
        kind = "shell" if match.group("esc") == "!" else "line-magic"
        return len(indent) + match.start("esc"), f"{indent}{lhs} = {PLACEHOLDER}", kind, None
    return None


def _automagic(line: str) -> _Escape | None:
    """`cd ../`, `pip install x`, `rm -rf tmp`: a command word on a line that is not Python."""
    word = command_word(line)
    if word is None or is_python(line):
        return None
    stripped = line.lstrip()
    indent = line[: len(line) - len(stripped)]
    kind = "shell" if word in SHELL_ALIASES else "line-magic"
    return len(indent), indent + PLACEHOLDER, kind, None if kind == "shell" else word


def _alone_only(line: str, escaped: _Escape, number: int, shift: int) -> IPythonProblem:
    """IPython runs `pip install x` without `%` only when it is the cell's one line."""
    word = command_word(line) or ""
    prefix = "!" if escaped[2] == "shell" else "%"
    message = (
        f"`{word}` without `{prefix}` runs as a command only when it is alone in its cell;"
        f" write `{prefix}{word}`"
    )
    return IPythonProblem(message, number, escaped[0] + 1 + shift)


def _ends_with_help(stripped: str) -> bool:
    """`obj?` / `obj.attr??` / `x[0]?`: a name and `?` end the statement (not in a string)."""
    if "?" not in stripped:
        return False
    state = _LexState()
    code = state.feed(stripped).rstrip()
    return state.at_statement_start() and _HELP_TARGET.search(code) is not None


class _LexState:
    """Just enough of Python's tokenizer to know where statements start.

    Tracks open brackets, triple-quoted strings and backslash continuations across lines,
    so `%` or `!` at the start of a line inside a docstring or a bracketed expression is
    never mistaken for IPython syntax.
    """

    __slots__ = ("continued", "depth", "triple")

    def __init__(self) -> None:
        self.depth = 0
        self.triple: str | None = None
        self.continued = False

    def at_statement_start(self) -> bool:
        return self.depth == 0 and self.triple is None and not self.continued

    def feed(self, line: str) -> str:
        """Advance over one line; return the line without its trailing comment."""
        i = 0
        n = len(line)
        code_end = n
        while i < n:
            if self.triple is not None:
                end = line.find(self.triple, i)
                while end != -1 and _escaped(line, end):
                    end = line.find(self.triple, end + 1)
                if end == -1:
                    i = n
                    break
                i = end + 3
                self.triple = None
                continue
            ch = line[i]
            if ch == "#":
                code_end = i
                break
            if ch in "\"'":
                if line.startswith(ch * 3, i):
                    self.triple = ch * 3
                    i += 3
                    continue
                i = _skip_string(line, i + 1, ch)
                continue
            if ch in "([{":
                self.depth += 1
            elif ch in ")]}":
                self.depth = max(0, self.depth - 1)
            i += 1
        self.continued = self.triple is None and line[:code_end].rstrip().endswith("\\")
        return line[:code_end]


def _escaped(line: str, index: int) -> bool:
    backslashes = 0
    while index > 0 and line[index - 1] == "\\":
        backslashes += 1
        index -= 1
    return backslashes % 2 == 1


def _skip_string(line: str, i: int, quote: str) -> int:
    n = len(line)
    while i < n:
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i + 1
        i += 1
    return n
