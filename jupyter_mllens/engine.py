"""The one linting API every face calls: CLI, JupyterLab server extension, widget.

`Linter` is pure (no Jupyter imports, no I/O but reading the files it is asked to read)
and thread-safe. It keeps one content-addressed cache of analysed cells, so a long-lived
linter (the server extension, the widget) re-analyses only the cells that changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .analysis import AnalyzedCell, CellCache, NotebookContext
from .catalog import Catalog, Rule, load_catalog
from .checkers import CHECKERS, SYNTAX_ERROR
from .checkers.base import Checker, ContentViolation, Violation
from .checkers.non_python import NON_PYTHON, foreign_language
from .checkers.specs import SpecChecker
from .config import Config
from .document import Document, DocumentKind
from .findings import Finding, LintError, LintResult, Location, Part, Severity
from .fixes.compute import with_fixes
from .reader import (
    InputError,
    document_from_bytes,
    parse_notebook,
    parse_notebook_text,
    parse_script,
    read_regular_file,
)
from .redaction import redact
from .suppression import parse_suppressions


class Linter:
    """Lint notebooks and scripts against the rule catalog."""

    def __init__(self, catalog: Catalog | None = None, cache: CellCache | None = None) -> None:
        self.catalog = catalog or load_catalog()
        self.cache = cache or CellCache()
        self.checkers: dict[str, Checker] = {cls.name: cls() for cls in CHECKERS}
        for rule in self.catalog.rules:
            if rule.detect:
                if rule.name in self.checkers:
                    raise RuntimeError(f"{rule.name}: both a checker class and [[detect]] specs")
                self.checkers[rule.name] = SpecChecker(rule.name, rule.detect)
        missing = [
            r.name
            for r in self.catalog.rules
            if r.name not in self.checkers and r.name != SYNTAX_ERROR
        ]
        if missing:
            raise RuntimeError(f"rules without detection code: {', '.join(missing)}")
        self._knowledge: dict[object, dict[str, dict[str, tuple[str, ...]]]] = {}

    def knowledge(self, config: Config) -> dict[str, dict[str, tuple[str, ...]]]:
        """Each rule's `[knowledge]` entries extended by `config`'s options, built once per
        distinct set of options (a long-lived linter sees few configurations)."""
        key = config.rule_options
        merged = self._knowledge.get(key)
        if merged is None:
            merged = {}
            for rule in self.catalog.rules:
                table = dict(rule.knowledge)
                for option, values in config.options_of(rule.name).items():
                    shipped = table.get(option, ())
                    table[option] = (*shipped, *(v for v in values if v not in shipped))
                if table:
                    merged[rule.name] = table
            self._knowledge[key] = merged
        return merged

    # -- entry points ------------------------------------------------------------------
    def lint_notebook(
        self,
        notebook: Mapping[str, Any],
        path: str,
        config: Config | None = None,
        location: Path | None = None,
    ) -> LintResult:
        """Lint notebook JSON already in memory (the server's unsaved-edits case).

        `path` is how findings name the notebook; `location`, where it lives on disk, is
        what `per-file-ignores` patterns are matched against (defaults to `path`).
        """
        try:
            document = parse_notebook(notebook, path)
        except InputError as exc:
            return LintResult(errors=(LintError(path, str(exc)),), files=1)
        return self._lint_safely(document, config or Config(), location)

    def lint_text(
        self,
        text: str,
        path: str,
        config: Config | None = None,
        location: Path | None = None,
        notebook: bool = True,
    ) -> LintResult:
        """Lint a notebook's JSON text (or a script's text) read from somewhere else: stdin."""
        try:
            document = parse_notebook_text(text, path) if notebook else parse_script(text, path)
        except InputError as exc:
            return LintResult(errors=(LintError(path, str(exc)),), files=1)
        return self._lint_safely(document, config or Config(), location)

    def lint_file(
        self, path: Path, display_path: str | None = None, config: Config | None = None
    ) -> LintResult:
        shown = display_path if display_path is not None else str(path)
        config = config or Config()
        try:
            data = read_regular_file(path, config.max_file_size)
        except InputError as exc:
            return LintResult(errors=(LintError(shown, str(exc)),), files=1)
        return self.lint_bytes(data, path, shown, config)

    def lint_bytes(
        self, data: bytes, path: Path, display_path: str | None = None, config: Config | None = None
    ) -> LintResult:
        """Lint a file's bytes read by the caller, which hashed exactly these for its cache.

        `path` is where the file lives: its suffix says notebook or script, and
        `per-file-ignores` are matched against it.
        """
        shown = display_path if display_path is not None else str(path)
        try:
            document = document_from_bytes(data, path, shown)
        except InputError as exc:
            return LintResult(errors=(LintError(shown, str(exc)),), files=1)
        return self._lint_safely(document, config or Config(), path)

    def _lint_safely(self, document: Document, config: Config, location: Path | None) -> LintResult:
        """A defect in one rule must not lose the rest of a batch: report it as an error."""
        try:
            findings = self.lint_document(document, config, location)
        except RecursionError:
            return LintResult(
                errors=(LintError(document.path, "code is nested too deeply to analyse"),), files=1
            )
        except Exception as exc:
            message = (
                f"internal error while linting ({type(exc).__name__}: {exc}); please report it"
            )
            return LintResult(errors=(LintError(document.path, message),), files=1)
        return LintResult(findings=tuple(findings), files=1)

    def lint_document(
        self,
        document: Document,
        config: Config,
        location: Path | None = None,
        settled_only: bool = False,
    ) -> list[Finding]:
        """Findings for `document`; `settled_only` leaves out provisional ones (see `Violation`)."""
        if not document.is_python:
            return []
        where = str(location) if location is not None else document.path
        rules = [
            rule
            for rule in config.enabled_rules(where, self.catalog)
            if rule.name not in document.ignored_rules and rule.code not in document.ignored_rules
        ]
        if not rules:
            return []
        cells = [AnalyzedCell(cell, self.cache.get(cell.source)) for cell in document.cells]
        if foreign_language(cells) is not None:
            # Another language's code: one notice instead of a syntax error per cell.
            rules = [rule for rule in rules if rule.name == NON_PYTHON]
        context = NotebookContext(document, cells, self.knowledge(config))
        findings: list[Finding] = []
        for rule in rules:
            if rule.name == SYNTAX_ERROR:
                violations: Iterable[Violation | ContentViolation] = _syntax_violations(cells)
            else:
                violations = self.checkers[rule.name].check(context)
            for violation in violations:
                if settled_only and violation.provisional:
                    continue
                finding = (
                    _content_finding(violation, rule, document, config)
                    if isinstance(violation, ContentViolation)
                    else _to_finding(violation, rule, document, config)
                )
                if finding is not None:
                    findings.append(finding)
        # Each finding whose rule declares a fix carries it (`fixes/`), in every output.
        return with_fixes(document, sorted(set(findings), key=Finding.sort_key), self.catalog)


def _syntax_violations(cells: list[AnalyzedCell]) -> Iterable[Violation]:
    for cell in cells:
        problem = cell.analysis.syntax_error or cell.analysis.ipython_problem
        if problem is not None:
            span = (problem.line, problem.column, problem.line, problem.column)
            yield Violation(
                cell,
                f"cell is not valid Python ({problem.message}); the other cells were still checked",
                span=span,
            )


def _severity(violation: Violation | ContentViolation, rule: Rule, config: Config) -> Severity:
    """Configuration first, then the finding's own severity, then the rule's."""
    if violation.severity is not None and not any(rule.matches(key) for key, _ in config.severity):
        return violation.severity
    return config.severity_of(rule)


def _to_finding(
    violation: Violation, rule: Rule, document: Document, config: Config
) -> Finding | None:
    analyzed = violation.cell
    if violation.span is not None:
        line, column, end_line, end_column = violation.span
    elif violation.node is not None:
        code_range = analyzed.analysis.position(violation.node)
        line, column = code_range.start.line, code_range.start.column + 1
        end_line, end_column = code_range.end.line, code_range.end.column + 1
    else:
        line = column = end_line = end_column = 1
    suppressions = parse_suppressions(analyzed.cell.source)
    if suppressions.covers(line, end_line, rule.name, rule.code):
        return None
    offset = analyzed.cell.line_offset
    is_notebook = document.kind is DocumentKind.NOTEBOOK
    return _finding(
        violation,
        rule,
        config,
        document.path,
        analyzed.cell.index if is_notebook else None,
        analyzed.cell.cell_id if is_notebook else None,
        Location(line + offset, column, end_line + offset, end_column),
    )


def _content_finding(
    violation: ContentViolation, rule: Rule, document: Document, config: Config
) -> Finding | None:
    """A finding in a markdown or raw cell, a saved output or metadata.

    A saved output is silenced by a whole-cell `# mllens: ignore[...]` on the first line of
    the code cell that produced it.
    """
    if violation.part is Part.OUTPUT:
        cell = next((c for c in document.cells if c.index == violation.cell_index), None)
        if cell is not None and parse_suppressions(cell.source).covers(0, 0, rule.name, rule.code):
            return None
    line, column, end_line, end_column = violation.span
    return replace(
        _finding(
            violation,
            rule,
            config,
            document.path,
            violation.cell_index,
            violation.cell_id,
            Location(line, column, end_line, end_column),
        ),
        part=violation.part,
        output=violation.output,
    )


def _finding(
    violation: Violation | ContentViolation,
    rule: Rule,
    config: Config,
    path: str,
    cell_index: int | None,
    cell_id: str | None,
    location: Location,
) -> Finding:
    """A rule's finding at `location`: the rule's metadata, the configured severity, and the
    message with secrets masked."""
    return Finding(
        path=path,
        cell_index=cell_index,
        cell_id=cell_id,
        location=location,
        code=rule.code,
        name=rule.name,
        severity=_severity(violation, rule, config),
        pillars=rule.pillars,
        phase=rule.phase,
        lens=rule.lens,
        message=redact(violation.message),
    )
