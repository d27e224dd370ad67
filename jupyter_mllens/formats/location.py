"""How a finding's place is written for people: `cell 3, line 2` or a file line."""

from __future__ import annotations

from ..findings import Finding


def cell_number(finding: Finding) -> int | None:
    """The 1-based cell number a user counts (markdown cells included), or None for scripts."""
    return None if finding.cell_index is None else finding.cell_index + 1


def describe(finding: Finding) -> str:
    number = cell_number(finding)
    where = f"line {finding.line}, column {finding.column}"
    return where if number is None else f"cell {number}, {where}"
