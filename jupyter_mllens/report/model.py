"""What the HTML report shows, computed from a lint result before anything is drawn.

The report answers a platform team's questions about a whole tree of notebooks: where on the
Well-Architected map the problems sit (pillar x lifecycle phase), which rules fire most,
which notebooks need attention first, what exactly is wrong in each (the offending line,
secrets masked), and, in the words of a lens review, which high and medium risk best
practices are not met. Keeping the counting here, free of HTML, makes it testable on its
own and keeps the renderer a plain drawing of these values.

Everything is linear in the number of findings, and each notebook with findings is read
once (for its excerpts) and then let go, so a report over thousands of notebooks stays
cheap in time and memory. What one notebook section holds is capped (`MAX_SHOWN`): the most
serious findings are shown with their code, the rest are counted by rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .. import lens
from ..catalog import Catalog, Rule
from ..document import Document
from ..findings import Finding, LintError, LintResult, Severity
from ..formats.source import SECRET_RULES, MaskedLine, masked_line
from ..lens import BestPractice, Pillar

#: Findings shown with their code in one notebook's section; the rest are counted by rule.
MAX_SHOWN = 20
#: Notebooks in the "needs attention first" table.
TOP_NOTEBOOKS = 15
#: Notebooks given a section of their own by default (the most serious first), as the CLI's
#: `--max-notebooks` default.
MAX_NOTEBOOKS = 1000
#: Files that could not be linted, listed by name (the rest are counted).
MAX_ERRORS = 200

SEVERITIES: tuple[Severity, ...] = tuple(Severity)  # most severe first

#: Reads a linted file again for its excerpts (None when it can no longer be read).
DocumentLookup = Callable[[str], Document | None]


@dataclass(frozen=True)
class SeverityCounts:
    """Findings per severity, most severe first; orders notebooks by seriousness."""

    high: int = 0
    medium: int = 0
    low: int = 0
    info: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> SeverityCounts:
        counts = Counter(f.severity for f in findings)
        return cls(*(counts[s] for s in SEVERITIES))

    @property
    def total(self) -> int:
        return self.high + self.medium + self.low + self.info

    def items(self) -> tuple[tuple[Severity, int], ...]:
        return tuple(zip(SEVERITIES, (self.high, self.medium, self.low, self.info), strict=True))


@dataclass(frozen=True)
class HeatCell:
    pillar: str
    phase: str
    findings: int
    notebooks: int
    #: The rules with most findings here, most first (at most three), for the cell's tooltip.
    top_rules: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class HeatMap:
    """Findings per pillar (rows, the lens's order) and lifecycle phase (columns).

    A finding of several pillars counts once in each of their rows, as the sidebar files
    it under each pillar; so rows can add up to more than the number of findings.
    """

    rows: tuple[tuple[HeatCell, ...], ...]

    @property
    def peak(self) -> int:
        return max((cell.findings for row in self.rows for cell in row), default=0)

    def cell(self, pillar_id: str, phase_id: str) -> HeatCell:
        row = self.rows[lens.PILLAR_IDS.index(pillar_id)]
        return row[lens.PHASE_IDS.index(phase_id)]


@dataclass(frozen=True)
class RuleCount:
    code: str
    name: str
    severity: Severity
    findings: int
    notebooks: int
    #: None for a finding whose rule is not in the catalog (a cached result of an old version).
    rule: Rule | None


@dataclass(frozen=True)
class ShownFinding:
    """A finding as a notebook section shows it: the masked offending line, if it still reads."""

    finding: Finding
    excerpt: MaskedLine | None


@dataclass(frozen=True)
class NotebookEntry:
    path: str
    anchor: str
    counts: SeverityCounts
    #: The most serious findings (at most `MAX_SHOWN`), in document order.
    shown: tuple[ShownFinding, ...]
    #: The findings not shown, counted by rule code (most first).
    omitted: tuple[tuple[str, int], ...]

    @property
    def rank_key(self) -> tuple[int, int, int, int, str]:
        return rank_key(self.counts, self.path)


@dataclass(frozen=True)
class RiskItem:
    """A best practice that findings say is not met, as a lens review lists it."""

    practice: BestPractice
    findings: int
    notebooks: int
    rules: tuple[str, ...]  # rule codes, in catalog order


@dataclass(frozen=True)
class PillarReview:
    pillar: Pillar
    #: Findings (and their notebooks) that point to some best practice of this pillar.
    findings: int
    notebooks: int
    high_risk: tuple[RiskItem, ...]
    medium_risk: tuple[RiskItem, ...]
    #: Best practices of this pillar that some catalog rule checks, and all of the pillar's.
    checked: int
    practices: int


@dataclass(frozen=True)
class Report:
    title: str
    files: int
    findings: int
    counts: SeverityCounts
    heat_map: HeatMap
    rules: tuple[RuleCount, ...]
    top: tuple[NotebookEntry, ...]
    #: The notebooks given a section: the most serious `max_notebooks` of them, by path.
    notebooks: tuple[NotebookEntry, ...]
    with_findings: int  # every notebook with findings, shown or not
    reviews: tuple[PillarReview, ...]
    errors: tuple[LintError, ...]  # at most `MAX_ERRORS`
    error_count: int

    @property
    def clean_files(self) -> int:
        """Files linted without a finding (files that could not be linted are not counted)."""
        return max(0, self.files - self.with_findings)


def build_report(
    result: LintResult,
    catalog: Catalog,
    documents: DocumentLookup,
    title: str = "ML Lens report",
    files: int | None = None,
    max_notebooks: int = MAX_NOTEBOOKS,
) -> Report:
    """The report of `result`; `documents` reads each notebook given a section once, for its
    excerpts. Only the `max_notebooks` most serious notebooks get a section (0: all), so the
    page stays small on tens of thousands of notebooks; every count covers them all."""
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_path[finding.path].append(finding)
    ranked = sorted(by_path, key=lambda path: rank_key(SeverityCounts.of(by_path[path]), path))
    kept = set(ranked[:max_notebooks] if max_notebooks > 0 else ranked)
    notebooks = tuple(
        _notebook(path, by_path[path], documents, index) for index, path in enumerate(sorted(kept))
    )
    return Report(
        title=title,
        files=result.files if files is None else files,
        findings=len(result.findings),
        counts=SeverityCounts.of(result.findings),
        heat_map=heat_map(result.findings),
        rules=rule_counts(result.findings, catalog),
        top=tuple(sorted(notebooks, key=lambda n: n.rank_key)[:TOP_NOTEBOOKS]),
        notebooks=notebooks,
        with_findings=len(by_path),
        reviews=pillar_reviews(result.findings, catalog),
        errors=result.errors[:MAX_ERRORS],
        error_count=len(result.errors),
    )


def heat_map(findings: Sequence[Finding]) -> HeatMap:
    counts: Counter[tuple[str, str]] = Counter()
    notebooks: dict[tuple[str, str], set[str]] = defaultdict(set)
    rules: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for finding in findings:
        for pillar_id in finding.pillars:
            key = (pillar_id, finding.phase)
            counts[key] += 1
            notebooks[key].add(finding.path)
            rules[key][finding.code] += 1
    rows = tuple(
        tuple(
            HeatCell(
                pillar=pillar_id,
                phase=phase_id,
                findings=counts[pillar_id, phase_id],
                notebooks=len(notebooks.get((pillar_id, phase_id), ())),
                top_rules=_most_common(rules.get((pillar_id, phase_id), Counter()), 3),
            )
            for phase_id in lens.PHASE_IDS
        )
        for pillar_id in lens.PILLAR_IDS
    )
    return HeatMap(rows)


def rule_counts(findings: Sequence[Finding], catalog: Catalog) -> tuple[RuleCount, ...]:
    """Per rule: findings and notebooks, most findings first (ties in code order)."""
    counts: Counter[str] = Counter()
    notebooks: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Finding] = {}
    for finding in findings:
        counts[finding.code] += 1
        notebooks[finding.code].add(finding.path)
        first.setdefault(finding.code, finding)
    items = [
        RuleCount(
            code=code,
            name=first[code].name,
            severity=first[code].severity,
            findings=count,
            notebooks=len(notebooks[code]),
            rule=catalog.get(first[code].name),
        )
        for code, count in counts.items()
    ]
    return tuple(sorted(items, key=lambda r: (-r.findings, r.code)))


def pillar_reviews(findings: Sequence[Finding], catalog: Catalog) -> tuple[PillarReview, ...]:
    """The lens review of each pillar: the best practices findings point to, by risk.

    A best practice belongs to the pillar the lens files it under; the risk is the lens's
    own level for the practice (the 2025 edition rates every practice high or medium), as
    the Well-Architected Tool derives high and medium risk items.
    """
    practice_findings: Counter[str] = Counter()
    practice_notebooks: dict[str, set[str]] = defaultdict(set)
    practice_rules: dict[str, set[str]] = defaultdict(set)
    pillar_findings: Counter[str] = Counter()
    pillar_notebooks: dict[str, set[str]] = defaultdict(set)
    known = lens.best_practices()
    for finding in findings:
        for bp in finding.lens:
            practice_findings[bp] += 1
            practice_notebooks[bp].add(finding.path)
            practice_rules[bp].add(finding.code)
        # a finding counts once for each pillar whose practices it points to
        for pillar_id in {known[bp].pillar for bp in finding.lens if bp in known}:
            pillar_findings[pillar_id] += 1
            pillar_notebooks[pillar_id].add(finding.path)
    checked = {bp for rule in catalog.rules for bp in rule.lens}
    rule_order = {rule.code: index for index, rule in enumerate(catalog.rules)}
    reviews = []
    for pillar in lens.PILLARS:
        items = [
            RiskItem(
                practice=known[bp],
                findings=count,
                notebooks=len(practice_notebooks[bp]),
                rules=tuple(
                    sorted(
                        practice_rules[bp], key=lambda c: (rule_order.get(c, len(rule_order)), c)
                    )
                ),
            )
            for bp, count in practice_findings.items()
            if bp in known and known[bp].pillar == pillar.id
        ]
        items.sort(key=lambda item: (-item.notebooks, -item.findings, item.practice.id))
        of_pillar = [bp for bp in known.values() if bp.pillar == pillar.id]
        reviews.append(
            PillarReview(
                pillar=pillar,
                findings=pillar_findings[pillar.id],
                notebooks=len(pillar_notebooks[pillar.id]),
                high_risk=tuple(i for i in items if i.practice.risk == "high"),
                medium_risk=tuple(i for i in items if i.practice.risk != "high"),
                checked=sum(1 for bp in of_pillar if bp.id in checked),
                practices=len(of_pillar),
            )
        )
    return tuple(reviews)


def rank_key(c: SeverityCounts, path: str) -> tuple[int, int, int, int, str]:
    """A notebook's place by seriousness: most high findings first, then medium, then low,
    then info; ties by path."""
    return (-c.high, -c.medium, -c.low, -c.info, path)


def _notebook(
    path: str, findings: list[Finding], documents: DocumentLookup, index: int
) -> NotebookEntry:
    """One notebook's section: its most serious findings with their masked lines."""
    findings.sort(key=Finding.sort_key)
    if len(findings) > MAX_SHOWN:
        order = sorted(range(len(findings)), key=lambda i: (-findings[i].severity.rank, i))
        keep = set(order[:MAX_SHOWN])
        shown = [f for i, f in enumerate(findings) if i in keep]
        rest = Counter(f.code for i, f in enumerate(findings) if i not in keep)
    else:
        shown, rest = findings, Counter()
    document = documents(path)
    secrets = [f for f in findings if f.name in SECRET_RULES]
    return NotebookEntry(
        path=path,
        anchor=f"nb-{index}",
        counts=SeverityCounts.of(findings),
        shown=tuple(
            ShownFinding(f, None if document is None else masked_line(document, f, secrets))
            for f in shown
        ),
        omitted=_most_common(rest, len(rest)),
    )


def _most_common(counts: Counter[str], n: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n])
