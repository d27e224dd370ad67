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


# Letters from the most to the least frequent in English prose and code.
_LETTERS_BY_FREQUENCY = "etaoinshrdlcumwfgypbvkjxqz"


def _rarity(char: str) -> int:
    """How rarely `char` appears in notebook text: punctuation, then upper case, then digits
    and rare letters are the rarest."""
    low = char.lower()
    if low in _LETTERS_BY_FREQUENCY:
        return _LETTERS_BY_FREQUENCY.index(low) + (30 if char.isupper() else 0)
    return 20 if char.isdigit() else 100


def any_of(literals: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of `literals`.

    The regex engine tests each position of the text against the first characters of all
    alternatives, so each literal is found from its rarest character, with a lookbehind for
    what comes before it and a lookahead for the rest: `key` is sought at each `k`, not at
    each `e`. One such pattern beats a loop of `in` tests once there are more than a handful
    of literals.
    """
    by_char: dict[str, list[str]] = {}
    for literal in sorted(set(literals)):
        at = max(range(len(literal)), key=lambda i: (_rarity(literal[i]), -i))
        before, char, after = literal[:at], literal[at], literal[at + 1 :]
        check = f"(?<={re.escape(before + char)})" if before else ""
        check += f"(?={re.escape(after)})" if after else ""
        by_char.setdefault(char, []).append(check)
    return re.compile(
        "|".join(
            re.escape(char) + (f"(?:{'|'.join(checks)})" if all(checks) else "")
            for char, checks in by_char.items()
        )
    )
