"""What a notebook holds besides code: saved outputs, execution counts, prose and metadata.

Code cells are what most rules analyse (`Document.cells`). A few rules read the rest of the
file: a key printed into a saved output or stored in metadata, execution counts that show
the outputs were not produced top to bottom, a token pasted into a markdown cell. This
module reads that content once, at the same time as the code cells, into frozen values with
exact places (cell index and id, output index, line and column in the output's text).

Notebooks are untrusted input, so everything here is bounded and linear: only text outputs
are kept (never images or other binary payloads), each output's text is cut at
`MAX_OUTPUT_CHARS` and a notebook's outputs together at `MAX_NOTEBOOK_OUTPUT_CHARS`;
metadata is walked iteratively (no recursion on notebook structure) and keeps at most
`MAX_METADATA_STRINGS` strings of at most `MAX_METADATA_CHARS` each. ANSI colour codes are
removed from output text, so columns count the characters a user sees.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

#: Characters of one output representation that are scanned; the rest is not kept.
MAX_OUTPUT_CHARS = 64 * 1024
#: Characters of output text kept for a whole notebook.
MAX_NOTEBOOK_OUTPUT_CHARS = 1024 * 1024
#: Metadata strings kept per notebook, and characters kept of each.
MAX_METADATA_STRINGS = 2000
MAX_METADATA_CHARS = 4096
#: Characters kept of a markdown or raw cell.
MAX_TEXT_CELL_CHARS = 256 * 1024

#: Text representations read from `execute_result` and `display_data`, in the order a
#: finding prefers them (a secret shown in both is reported in the first).
TEXT_MIMES = ("text/plain", "application/json", "text/html")

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]{0,256}(?:\x07|\x1b\\)")


@dataclass(frozen=True)
class OutputText:
    """One text representation of one saved output of a code cell.

    `index` is the output's position in the cell's `outputs` list; `kind` is `stream`,
    `error` (the traceback) or the MIME type. `truncated` says the text was cut at the cap.
    """

    index: int
    kind: str
    text: str
    truncated: bool = False

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of `text[offset]`."""
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1


