"""Redact secrets from any text the linter shows: messages of every rule, source excerpts.

Credential findings mask their own value, but other findings quote user content too: an
`unversioned-data` finding names the URL it reads, and that URL may carry a token
(`https://ghp_...@example.org/d.csv`). Every message passes through `redact` on its way into
a `Finding`, so no output format, log or panel can show a secret the scanner recognises.
"""

from __future__ import annotations

from .secrets import mask, scan_text


def redact(text: str) -> str:
    """`text` with every secret the scanner finds in it masked (`ghp_****`)."""
    matches = scan_text(text)
    for match in reversed(matches):
        text = text[: match.start] + mask(match.value) + text[match.end :]
    return text
