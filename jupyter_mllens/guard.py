"""The cell guard (`%mllens guard on|strict|off`): check each cell before it runs.

A hard-coded credential is leaked the moment its cell runs (into the kernel's history, the
saved outputs, a shared session), so the guard looks at a cell *before* it runs, in the
context of the cells executed so far, and reports the high-severity findings in it (a
credential, a model scored on its training data). Messages come from the engine, which
masks every secret.

- `on`: IPython's `pre_run_cell` event shows a warning in the cell's output; the cell runs.
- `strict`: the cell is refused instead. An exception raised by a `pre_run_cell` callback
  is only reported by IPython and the cell still runs, so strict mode hooks the step IPython
  does stop on: a cleanup input transformer (`input_transformers_cleanup`). An error raised
  while transforming input is shown and the cell is not executed (its execute reply is an
  error, so "Run All" stops there), while the raw cell is still kept in `In`.
  The transformer is marked `has_side_effects` so that IPython's "is this input
  complete?" checks skip it.

Only rules rated high (by the catalog or `[tool.mllens.severity]`) are run, on one
long-lived `Linter` whose cell cache already holds the earlier cells, so an ordinary
cell costs a few milliseconds (`benchmarks/guard.py`). A defect in the guard never stops
the user's cell: it is reported in one line and the cell runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

from .config import Config
from .document import Cell, Document, DocumentKind
from .engine import Linter
from .findings import Finding, Severity
from .lens_html import warning_html, warning_text
from .lens_view import LensView, Subject

#: How guard findings name the notebook: the kernel's cells, as executed.
GUARD_PATH = "<cell>"


class GuardMode(str, Enum):
    OFF = "off"
    ON = "on"
    STRICT = "strict"


class CellBlocked(Exception):
    """Raised while transforming a cell the strict guard refuses; IPython then skips it."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the warning above says the rest.
        return [f"CellBlocked: {self}"]


def high_severity_config(config: Config, where: str, linter: Linter) -> Config:
    """`config` narrowed to the enabled rules rated high: the only ones the guard runs."""
    names = tuple(
        rule.name
        for rule in config.enabled_rules(where, linter.catalog)
        if config.severity_of(rule) is Severity.HIGH
    )
    return replace(config, select=names, ignore=(), per_file_ignores=())


class CellGuard:
    """Checks cells against the kernel's history; installed on one IPython shell."""

    def __init__(
        self,
        linter: Linter,
        history: Callable[[], Sequence[str]],
        display: Callable[[dict[str, str]], None],
    ) -> None:
        self.linter = linter
        self.mode = GuardMode.OFF
        self._history = history
        self._display = display
        self._config = Config(select=())
        self._shell: Any = None
        self._transformer = _Transformer(self)
        self._last: tuple[str, int, tuple[Finding, ...]] | None = None

    # -- checking ----------------------------------------------------------------------
    def configure(self, config: Config, where: str) -> None:
        self._config = high_severity_config(config, where, self.linter)

    def check(self, cell: str) -> tuple[Finding, ...]:
        """High-severity findings in `cell`, read after the cells executed so far."""
        return self._check(cell, self._history())

    def _check(self, cell: str, history: Sequence[str]) -> tuple[Finding, ...]:
        sources = [*history[1:], cell]  # entry 0 of IPython's history is a placeholder
        document = Document(
            path=GUARD_PATH,
            kind=DocumentKind.NOTEBOOK,
            cells=tuple(
                Cell(source=source, index=i, ordinal=i) for i, source in enumerate(sources)
            ),
        )
        last = len(sources) - 1
        return tuple(
            f
            for f in self.linter.lint_document(document, self._config, settled_only=True)
            if f.cell_index == last and f.severity is Severity.HIGH
        )

    def warning(self, findings: tuple[Finding, ...], blocked: bool) -> dict[str, str]:
        view = LensView.of(findings, self.linter.catalog, Subject(GUARD_PATH, executions=True))
        return {
            "text/html": warning_html(view, findings, blocked),
            "text/plain": warning_text(view, findings, blocked),
        }

    # -- IPython hooks -----------------------------------------------------------------
    def pre_run_cell(self, info: Any) -> None:
        """`on` mode: warn before the cell runs; the cell still runs."""
        cell = getattr(info, "raw_cell", None)
        if not isinstance(cell, str) or not cell.strip():
            return
        try:
            findings = self.check(cell)
        except Exception as exc:
            self._report_defect(exc)
            return
        if findings:
            self._display(self.warning(findings, blocked=False))

    def transform(self, lines: list[str]) -> list[str]:
        """`strict` mode: a cleanup input transformer that refuses a flagged cell.

        ipykernel transforms a cell once itself and, unless the cell needs an async
        runner, once more inside `run_cell`; both calls see the same history, so the
        second reuses the first's verdict instead of checking and warning twice.
        """
        cell = "".join(lines)
        if not cell.strip():
            return lines
        history = self._history()
        if self._last is not None and self._last[:2] == (cell, len(history)):
            findings, fresh = self._last[2], False
        else:
            try:
                findings, fresh = self._check(cell, history), True
            except Exception as exc:
                self._report_defect(exc)
                return lines
            self._last = (cell, len(history), findings)
        if not findings:
            return lines
        if fresh:
            self._display(self.warning(findings, blocked=True))
        raise CellBlocked(
            f"the ML Lens guard refused this cell: {findings[0].message}"
            + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else "")
        )

    def install(self, shell: Any, mode: GuardMode) -> None:
        """Switch to `mode` on `shell`, removing whatever the previous mode installed."""
        self.uninstall()
        self.mode = mode
        if mode is GuardMode.OFF:
            return
        self._shell = shell
        if mode is GuardMode.ON:
            shell.events.register("pre_run_cell", self.pre_run_cell)
        else:
            shell.input_transformers_cleanup.append(self._transformer)

    def uninstall(self) -> None:
        shell, self._shell = self._shell, None
        if shell is not None:
            if self.mode is GuardMode.ON:
                shell.events.unregister("pre_run_cell", self.pre_run_cell)
            elif self._transformer in shell.input_transformers_cleanup:
                shell.input_transformers_cleanup.remove(self._transformer)
        self.mode = GuardMode.OFF

    def _report_defect(self, exc: Exception) -> None:
        print(
            f"ML Lens guard: could not check this cell ({type(exc).__name__}); it runs unchecked",
            file=sys.stderr,
        )


class _Transformer:
    """The strict guard as IPython wants a transformer: a callable with attributes."""

    has_side_effects = True

    def __init__(self, guard: CellGuard) -> None:
        self.guard = guard

    def __call__(self, lines: list[str]) -> list[str]:
        return self.guard.transform(lines)
