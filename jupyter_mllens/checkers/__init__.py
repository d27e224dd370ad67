"""Detection code for every rule in the catalog, registered by rule name."""

from __future__ import annotations

from .base import Checker
from .complexity import CellTooComplex
from .credentials import HardcodedCredentials
from .evaluation_split import NoEvaluationSplit
from .experiment_tracking import MissingExperimentTracking
from .non_python import NonPythonNotebook
from .unversioned_data import UnversionedData

#: The catalog entry that reports cells libcst cannot parse; handled by the engine itself.
SYNTAX_ERROR = "syntax-error"

CHECKERS: tuple[type[Checker], ...] = (
    CellTooComplex,
    HardcodedCredentials,
    UnversionedData,
    MissingExperimentTracking,
    NoEvaluationSplit,
    NonPythonNotebook,
)

__all__ = ["CHECKERS", "SYNTAX_ERROR", "Checker"]
