"""`out-of-order-execution`: the saved outputs were not produced by running top to bottom.

The saved file says so when execution counts do not increase in document order: a cell above
ran after a cell below it (or, with equal counts, in another kernel session). Gaps in the
counts (1, 2, 5, 6) are not reported: re-running a cell in place is ordinary work. Not
reported either: a cleared notebook (no counts at all), a notebook run headless by papermill,
empty cells, and cells without a count among counted ones. The last look like a partial run
(a cell that never ran above cells that did), but JupyterLab's "Clear Output" also removes a
cell's count, and on real notebooks most such cells had been run and cleared (authors clear
the output of a login or install cell before publishing), so the file cannot tell the two
apart.

One finding per notebook, at the first offending cell: the fix (restart the kernel and run
all) is one action for the whole notebook, and a finding per cell would bury the others.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..analysis import NotebookContext
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
        if not any((run.execution_count or 0) >= 1 for run in runs):
            return  # cleared or never run: nothing claims to be an output of this code
        problems = _order_problems(runs)
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
        if count is None or count < 1:
            continue  # IPython counts from 1: a 0 was written by a tool, not by a run
        previous = latest.execution_count if latest is not None else None
        if latest is not None and previous is not None and count <= previous:
            when = (
                f"ran later, as In [{previous}]"
                if count < previous
                else f"also ran as In [{previous}], in another kernel session"
            )
            problems.append(
                (
                    run,
                    f"cell ran as In [{count}] but cell {latest.index + 1} above it {when}: "
                    "the saved outputs were not produced in document order",
                )
            )
            continue
        latest = run
    return problems
