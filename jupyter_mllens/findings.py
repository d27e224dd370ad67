"""The findings schema: the one shape every face (CLI, server, widget) speaks.

A `Finding` is a frozen value so it can be cached, compared in tests and serialised
without surprises. Its JSON form (`to_json`) is versioned by `SCHEMA_VERSION`; the CLI's
`--format json`, the server's `POST /mllens/lint` and the widget all emit exactly this.

A finding whose rule has a fix carries it under `fix` (absent otherwise, so version 1
readers are unaffected): `title`, `applicability` (`safe`, `unsafe`, `display-only`),
`edits` (each `cell_index`, `cell_id`, 1-based `line`/`column` to exclusive
`end_line`/`end_column` in the cell, `replacement`; all of one fix's edits apply together)
and `template` (the code a display-only fix shows). See `fixes/model.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .fixes.model import Fix

SCHEMA_VERSION = 1


class Severity(str, Enum):
    """How bad a finding is; ordered from most to least severe."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Larger is more severe, so `max()` and `>=` thresholds read naturally."""
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r} (choose from {choices})") from None


_SEVERITY_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


@dataclass(frozen=True, order=True)
class Location:
    """Where a finding points: 1-based line and column within one cell (or a `.py` file)."""

    line: int
    column: int
    end_line: int
    end_column: int


class Part(str, Enum):
    """Which part of a cell (or of the notebook) a finding's line and column are in.

    `source` is the cell's source (a code, markdown or raw cell); `output` is the text of
    the saved output `Finding.output` of a code cell (line and column within that output's
    text, ANSI colour codes removed); `metadata` is a string in the cell's metadata, or in
    the notebook's when `cell_index` is None (line and column within that string).
    """

    SOURCE = "source"
    OUTPUT = "output"
    METADATA = "metadata"


@dataclass(frozen=True)
class Finding:
    """One rule violation at one place in one notebook or script."""

    path: str
    cell_index: int | None
    cell_id: str | None
    location: Location
    code: str
    name: str
    severity: Severity
    pillars: tuple[str, ...]
    phase: str
    lens: tuple[str, ...]
    message: str
    part: Part = Part.SOURCE
    #: The index of the output in the cell's `outputs` list, for `part` output.
    output: int | None = None
    #: How to fix it (`fixes/model.py`); in JSON under `fix`, present only when there is one.
    fix: Fix | None = None

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple[str, int, int, int, int, int, str]:
        cell = -1 if self.cell_index is None else self.cell_index
        output = -1 if self.output is None else self.output
        return (
            self.path,
            cell,
            _PART_ORDER[self.part],
            output,
            self.location.line,
            self.location.column,
            self.code,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "cell_index": self.cell_index,
            "cell_id": self.cell_id,
            "line": self.location.line,
            "column": self.location.column,
            "end_line": self.location.end_line,
            "end_column": self.location.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "pillars": list(self.pillars),
            "phase": self.phase,
            "lens": list(self.lens),
            "message": self.message,
            "part": self.part.value,
            "output": self.output,
            **({} if self.fix is None else {"fix": self.fix.to_json()}),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """The inverse of `to_json`; `ValueError` on anything `to_json` could not have written.

        Strict, because it reads the persistent cache: an entry edited or damaged on disk
        must be rejected (and linted again), never turned into a finding of the wrong shape.
        """
        try:
            cell_index = data["cell_index"]
            cell_id = data["cell_id"]
            finding = cls(
                path=_typed(data["path"], str),
                cell_index=None if cell_index is None else _typed(cell_index, int),
                cell_id=None if cell_id is None else _typed(cell_id, str),
                location=Location(
                    _typed(data["line"], int),
                    _typed(data["column"], int),
                    _typed(data["end_line"], int),
                    _typed(data["end_column"], int),
                ),
                code=_typed(data["code"], str),
                name=_typed(data["name"], str),
                severity=Severity(data["severity"]),
                pillars=_strings(data["pillars"]),
                phase=_typed(data["phase"], str),
                lens=_strings(data["lens"]),
                message=_typed(data["message"], str),
                part=Part(data.get("part", Part.SOURCE.value)),
                output=None if data.get("output") is None else _typed(data["output"], int),
                fix=None if data.get("fix") is None else Fix.from_json(data["fix"]),
            )
        except (KeyError, TypeError) as exc:
            raise ValueError(f"not a finding: {type(exc).__name__} {exc}") from None
        return finding


_PART_ORDER = {Part.SOURCE: 0, Part.OUTPUT: 1, Part.METADATA: 2}


def _typed(value: Any, kind: type[Any]) -> Any:
    # bool is an int to isinstance, but never a line number or a cell index
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ValueError(f"expected {kind.__name__}, got {type(value).__name__}")
    return value


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list, got {type(value).__name__}")
    return tuple(_typed(item, str) for item in value)


@dataclass(frozen=True)
class LintError:
    """An input that could not be linted (unreadable, not a notebook, ...)."""

    path: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True)
class LintResult:
    """Everything one lint run produced, in a stable order."""

    findings: tuple[Finding, ...] = ()
    errors: tuple[LintError, ...] = ()
    files: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "version": SCHEMA_VERSION,
            "findings": [f.to_json() for f in self.findings],
            "errors": [e.to_json() for e in self.errors],
        }
