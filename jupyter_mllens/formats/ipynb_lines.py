"""Where a cell's source line sits in the raw `.ipynb` file, for reports that show the file.

GitHub code scanning renders a SARIF result on the file it names, at the region's line. For
a notebook that file is the `.ipynb` JSON, so a region in cell coordinates ("cell 3, line
2") lands on an unrelated JSON line. This module scans the JSON once, tracking line numbers,
and records for each code cell where each element of its `source` array starts (a `source`
given as one string maps every line of the cell to that string's line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)
_MAX_BYTES = 100 * 1024 * 1024


class IpynbLines:
    """`line(cell_index, cell_line)` → 1-based line of the `.ipynb` file, or None."""

    def __init__(self, text: str) -> None:
        self._lines: dict[int, list[tuple[int, int]]] = {}
        self._newlines: dict[int, int] = {}
        self._scan(text)

    @classmethod
    def read(cls, path: str) -> IpynbLines | None:
        """The layout of the notebook at `path`: a local file, a `file://` URL, or a remote
        URL read again through fsspec (the linted bytes are not kept for the whole run)."""
        from ..remote import is_remote, local_path

        if is_remote(path):
            return cls._read_remote(path)
        try:
            file = Path(local_path(path))
            if not file.is_file() or file.stat().st_size > _MAX_BYTES:
                return None
            return cls(file.read_text("utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None

    @classmethod
    def _read_remote(cls, url: str) -> IpynbLines | None:
        from ..reader import InputError
        from ..remote import read_url

        try:
            return cls(read_url(url, _MAX_BYTES).decode("utf-8-sig"))
        except (InputError, OSError, UnicodeDecodeError, ValueError):
            return None

    @classmethod
    def lookup(cls) -> Callable[[str], IpynbLines | None]:
        """A reader of `.ipynb` layouts by path, each file scanned at most once (for one report)."""
        maps: dict[str, IpynbLines | None] = {}

        def lines_of(path: str) -> IpynbLines | None:
            if path not in maps:
                maps[path] = cls.read(path) if path.lower().endswith(".ipynb") else None
            return maps[path]

        return lines_of

    def line(self, cell_index: int, cell_line: int) -> int | None:
        """The file line holding line `cell_line` (1-based) of cell `cell_index`."""
        elements = self._lines.get(cell_index)
        if not elements:
            return None
        found: int | None = None
        for first_cell_line, file_line in elements:
            if first_cell_line <= cell_line:
                found = file_line
            else:
                break
        return found

    def _scan(self, text: str) -> None:
        """One pass over the tokens with a stack of open containers and their paths."""
        # Each frame: [kind, path, key or index of the value being read]
        frames: list[list[object]] = []
        line = 1
        position = 0
        after_colon = False
        for match in _TOKEN.finditer(text):
            line += text.count("\n", position, match.start())
            position = match.start()
            token = match.group()
            top = frames[-1] if frames else None
            if token == ":":
                after_colon = True
                continue
            if token == ",":
                if top is not None and top[0] == "[":
                    top[2] = int(str(top[2])) + 1
                continue
            if token in "}]":
                if frames:
                    frames.pop()
                after_colon = False
                continue
            if top is not None and top[0] == "{" and not after_colon:
                top[2] = token[1:-1] if token.startswith('"') else token  # an object key
                continue
            where: tuple[object, ...] = ()
            if top is not None:
                path = top[1]
                assert isinstance(path, tuple)
                where = (*path, top[2])
            after_colon = False
            if token in "{[":
                frames.append([token, where, 0 if token == "[" else None])
            else:
                self._value(where, token, line)

    def _value(self, where: tuple[object, ...], token: str, line: int) -> None:
        if len(where) < 3 or where[0] != "cells" or where[2] != "source":
            return
        cell = where[1]
        if not isinstance(cell, int) or not token.startswith('"'):
            return
        if len(where) == 3:  # the whole source as one string
            self._lines[cell] = [(1, line)]
        elif len(where) == 4:  # one element of the source array
            elements = self._lines.setdefault(cell, [])
            start = 1 + self._newlines.get(cell, 0)
            elements.append((start, line))
            try:
                content = json.loads(token)
            except ValueError:
                content = ""
            self._newlines[cell] = self._newlines.get(cell, 0) + str(content).count("\n")
