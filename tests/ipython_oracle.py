"""IPython itself as the judge of which cells are valid IPython, for differential checks.

`ipython_accepts` asks a real `InteractiveShell` to transform a cell (static transforms
plus the automagic of single-line cells) and `compile()`s the result, the way IPython
reads a cell before running it. A cell magic whose body is Python (`%%time`,
`%%capture`) is judged by its body, since IPython runs the body as a cell of its own.
`mllens_accepts` is the linter's side: the engine's own per-cell analysis.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Callable
from functools import cache

from IPython.core.interactiveshell import InteractiveShell

from jupyter_mllens.analysis.cell import CellAnalysis
from jupyter_mllens.ipython_syntax import PYTHON_CELL_MAGICS


@cache
def _shell() -> InteractiveShell:
    return InteractiveShell.instance()


def ipython_accepts(cell: str) -> bool:
    """Would IPython run this cell without a SyntaxError?"""
    shell = _shell()
    lines = (cell if cell.endswith("\n") else cell + "\n").splitlines(keepends=True)
    try:
        for transform in shell.input_transformer_manager.cleanup_transforms:
            lines = transform(lines)
    except SyntaxError:
        return False
    if lines and lines[0].startswith("%%"):
        words = lines[0][2:].split()
        if words and words[0] in PYTHON_CELL_MAGICS:
            return ipython_accepts("".join(lines[1:]))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            transform_cell: Callable[[str], str] = shell.transform_cell
            code = transform_cell(cell)
            compile(code, "<cell>", "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except (SyntaxError, ValueError, RuntimeError, OverflowError):
        return False
    return True


def mllens_accepts(cell: str) -> bool:
    """Does the linter read the cell without a `syntax-error`, keeping every line?"""
    analysis = CellAnalysis(cell)
    if analysis.python is not None:
        assert analysis.python.count("\n") == cell.count("\n"), (cell, analysis.python)
    return analysis.syntax_error is None and analysis.ipython_problem is None
