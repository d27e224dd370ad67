"""`scan_text`: every detector over one text, the cheap rejections first."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from . import providers
from .assignments import assignments
from .match import SecretMatch
from .names import CREDENTIAL_NAME_WORDS
from .shapes import any_of
from .structured import (
    aws_secret_keys,
    basic_auth,
    bearer_tokens,
    jwts,
    private_keys,
    url_credentials,
)

#: A detector reads the text and its lowercase twin (computed once per scan).
Detector = Callable[[str, str], Iterator[SecretMatch]]

# The shortest thing any detector reports is `pwd=abc123` or `a:b@c` style; nothing shorter.
_MIN_TEXT = 8
_MIN_TOKEN = 20
# Lowercase substrings, one of which every detector needs: a credential name's word, a
# structure's marker, a provider's prefix, `curl` for `curl -u`. They reject the vast majority
# of texts before any detector runs.
_TRIGGERS = any_of(
    (
        *CREDENTIAL_NAME_WORDS,
        "://",
        "bearer",
        "basic",
        "-----begin",
        "eyj",
        "curl",
        *providers.TRIGGERS,
    )
)
# Earlier detectors win overlaps: a provider's name says more than "a value of API_KEY".
_DETECTORS: tuple[Detector, ...] = (
    private_keys,
    providers.provider_matches,
    aws_secret_keys,
    jwts,
    url_credentials,
    bearer_tokens,
    basic_auth,
    assignments,
)


# `data:image/png;base64,iVBOR...`: a file inlined into a markdown image, an HTML output or a
# literal, often hundreds of kilobytes. Its payload is encoded bytes, not text anyone typed:
# a secret inside is not readable there, and what looks like one is chance.
_INLINE_DATA = re.compile(
    r"data:[\w.+\-]+/[\w.+\-]+(?:;[\w.+\-]+=[\w.+\-]+)*;base64,(?P<payload>[A-Za-z0-9+/=]{256,})"
)


def scan_text(text: str) -> list[SecretMatch]:
    """Find secrets in arbitrary text, in order of position, without overlaps.

    The text may be a Python string literal's value, a `!` shell line, a `%env` magic, the
    body of a `%%bash` or `%%writefile` cell or a connection string. Each match's offsets are
    those of the secret value itself. Placeholders, template holes and variable expansions
    (`$TOKEN`, `${TOKEN}`, `$(cmd)`, `{token}`) are never reported, nor is anything inside the
    base64 payload of an inline `data:` URI: the text around each payload is scanned instead.
    """
    if len(text) < _MIN_TEXT:
        return []
    if len(text) > _MAX_CACHED:
        return list(_scan_readable(text))
    return list(_scan_cached(text))


# Notebooks repeat themselves: the same literal in many cells, the same cell, output or
# markdown in the notebooks of one repository. Matches are immutable, so a scan's result can
# be shared; the bounds keep the cache's texts under 24 MB.
_MAX_CACHED = 24 * 1024
_CACHE_SIZE = 1024


def _scan_readable(text: str) -> tuple[SecretMatch, ...]:
    if "base64," not in text:
        return tuple(_scan(text))
    found: list[SecretMatch] = []
    for start, end in readable_spans(text):
        found += _shifted(_scan(text[start:end]), start)
    return tuple(found)


_scan_cached = lru_cache(maxsize=_CACHE_SIZE)(_scan_readable)


def readable_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of `text` outside the base64 payloads of inline `data:` URIs."""
    spans: list[tuple[int, int]] = []
    start = 0
    if "base64," in text:
        for inline in _INLINE_DATA.finditer(text):
            spans.append((start, inline.start("payload")))
            start = inline.end("payload")
    spans.append((start, len(text)))
    return spans


def _shifted(matches: list[SecretMatch], offset: int) -> list[SecretMatch]:
    if not offset:
        return matches
    return [
        SecretMatch(m.start + offset, m.end + offset, m.kind, m.description, m.value)
        for m in matches
    ]


def _scan(text: str) -> list[SecretMatch]:
    size = len(text)
    # Column names, keyword names, dtype names: a lone identifier is a secret only if it is a
    # provider token, and those are all at least 20 characters long.
    if size < _MIN_TEXT or (size < _MIN_TOKEN and text.isidentifier()):
        return []
    low = text.lower()
    if _TRIGGERS.search(low) is None:
        return []
    accepted: list[SecretMatch] = []
    for detector in _DETECTORS:
        for found in detector(text, low):
            if all(found.end <= m.start or found.start >= m.end for m in accepted):
                accepted.append(found)
    accepted.sort(key=lambda m: m.start)
    return accepted
