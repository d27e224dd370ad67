"""What the in-notebook panel shows, independent of how it is drawn.

The ipywidgets panel and its rich HTML/text fallback (for nbconvert, GitHub's viewer and
terminals) draw the same thing: findings grouped by Well-Architected pillar, all six
pillars present so a clean one reads as clean, filtered by pillar and severity, and each
finding explained from the catalog. Keeping that here, free of ipywidgets, means both
drawings agree and the grouping is testable on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import lens
from .catalog import Catalog
from .findings import Finding, LintError, LintResult, Severity
from .lens import BestPractice, Phase, Pillar

SEVERITIES: tuple[Severity, ...] = tuple(Severity)
ALL_PILLARS = "all"


@dataclass(frozen=True)
class Subject:
    """What was linted, in the words the panel uses.

    `executions` is true when the cells are the kernel's input history rather than a
    notebook file: cell numbers are then execution counts, shown as `In [n]`.
    """

    title: str
    note: str = ""
    executions: bool = False


@dataclass(frozen=True)
class FindingContext:
    """The pillar context of a finding, all from the catalog and the lens data."""

    rule_title: str
    pillars: tuple[Pillar, ...]
    phase: Phase
    practices: tuple[BestPractice, ...]
    why: str
    fix: str


@dataclass(frozen=True)
class PillarGroup:
    pillar: Pillar
    findings: tuple[Finding, ...]

    @property
    def clean(self) -> bool:
        return not self.findings


@dataclass(frozen=True)
class LensView:
    """A lint result ready to show: grouping, counts, filters and explanations."""

    findings: tuple[Finding, ...]
    catalog: Catalog
    subject: Subject = Subject("notebook")
    errors: tuple[LintError, ...] = ()

    @classmethod
    def of(
        cls,
        findings: LintResult | Iterable[Finding],
        catalog: Catalog,
        subject: Subject | None = None,
    ) -> LensView:
        if isinstance(findings, LintResult):
            items, errors = findings.findings, findings.errors
        else:
            items, errors = tuple(findings), ()
        title = subject or Subject(_common_path(items) or "notebook")
        return cls(tuple(sorted(items, key=Finding.sort_key)), catalog, title, errors)

    def groups(self) -> tuple[PillarGroup, ...]:
        """All six pillars in the lens's order; a finding sits under each of its pillars."""
        return tuple(
            PillarGroup(p, tuple(f for f in self.findings if p.id in f.pillars))
            for p in lens.PILLARS
        )

    def severity_counts(self) -> dict[Severity, int]:
        return {s: sum(1 for f in self.findings if f.severity is s) for s in SEVERITIES}

    def context(self, finding: Finding) -> FindingContext:
        """Pillar and phase, best practices, why and how to fix."""
        rule = self.catalog.get(finding.name)
        practices = tuple(lens.best_practices()[bp] for bp in finding.lens)
        return FindingContext(
            rule_title=rule.title if rule is not None else finding.name,
            pillars=tuple(lens.pillar(p) for p in finding.pillars),
            phase=lens.phase(finding.phase),
            practices=practices,
            why=rule.why if rule is not None else "",
            fix=rule.fix if rule is not None else "",
        )

    def where(self, finding: Finding) -> str:
        """`cell 3, line 1` counting every cell from 1, or `In [3], line 1` for history."""
        if finding.cell_index is None:
            return f"line {finding.line}"
        number = finding.cell_index + 1
        cell = f"In [{number}]" if self.subject.executions else f"cell {number}"
        return f"{cell}, line {finding.line}"


def _common_path(findings: tuple[Finding, ...]) -> str | None:
    paths = {f.path for f in findings}
    return paths.pop() if len(paths) == 1 else None


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
