"""What `%mllens guard on` costs per cell: the check before an ordinary cell runs.

The guard checks each new cell against the cells executed so far with the kernel's one
long-lived `Linter`, whose cell cache already holds every earlier cell. This measures the
whole hook as IPython calls it: `CellGuard.pre_run_cell` on a fresh cell (new text, so its
own parse is a cache miss, as for a cell just typed) after a history of N cells, in a real
`InteractiveShell` with the guard installed, and the same shell running the cell with the
guard off and on.

    python benchmarks/guard.py [--history 20,100,300] [--repeat 200]

The target is under 5 ms on an ordinary cell.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from IPython.core.interactiveshell import InteractiveShell
from make_corpus import Writer
from server_relint import CELL_TEMPLATES

from jupyter_mllens.api import shared_linter
from jupyter_mllens.config import Config
from jupyter_mllens.guard import CellGuard, GuardMode

#: Ordinary cells a data scientist types; `{k}` makes each one new text.
ORDINARY = (
    "summary_{k} = df0.describe()\nsummary_{k}",
    "df0['ratio_{k}'] = df0['a'] / (df0['b'] + 1)\ndf0.head()",
    "for col in df0.columns[:{k} % 5 + 1]:\n    print(col, df0[col].isna().mean())",
    "plt.figure(figsize=(6, 4))\nplt.hist(df0['a'], bins={k} % 40 + 10)\nplt.show()",
)


class _Info:
    """What IPython passes to `pre_run_cell`: only `raw_cell` is read."""

    def __init__(self, raw_cell: str) -> None:
        self.raw_cell = raw_cell


def corpus_history(cells: int) -> list[str]:
    """Cells like the benchmark corpus's (shaped after real notebooks), as IPython keeps
    them: entry 0 is IPython's placeholder."""
    notebook = Writer(random.Random(cells)).notebook(cells)
    return ["", *(c["source"] for c in notebook["cells"] if c["cell_type"] == "code")]


def dense_history(cells: int) -> list[str]:
    """A heavy case: a model trained and scored every eight cells (server_relint.py's mix)."""
    return ["", *(CELL_TEMPLATES[i % len(CELL_TEMPLATES)].format(i=i) for i in range(cells))]


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"median {statistics.median(ordered):6.2f} ms  p95 {p95:6.2f} ms  max {ordered[-1]:6.2f} ms"
    )


def time_calls(repeat: int, call: Callable[[int], object]) -> list[float]:
    samples = []
    for k in range(repeat):
        start = time.perf_counter()
        call(k)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", default="20,100,300")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    linter = shared_linter()
    shown: list[dict[str, str]] = []
    for label, make in (("corpus-like", corpus_history), ("dense training", dense_history)):
        for size in (int(n) for n in args.history.split(",")):
            cells = make(size)
            guard = CellGuard(linter, lambda cells=cells: cells, shown.append)
            guard.configure(Config(), "<bench>")
            guard.check("warm = 1")  # the history enters the cell cache, as in a kernel
            shown.clear()
            samples = time_calls(
                args.repeat,
                lambda k, guard=guard: guard.pre_run_cell(
                    _Info(ORDINARY[k % len(ORDINARY)].format(k=k))
                ),
            )
            print(
                f"pre_run_cell, ordinary cell, {label} history of {size:3d} cells:"
                f" {percentiles(samples)}"
            )
    shown.clear()

    cells = corpus_history(100)
    guard = CellGuard(linter, lambda: cells, shown.append)
    guard.configure(Config(), "<bench>")
    guard.check("warm = 1")
    samples = time_calls(
        args.repeat,
        lambda k: guard.pre_run_cell(
            _Info(f'api_key = "sk-proj-Q7mZp3Lx9Vt2Rb8Nc4Hw6Jk1Yd5F{k:05d}"')
        ),
    )
    print(
        f"pre_run_cell, cell with a credential (warning built), 100 before: {percentiles(samples)}"
    )
    assert len(shown) == args.repeat, "every credential cell should be flagged"

    # The whole `run_cell` in a real shell, guard off vs on (history grows as cells run).
    shell = InteractiveShell.instance()
    shell.run_cell("df0 = {'a': 1}", store_history=True)
    for mode in (GuardMode.OFF, GuardMode.ON):
        guard = CellGuard(linter, lambda: list(shell.history_manager.input_hist_raw), shown.append)
        guard.configure(Config(), "<bench>")
        guard.install(shell, mode)
        samples = time_calls(
            args.repeat, lambda k: shell.run_cell(f"x_{k} = {k} * 2", store_history=True)
        )
        guard.uninstall()
        print(f"InteractiveShell.run_cell, guard {mode.value:3s}: {percentiles(samples)}")


if __name__ == "__main__":
    main()
