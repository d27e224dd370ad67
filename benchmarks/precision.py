"""Score the rules' precision and recall against hand-judged labels on real notebooks.

    python benchmarks/precision.py CORPUS [--labels benchmarks/labels] [--jobs N]
    python benchmarks/precision.py CORPUS --findings report.json   # from `mllens check --format json`

`CORPUS` is the folder `fetch_corpus.py` writes: one `<owner>+<name>` folder per public
repository. The labels (`benchmarks/labels/*.jsonl`) are findings judged by reading their cell
in its notebook (`tp`, `fp` or `debatable`) and misses found while reading (`fn`). A label
names its cell by the SHA-256 of the cell's source, not only by position, so it still matches
after the notebooks are re-extracted or the rules move a finding to another line.

Matching: a label matches a current finding with the same notebook path, rule and cell hash;
among several such findings the one on the label's line wins, then the one nearest to it, then
the cell index breaks ties between identical cells. Each finding matches at most one label.

Per rule it prints the labelled findings now reported and their verdicts, precision (with
`debatable` counted as wrong and as right: a range), recall on the labelled set (real problems,
`tp` and `fn` labels, that are reported now), labelled false alarms that are gone, findings
in cells no label judges (copies of a judged cell in other notebooks count as judged), and
findings per 1,000 notebooks. A second table gives precision on each sample of judged
findings alone (a label's `drawn`: `sample`, then `sample-after` drawn after a rule change).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The rules judged first, in the order their seeds were drawn with (`sample_findings.py` offsets
#: a rule's seed by its place here); every other catalog rule follows, in code order.
LEGACY_RULES = (
    "syntax-error",
    "hardcoded-credentials",
    "unversioned-data",
    "missing-experiment-tracking",
    "no-evaluation-split",
    "tls-verification-disabled",
    "public-data-access",
    "unpinned-install",
    "hardcoded-aws-identifiers",
    "endpoint-not-deleted",
)


def _catalog_rules() -> tuple[str, ...]:
    """Every rule of the catalog: the legacy ones first, then the others by code."""
    from jupyter_mllens.catalog import load_catalog

    others = sorted(
        (rule for rule in load_catalog().rules if rule.name not in LEGACY_RULES),
        key=lambda rule: rule.code,
    )
    return LEGACY_RULES + tuple(rule.name for rule in others)


RULES = _catalog_rules()


def seed_offset(rule: str) -> int:
    """What a rule's sample seed is offset by: its place among the legacy rules, else the
    number of its code (`MLL105` → 105), so adding a rule never changes another's draw."""
    if rule in LEGACY_RULES:
        return LEGACY_RULES.index(rule)
    from jupyter_mllens.catalog import load_catalog

    entry = load_catalog().get(rule)
    if entry is None:
        raise ValueError(f"no rule named {rule!r} in the catalog")
    return int(entry.code.removeprefix("MLL"))


VERDICTS = ("tp", "fp", "debatable", "fn")
DEFAULT_LABELS = Path(__file__).with_name("labels")


@dataclass(frozen=True)
class Reported:
    """A finding reduced to what labels match on: where it is and which cell text it is in."""

    path: str
    rule: str
    cell_index: int | None
    line: int
    cell_sha256: str
    message: str = ""


@dataclass(frozen=True)
class Label:
    """One judgement: a finding judged `tp`/`fp`/`debatable`, or a miss (`fn`)."""

    path: str
    rule: str
    cell_index: int | None
    cell_id: str | None
    line: int
    verdict: str
    reason: str
    cell_sha256: str
    drawn: str = "sample"


@dataclass(frozen=True)
class Corpus:
    """The notebooks linted: how many, how many code cells, and every cell's source hash."""

    notebooks: int
    code_cells: int
    hashes: Mapping[tuple[str, int], str]


@dataclass(frozen=True)
class RuleScore:
    """One rule's figures on the labelled set and on the whole corpus."""

    rule: str
    findings: int
    labelled: int
    tp: int
    fp: int
    debatable: int
    positives: int
    recovered: int
    fp_gone: int
    unlabelled: int

    @property
    def precision(self) -> tuple[float, float] | None:
        """Precision with `debatable` counted as wrong, then as right; None with no labels."""
        judged = self.tp + self.fp + self.debatable
        if not judged:
            return None
        return self.tp / judged, (self.tp + self.debatable) / judged

    @property
    def recall(self) -> float | None:
        """Share of the labelled real problems (`tp` and `fn` labels) that are reported."""
        return self.recovered / self.positives if self.positives else None

    def per_thousand(self, notebooks: int) -> float:
        """Findings per 1,000 notebooks: how loud the rule is on real work."""
        return 1000 * self.findings / notebooks if notebooks else 0.0


