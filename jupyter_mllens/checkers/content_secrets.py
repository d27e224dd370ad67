"""Secrets in long notebook text that is not code: saved outputs, markdown and raw cells.

`secrets.scan_text` is built for short texts (a literal, a shell line). Outputs and prose can
be tens of kilobytes, and a hostile notebook could fill them with secret-shaped text, so
`scan_long_text` scans them in slices of at most `SLICE` characters cut at line ends and
stops after `MAX_MATCHES`: the cost stays linear in the (already capped) text whatever it
holds. A secret is never longer than a slice (private keys are the longest, and the scanner
caps their body below it).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..secrets import SecretMatch, readable_spans, scan_text

SLICE = 24 * 1024
#: Secrets reported from one text at most: after a few the reader has the point.
MAX_MATCHES = 5


def scan_long_text(text: str, limit: int = MAX_MATCHES) -> Iterator[SecretMatch]:
    """Secrets in `text`, with offsets into `text`, in order, at most `limit` of them."""
    if len(text) <= SLICE:  # one slice, the usual case: its matches are the text's
        yield from scan_text(text)[:limit]
        return
    found = 0
    # Inline images are most of a long markdown cell's text: slice only what is readable.
    for start, stop in readable_spans(text):
        while start < stop and found < limit:
            end = min(stop, start + SLICE)
            if end < stop:
                newline = text.rfind("\n", start, end)
                if newline > start:
                    end = newline + 1
            for match in scan_text(text[start:end]):
                yield SecretMatch(
                    match.start + start,
                    match.end + start,
                    match.kind,
                    match.description,
                    match.value,
                )
                found += 1
                if found >= limit:
                    return
            start = end
