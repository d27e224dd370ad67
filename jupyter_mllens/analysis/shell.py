"""Shell commands in IPython shell text: what `!cmd` escapes and `%%bash` cells run.

Rules that read shell (downloads, uploads, insecure flags, installs) see the same commands:
split at newlines, `&&`, `||`, `;`, `|` and a background `&` (an `&` inside a word, as in a
URL's query string, does not split), with backslash continuations joined. Line magics other
than `%sx`/`%system`, and cell magics that do not run a shell, hold no commands.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..ipython_syntax import SHELL_CELL_MAGICS, ShellText

#: Line magics that run a package installer: `%pip install ...` is the command `pip install ...`.
INSTALLER_MAGICS = frozenset({"pip", "conda", "mamba", "uv"})
_COMMAND_SEPARATOR = re.compile(r"&&|\|\||[\n;|]|&(?=[ \t]|$)", re.MULTILINE)


def shell_commands(shell: ShellText) -> list[tuple[int, str]]:
    """Commands in `shell`, with their offsets in its text (memoized per shell text)."""
    return list(_commands(shell))


@lru_cache(maxsize=4096)
def _commands(shell: ShellText) -> tuple[tuple[int, str], ...]:
    """Commands in shell text, split at newlines, `&&`, `||`, `;`, `|` and a background `&`
    (continuations joined; an `&` inside a word, as in a URL's query, does not split)."""
    text = shell.text.replace("\\\n", "  ")
    if shell.kind == "line-magic" and shell.magic in INSTALLER_MAGICS:
        return ((0, text),)  # `%pip install x`: the magic runs the installer, one command
    if shell.kind == "line-magic" and shell.magic not in ("sx", "system"):
        return ()
    if shell.kind == "cell-magic" and shell.magic not in SHELL_CELL_MAGICS:
        return ()
    commands: list[tuple[int, str]] = []
    start = 0
    for separator in [*_COMMAND_SEPARATOR.finditer(text), None]:
        end = separator.start() if separator is not None else len(text)
        command = text[start:end].strip()
        if command:
            commands.append((start + len(text[start:end]) - len(text[start:end].lstrip()), command))
        if separator is not None:
            start = separator.end()
    return tuple(commands)
