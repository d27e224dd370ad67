"""`mllens check --fix / --unsafe-fixes / --diff / --show-fixes`, following ruff.

`--fix` rewrites notebooks before the normal lint run, so the report that follows shows
what is left; `--diff` prints per-cell unified diffs and writes nothing. Summaries and
listings go to stderr, keeping stdout the report in the chosen format. A notebook that
cannot be fixed or written becomes an error of the run; the other files still are fixed.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from ..catalog import Catalog
from ..discovery import Target
from ..engine import Linter
from ..findings import LintError
from .run import FileFix, fix_file


def run_fixes(
    targets: Sequence[Target],
    catalog: Catalog,
    *,
    unsafe: bool,
    write: bool,
    show: bool,
    diff: bool,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> tuple[list[FileFix], list[LintError]]:
    out = out or sys.stdout
    err = err or sys.stderr
    linter = Linter(catalog)
    results: list[FileFix] = []
    errors: list[LintError] = []
    for target in targets:
        if target.url is not None or target.path.suffix != ".ipynb":
            continue  # fixes rewrite local notebooks only
        result = fix_file(
            target.path, target.shown, linter, target.config, unsafe=unsafe, write=write
        )
        results.append(result)
        if result.error is not None:
            errors.append(LintError(target.shown, result.error))
        if diff and result.after:
            out.write(result.diff())
        if show:
            verb = "Fixed" if result.written else "Would fix"
            for finding, fix in result.applied:
                cell = "" if finding.cell_index is None else f"cell {finding.cell_index + 1}:"
                where = f"{finding.path}:{cell}{finding.line}:{finding.column}"
                err.write(f"{verb} {where}: {finding.code} {finding.name}: {fix.title}\n")
    fixed = sum(len(r.applied) for r in results if r.written)
    if write:
        files = sum(1 for r in results if r.written)
        err.write(f"Fixed {fixed} finding(s) in {files} notebook(s).\n")
    return results, errors
