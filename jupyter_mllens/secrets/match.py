"""What a scan finds, and how a secret is shown: masked, always."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, repr=False)
class SecretMatch:
    """One secret found by `scan_text`.

    `start`/`end` delimit the secret *value* in the scanned text (not the `KEY=` or `https://`
    around it), so a caller can point an editor at exactly the characters to remove:
    `text[m.start:m.end] == m.value`. `kind` is a stable kebab-case id (safe to key
    configuration and tests on); `description` is human text for messages.
    """

    start: int
    end: int
    kind: str
    description: str
    value: str

    def __repr__(self) -> str:
        # Matches end up in logs, test failure output and tracebacks: never print the secret.
        return (
            f"SecretMatch(start={self.start}, end={self.end}, kind={self.kind!r}, "
            f"description={self.description!r}, value={mask(self.value)!r})"
        )


#: The most characters of a secret a mask ever shows.
MASK_MAX_SHOWN = 4


def mask(value: str) -> str:
    """Mask a secret for display: a few of its first characters, then a fixed `****`.

    The prefix is at most a quarter of the secret and never more than four characters,
    enough to tell two keys apart (`AKIA`, `sk-l`) while leaving three quarters of even a
    short password unseen: an 8-character password shows 2, a 15-character one 3, and
    anything under four characters shows nothing. The suffix has a fixed length so the
    mask does not reveal how long the secret is.
    """
    return value[: min(MASK_MAX_SHOWN, len(value) // 4)] + "****"
