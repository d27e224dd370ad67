"""Make IPython cells parseable by libcst without losing a line or a shell command.

IPython accepts syntax Python does not: `!cmd`, `x = !cmd`, `%magic`, `%%cell_magic`,
`obj?`. libcst needs valid Python, and findings need exact positions, so each such line is
replaced *in place* by a call placeholder with the same indentation (`x = !ls` becomes
`x = _ipython_()`), and every other line is kept verbatim. The line count never changes,
so a position in the translated code is a position in the user's cell.

The raw commands are not thrown away: they come back as `ShellText` records so text-level
rules (secrets in `!git clone https://TOKEN@...`, `%env KEY=...`, `%%bash` cells, downloads
with `!wget`) see exactly what the user wrote, with positions.

We do our own line-preserving translation instead of IPython's `TransformerManager`
because that collapses a cell magic into one line and would pull IPython into the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = "_ipython_()"

#: Cell magics whose body is still Python (timed, captured, profiled).
PYTHON_CELL_MAGICS = frozenset(
    {"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "px", "autopx", "pypy"}
)
#: Cell magics whose body is shell script.
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script", "system", "sx", "zsh"})

#: Magics IPython runs without `%` (automagic) when a line starts with their name and a word.
_AUTOMAGIC_WORDS = (
    r"(?:pip|conda|mamba|cd|env|set_env|load_ext|reload_ext|matplotlib|pylab|run|pwd|ls|"
    r"autoreload|config|store|who|whos|history|sx|system)[ \t]+[A-Za-z_\"'/~]"
)
_AUTOMAGIC = re.compile(_AUTOMAGIC_WORDS)
_QUICK_CHECK = re.compile(
    r"^[ \t]*(?:[!%?]|" + _AUTOMAGIC_WORDS + r")|=[ \t]*[!%](?!=)|\?[ \t]*(?:#.*)?$",
    re.MULTILINE,
)
_ASSIGN_ESCAPE = re.compile(r"^(?P<lhs>[A-Za-z_][\w \t,.\[\]()*]*?)[ \t]*=[ \t]*(?P<esc>!|%)(?!=)")
_MAGIC_NAME = re.compile(r"%*([\w.-]+)")


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
class TranslatedCell:
    """The cell as Python (`None` when it is not Python at all, e.g. `%%bash`)."""

    python: str | None
    shell: tuple[ShellText, ...] = ()


def translate(source: str) -> TranslatedCell:
    """Translate one cell; valid Python passes through untouched (the common, fast case)."""
    if not _QUICK_CHECK.search(source):
        return TranslatedCell(source)
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        return _translate_cell_magic(lines, first)
    return _translate_lines(lines, 0)


def _translate_cell_magic(lines: list[str], first: int) -> TranslatedCell:
    header = lines[first].strip()
    match = _MAGIC_NAME.match(header)
    magic = match.group(1) if match else ""
    body_lines = lines[first + 1 :]
    header_text = ShellText(
        first + 1, lines[first].index("%%") + 3, header[2:], "line-magic", magic
    )
    if magic in PYTHON_CELL_MAGICS:
        blank_prefix = [""] * (first + 1)
        inner = _translate_lines(body_lines, first + 1)
        python = "\n".join(blank_prefix) + "\n" + (inner.python or "") if body_lines else ""
        return TranslatedCell(python, (header_text, *inner.shell))
    body = ShellText(first + 2, 1, "\n".join(body_lines), "cell-magic", magic)
    return TranslatedCell(None, (header_text, body))


def _translate_lines(lines: list[str], line_base: int) -> TranslatedCell:
    out: list[str] = []
    shell: list[ShellText] = []
    state = _LexState()
    pending: tuple[int, int, list[str], str, str | None] | None = None
    for number, line in enumerate(lines, start=line_base + 1):
        if pending is not None:
            # A continuation line of a shell command or magic (the previous ended with "\").
            pending[2].append(line)
            out.append("")
            if not line.endswith("\\"):
                shell.append(_shell(pending))
                pending = None
            continue
        if state.at_statement_start():
            escaped = _escape(line)
            if escaped is not None:
                start, replacement, kind = escaped
                text = line[start:]
                magic = None
                if kind == "line-magic":
                    name = _MAGIC_NAME.match(text)
                    magic = name.group(1) if name else None
                    text = text.lstrip("%")
                elif kind == "shell":
                    text = text.lstrip("!")
                column = len(line) - len(text) + 1
                out.append(replacement)
                if kind == "help":
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
    return TranslatedCell("\n".join(out), tuple(shell))


def _shell(record: tuple[int, int, list[str], str, str | None]) -> ShellText:
    line, column, parts, kind, magic = record
    return ShellText(line, column, "\n".join(parts), kind, magic)


def _escape(line: str) -> tuple[int, str, str] | None:
    """If `line` starts an IPython-only statement: (index of the escape, replacement, kind)."""
    stripped = line.lstrip()
    if not stripped:
        return None
    indent = line[: len(line) - len(stripped)]
    first = stripped[0]
    if first == "!":
        return len(indent), indent + PLACEHOLDER, "shell"
    if first == "%":
        return len(indent), indent + PLACEHOLDER, "line-magic"
    if first == "?" or _strip_comment(stripped).endswith("?"):
        return len(indent), indent + PLACEHOLDER, "help"
    if _AUTOMAGIC.match(stripped):
        return len(indent), indent + PLACEHOLDER, "line-magic"
    match = _ASSIGN_ESCAPE.match(stripped)
    if match:
        lhs = match.group("lhs")
        kind = "shell" if match.group("esc") == "!" else "line-magic"
        return len(indent) + match.start("esc"), f"{indent}{lhs} = {PLACEHOLDER}", kind
    return None


def _strip_comment(text: str) -> str:
    state = _LexState()
    return state.feed(text).rstrip()


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
