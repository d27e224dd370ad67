"""`--show-source`: the offending line under each finding, a caret under the spot, secrets masked.

The findings schema carries locations, not code, so the source is read back from the
documents that were linted (`SourceLookup`). Whatever is shown goes through the same masking
as messages: a credential finding's own span is masked, and so is anything else on the line
that the secret scanner recognises, so `--show-source` never prints a secret.
"""

from __future__ import annotations

from collections.abc import Callable

from ..document import Document
from ..findings import Finding, Part
from ..redaction import redact
from ..secrets import mask

#: Rules whose finding span is itself a secret value.
SECRET_RULES = frozenset({"hardcoded-credentials", "secret-in-output"})
_MAX_WIDTH = 200

#: Finds the document a finding's path names (None when it cannot be read again).
SourceLookup = Callable[[str], Document | None]


def source_excerpt(finding: Finding, lookup: SourceLookup) -> list[str]:
    """The lines to print under `finding`: the masked source line and a caret line."""
    document = lookup(finding.path)
    if document is None:
        return []
    line = finding_line(document, finding)
    if line is None:
        return []
    line = line.expandtabs(1)
    column = finding.column
    location = finding.location
    end = location.end_column if location.end_line == location.line else len(line) + 1
    if finding.name in SECRET_RULES and end > column:
        masked = _mask_span(line[column - 1 : end - 1])
        line = line[: column - 1] + masked + line[end - 1 :]
        end = column + len(masked)
    line = redact(line)
    if len(line) > _MAX_WIDTH:
        start = max(0, column - 1 - _MAX_WIDTH // 2)
        line = line[start : start + _MAX_WIDTH]
        column -= start
        end -= start
    width = max(1, min(end, len(line) + 1) - column)
    return [f"    {line}", f"    {' ' * (column - 1)}{'^' * width}"]


def finding_line(document: Document, finding: Finding) -> str | None:
    """The line a finding starts on, as written (None if the document changed): a line of a
    cell's source, of a saved output's text or of a metadata string, as `finding.part` says."""
    if finding.part is not Part.SOURCE or finding.cell_index is not None:
        text = _content_text(document, finding)
        if text is not None:
            lines = text.splitlines()
            return lines[finding.line - 1] if 1 <= finding.line <= len(lines) else None
        if finding.part is not Part.SOURCE:
            return None
    for cell in document.cells:
        if finding.cell_index is not None and cell.index != finding.cell_index:
            continue
        lines = cell.source.splitlines()
        number = finding.line - cell.line_offset
        if 1 <= number <= len(lines):
            return lines[number - 1]
        if finding.cell_index is not None:
            return None
    return None


def _content_text(document: Document, finding: Finding) -> str | None:
    """The output text, metadata string or markdown/raw source a finding points into."""
    content = document.content
    if finding.part is Part.OUTPUT:
        for run in content.runs:
            if run.index == finding.cell_index:
                return next((o.text for o in run.outputs if o.index == finding.output), None)
        return None
    if finding.part is Part.METADATA:
        # which string is not in the schema; the message names its keys
        return None
    return next((t.source for t in content.text_cells if t.index == finding.cell_index), None)


def _mask_span(text: str) -> str:
    """A literal's text with its value masked, its prefix and quotes kept (`"Tr0u****"`)."""
    body = text.lstrip("rbuRBUfF")
    prefix = text[: len(text) - len(body)]
    for quote in ('"""', "'''", '"', "'"):
        if len(body) >= 2 * len(quote) and body.startswith(quote) and body.endswith(quote):
            return prefix + quote + mask(body[len(quote) : -len(quote)]) + quote
    return mask(text)
