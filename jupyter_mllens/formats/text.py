"""Human-readable text: one line per finding, then a summary by pillar and severity.

`PATH:cell N:LINE:COL: CODE name message [pillar]` for notebooks and
`PATH:LINE:COL: ...` for scripts, the form `nbqa` maps back to notebook cells. A path
with a control character in it is escaped (`display_path`) so each finding stays one line.
`TextOptions` adds what people ask of a terminal linter: the source line with a caret,
counts per rule instead of findings, no summary, and colour.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..catalog import Catalog
from ..findings import Finding, LintResult
from ..lens import PILLARS
from ..terminal import SEVERITY_STYLE, paint
from .location import cell_number, display_path, part_label
from .source import SECRET_RULES, SourceLookup, source_excerpt


@dataclass(frozen=True)
class FileCounts:
    """What a run linted, by kind, so the summary does not call a script a notebook."""

    notebooks: int
    scripts: int


@dataclass(frozen=True)
class TextOptions:
    show_source: bool = False
    statistics: bool = False
    quiet: bool = False
    color: bool = False
    source: SourceLookup | None = None
    counts: FileCounts | None = None


def render_text(result: LintResult, catalog: Catalog, options: TextOptions | None = None) -> str:
    options = options or TextOptions()
    lines: list[str] = []
    if options.statistics:
        lines.extend(_statistics(result, catalog, options))
    else:
        # credential findings by line, so another rule's excerpt of that line masks them too
        secrets: dict[tuple[str, int | None, int], list[Finding]] = {}
        for finding in result.findings:
            if finding.name in SECRET_RULES:
                secrets.setdefault((finding.path, finding.cell_index, finding.line), []).append(
                    finding
                )
        for finding in result.findings:
            lines.append(_finding_line(finding, options))
            if options.show_source and options.source is not None:
                same_line = secrets.get((finding.path, finding.cell_index, finding.line), ())
                lines.extend(source_excerpt(finding, options.source, same_line))
    if not options.quiet:
        lines.append(summary(result, options.counts))
    return "\n".join(lines) + "\n" if lines else ""


def _finding_line(f: Finding, options: TextOptions) -> str:
    color = options.color
    number = cell_number(f)
    path = paint(display_path(f.path), "bold", color)
    part = part_label(f)
    prefix = path if number is None else f"{path}:cell {number}"
    if part is not None:
        prefix = f"{prefix}:{part}"
    place = f"{prefix}:{f.line}:{f.column}"
    code = paint(f.code, f"bold {SEVERITY_STYLE[f.severity.value]}", color)
    pillars = paint(f"[{', '.join(f.pillars)}]", "dim", color)
    return f"{place}: {code} {f.name} {f.message} {pillars}"


def _statistics(result: LintResult, catalog: Catalog, options: TextOptions) -> list[str]:
    """Counts per rule, most frequent first, like `ruff --statistics`."""
    counts: Counter[str] = Counter(f.code for f in result.findings)
    names = {rule.code: rule for rule in catalog.rules}
    lines = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rule = names.get(code)
        name = rule.name if rule is not None else ""
        severity = rule.severity.value if rule is not None else ""
        styled = paint(code, f"bold {SEVERITY_STYLE.get(severity, '')}".strip(), options.color)
        lines.append(f"{count:>6}  {styled}  {name}")
    return lines


def summary(result: LintResult, counts: FileCounts | None = None) -> str:
    count = len(result.findings)
    where = _linted(result, counts)
    if count == 0:
        head = f"No findings in {where}."
    else:
        head = f"Found {count} finding{'s' if count != 1 else ''} in {where}."
    if result.errors:
        n = len(result.errors)
        head += f" {n} path{'s' if n != 1 else ''} could not be linted."
    if count == 0:
        return head
    by_pillar: Counter[str] = Counter(p for f in result.findings for p in f.pillars)
    by_severity: Counter[str] = Counter(f.severity.value for f in result.findings)
    pillars = ", ".join(f"{p.id} {by_pillar[p.id]}" for p in PILLARS if by_pillar[p.id])
    severities = ", ".join(
        f"{s} {by_severity[s]}" for s in ("high", "medium", "low", "info") if by_severity[s]
    )
    return f"{head}\n  by pillar: {pillars}\n  by severity: {severities}"


def _linted(result: LintResult, counts: FileCounts | None) -> str:
    if counts is None:
        files = max(0, result.files - len(result.errors))
        return _plural(files, "notebook")
    parts = []
    if counts.notebooks or not counts.scripts:
        parts.append(_plural(counts.notebooks, "notebook"))
    if counts.scripts:
        parts.append(_plural(counts.scripts, "script"))
    return " and ".join(parts)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