@dataclass(frozen=True)
class CodeCellRun:
    """What a code cell's saved state says about running it: its count and its outputs."""

    index: int
    cell_id: str | None
    execution_count: int | None
    #: Every saved output, images included (the texts below are only the text ones).
    output_count: int
    outputs: tuple[OutputText, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class TextCell:
    """A markdown or raw cell."""

    index: int
    cell_id: str | None
    kind: str  # "markdown" | "raw"
    source: str


@dataclass(frozen=True)
class MetadataString:
    """One string value in notebook metadata (`cell_index` None) or a cell's metadata.

    `keys` is the path of keys and list positions that leads to it
    (`("papermill", "parameters", "api_key")`).
    """

    cell_index: int | None
    cell_id: str | None
    keys: tuple[str | int, ...]
    value: str

    @property
    def key(self) -> str | None:
        """The innermost dictionary key above the value (the name it is stored under)."""
        return next((k for k in reversed(self.keys) if isinstance(k, str)), None)

    @property
    def dotted(self) -> str:
        return ".".join(str(k) for k in self.keys)


@dataclass(frozen=True)
class NotebookContent:
    """All of a notebook's non-code content, in document order."""

    runs: tuple[CodeCellRun, ...] = ()
    text_cells: tuple[TextCell, ...] = ()
    metadata: tuple[MetadataString, ...] = ()
    #: Top-level keys of the notebook metadata (`papermill` says it was run headless).
    metadata_keys: frozenset[str] = frozenset()


EMPTY = NotebookContent()


class ContentReader:
    """Builds `NotebookContent` cell by cell while the reader walks the notebook."""

    def __init__(self, notebook_metadata: Mapping[str, Any]) -> None:
        self._runs: list[CodeCellRun] = []
        self._texts: list[TextCell] = []
        self._metadata: list[MetadataString] = []
        self._output_budget = MAX_NOTEBOOK_OUTPUT_CHARS
        self._metadata_keys = frozenset(k for k in notebook_metadata if isinstance(k, str))
        self._strings(notebook_metadata, None, None)

    def code_cell(
        self, cell: Mapping[str, Any], index: int, cell_id: str | None, source: str
    ) -> None:
        count = cell.get("execution_count")
        outputs = cell.get("outputs")
        outputs = outputs if isinstance(outputs, list) else []
        texts: list[OutputText] = []
        for position, output in enumerate(outputs):
            if isinstance(output, Mapping):
                texts.extend(self._output_texts(output, position))
        self._runs.append(
            CodeCellRun(
                index=index,
                cell_id=cell_id,
                execution_count=count if isinstance(count, int) and count >= 0 else None,
                output_count=len(outputs),
                outputs=tuple(texts),
                source=source,
            )
        )
        self._cell_metadata(cell, index, cell_id)

    def text_cell(
        self, cell: Mapping[str, Any], index: int, cell_id: str | None, kind: str, source: str
    ) -> None:
        self._texts.append(TextCell(index, cell_id, kind, source[:MAX_TEXT_CELL_CHARS]))
        self._cell_metadata(cell, index, cell_id)

    def content(self) -> NotebookContent:
        return NotebookContent(
            runs=tuple(self._runs),
            text_cells=tuple(self._texts),
            metadata=tuple(self._metadata),
            metadata_keys=self._metadata_keys,
        )

    # -- outputs -------------------------------------------------------------------------
    def _output_texts(self, output: Mapping[str, Any], position: int) -> list[OutputText]:
        kind = output.get("output_type")
        if kind == "stream":
            return self._kept(position, "stream", output.get("text"))
        if kind == "error":
            return self._kept(position, "error", output.get("traceback"))
        if kind in ("execute_result", "display_data", "pyout"):
            data = output.get("data")
            if not isinstance(data, Mapping):
                return []
            found: list[OutputText] = []
            for mime in TEXT_MIMES:
                if mime in data:
                    found.extend(self._kept(position, mime, data[mime]))
            return found
        return []

    def _kept(self, position: int, kind: str, value: Any) -> list[OutputText]:
        if self._output_budget <= 0:
            return []
        cap = min(MAX_OUTPUT_CHARS, self._output_budget)
        if kind == "application/json" and not isinstance(value, (str, list)):
            value = _json_text(value, cap + 1)
        text = _joined(value, cap + 1, separator="\n" if kind == "error" else "")
        if text is None:
            return []
        truncated = len(text) > cap
        text = _ANSI.sub("", text[:cap])
        self._output_budget -= len(text)
        return [OutputText(position, kind, text, truncated)] if text else []

    # -- metadata ------------------------------------------------------------------------
    def _cell_metadata(self, cell: Mapping[str, Any], index: int, cell_id: str | None) -> None:
        metadata = cell.get("metadata")
        if isinstance(metadata, Mapping) and metadata:
            self._strings(metadata, index, cell_id)

    def _strings(self, root: Mapping[str, Any], index: int | None, cell_id: str | None) -> None:
        """Every string under `root`, breadth first, iteratively, within the caps."""
        pending: list[tuple[tuple[str | int, ...], Any]] = [((), root)]
        visited = 0
        while pending and len(self._metadata) < MAX_METADATA_STRINGS:
            keys, value = pending.pop()
            visited += 1
            if visited > 20 * MAX_METADATA_STRINGS:
                return
            if isinstance(value, str):
                if value:
                    self._metadata.append(
                        MetadataString(index, cell_id, keys, value[:MAX_METADATA_CHARS])
                    )
            elif isinstance(value, Mapping):
                items = [(k, v) for k, v in value.items() if isinstance(k, str)]
                pending.extend(((*keys, k), v) for k, v in reversed(items))
            elif isinstance(value, list):
                pending.extend(((*keys, n), v) for n, v in reversed(list(enumerate(value))))


def _json_text(value: Any, limit: int) -> str | None:
    """A JSON output as the indented text a frontend shows (None if it cannot be dumped)."""
    try:
        return json.dumps(value, indent=1, ensure_ascii=False)[:limit]
    except (RecursionError, TypeError, ValueError):
        return None


def _joined(value: Any, limit: int, separator: str) -> str | None:
    """A string, or a list of strings joined, read only up to `limit` characters."""
    if isinstance(value, str):
        return value[:limit]
    if not isinstance(value, list):
        return None
    parts: list[str] = []
    size = 0
    for part in value:
        if not isinstance(part, str):
            return None
        parts.append(part)
        size += len(part) + len(separator)
        if size >= limit:
            break
    return separator.join(parts)[:limit]
