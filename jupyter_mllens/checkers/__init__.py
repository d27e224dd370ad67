"""Detection code for every rule in the catalog, found by discovery and keyed by rule name.

A rule's checker is a `Checker` subclass with a `name` in any module of this package; no list
is kept by hand, so adding a rule is adding its TOML entry and its module. Modules are imported
once, in sorted order, so the registry is the same on every run.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import Checker

#: The catalog entry that reports cells libcst cannot parse; handled by the engine itself.
SYNTAX_ERROR = "syntax-error"


def _discover() -> tuple[type[Checker], ...]:
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{module.name}")
    found: dict[str, type[Checker]] = {}
    pending = list(Checker.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        name = cls.__dict__.get("name")
        if isinstance(name, str) and cls.__module__.startswith(__name__ + "."):
            if name in found and found[name] is not cls:
                raise RuntimeError(f"two checkers for rule {name!r}: {found[name]} and {cls}")
            found[name] = cls
    return tuple(found[name] for name in sorted(found))


CHECKERS: tuple[type[Checker], ...] = _discover()

__all__ = ["CHECKERS", "SYNTAX_ERROR", "Checker"]
