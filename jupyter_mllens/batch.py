"""Lint many files, across processes when there are enough to pay for them.

Each worker process keeps its own `Linter` (and so its own cell cache) for its lifetime;
files are sent in chunks so start-up and pickling costs are paid per chunk, not per file.
A file that fails to read becomes an error in the result; it never stops the batch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from .discovery import Target
from .engine import Linter
from .findings import Finding, LintError, LintResult

#: Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16
_CHUNK = 8

_worker_linter: Linter | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def lint_targets(
    targets: Sequence[Target], jobs: int | None = None, linter: Linter | None = None
) -> LintResult:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(targets) < PARALLEL_THRESHOLD:
        return _lint_chunk(list(targets), linter or Linter())
    chunks = [list(targets[i : i + _CHUNK]) for i in range(0, len(targets), _CHUNK)]
    findings: list[Finding] = []
    errors: list[LintError] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for partial in pool.map(_lint_in_worker, chunks):
            findings.extend(partial.findings)
            errors.extend(partial.errors)
    return LintResult(tuple(findings), tuple(errors), files=len(targets))


def _lint_in_worker(chunk: list[Target]) -> LintResult:
    global _worker_linter
    if _worker_linter is None:
        _worker_linter = Linter()
    return _lint_chunk(chunk, _worker_linter)


def _lint_chunk(chunk: list[Target], linter: Linter) -> LintResult:
    findings: list[Finding] = []
    errors: list[LintError] = []
    for target in chunk:
        result = linter.lint_file(target.path, target.shown, target.config)
        findings.extend(result.findings)
        errors.extend(result.errors)
    return LintResult(tuple(findings), tuple(errors), files=len(chunk))
