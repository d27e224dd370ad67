"""The precision scorer (benchmarks/precision.py) on a tiny corpus with hand-computed figures.

The scorer is how precision on real notebooks is measured, so its matching of labels to
findings and its arithmetic are checked here against figures worked out by hand.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_scorer() -> ModuleType:
    """Import benchmarks/precision.py, which is a script folder rather than a package."""
    spec = importlib.util.spec_from_file_location("mllens_precision", BENCHMARKS / "precision.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


precision = load_scorer()


def write_notebook(path: Path, cells: list[str]) -> None:
    """A minimal nbformat 4 notebook with one code cell per source (list-of-lines form)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "language": "python"}},
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{index}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source.splitlines(keepends=True),
            }
            for index, source in enumerate(cells)
        ],
    }
    path.write_text(json.dumps(notebook), encoding="utf-8")


CELL_A = "import pandas as pd\nx = (\n"
CELL_B = "y = ]\n"
CELL_C = "print('ok')\n"
CELL_D = "z = 1 +\n"
CELL_E = "a = 1\nb = (\nc = 3\nd = )\n"


@pytest.fixture
def corpus_root(tmp_path: Path) -> Path:
    """Two repositories' worth of notebooks; the second repeats one cell of the first."""
    root = tmp_path / "corpus"
    write_notebook(root / "acme+one" / "a.ipynb", [CELL_A, CELL_B, CELL_C, CELL_E])
    write_notebook(root / "acme+two" / "nested" / "b.ipynb", [CELL_A, CELL_D, CELL_C, CELL_C])
    return root


def finding(
    root: Path, path: str, cell: int, line: int, rule: str = "syntax-error"
) -> dict[str, Any]:
    """One finding as `mllens check --format json` writes it (absolute path)."""
    return {"path": str(root / path), "cell_index": cell, "line": line, "name": rule}


def label(
    corpus: Any, path: str, cell: int, line: int, verdict: str, rule: str = "syntax-error"
) -> dict[str, Any]:
    """One label record, hashed from the corpus the way the committed labels are."""
    return {
        "path": path,
        "cell_index": cell,
        "cell_id": f"c{cell}",
        "rule": rule,
        "line": line,
        "verdict": verdict,
        "reason": "synthetic",
        "cell_sha256": corpus.hashes[path, cell],
    }


