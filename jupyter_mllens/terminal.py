"""Colour on a terminal, the way users expect from ruff and other modern tools.

`--color auto` (the default) colours only when the stream is a terminal; `NO_COLOR` (any
value) turns colour off and `FORCE_COLOR` (any value but empty) turns it on, as
no-color.org and force-color.org describe; `--color always|never` beats both.
"""

from __future__ import annotations

import os
from typing import TextIO

_STYLES = {
    "bold": "1",
    "dim": "2",
    "red": "31",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
}
SEVERITY_STYLE = {"high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def wants_color(choice: str, stream: TextIO) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    """An interactive terminal that draws escape codes (not a pipe, a file or `TERM=dumb`)."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, enabled: bool) -> str:
    """`text` wrapped in the ANSI codes of `style` (e.g. "bold red"), or as it is."""
    if not enabled or not style:
        return text
    codes = ";".join(_STYLES[name] for name in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"
