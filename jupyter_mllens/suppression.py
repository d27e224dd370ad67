"""`# mllens: ignore[...]` comments: silence a finding where the user decided to.

At the end of a line, the comment silences that line; alone on the first line of a cell,
it silences the whole cell. Without brackets it silences every rule. Rules are named by
kebab-case name or code (`# mllens: ignore[hardcoded-credentials, MLL201]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_COMMENT = re.compile(r"#\s*mllens:\s*ignore\b(?:\[(?P<rules>[^\]]*)\])?", re.IGNORECASE)
_PERCENT_MARKER = re.compile(r"^\s*# ?%%")

#: Stands for "every rule" in a suppression set.
ALL = "*"


@dataclass(frozen=True)
class Suppressions:
    cell: frozenset[str] = frozenset()
    lines: dict[int, frozenset[str]] = field(default_factory=dict)

    def covers(self, line: int, end_line: int, name: str, code: str) -> bool:
        for rules in (
            self.cell,
            self.lines.get(line, frozenset()),
            self.lines.get(end_line, frozenset()),
        ):
            if rules and (ALL in rules or name in rules or code in rules):
                return True
        return False


NONE = Suppressions()


@lru_cache(maxsize=4096)
def parse_suppressions(source: str) -> Suppressions:
    """A cell's suppressions; cached, as every finding in a cell asks for them."""
    if "mllens" not in source.lower():
        return NONE
    cell: frozenset[str] = frozenset()
    lines: dict[int, frozenset[str]] = {}
    first_code_line = True
    for number, line in enumerate(source.split("\n"), start=1):
        stripped = line.strip()
        if first_code_line and (not stripped or _PERCENT_MARKER.match(line)):
            continue
        match = _COMMENT.search(line)
        if match:
            rules = _rules(match.group("rules"))
            if first_code_line and stripped.startswith("#"):
                cell = rules
            else:
                lines[number] = rules
        first_code_line = False
    return Suppressions(cell, lines)


def _rules(text: str | None) -> frozenset[str]:
    if text is None or not text.strip():
        return frozenset({ALL})
    return frozenset(
        part.strip().upper() if part.strip()[:3].upper() == "MLL" else part.strip()
        for part in text.split(",")
        if part.strip()
    )
