"""Fix one notebook file: lint, apply fixes in passes until stable, then write or diff.

The engine does the linting (the same findings as `mllens check`); this module only
chooses fixes by applicability, applies them (`apply.py`) and writes the notebook back
(`notebook_file.py`). Nothing is written when a pass fails, when the file's layout cannot
be reproduced, or when only a diff was asked for.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..engine import Linter
from ..findings import Finding
from ..reader import InputError, parse_notebook
from ..redaction import redact
from ..secrets import mask
from .apply import FixError, apply_pass, span
from .model import Applicability, Edit, Fix
from .notebook_file import LayoutError, find_layout, with_sources, write_atomically

#: Rules whose fixes replace a secret: the replaced text never appears in a diff.
SECRET_RULES = frozenset({"hardcoded-credentials"})

#: Overlapping fixes wait for a later pass; a fix that keeps producing fixes stops here.
MAX_PASSES = 10


@dataclass(frozen=True)
class FileFix:
    """What fixing one file did (or would do): the applied fixes and each edited cell."""

    path: str
    applied: tuple[tuple[Finding, Fix], ...] = ()
    before: dict[int, str] = field(default_factory=dict)
    after: dict[int, str] = field(default_factory=dict)
    error: str | None = None
    written: bool = False
    #: Text the fixes replaced that a credential rule flagged: masked in every diff.
    secrets: tuple[str, ...] = ()

    def diff(self) -> str:
        """A unified diff per edited cell, named by notebook and cell, secrets masked."""
        chunks: list[str] = []
        for index in sorted(self.after):
            lines = difflib.unified_diff(
                self.before[index].splitlines(keepends=True),
                self.after[index].splitlines(keepends=True),
                fromfile=f"{self.path}:cell {index + 1}",
                tofile=f"{self.path}:cell {index + 1}",
            )
            text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
            for secret in sorted(self.secrets, key=len, reverse=True):
                text = text.replace(secret, mask(secret))
            chunks.append(redact(text))
        return "".join(chunks)


def _replaced(sources: dict[int, str], edit: Edit) -> str:
    """The text `edit` replaces (empty for an insertion)."""
    assert edit.cell_index is not None
    start, end = span(sources[edit.cell_index], edit)
    return sources[edit.cell_index][start:end]


def wanted(fix: Fix, unsafe: bool) -> bool:
    return fix.applicable and (fix.applicability is Applicability.SAFE or unsafe)


def fix_file(
    path: Path,
    shown: str,
    linter: Linter,
    config: Config,
    *,
    unsafe: bool = False,
    write: bool = True,
) -> FileFix:
    try:
        text = path.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return FileFix(shown, error=f"cannot read it ({exc})")
    try:
        original = parse_notebook(raw, shown)
    except InputError as exc:
        return FileFix(shown, error=str(exc))
    before = {cell.index: cell.source for cell in original.cells if cell.index is not None}
    sources = dict(before)
    current = raw
    applied: list[tuple[Finding, Fix]] = []
    secrets: list[str] = []
    for _ in range(MAX_PASSES):
        document = parse_notebook(current, shown)
        findings = linter.lint_document(document, config, path)
        candidates = [(f, f.fix) for f in findings if f.fix is not None and wanted(f.fix, unsafe)]
        if not candidates:
            break
        try:
            step = apply_pass(sources, [fix for _, fix in candidates])
        except FixError as exc:
            return FileFix(shown, error=f"not fixed: {exc}")
        if not step.sources:
            break
        taken = [(f, fix) for f, fix in candidates if fix in step.applied]
        secrets += [
            _replaced(sources, edit)
            for f, fix in taken
            if f.name in SECRET_RULES
            for edit in fix.edits
        ]
        applied += taken
        sources.update(step.sources)
        current = with_sources(current, step.sources)
    after = {index: source for index, source in sources.items() if source != before[index]}
    result = FileFix(shown, tuple(applied), before, after, secrets=tuple(s for s in secrets if s))
    if not after or not write:
        return result
    return _write(path, text, raw, current, result)


def _write(path: Path, text: str, raw: Any, fixed: Any, result: FileFix) -> FileFix:
    try:
        layout = find_layout(text, raw)
    except LayoutError as exc:
        return replace(result, error=f"not written: {exc}")
    try:
        write_atomically(path, layout.dump(fixed).encode("utf-8"))
    except OSError as exc:
        message = f"cannot write it ({exc.strerror or exc})"
        return replace(result, error=message)
    return replace(result, written=True)
