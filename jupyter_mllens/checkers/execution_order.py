"""`out-of-order-execution`: the saved outputs were not produced by running top to bottom.

Two facts of the saved file say so. Execution counts that do not increase in document order
(a cell above ran after a cell below), and a partial run: a code cell that never ran sits
above cells that did and that use a name it defines, so running the notebook from the top
would run code the saved outputs never saw. Gaps in the counts (1, 2, 5, 6) are not reported:
re-running a cell in place is ordinary work. Not reported either: a cleared notebook (no
counts at all), a notebook run headless by papermill, empty cells, and never-run cells that
define nothing a later cell uses (a skipped `!pip install`, a commented-out experiment).

One finding per notebook, at the first offending cell: the fix (restart the kernel and run
all) is one action for the whole notebook, and a finding per cell would bury the others.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..notebook_content import CodeCellRun
from .base import Checker, ContentViolation

_ADVICE = "restart the kernel and run all cells before saving, so the outputs can be reproduced"
#: Notebook metadata keys written by tools that execute notebooks headless, in order.
_HEADLESS = frozenset({"papermill"})


class OutOfOrderExecution(Checker):
    name = "out-of-order-execution"

    def check(self, ctx: NotebookContext) -> Iterable[ContentViolation]:
        content = ctx.document.content
        if content.metadata_keys & _HEADLESS:
            return
        runs = [run for run in content.runs if run.source.strip()]
        if not any(run.execution_count is not None for run in runs):
            return  # cleared or never run: nothing claims to be an output of this code
        problems = _order_problems(runs) + _partial_run_problems(ctx, runs)
        if not problems:
            return
        problems.sort(key=lambda problem: problem[0].index)
        first, message = problems[0]
        others = len({run.index for run, _ in problems}) - 1
        more = f" ({others} more cell{'s' if others != 1 else ''} likewise)" if others else ""
        yield ContentViolation(first.index, first.cell_id, f"{message}{more}; {_ADVICE}")


def _order_problems(runs: list[CodeCellRun]) -> list[tuple[CodeCellRun, str]]:
    problems: list[tuple[CodeCellRun, str]] = []
    latest: CodeCellRun | None = None
    for run in runs:
        count = run.execution_count
        if count is None:
            continue
        previous = latest.execution_count if latest is not None else None
        if latest is not None and previous is not None and count <= previous:
            problems.append(
                (
                    run,
                    f"cell ran as In [{count}] but cell {latest.index + 1} above it ran "
                    f"later, as In [{previous}]: the saved outputs were not "
                    "produced in document order",
                )
            )
            continue
        latest = run
    return problems


def _partial_run_problems(
    ctx: NotebookContext, runs: list[CodeCellRun]
) -> list[tuple[CodeCellRun, str]]:
    analyzed = {cell.cell.index: cell for cell in ctx.cells}
    problems: list[tuple[CodeCellRun, str]] = []
    last_ran = max((n for n, run in enumerate(runs) if run.execution_count is not None), default=-1)
    for position, run in enumerate(runs[:last_ran]):
        if run.execution_count is not None or run.output_count:
            continue
        cell = analyzed.get(run.index)
        defined = _defined_names(cell) if cell is not None else set()
        if not defined:
            continue
        for later in runs[position + 1 :]:
            if later.execution_count is None:
                continue
            user = analyzed.get(later.index)
            used = sorted(defined & _used_names(user)) if user is not None else []
            if used:
                problems.append(
                    (
                        run,
                        f"cell never ran, but cell {later.index + 1} below it ran (In "
                        f"[{later.execution_count}]) and uses `{used[0]}` that it defines: "
                        "running the notebook from the top would run code its outputs never saw",
                    )
                )
                break
    return problems


def _defined_names(cell: AnalyzedCell) -> set[str]:
    facts = cell.analysis.facts
    names = {b.name for b in facts.bindings if b.scope is None and not b.parameter}
    names |= {i.local for i in facts.imports if i.local != "*"}
    module = cell.analysis.module
    if module is not None:
        for statement in module.body:
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                names.add(statement.name.value)
    return names


def _used_names(cell: AnalyzedCell) -> set[str]:
    facts = cell.analysis.facts
    own = {b.name for b in facts.bindings if b.scope is None and not b.parameter}
    own |= {i.local for i in facts.imports}
    return facts.names - own
