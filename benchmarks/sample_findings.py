"""Draw the seeded samples the precision labels were judged on.

    python benchmarks/sample_findings.py CORPUS REPORT.json OUT.jsonl [--seed 6] [--per-rule 40]
    python benchmarks/sample_findings.py CORPUS REPORT.json OUT.jsonl --misses [--per-rule 12]
    python benchmarks/sample_findings.py CORPUS REPORT.json OUT.jsonl --seed 7 \
        --rule unversioned-data --exclude-labels benchmarks/labels

Findings: the report of `mllens check CORPUS --isolated --format json` is deduplicated by
(rule, cell source hash), keeping the first finding in (path, cell, line) order, because the
same cell copied across notebooks is one judgement. From each rule's distinct findings,
sorted, `random.Random(seed + rule position).sample` draws `--per-rule` (all when fewer). Each
line of OUT is a label skeleton (path, cell, rule, line, cell hash, message) to be judged.

After a rule changes, `--exclude-labels` (a labels file or folder) leaves out findings in cell
texts some label of the same rule already judges, so a fresh sample measures what the rule
reports now rather than re-drawing judged cells. `--rule` limits the draw to some rules; each
rule keeps its own seed (`seed + its position`), so limiting does not change what is drawn.

Misses (`--misses`): notebooks with no finding of a rule whose code still mentions the rule's
subject (training calls, data reads, credential parameters), drawn the same seeded way, to be
read for findings the rule should have made.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from precision import (
    RULES,
    Reported,
    cell_source,
    read_corpus,
    read_labels,
    reported_from_json,
    seed_offset,
)

SUBJECTS: dict[str, re.Pattern[str]] = {
    "syntax-error": re.compile(r"^\s*[>]{3}|^\s*(cd|ls|rm|mkdir|cp|mv)\s", re.M),
    "hardcoded-credentials": re.compile(
        r"(api_key|token|password|secret|access_key)\s*=\s*['\"]|login\(", re.I
    ),
    "unversioned-data": re.compile(
        r"load_dataset\(|read_csv\(|read_parquet\(|wget |curl |snapshot_download\(|tfds\.load\(|"
        r"fetch_openml\(|S3Downloader|urlretrieve\(|get_file\("
    ),
    "missing-experiment-tracking": re.compile(r"\.fit\(|\.train\(\s*\S|Trainer\("),
    "missing-data-validation": re.compile(
        r"(read_csv|read_parquet|read_table|read_excel|read_json|loadtxt|genfromtxt)\((?s:.*)"
        r"\.fit\(|xgb\.train\(|lgb\.train\("
    ),
    "no-evaluation-split": re.compile(r"\.fit\(|\.train\(\s*\S|Trainer\("),
    "unregistered-model": re.compile(
        r"(joblib|pickle|torch)\.dump\(|torch\.save\(|\.save(_model|_pretrained|_weights)?\("
    ),
}


def distinct(reported: Sequence[Reported], rule: str) -> list[Reported]:
    """One finding per distinct (rule, cell text): the first in path, cell and line order."""
    seen: set[str] = set()
    kept = []
    for finding in sorted(
        (finding for finding in reported if finding.rule == rule),
        key=lambda finding: (finding.path, finding.cell_index or 0, finding.line),
    ):
        if finding.cell_sha256 not in seen:
            seen.add(finding.cell_sha256)
            kept.append(finding)
    return kept


def sample_findings(
    reported: Sequence[Reported],
    seed: int,
    per_rule: int,
    rules: Collection[str] = RULES,
    judged: Collection[tuple[str, str]] = (),
) -> list[Reported]:
    """The seeded per-rule sample of distinct findings of `rules`.

    `judged` holds (rule, cell hash) pairs already labelled; their findings are not drawn.
    """
    drawn: list[Reported] = []
    for rule in RULES:
        if rule not in rules:
            continue
        pool = [
            finding
            for finding in distinct(reported, rule)
            if (rule, finding.cell_sha256) not in judged
        ]
        rng = random.Random(seed + seed_offset(rule))
        drawn += sorted(
            rng.sample(pool, min(per_rule, len(pool))),
            key=lambda finding: (finding.path, finding.cell_index or 0),
        )
    return drawn


def sample_misses(
    root: Path,
    reported: Sequence[Reported],
    seed: int,
    per_rule: int,
    subjects: Mapping[str, re.Pattern[str]] = SUBJECTS,
) -> list[tuple[str, str]]:
    """Seeded (rule, notebook) pairs: notebooks where the subject appears but the rule is quiet.

    Only rules with a subject pattern are drawn (`SUBJECTS`, or `--subject RULE=REGEX`)."""
    flagged = {(finding.rule, finding.path) for finding in reported}
    texts: dict[str, str] = {}
    for path in sorted(root.rglob("*.ipynb")):
        try:
            cells = json.loads(path.read_bytes()).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        code = [cell_source(cell) for cell in cells if cell.get("cell_type") == "code"]
        texts[path.relative_to(root).as_posix()] = "\n".join(code)
    drawn: list[tuple[str, str]] = []
    for rule in RULES:
        subject = subjects.get(rule)
        if subject is None:
            continue
        pool = [
            path
            for path, text in texts.items()
            if (rule, path) not in flagged and subject.search(text)
        ]
        rng = random.Random(seed + 100 + seed_offset(rule))
        drawn += [(rule, path) for path in rng.sample(pool, min(per_rule, len(pool)))]
    return drawn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("report", type=Path, help="`mllens check --format json` output")
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--per-rule", type=int, default=40)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument(
        "--subject",
        action="append",
        default=[],
        metavar="RULE=REGEX",
        help="with --misses: a rule's subject pattern (repeatable; replaces the built-in ones)",
    )
    parser.add_argument(
        "--rule", action="append", choices=RULES, help="draw only this rule (repeatable)"
    )
    parser.add_argument(
        "--exclude-labels",
        type=Path,
        help="a labels file or folder: skip findings in cell texts already judged for the rule",
    )
    args = parser.parse_args(argv)

    corpus = read_corpus(args.corpus)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    reported = reported_from_json(report["findings"], args.corpus, corpus)
    with args.out.open("w", encoding="utf-8") as out:
        if args.misses:
            subjects = dict(SUBJECTS)
            if args.subject:
                subjects = {}
                for item in args.subject:
                    rule, _, pattern = item.partition("=")
                    if rule not in RULES or not pattern:
                        parser.error(f"--subject {item!r}: expected RULE=REGEX for a catalog rule")
                    subjects[rule] = re.compile(pattern, re.M)
            drawn = sample_misses(args.corpus, reported, args.seed, args.per_rule, subjects)
            for rule, path in drawn:
                out.write(json.dumps({"rule": rule, "path": path}) + "\n")
            return 0
        judged = (
            {(label.rule, label.cell_sha256) for label in read_labels(args.exclude_labels)}
            if args.exclude_labels is not None
            else set()
        )
        rules = args.rule or RULES
        for finding in sample_findings(reported, args.seed, args.per_rule, rules, judged):
            record = {
                "path": finding.path,
                "cell_index": finding.cell_index,
                "rule": finding.rule,
                "line": finding.line,
                "cell_sha256": finding.cell_sha256,
                "message": finding.message,
            }
            out.write(json.dumps(record) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
