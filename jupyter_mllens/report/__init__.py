"""`mllens report`: one self-contained HTML page about a whole tree of notebooks.

`model.py` counts and ranks (pure, testable on its own); `html.py` draws the page. The CLI
lints through the same batch path as `mllens check` and hands the result here.
"""

from __future__ import annotations

from .html import render_report
from .model import Report, build_report

__all__ = ["Report", "build_report", "render_report"]
