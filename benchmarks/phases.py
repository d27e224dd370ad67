"""Where a cold lint's CPU time goes, per phase and per rule, in one process.

    python benchmarks/phases.py DIR [--top N]

Lints every notebook under DIR with one `Linter` and the default configuration, as
`benchmarks/lint_corpus.py DIR --jobs 1` does (the same garbage-collector settings, see
`jupyter_mllens/gc_policy.py`), and charges the CPU time of each step to it: reading and
decoding the JSON, IPython translation, the complexity guard, libcst's parse, the fact
walk, the notebook context, each rule's checker, finding positions and fixes. The phases do
not overlap; what the context computes lazily (resolving every call) is charged to the
first rule that asks, and "other" is the engine's own bookkeeping. CPU time (`time.process_time`), not wall-clock
time, so that other load on the machine disturbs the split least.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import libcst

import jupyter_mllens.analysis.cell as cell_module
import jupyter_mllens.engine as engine_module
from jupyter_mllens.config import Config
from jupyter_mllens.discovery import discover
from jupyter_mllens.engine import Linter
from jupyter_mllens.gc_policy import batch_gc

SPENT: dict[str, float] = {}


def charge(owner: Any, attribute: str, phase: str, consume: bool = False) -> None:
    """Wrap `owner.attribute` so its CPU time is charged to `phase`.

    `consume` turns a lazy result (a checker's generator) into a tuple inside the clock.
    """
    original: Callable[..., Any] = getattr(owner, attribute)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            result = original(*args, **kwargs)
            return tuple(result) if consume else result
        finally:
            SPENT[phase] = SPENT.get(phase, 0.0) + time.process_time() - started

    setattr(owner, attribute, timed)


def instrument(linter: Linter) -> None:
    charge(engine_module, "document_from_bytes", "read and decode the notebook")
    charge(cell_module, "translate", "IPython translation")
    charge(cell_module, "check_complexity", "complexity guard")
    charge(libcst, "parse_module", "libcst parse")  # cell.py calls it as `cst.parse_module`
    charge(cell_module, "walk", "fact walk")
    charge(engine_module, "NotebookContext", "notebook context")
    charge(cell_module.CellAnalysis, "position", "finding positions")
    charge(engine_module, "with_fixes", "fixes")
    for name, checker in linter.checkers.items():
        charge(checker, "check", f"rule {name}", consume=True)


def rows(total: float, top: int) -> Iterable[tuple[str, float]]:
    named = sorted(SPENT.items(), key=lambda item: -item[1])
    rules = [(k, v) for k, v in named if k.startswith("rule ")]
    phases = [(k, v) for k, v in named if not k.startswith("rule ")]
    yield from phases
    yield "all rules", sum(v for _, v in rules)
    yield from (("  " + k, v) for k, v in rules[:top])
    yield "other (engine bookkeeping)", total - sum(SPENT.values())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--top", type=int, default=10, help="rules to list (default 10)")
    args = parser.parse_args(argv)
    config = Config()
    linter = Linter()
    instrument(linter)
    targets, _ = discover([str(args.directory)], lambda path: config)
    started = time.process_time()
    with batch_gc():
        for target in targets:
            linter.lint_file(target.path, target.shown, config)
    total = time.process_time() - started
    print(f"{len(targets)} files, {total:.2f} CPU seconds ({len(targets) / total:.1f} per second)")
    for phase, seconds in rows(total, args.top):
        print(f"{phase:<48} {seconds:7.2f} s {seconds / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