def write_labels(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def test_cell_hash_is_of_the_joined_source(corpus_root: Path) -> None:
    corpus = precision.read_corpus(corpus_root)
    assert corpus.notebooks == 2
    assert corpus.code_cells == 8
    assert corpus.hashes["acme+one/a.ipynb", 0] == precision.cell_sha256(CELL_A)
    # The same text in another notebook has the same hash: one judgement covers both.
    assert corpus.hashes["acme+two/nested/b.ipynb", 0] == corpus.hashes["acme+one/a.ipynb", 0]


def test_figures_match_a_hand_count(corpus_root: Path, tmp_path: Path) -> None:
    corpus = precision.read_corpus(corpus_root)
    one, two = "acme+one/a.ipynb", "acme+two/nested/b.ipynb"
    report = [
        finding(corpus_root, one, 0, 2),  # labelled tp
        finding(corpus_root, one, 1, 1),  # labelled fp
        finding(corpus_root, two, 0, 2),  # a copy of a judged cell: judged, not labelled
        finding(corpus_root, two, 1, 1),  # labelled debatable
        finding(corpus_root, two, 2, 1),  # labelled fn: a miss that is now found
        finding(corpus_root, two, 3, 1),  # same text as cell 2: the cell index breaks the tie
        finding(corpus_root, one, 3, 2, rule="unversioned-data"),  # another rule, unlabelled
    ]
    labels = write_labels(
        tmp_path / "labels.jsonl",
        [
            label(corpus, one, 0, 2, "tp"),
            label(corpus, one, 1, 1, "fp"),
            label(corpus, two, 1, 1, "debatable"),
            label(corpus, two, 2, 1, "fn"),
            label(corpus, one, 2, 1, "fn"),  # a miss still missed (no finding in that cell)
            label(corpus, one, 3, 4, "fp"),  # a false alarm no longer raised
        ],
    )
    reported = precision.reported_from_json(report, corpus_root, corpus)
    scores = {
        score.rule: score for score in precision.score(precision.read_labels(labels), reported)
    }
    syntax = scores["syntax-error"]
    assert syntax.findings == 6
    assert syntax.labelled == 4  # tp, fp, debatable, and the fn now found
    assert (syntax.tp, syntax.fp, syntax.debatable) == (2, 1, 1)
    assert syntax.precision == pytest.approx((2 / 4, 3 / 4))
    # Real problems: the tp label and the two fn labels; two of the three are reported.
    assert syntax.positives == 3
    assert syntax.recall == pytest.approx(2 / 3)
    assert syntax.fp_gone == 1
    # Every syntax-error finding is in a cell text that some label judges, so none is
    # unlabelled, though two (the copies) are not labelled findings themselves.
    assert syntax.unlabelled == 0
    assert syntax.per_thousand(corpus.notebooks) == pytest.approx(3000.0)

    unversioned = scores["unversioned-data"]
    assert (unversioned.findings, unversioned.labelled, unversioned.unlabelled) == (1, 0, 1)
    assert unversioned.precision is None
    assert unversioned.recall is None


def test_line_disambiguates_labels_on_one_cell(corpus_root: Path, tmp_path: Path) -> None:
    corpus = precision.read_corpus(corpus_root)
    one = "acme+one/a.ipynb"
    # Two findings in one cell; the labels name their lines, listed in the opposite order.
    report = [finding(corpus_root, one, 3, 2), finding(corpus_root, one, 3, 4)]
    labels = precision.read_labels(
        write_labels(
            tmp_path / "labels.jsonl",
            [label(corpus, one, 3, 4, "fp"), label(corpus, one, 3, 2, "tp")],
        )
    )
    pairs = precision.match(labels, precision.reported_from_json(report, corpus_root, corpus))
    assert {found_label.verdict: found.line for found_label, found in pairs.items()} == {
        "tp": 2,
        "fp": 4,
    }


def test_a_moved_finding_still_matches_its_cell(corpus_root: Path, tmp_path: Path) -> None:
    """After a rule change a finding may land on another line of the same cell."""
    corpus = precision.read_corpus(corpus_root)
    one = "acme+one/a.ipynb"
    labels = precision.read_labels(
        write_labels(tmp_path / "labels.jsonl", [label(corpus, one, 3, 2, "tp")])
    )
    moved = precision.reported_from_json([finding(corpus_root, one, 3, 3)], corpus_root, corpus)
    assert len(precision.match(labels, moved)) == 1
    # A finding in a cell with other text (the notebook changed) does not match.
    write_notebook(corpus_root / "acme+one" / "a.ipynb", [CELL_A, CELL_B, CELL_C, "b = (\n"])
    changed = precision.read_corpus(corpus_root)
    elsewhere = precision.reported_from_json(
        [finding(corpus_root, one, 3, 1)], corpus_root, changed
    )
    assert precision.match(labels, elsewhere) == {}


def test_an_unknown_verdict_is_rejected(tmp_path: Path) -> None:
    record = {
        "path": "x+y/a.ipynb",
        "cell_index": 0,
        "rule": "syntax-error",
        "line": 1,
        "verdict": "maybe",
        "reason": "",
        "cell_sha256": "0" * 64,
    }
    with pytest.raises(ValueError, match="maybe"):
        precision.read_labels(write_labels(tmp_path / "bad.jsonl", [record]))


def test_scores_the_engine_end_to_end(
    corpus_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI path: lint the corpus with the real engine and print the table."""
    corpus = precision.read_corpus(corpus_root)
    one, two = "acme+one/a.ipynb", "acme+two/nested/b.ipynb"
    labels = tmp_path / "labels"
    labels.mkdir()
    write_labels(
        labels / "syntax-error.jsonl",
        [
            label(corpus, one, 0, 2, "tp"),
            label(corpus, one, 1, 1, "tp"),
            label(corpus, two, 1, 1, "tp"),
            label(corpus, one, 2, 1, "fn"),  # a labelled miss the engine does not report
        ],
    )
    reported = precision.lint(corpus_root, 1, corpus)
    syntax = next(
        score
        for score in precision.score(precision.read_labels(labels), reported)
        if score.rule == "syntax-error"
    )
    assert (syntax.tp, syntax.fp, syntax.debatable) == (3, 0, 0)
    assert syntax.precision == (1.0, 1.0)
    assert syntax.recall == pytest.approx(3 / 4)

    assert precision.main([str(corpus_root), "--labels", str(labels), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    row = next(line for line in printed.splitlines() if line.startswith("| `syntax-error`"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[4:9] == ["3", "0", "0", "1.00", "0.75"]
    assert "2 notebooks, 8 code cells linted." in printed


def test_precision_is_also_given_per_sample(corpus_root: Path, tmp_path: Path) -> None:
    """A fresh sample after a rule change is scored apart from the labels judged before it."""
    corpus = precision.read_corpus(corpus_root)
    one, two = "acme+one/a.ipynb", "acme+two/nested/b.ipynb"
    report = [
        finding(corpus_root, one, 0, 2),
        finding(corpus_root, one, 1, 1),
        finding(corpus_root, two, 1, 1),
        finding(corpus_root, two, 2, 1),
        finding(corpus_root, one, 3, 2),
    ]
    after = {"drawn": "sample-after"}
    records = [
        label(corpus, one, 0, 2, "tp"),  # no `drawn`: the original sample
        {**label(corpus, one, 1, 1, "fp"), "drawn": "sample"},
        {**label(corpus, two, 1, 1, "tp"), **after},
        {**label(corpus, one, 3, 2, "debatable"), **after},
        {**label(corpus, one, 3, 4, "fp"), **after},  # not reported any more
        {**label(corpus, two, 2, 1, "fn"), "drawn": "miss-search"},  # a miss: no sample
    ]
    labels = precision.read_labels(write_labels(tmp_path / "labels.jsonl", records))
    reported = precision.reported_from_json(report, corpus_root, corpus)
    by_draw = {
        draw: score
        for draw, score in precision.score_by_draw(labels, reported)
        if score.rule == "syntax-error"
    }
    assert sorted(by_draw) == ["sample", "sample-after"]
    before, fresh = by_draw["sample"], by_draw["sample-after"]
    assert (before.labelled, before.tp, before.fp, before.debatable) == (2, 1, 1, 0)
    assert before.precision == pytest.approx((0.5, 0.5))
    assert (fresh.labelled, fresh.tp, fresh.fp, fresh.debatable, fresh.fp_gone) == (2, 1, 0, 1, 1)
    assert fresh.precision == pytest.approx((0.5, 1.0))

    rows = precision.draw_table(precision.score_by_draw(labels, reported)).splitlines()
    assert "| `syntax-error` | sample | 2 | 1 | 1 | 0 | 0.50 | 0 |" in rows
    assert "| `syntax-error` | sample-after | 2 | 1 | 0 | 1 | 0.50-1.00 | 1 |" in rows
    assert not any("unversioned-data" in row for row in rows)  # no labels, no row


def test_a_finding_judged_again_counts_once_with_its_latest_verdict(
    corpus_root: Path, tmp_path: Path
) -> None:
    """A later draw re-judging a cell is a second opinion on one finding, not a second finding:
    without this, the earlier `tp` would count as a miss once the later label took the pair."""
    corpus = precision.read_corpus(corpus_root)
    one = "acme+one/a.ipynb"
    report = [finding(corpus_root, one, 0, 2), finding(corpus_root, one, 1, 1)]
    records = [
        {**label(corpus, one, 0, 2, "tp"), "drawn": "sample"},
        {**label(corpus, one, 1, 1, "tp"), "drawn": "sample"},
        {**label(corpus, one, 0, 2, "tp"), "drawn": "sample-after-2"},
        {**label(corpus, one, 1, 1, "fp"), "drawn": "sample-after-2"},  # re-judged
    ]
    labels = precision.read_labels(write_labels(tmp_path / "labels.jsonl", records))
    reported = precision.reported_from_json(report, corpus_root, corpus)
    (score,) = [s for s in precision.score(labels, reported) if s.rule == "syntax-error"]
    assert (score.labelled, score.tp, score.fp, score.positives, score.recovered) == (2, 1, 1, 1, 1)
