"""`--show-source`: the offending line under each finding, a caret under the spot, secrets masked.

The findings schema carries locations, not code, so the source is read back from the
documents that were linted (`SourceLookup`). Whatever is shown goes through the same masking
as messages: a credential finding's own span is masked, and so is anything else on the line
that the secret scanner recognises, so `--show-source` never prints a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..document import Document
from ..findings import Finding, Part
from ..redaction import redact
from ..secrets import mask

#: Rules whose finding span is itself a secret value.
SECRET_RULES = frozenset({"hardcoded-credentials", "secret-in-output"})
_MAX_WIDTH = 200

#: Finds the document a finding's path names (None when it cannot be read again).
SourceLookup = Callable[[str], Document | None]


@dataclass(frozen=True)
class MaskedLine:
    """A finding's source line as it may be shown: secrets masked, at most `_MAX_WIDTH` wide.

    `column` and `end` (1-based, end exclusive) mark the finding's span within `text`.
    """

    text: str
    column: int
    end: int


def source_excerpt(
    finding: Finding, lookup: SourceLookup, others: Iterable[Finding] = ()
) -> list[str]:
    """The lines to print under `finding`: the masked source line and a caret line.

    `others` are findings that may sit on the same line; their credential spans are masked.
    """
    document = lookup(finding.path)
    if document is None:
        return []
    shown = masked_line(document, finding, others)
    if shown is None:
        return []
    width = max(1, min(shown.end, len(shown.text) + 1) - shown.column)
    return [f"    {shown.text}", f"    {' ' * (shown.column - 1)}{'^' * width}"]


def masked_line(
    document: Document, finding: Finding, others: Iterable[Finding] = ()
) -> MaskedLine | None:
    """`finding`'s line with every secret on it masked (None if the document changed).

    Masked are the spans of credential findings on the line (this one and any of `others`,
    the notebook's other findings: a credential on the line of another rule's finding is
    masked too) and whatever else the secret scanner recognises.
    """
    line = finding_line(document, finding)
    if line is None:
        return None
    line = line.expandtabs(1)
    column = finding.column
    end = _line_end(finding, line)
    spans = _merged(
        (other.column, _line_end(other, line))
        for other in (finding, *others)
        if other.name in SECRET_RULES
        and other.cell_index == finding.cell_index
        and other.line == finding.line
    )
    for start, stop in reversed(spans):  # right to left, so earlier columns stay valid
        masked = _mask_span(line[start - 1 : stop - 1])
        line = line[: start - 1] + masked + line[stop - 1 :]
        shift = len(masked) - (stop - start)
        if stop <= column:
            column, end = column + shift, end + shift
        elif start < end:  # the finding's own span, or one overlapping it
            end = end + shift if end >= stop else start + len(masked)
            column = min(column, start)
    line = redact(line)
    if len(line) > _MAX_WIDTH:
        start = max(0, column - 1 - _MAX_WIDTH // 2)
        line = line[start : start + _MAX_WIDTH]
        column -= start
        end -= start
    column = max(1, min(column, len(line) + 1))
    return MaskedLine(line, column, max(column, min(end, len(line) + 1)))


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-empty spans, overlapping ones joined, left to right."""
    joined: list[tuple[int, int]] = []
    for start, stop in sorted(span for span in spans if span[1] > span[0]):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(stop, joined[-1][1]))
        else:
            joined.append((start, stop))
    return joined


def _line_end(finding: Finding, line: str) -> int:
    """Where `finding`'s span ends on its first line (the line's end for a multi-line span)."""
    location = finding.location
    return location.end_column if location.end_line == location.line else len(line) + 1


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
