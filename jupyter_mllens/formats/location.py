"""How a finding's place is written for people: `cell 3, line 2` or a file line."""

from __future__ import annotations

import unicodedata

from ..findings import Finding, Part

#: Unicode categories that must not reach a line-oriented report as they are: control
#: characters (newline, carriage return, escape...), line and paragraph separators (which
#: `str.splitlines` also splits on) and the lone surrogates that stand for undecodable
#: bytes in a file name (they cannot even be written to a UTF-8 stream).
_UNPRINTABLE = frozenset({"Cc", "Zl", "Zp", "Cs"})


def display_path(path: str) -> str:
    """`path` as it can be shown on one line of a report.

    Unchanged in the usual case; a name holding a newline or another control character
    is shown as Python's `repr` of it (`'a\\nb.ipynb'`), quotes included, so one finding
    stays one line and the quotes say the name was escaped. JSON and SARIF need none of
    this: they are structured and escape strings themselves.
    """
    if any(unicodedata.category(char) in _UNPRINTABLE for char in path):
        return repr(path)
    return path


def cell_number(finding: Finding) -> int | None:
    """The 1-based cell number a user counts (markdown cells included), or None for scripts."""
    return None if finding.cell_index is None else finding.cell_index + 1


def part_label(finding: Finding) -> str | None:
    """`output 2` (1-based, as a user counts) or `metadata`; None for a cell's source."""
    if finding.part is Part.OUTPUT:
        return f"output {(finding.output or 0) + 1}"
    if finding.part is Part.METADATA:
        return "metadata" if finding.cell_index is not None else "notebook metadata"
    return None


def describe(finding: Finding) -> str:
    number = cell_number(finding)
    where = f"line {finding.line}, column {finding.column}"
    part = part_label(finding)
    if part is not None:
        where = f"{part}, {where}"
    return where if number is None else f"cell {number}, {where}"
