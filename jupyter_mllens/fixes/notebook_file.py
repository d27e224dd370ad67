"""Rewrite a notebook file changing only the sources of the edited cells, byte for byte.

The file's own layout is found by re-serialising what was read: the indentation, key
order (kept as read, sorted or not), escaping of non-ASCII text and trailing newline that
reproduce the original bytes exactly are the ones the fixed notebook is written with. A
file no layout reproduces (hand-formatted JSON) is refused rather than reformatted. The
write is atomic: a temporary file beside the notebook, then a rename, keeping its mode.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class LayoutError(ValueError):
    """The notebook's JSON layout cannot be reproduced, so it is not rewritten."""


@dataclass(frozen=True)
class Layout:
    indent: int | str | None  # spaces, or a string such as a tab
    ensure_ascii: bool
    newline: bool

    def dump(self, raw: Any) -> str:
        separators = (",", ": ") if self.indent is not None else (", ", ": ")
        text = json.dumps(
            raw, indent=self.indent, ensure_ascii=self.ensure_ascii, separators=separators
        )
        return text + ("\n" if self.newline else "")


def find_layout(text: str, raw: Any) -> Layout:
    newline = text.endswith("\n")
    indents: tuple[int | str | None, ...] = (1, 2, 4, 3, 0, "\t", None)
    for indent in indents:
        for ensure_ascii in (False, True):
            layout = Layout(indent, ensure_ascii, newline)
            if layout.dump(raw) == text:
                return layout
    raise LayoutError("its JSON layout is not one this tool can reproduce exactly")


def with_sources(raw: Mapping[str, Any], sources: Mapping[int, str]) -> dict[str, Any]:
    """A copy of the notebook JSON with new sources for some cells (by index); a cell
    stored as a list of lines stays a list of lines, split the way nbformat splits."""
    cells = list(raw["cells"])
    for index, source in sources.items():
        cell = dict(cells[index])
        cell["source"] = (
            source.splitlines(keepends=True) if isinstance(cell.get("source"), list) else source
        )
        cells[index] = cell
    return {key: (cells if key == "cells" else value) for key, value in raw.items()}


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the file and rename over it; `OSError` when that is not possible."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
