"""Detection code for every rule in the catalog, registered by rule name."""

from __future__ import annotations

from .base import Checker

#: The catalog entry that reports cells libcst cannot parse; handled by the engine itself.
SYNTAX_ERROR = "syntax-error"

CHECKERS: tuple[type[Checker], ...] = ()

__all__ = ["CHECKERS", "SYNTAX_ERROR", "Checker"]
