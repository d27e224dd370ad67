"""IPython's whole-cell cleanup, done in place: dedent and prompt stripping, lines kept.

Before it looks for magics, IPython cleans a cell up as a whole: it drops the common
indentation of a pasted block, strips `>>>`/`...` doctest prompts and `In [3]:`/`...:`
IPython prompts. All of that only removes text at the *start* of lines, so here every line
stays on its line and the only thing a position loses is a known number of columns, which
`Cleaned.shifts` records per line so findings still point at the user's text.

The rules are IPython's (`IPython.core.inputtransformer2`: `leading_indent`,
`classic_prompt`, `ipython_prompt`), re-implemented so the engine needs no IPython import
and no line is ever merged; `tests/test_ipython_differential.py` holds them equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INDENT = re.compile(r"[ \t]*")
_DOCTEST_FIRST = re.compile(r"\s*>>>")
_DOCTEST_PROMPT = re.compile(r"\s*>>>[ \t]?")
_DOCTEST_CONTINUATION = re.compile(r"\s*\.\.\.[ \t]?")
_TRIPLE_QUOTE = re.compile(r"(?<!\\)(\"\"\"|''')")
_STRING_PREFIX = re.compile(r"(?i)[rubf]*")
_IPYTHON_PROMPT = re.compile(r"(?:(?:\[nav\]|\[ins\])? )?In \[\d+\]: |\s*\.{3,}: ?")


@dataclass(frozen=True)
class Cleaned:
    """The cell's lines after cleanup; `shifts[i]` columns were removed from line `i`."""

    lines: tuple[str, ...]
    shifts: tuple[int, ...]

    @property
    def changed(self) -> bool:
        return any(self.shifts)


def cleanup(lines: list[str]) -> Cleaned:
    """Apply IPython's cleanup transforms to a cell's lines, keeping the line count."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return Cleaned(tuple(lines), (0,) * len(lines))
    work = list(lines)
    work[first:] = _dedent(work[first:])
    if any(">>>" in line for line in work):
        work[first:] = _strip_doctest(work[first:])
    if len(work) > first and (
        _IPYTHON_PROMPT.match(work[first])
        or (len(work) > first + 1 and _IPYTHON_PROMPT.match(work[first + 1]))
    ):
        work[first:] = [_IPYTHON_PROMPT.sub("", line, count=1) for line in work[first:]]
    shifts = tuple(
        len(old) - len(new) if new and old.endswith(new) else 0
        for old, new in zip(lines, work, strict=True)
    )
    return Cleaned(tuple(work), shifts)


def _dedent(lines: list[str]) -> list[str]:
    """`textwrap.dedent` per line: the common leading blanks go, blank lines become empty."""
    margin: str | None = None
    for line in lines:
        if not line.strip(" \t"):
            continue
        indent = _INDENT.match(line).group()  # type: ignore[union-attr]
        if margin is None or margin.startswith(indent):
            margin = indent
        elif not indent.startswith(margin):
            common = 0
            while common < len(margin) and margin[common] == indent[common]:
                common += 1
            margin = margin[:common]
        if not margin:
            break
    width = len(margin or "")
    return [line[width:] if line.strip(" \t") else "" for line in lines]


def _strip_doctest(lines: list[str]) -> list[str]:
    """Strip `>>>`/`...` prompts, but only if a `>>>` stands outside a docstring-like string.

    `...` alone is a valid Python statement, so continuation prompts go only when the
    block also has a `>>>` line; prompts inside a bare triple-quoted string (a docstring
    showing a doctest) are kept. Each stretch where prompts were stripped is then dedented.
    """
    kept = _inside_kept_string(lines)
    if not any(not k and _DOCTEST_FIRST.match(line) for line, k in zip(lines, kept, strict=True)):
        return lines
    out: list[str] = []
    stripped: list[bool] = []
    for line, k in zip(lines, kept, strict=True):
        new = line
        if not k:
            prompt = _DOCTEST_PROMPT.match(line) or _DOCTEST_CONTINUATION.match(line)
            if prompt:
                new = line[prompt.end() :]
        out.append(new)
        stripped.append(new != line)
    result: list[str] = []
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and kept[end] == kept[start]:
            end += 1
        segment = out[start:end]
        if not kept[start] and any(stripped[start:end]):
            segment = _dedent(segment)
        result.extend(segment)
        start = end
    return result


def _inside_kept_string(lines: list[str]) -> list[bool]:
    """Per line: is it part of a triple-quoted string whose prompts must be kept?

    A string is kept when it opens a line by itself (a docstring, not `x = \"\"\"`) and
    is not itself on a prompted line after a prompt was seen. This is the same heuristic
    IPython uses, so both agree on which prompts are text and which are input.
    """
    mask: list[bool] = []
    open_quote: str | None = None
    keep = False
    seen_prompt = False
    for line in lines:
        mask.append(open_quote is not None and keep)
        for match in _TRIPLE_QUOTE.finditer(line):
            quote = match.group(1)
            if open_quote is None:
                open_quote = quote
                before = line[: match.start()]
                bare = _DOCTEST_PROMPT.sub("", before, count=1)
                bare = _DOCTEST_CONTINUATION.sub("", bare, count=1)
                prompted = bare != before and seen_prompt
                keep = not prompted and _STRING_PREFIX.fullmatch(bare.strip()) is not None
                mask[-1] = keep
            elif open_quote == quote:
                open_quote = None
                keep = False
        seen_prompt = seen_prompt or bool(_DOCTEST_FIRST.match(line))
    return mask
