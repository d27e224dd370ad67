"""Human-readable text: one line per finding, then a summary by pillar.

`PATH:cell N:LINE:COL: CODE name message [pillar]` for notebooks and
`PATH:LINE:COL: ...` for scripts, the form `nbqa` maps back to notebook cells. A path
with a control character in it is escaped (`display_path`) so each finding stays one line.
"""

from __future__ import annotations

from collections import Counter

from ..catalog import Catalog
from ..findings import LintResult
from ..lens import PILLARS
from .location import cell_number, display_path


def render_text(result: LintResult, catalog: Catalog) -> str:
    lines: list[str] = []
    for f in result.findings:
        number = cell_number(f)
        path = display_path(f.path)
        place = (
            f"{path}:{f.line}:{f.column}"
            if number is None
            else f"{path}:cell {number}:{f.line}:{f.column}"
        )
        lines.append(f"{place}: {f.code} {f.name} {f.message} [{', '.join(f.pillars)}]")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"


def summary(result: LintResult) -> str:
    count = len(result.findings)
    files = result.files
    noun = "notebook" if files == 1 else "notebooks"
    if count == 0:
        head = f"No findings in {files} {noun}."
    else:
        head = f"Found {count} finding{'s' if count != 1 else ''} in {files} {noun}."
    if result.errors:
        head += f" {len(result.errors)} file{'s' if len(result.errors) != 1 else ''} could not be linted."
    if count == 0:
        return head
    by_pillar: Counter[str] = Counter(p for f in result.findings for p in f.pillars)
    by_severity: Counter[str] = Counter(f.severity.value for f in result.findings)
    pillars = ", ".join(f"{p.title.lower()} {by_pillar[p.id]}" for p in PILLARS if by_pillar[p.id])
    severities = ", ".join(
        f"{s} {by_severity[s]}" for s in ("high", "medium", "low", "info") if by_severity[s]
    )
    return f"{head}\n  by pillar: {pillars}\n  by severity: {severities}"
