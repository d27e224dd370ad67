"""Cell and notebook analysis: the facts rules are written against."""

from .cell import CallSite, CellAnalysis, CellCache, StringContext, StringSite
from .context import AnalyzedCell, NotebookContext, Point

__all__ = [
    "AnalyzedCell",
    "CallSite",
    "CellAnalysis",
    "CellCache",
    "NotebookContext",
    "Point",
    "StringContext",
    "StringSite",
]
