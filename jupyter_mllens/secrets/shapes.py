"""Shapes of text that several detectors test: generated-looking tokens, identifiers, names."""

from __future__ import annotations

import re


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
