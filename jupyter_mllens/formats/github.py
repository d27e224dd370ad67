"""GitHub Actions workflow commands: findings become annotations on the pull request.

Notebook lines are cell lines, not lines of the `.ipynb` JSON, so for notebooks the cell and
line go into the annotation title instead of a misleading file line. Paths holding control
characters are shown escaped (`display_path`), as in the text format.
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import Catalog
from ..findings import Finding, LintResult, Part, Severity
from .ipynb_lines import IpynbLines
from .location import describe, display_path

_LEVEL = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "notice",
    Severity.INFO: "notice",
}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(result: LintResult, catalog: Catalog) -> str:
    lines_of = IpynbLines.lookup()

    lines = [_annotation(f, lines_of) for f in result.findings]
    lines += [
        f"::error file={_escape_property(display_path(e.path))},"
        f"title=mllens::{_escape_data(e.message)}"
        for e in result.errors
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _annotation(f: Finding, lines_of: Callable[[str], IpynbLines | None]) -> str:
    props = [f"file={_escape_property(display_path(f.path))}"]
    if f.cell_index is None and f.part is not Part.SOURCE:
        props.append("line=1")  # notebook metadata: the file's start
    elif f.cell_index is None:
        props += [
            f"line={f.line}",
            f"col={f.column}",
            f"endLine={f.location.end_line}",
            f"endColumn={f.location.end_column}",
        ]
    else:
        # GitHub shows a notebook's annotation on the .ipynb file: give the JSON line that
        # holds the offending source line (the title keeps the cell coordinates).
        # An output's or metadata's line is not a source line: the annotation goes on the
        # cell's first source line.
        mapping = lines_of(f.path)
        cell_line = f.line if f.part is Part.SOURCE else 1
        line = mapping.line(f.cell_index, cell_line) if mapping is not None else None
        if line is not None:
            props.append(f"line={line}")
    props.append(f"title={_escape_property(f'{f.code} {f.name} ({describe(f)})')}")
    return f"::{_LEVEL[f.severity]} {','.join(props)}::{_escape_data(f.message)}"
