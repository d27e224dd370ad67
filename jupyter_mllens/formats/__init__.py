"""Output formats for `mllens check`: each turns one `LintResult` into text.

Every format carries the full location of a finding (path, cell, line, column), so a
finding can be found again whichever tool reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import Catalog
from ..findings import LintResult
from .github import render_github
from .json_format import render_json
from .json_lines import render_json_lines
from .junit import render_junit
from .sarif import render_sarif
from .text import render_text

Renderer = Callable[[LintResult, Catalog], str]

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "json-lines": render_json_lines,
    "junit": render_junit,
}

__all__ = ["FORMATS", "Renderer"]
