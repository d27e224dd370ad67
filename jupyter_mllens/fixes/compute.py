"""Attach fixes to findings: the rule's `[autofix]` spec applied at the finding's node.

Edits touch only code libcst parsed as the user wrote it. A cell with IPython syntax
(magics, `!` escapes) is parsed as its translation, where such lines are placeholders: a
fix is kept only when every line it edits is verbatim in the translation, so no edit ever
goes through a placeholder or rewrites a shell command. Cells whose lines were shifted (a
pasted prompt, indentation stripped) get no code fixes at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import libcst as cst

from ..analysis.complexity import check_complexity
from ..catalog import Catalog
from ..document import Document
from ..findings import Finding
from ..ipython_syntax import translate
from .actions import ACTIONS, Site
from .model import Applicability, Edit, Fix
from .spec import FixSpec

#: Larger cells are left unfixed: fixing is interactive, and a cell this size was refused
#: by the engine's complexity guard long before it gets here.
MAX_CELL_CHARS = 200_000


def with_fixes(document: Document, findings: Iterable[Finding], catalog: Catalog) -> list[Finding]:
    """`findings` of `document`, each carrying its fix when its rule has one that applies."""
    specs = {rule.name: rule.autofix for rule in catalog.rules if rule.autofix is not None}
    parsed: dict[int, _Parsed | None] = {}
    out: list[Finding] = []
    for finding in findings:
        spec = specs.get(finding.name)
        fix = None if spec is None else _fix(document, finding, spec, parsed)
        out.append(finding if fix is None else replace(finding, fix=fix))
    return out


def _fix(
    document: Document,
    finding: Finding,
    spec: FixSpec,
    parsed: dict[int, _Parsed | None],
) -> Fix | None:
    if spec.safety is Applicability.DISPLAY_ONLY:
        return Fix(spec.title, spec.safety, template=spec.template)
    position = next(
        (i for i, cell in enumerate(document.cells) if cell.index == finding.cell_index), None
    )
    if position is None or spec.action is None:
        return None
    if position not in parsed:
        parsed[position] = _parse(document.cells[position].source)
    tree = parsed[position]
    if tree is None:
        return None
    module, wrapper, verbatim = tree
    site = Site(
        cells=[cell.source for cell in document.cells],
        cell=position,
        module=module,
        wrapper=wrapper,
        line=finding.line - document.cells[position].line_offset,
        column=finding.column,
    )
    edits = ACTIONS[spec.action](site, spec)
    if not edits:
        return None
    for edit in edits:
        lines = range(edit.line, edit.end_line + 1)
        if edit.cell == position and not all(line in verbatim for line in lines):
            return None
        if edit.cell != position and _parse(document.cells[edit.cell].source) is None:
            return None
    return Fix(
        spec.title,
        spec.safety,
        tuple(
            sorted(
                Edit(
                    document.cells[e.cell].index,
                    document.cells[e.cell].cell_id,
                    e.line,
                    e.column,
                    e.end_line,
                    e.end_column,
                    e.replacement,
                )
                for e in edits
            )
        ),
    )


_Parsed = tuple[cst.Module, cst.MetadataWrapper, frozenset[int]]


def _parse(source: str) -> _Parsed | None:
    """The cell's tree and the (1-based) lines its translation kept verbatim."""
    if len(source) > MAX_CELL_CHARS:
        return None
    translated = translate(source)
    if translated.python is None or translated.shifts or translated.problem is not None:
        return None
    if check_complexity(translated.python) is not None:
        return None  # the engine refused this cell: libcst could crash or stall on it
    try:
        module = cst.parse_module(translated.python)
    except (cst.ParserSyntaxError, RecursionError):
        return None
    wrapper = cst.MetadataWrapper(module, unsafe_skip_copy=True)
    pairs = zip(source.split("\n"), translated.python.split("\n"), strict=False)
    verbatim = frozenset(n for n, (a, b) in enumerate(pairs, 1) if a == b)
    return module, wrapper, verbatim
