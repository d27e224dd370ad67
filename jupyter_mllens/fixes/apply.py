"""Apply fixes to cell sources: atomically per fix, in passes until nothing changes.

Edits of one pass never overlap: a fix whose edits overlap an edit already taken waits
for the next pass, when it is recomputed on the new code (the caller lints again). Every
edited cell must still parse, or the pass is refused as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import libcst as cst

from ..analysis.complexity import check_complexity
from ..ipython_syntax import translate
from .model import Edit, Fix


class FixError(ValueError):
    """Fixes that would leave a cell unparseable or that point outside it."""


@dataclass(frozen=True)
class Pass:
    sources: dict[int, str]  # cell index -> new source, edited cells only
    applied: tuple[Fix, ...]


def choose(fixes: Iterable[Fix]) -> list[Fix]:
    """The fixes one pass can apply: in order, skipping any that overlaps one taken."""
    taken: list[Edit] = []
    chosen: list[Fix] = []
    seen: set[tuple[Edit, ...]] = set()
    for fix in fixes:
        if not fix.applicable or fix.edits in seen:
            continue
        if any(_overlap(a, b) for a in fix.edits for b in taken):
            continue
        seen.add(fix.edits)
        taken.extend(fix.edits)
        chosen.append(fix)
    return chosen


def _overlap(a: Edit, b: Edit) -> bool:
    if a.cell_index != b.cell_index:
        return False
    a_start, a_end = (a.line, a.column), (a.end_line, a.end_column)
    b_start, b_end = (b.line, b.column), (b.end_line, b.end_column)
    if a_start == a_end == b_start == b_end:
        return True  # two insertions at one point: their order would be arbitrary
    return a_start < b_end and b_start < a_end


def apply_pass(sources: Mapping[int, str], fixes: Iterable[Fix]) -> Pass:
    """Apply `choose(fixes)` to `sources` (cell index -> source)."""
    chosen = choose(fixes)
    by_cell: dict[int, list[Edit]] = {}
    for fix in chosen:
        for edit in fix.edits:
            if edit.cell_index is None or edit.cell_index not in sources:
                raise FixError(f"an edit points at cell {edit.cell_index}, which has no code")
            by_cell.setdefault(edit.cell_index, []).append(edit)
    new: dict[int, str] = {}
    for index, edits in by_cell.items():
        text = apply_edits(sources[index], edits)
        python = translate(text).python
        checked = python if python is not None else text
        if check_complexity(checked) is not None:  # never hand libcst what the engine refuses
            raise FixError(f"the fixed cell {index} is too complex to check")
        try:
            cst.parse_module(checked)
        except cst.ParserSyntaxError as exc:
            raise FixError(f"the fixed cell {index} would not parse ({exc.message})") from None
        new[index] = text
    return Pass(new, tuple(chosen))


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Non-overlapping edits applied from the end, so earlier offsets stay valid."""
    starts = _line_starts(source)
    spans = sorted(
        (
            (
                _offset(starts, source, e.line, e.column),
                _offset(starts, source, e.end_line, e.end_column),
                e,
            )
            for e in edits
        ),
        key=lambda item: (item[0], item[1]),
        reverse=True,
    )
    for start, end, edit in spans:
        if end < start:
            raise FixError("an edit ends before it starts")
        source = source[:start] + edit.replacement + source[end:]
    return source


def span(source: str, edit: Edit) -> tuple[int, int]:
    """The character offsets `edit` replaces in `source`."""
    starts = _line_starts(source)
    start = _offset(starts, source, edit.line, edit.column)
    return start, _offset(starts, source, edit.end_line, edit.end_column)


def _line_starts(source: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(source):
        if char == "\n":
            starts.append(index + 1)
    return starts


def _offset(starts: list[int], source: str, line: int, column: int) -> int:
    if not 1 <= line <= len(starts):
        raise FixError(f"an edit points at line {line}, beyond the cell")
    offset = starts[line - 1] + column - 1
    limit = starts[line] if line < len(starts) else len(source)
    if not starts[line - 1] <= offset <= limit:
        raise FixError(f"an edit points at column {column}, beyond line {line}")
    return offset