def cell_sha256(source: str) -> str:
    """Hash of a cell's source text exactly as the notebook stores it (lines joined)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def cell_source(cell: Mapping[str, Any]) -> str:
    """A cell's source as one string: nbformat allows a string or a list of lines."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def read_corpus(root: Path) -> Corpus:
    """Hash every cell of every notebook under `root` (keys: relative path, cell index)."""
    hashes: dict[tuple[str, int], str] = {}
    notebooks = 0
    code_cells = 0
    for path in sorted(root.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        notebooks += 1
        try:
            cells = json.loads(path.read_bytes()).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        relative = path.relative_to(root).as_posix()
        for index, cell in enumerate(cells):
            if not isinstance(cell, dict):
                continue
            code_cells += cell.get("cell_type") == "code"
            hashes[relative, index] = cell_sha256(cell_source(cell))
    return Corpus(notebooks=notebooks, code_cells=code_cells, hashes=hashes)


def relative_path(path: str, root: Path) -> str:
    """A finding's path relative to the corpus root, as labels spell it."""
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = Path.cwd() / candidate
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def reported_from_json(
    findings: Iterable[Mapping[str, Any]], root: Path, corpus: Corpus
) -> list[Reported]:
    """Findings from a `mllens check --format json` report, with their cells' hashes."""
    reported = []
    for finding in findings:
        path = relative_path(str(finding["path"]), root)
        index = finding.get("cell_index")
        key = (path, int(index)) if index is not None else None
        reported.append(
            Reported(
                path=path,
                rule=str(finding["name"]),
                cell_index=None if index is None else int(index),
                line=int(finding["line"]),
                cell_sha256=corpus.hashes.get(key, "") if key else "",
                message=str(finding.get("message", "")),
            )
        )
    return reported


def lint(root: Path, jobs: int, corpus: Corpus) -> list[Reported]:
    """Lint the corpus with the engine, default configuration, as `mllens check --isolated`."""
    from jupyter_mllens.batch import lint_targets
    from jupyter_mllens.config import Config
    from jupyter_mllens.discovery import discover

    config = Config()
    targets, _ = discover([str(root)], lambda path: config)
    result = lint_targets(targets, jobs)
    return reported_from_json((finding.to_json() for finding in result.findings), root, corpus)


def read_labels(source: Path) -> list[Label]:
    """Labels from one `.jsonl` file or every `.jsonl` file in a folder, in name order."""
    files = sorted(source.glob("*.jsonl")) if source.is_dir() else [source]
    labels = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            record = json.loads(line)
            verdict = str(record["verdict"])
            if verdict not in VERDICTS:
                raise ValueError(f"{file}:{number}: verdict {verdict!r} is not one of {VERDICTS}")
            index = record.get("cell_index")
            labels.append(
                Label(
                    path=str(record["path"]),
                    rule=str(record["rule"]),
                    cell_index=None if index is None else int(index),
                    cell_id=record.get("cell_id"),
                    line=int(record["line"]),
                    verdict=verdict,
                    reason=str(record["reason"]),
                    cell_sha256=str(record["cell_sha256"]),
                    drawn=str(record.get("drawn", "sample")),
                )
            )
    return labels


def match(labels: Sequence[Label], reported: Sequence[Reported]) -> dict[Label, Reported]:
    """Pair each label with the current finding it judges, if the rule still reports it.

    Candidates share path, rule and cell hash. Exact-line candidates go first, so labels on
    one cell pair with the findings on their own lines; the rest take the nearest line.
    """
    pool: dict[tuple[str, str, str], list[Reported]] = {}
    for finding in reported:
        pool.setdefault((finding.path, finding.rule, finding.cell_sha256), []).append(finding)
    pairs: dict[Label, Reported] = {}
    taken: set[int] = set()
    ordered = sorted(labels, key=lambda label: label.verdict == "fn")  # judged findings first
    for exact in (True, False):
        for label in ordered:
            if label in pairs:
                continue
            candidates = [
                finding
                for finding in pool.get((label.path, label.rule, label.cell_sha256), [])
                if id(finding) not in taken and (not exact or finding.line == label.line)
            ]
            if not candidates:
                continue
            best = min(
                candidates,
                key=lambda finding: (
                    abs(finding.line - label.line),
                    finding.cell_index != label.cell_index,
                ),
            )
            pairs[label] = best
            taken.add(id(best))
    return pairs


def score(
    labels: Sequence[Label], reported: Sequence[Reported], rules: Sequence[str] = RULES
) -> list[RuleScore]:
    """Per-rule figures. A matched `fn` label is a miss now found: it counts as a `tp`.

    A finding judged again in a later draw (same path, rule, cell text and line) counts
    once, with its latest verdict: the later judgement supersedes the earlier one.
    """
    labels = latest_judgements(labels)
    pairs = match(labels, reported)
    counts = Counter(finding.rule for finding in reported)
    judged_cells = {(label.rule, label.cell_sha256) for label in labels}
    unjudged = Counter(
        finding.rule
        for finding in reported
        if (finding.rule, finding.cell_sha256) not in judged_cells
    )
    scores = []
    for rule in rules:
        mine = [label for label in labels if label.rule == rule]
        found = [label for label in mine if label in pairs]
        verdicts = Counter("tp" if label.verdict == "fn" else label.verdict for label in found)
        positives = [label for label in mine if label.verdict in ("tp", "fn")]
        scores.append(
            RuleScore(
                rule=rule,
                findings=counts[rule],
                labelled=len(found),
                tp=verdicts["tp"],
                fp=verdicts["fp"],
                debatable=verdicts["debatable"],
                positives=len(positives),
                recovered=sum(label in pairs for label in positives),
                fp_gone=sum(label.verdict == "fp" and label not in pairs for label in mine),
                unlabelled=unjudged[rule],
            )
        )
    return scores


def latest_judgements(labels: Sequence[Label]) -> list[Label]:
    """Each judged finding once, as its last label (in file order) judges it."""
    latest: dict[tuple[str, str, str, int], Label] = {}
    for label in labels:
        key = (label.path, label.rule, label.cell_sha256, label.line)
        latest.pop(key, None)  # keep file order for the ones that remain
        latest[key] = label
    return list(latest.values())


def score_by_draw(
    labels: Sequence[Label], reported: Sequence[Reported], rules: Sequence[str] = RULES
) -> list[tuple[str, RuleScore]]:
    """Per-rule figures on each sample of judged findings alone (`sample`, `sample-after`, ...).

    Labels of one draw judge other cell texts than another draw's, so after a rule change the
    first sample shows how the old judgements fare and a fresh sample shows the rule's current
    output. Misses (`fn` labels) are no draw of findings and are left out here.
    """
    draws = sorted({label.drawn for label in labels if label.verdict != "fn"})
    return [
        (draw, rule_score)
        for draw in draws
        for rule_score in score(
            [label for label in labels if label.drawn == draw and label.verdict != "fn"],
            reported,
            rules,
        )
    ]


def format_range(bounds: tuple[float, float] | None) -> str:
    """`0.80` for a single figure, `0.70-0.85` for a range, `-` with nothing to measure."""
    if bounds is None:
        return "-"
    low, high = bounds
    return f"{low:.2f}" if round(low, 2) == round(high, 2) else f"{low:.2f}-{high:.2f}"


def table(scores: Sequence[RuleScore], corpus: Corpus) -> str:
    """The per-rule figures as a Markdown table, plus the corpus totals."""
    lines = [
        "| rule | findings | per 1,000 notebooks | labelled | tp | fp | debatable "
        "| precision | recall | misses (fn labels) | fp gone | unlabelled |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rule in scores:
        recall = "-" if rule.recall is None else f"{rule.recall:.2f}"
        lines.append(
            f"| `{rule.rule}` | {rule.findings} | {rule.per_thousand(corpus.notebooks):.1f} "
            f"| {rule.labelled} | {rule.tp} | {rule.fp} | {rule.debatable} "
            f"| {format_range(rule.precision)} | {recall} "
            f"| {rule.positives - rule.recovered} of {rule.positives} | {rule.fp_gone} "
            f"| {rule.unlabelled} |"
        )
    lines.append("")
    lines.append(f"{corpus.notebooks} notebooks, {corpus.code_cells} code cells linted.")
    return "\n".join(lines)


def draw_table(scores: Sequence[tuple[str, RuleScore]]) -> str:
    """Precision on each sample of judged findings, per rule, as a Markdown table."""
    lines = [
        "| rule | sample | labelled | tp | fp | debatable | precision | fp gone |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for draw, rule in sorted(scores, key=lambda pair: (RULES.index(pair[1].rule), pair[0])):
        if not rule.labelled and not rule.fp_gone:
            continue
        lines.append(
            f"| `{rule.rule}` | {draw} | {rule.labelled} | {rule.tp} | {rule.fp} "
            f"| {rule.debatable} | {format_range(rule.precision)} | {rule.fp_gone} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the corpus root fetch_corpus.py wrote")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--findings", type=Path, help="a `mllens check --format json` report")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="lint processes")
    parser.add_argument(
        "--rule", action="append", choices=RULES, help="score only this rule (repeatable)"
    )
    args = parser.parse_args(argv)
    rules = tuple(args.rule) if args.rule else RULES

    corpus = read_corpus(args.corpus)
    if args.findings is not None:
        report = json.loads(args.findings.read_text(encoding="utf-8"))
        reported = reported_from_json(report["findings"], args.corpus, corpus)
    else:
        reported = lint(args.corpus, max(1, args.jobs), corpus)
    labels = read_labels(args.labels)
    print(table(score(labels, reported, rules), corpus))
    print()
    print(draw_table(score_by_draw(labels, reported, rules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
