"""Shapes of text that several detectors test: generated-looking tokens, identifiers, names."""

from __future__ import annotations

import re
from collections.abc import Iterable


def mixed_case(body: str) -> bool:
    return any(c.isupper() for c in body) and any(c.islower() for c in body)


def letters_and_digits(body: str) -> bool:
    return any(c.isalpha() for c in body) and any(c.isdigit() for c in body)


def random_looking(body: str) -> bool:
    """Generated tokens mix character classes and repeat little; words and templates do not."""
    classes = sum(
        (
            any(c.isupper() for c in body),
            any(c.islower() for c in body),
            any(c.isdigit() for c in body),
        )
    )
    return classes >= 2 and len(set(body)) >= min(10, len(body) // 2)


# `API_KEY`, `HF_TOKEN`: an environment variable's name, passed on rather than a value.
ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")
# A dotted or dashed identifier (`config.api_key`, `prod-db`): a name, not a value.
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.\-][A-Za-z_][A-Za-z0-9_]*)*")


def any_of(literals: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of `literals`, grouped by first character: the regex engine then
    tries one alternative per position instead of one per literal, which beats a loop of
    `in` tests once there are more than a handful of literals."""
    by_first: dict[str, list[str]] = {}
    for literal in sorted(set(literals)):
        by_first.setdefault(literal[0], []).append(re.escape(literal[1:]))
    return re.compile(
        "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in by_first.items())
    )
