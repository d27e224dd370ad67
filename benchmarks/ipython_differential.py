"""Differential check on real notebooks: cells IPython reads as valid Python must parse here.

    python benchmarks/ipython_differential.py DIR [DIR ...] [--show N]

Collects the distinct code cells of every `.ipynb` under the given directories, asks a
real IPython shell which of them it would run without a SyntaxError
(`tests/ipython_oracle.py`), and asks the linter's per-cell analysis the same question.
Prints how many cells each side accepts, the cells IPython accepts that the linter
rejects (false `syntax-error`s; should be none), and the cells the linter accepts that
IPython rejects (missed errors), with up to N examples of each. Run from the repository
root with the repository on PYTHONPATH. Exits 1 when a false `syntax-error` is found.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.ipython_oracle import ipython_accepts, mllens_accepts


def code_cells(directories: list[Path]) -> Iterator[tuple[Path, str]]:
    """(notebook, cell source) for every code cell, first occurrence of each text only."""
    seen: set[str] = set()
    for directory in directories:
        for path in sorted(directory.rglob("*.ipynb")):
            try:
                data = json.loads(path.read_bytes())
            except (OSError, ValueError):
                continue
            for cell in data.get("cells", ()) if isinstance(data, dict) else ():
                if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                    continue
                source = cell.get("source", "")
                text = "".join(source) if isinstance(source, list) else str(source)
                if text.strip() and text not in seen:
                    seen.add(text)
                    yield path, text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directories", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=5, help="examples to print per kind")
    args = parser.parse_args(argv)
    total = ipython_ok = ours_ok = 0
    false_errors: list[tuple[Path, str]] = []
    missed: list[tuple[Path, str]] = []
    for path, cell in code_cells(args.directories):
        total += 1
        theirs = ipython_accepts(cell)
        ours = mllens_accepts(cell)
        ipython_ok += theirs
        ours_ok += ours
        if theirs and not ours:
            false_errors.append((path, cell))
        elif ours and not theirs:
            missed.append((path, cell))
    print(f"distinct code cells: {total}")
    print(f"valid for IPython:   {ipython_ok}")
    print(f"valid for mllens:    {ours_ok}")
    print(f"IPython accepts, mllens reports a syntax error: {len(false_errors)}")
    print(f"mllens accepts, IPython rejects:                {len(missed)}")
    for title, cells in (("false syntax errors", false_errors), ("missed errors", missed)):
        for path, cell in cells[: args.show]:
            print(f"\n--- {title}: {path}\n{cell[:400]}")
    return 1 if false_errors else 0


if __name__ == "__main__":
    sys.exit(main())
