"""The Python API: lint one notebook, given as a file or as notebook JSON in memory.

It is the CLI's `mllens check` for a single notebook, for code running inside a kernel:
the same engine, the same `[tool.mllens]` discovery (from the notebook's folder) and the
same `--select`/`--ignore` semantics, returning the same `LintResult` schema. One linter
is kept for the whole process so its cell cache stays warm between calls, which is what
makes `%mllens` and the cell guard cheap after the first run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .engine import Linter
from .findings import LintResult

#: How findings name a notebook handed over as JSON rather than as a file.
IN_MEMORY_PATH = "<notebook>"


@cache
def shared_linter() -> Linter:
    """The process's one `Linter`: its cell cache makes a re-lint cost only edited cells."""
    return Linter()


def lint_notebook(
    notebook: str | os.PathLike[str] | Mapping[str, Any],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    config: Config | None = None,
    path: str | None = None,
    linter: Linter | None = None,
) -> LintResult:
    """Lint a notebook file, or notebook JSON (a dict or an `nbformat.NotebookNode`).

    Configuration is discovered from the notebook's folder (the current folder for JSON),
    unless `config` is given; `select` replaces the configured selection and `ignore`
    adds to it, as on the command line. `path` names in-memory JSON in the findings.
    Problems with the input (a missing file, JSON that is not a notebook) come back as
    `LintResult.errors`, never as exceptions; an unknown rule in `select`/`ignore` raises
    `ValueError` and a broken configuration file `ConfigError`, as both make `mllens check`
    exit 2.
    """
    engine = linter or shared_linter()
    unknown = [s for s in (*(select or ()), *(ignore or ())) if not engine.catalog.is_selector(s)]
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)} (see `mllens rules`)")
    overrides = (list(select) if select else None, list(ignore) if ignore else None)
    if isinstance(notebook, Mapping):
        shown = path if path is not None else IN_MEMORY_PATH
        base = config if config is not None else load_config(Path.cwd())
        location = Path(path) if path is not None else None
        return engine.lint_notebook(notebook, shown, base.with_overrides(*overrides), location)
    file = Path(notebook)
    base = config if config is not None else load_config(file)
    return engine.lint_file(file, str(notebook), base.with_overrides(*overrides))
