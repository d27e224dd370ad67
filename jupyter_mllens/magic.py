"""The IPython extension: `%load_ext jupyter_mllens`, then `%mllens`.

    %mllens                          the running notebook's findings, as a LensPanel
    %mllens path/to/other.ipynb      another notebook's
    %mllens --select security        `mllens check`'s --select / --ignore filters
    %mllens guard on|strict|off      check every cell before it runs (see guard.py)

The running notebook is the file the frontend names (`kernel_source.py`); without one, the
cells executed so far are linted and the panel says so. Configuration is `[tool.mllens]`
found from the notebook's folder (the kernel's folder for its history), as for the CLI.
The extension keeps one `Linter` for the kernel's life, so its cell cache stays warm.
"""

from __future__ import annotations

import argparse
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.display import display as _untyped_display

from .api import lint_notebook, shared_linter
from .config import ConfigError, load_config
from .findings import LintResult
from .guard import CellGuard, GuardMode
from .kernel_source import current_directory, history_notebook, running_notebook
from .lens_view import Subject
from .widget import LensPanel


def display(obj: object, raw: bool = False) -> None:
    """IPython's `display`, typed."""
    _untyped_display(obj, raw=raw)  # type: ignore[no-untyped-call]


USAGE = """\
%mllens [NOTEBOOK] [--select RULES] [--ignore RULES]
%mllens guard [on|strict|off]

Show the ML Lens findings of the running notebook (or of NOTEBOOK) as a panel.
RULES are comma separated rule names, codes, code prefixes, pillars or phases.
`guard on` warns about high-severity findings in each cell before it runs,
`guard strict` refuses to run such a cell, `guard off` stops checking."""


@dataclass(frozen=True)
class MagicRequest:
    """One `%mllens` line, parsed."""

    path: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    guard: GuardMode | None = None
    guard_status: bool = False


def parse_line(line: str) -> MagicRequest:
    """Parse a `%mllens` line; a bad one raises IPython's `UsageError` (shown in one line)."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise UsageError(f"%mllens: {exc}\n\n{USAGE}") from None
    if words[:1] == ["guard"]:
        if len(words) == 1:
            return MagicRequest(guard_status=True)
        if len(words) == 2 and words[1] in {m.value for m in GuardMode}:
            return MagicRequest(guard=GuardMode(words[1]))
        raise UsageError(f"%mllens guard takes on, strict or off\n\n{USAGE}")
    parser = argparse.ArgumentParser(prog="%mllens", add_help=False, exit_on_error=False)
    parser.add_argument("path", nargs="?")
    parser.add_argument("--select", default="")
    parser.add_argument("--ignore", default="")
    try:
        options, extra = parser.parse_known_args(words)
    except argparse.ArgumentError as exc:
        raise UsageError(f"%mllens: {exc}\n\n{USAGE}") from None
    if extra:
        raise UsageError(f"%mllens: unexpected {' '.join(extra)}\n\n{USAGE}")
    return MagicRequest(
        path=options.path, select=_items(options.select), ignore=_items(options.ignore)
    )


def _items(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


class LensExtension:
    """The extension's state on one IPython shell: its linter, its guard, its magic."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.linter = shared_linter()
        self.guard = CellGuard(self.linter, self._history, _publish)

    def _history(self) -> Sequence[str]:
        return list(self.shell.history_manager.input_hist_raw)

    # -- %mllens -----------------------------------------------------------------------
    def magic(self, line: str) -> None:
        request = parse_line(line)
        if request.guard_status:
            print(f"ML Lens guard: {self.guard.mode.value}")
        elif request.guard is not None:
            self.set_guard(request.guard)
        else:
            display(self.panel(request))

    def panel(self, request: MagicRequest) -> LensPanel:
        result, subject = self.lint(request)
        return LensPanel(result, subject=subject, catalog=self.linter.catalog)

    def lint(self, request: MagicRequest) -> tuple[LintResult, Subject]:
        """The findings `request` asks for and how the panel names what was linted."""

        def run(target: Path | dict[str, Any], path: str | None = None) -> LintResult:
            try:
                return lint_notebook(
                    target,
                    select=request.select,
                    ignore=request.ignore,
                    path=path,
                    linter=self.linter,
                )
            except (ConfigError, ValueError) as exc:
                raise UsageError(f"%mllens: {exc}") from None

        if request.path is not None:
            return run(Path(request.path).expanduser()), Subject(request.path)
        running = running_notebook(self.shell.user_ns, os.environ, current_directory())
        if running is not None:
            note = f"`{running.path}` as last saved (named by {running.told_by})"
            return run(running.path), Subject(running.path.name, note)
        history = self._history()
        count = len(history) - 1
        note = (
            "This frontend does not say which notebook file the kernel runs, so the"
            f" {count} cell{'' if count == 1 else 's'} executed so far (`In[1]` to"
            f" `In[{count}]`) were linted, as typed. `%mllens path/to/notebook.ipynb` lints"
            " a notebook file."
        )
        return run(history_notebook(history), "In"), Subject("cells run so far", note, True)

    # -- %mllens guard -----------------------------------------------------------------
    def set_guard(self, mode: GuardMode) -> None:
        running = running_notebook(self.shell.user_ns, os.environ, current_directory())
        start = running.path if running is not None else current_directory()
        try:
            config = load_config(start)
        except ConfigError as exc:
            raise UsageError(f"%mllens: {exc}") from None
        self.guard.configure(config, str(start))
        self.guard.install(self.shell, mode)
        described = {
            GuardMode.ON: "on: cells with a high-severity finding get a warning before they run",
            GuardMode.STRICT: "strict: cells with a high-severity finding are not run",
            GuardMode.OFF: "off",
        }
        print(f"ML Lens guard {described[mode]}")

    def unload(self) -> None:
        self.guard.uninstall()


def _publish(bundle: dict[str, str]) -> None:
    display(bundle, raw=True)


_EXTENSIONS: dict[int, LensExtension] = {}


def load(shell: Any) -> None:
    """Register `%mllens` on `shell` (loading twice is harmless)."""
    if id(shell) in _EXTENSIONS:
        return
    extension = LensExtension(shell)
    _EXTENSIONS[id(shell)] = extension
    shell.register_magic_function(extension.magic, "line", "mllens")


def unload(shell: Any) -> None:
    """Remove `%mllens` and switch the guard off."""
    extension = _EXTENSIONS.pop(id(shell), None)
    if extension is None:
        return
    extension.unload()
    shell.magics_manager.magics["line"].pop("mllens", None)
