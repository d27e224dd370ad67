"""Apply a rule's fixes to one of its catalog examples, as the catalog tests check them.

Safe and unsafe fixes are both applied, in passes until stable, exactly as
`mllens check --unsafe-fixes` would apply them to a notebook of the example's cells.
"""

from __future__ import annotations

from ..catalog import Example, Rule
from ..config import Config
from ..engine import Linter
from ..reader import parse_notebook
from .apply import apply_pass
from .notebook_file import with_sources
from .run import MAX_PASSES


def fixed_cells(
    linter: Linter, rule: Rule, example: Example, passes: int = MAX_PASSES
) -> list[str]:
    """The example's cells after up to `passes` passes of its rule's applicable fixes."""
    raw = example.notebook()
    config = Config().with_overrides([rule.name], None)
    sources = {index: cell["source"] for index, cell in enumerate(raw["cells"])}
    for _ in range(passes):
        document = parse_notebook(raw, "example.ipynb")
        findings = linter.lint_document(document, config)
        fixes = [f.fix for f in findings if f.fix is not None and f.fix.applicable]
        step = apply_pass(sources, fixes)
        if not step.sources:
            break
        sources.update(step.sources)
        raw = with_sources(raw, step.sources)
    return [sources[index] for index in sorted(sources)]
