"""The label sampler (benchmarks/sample_findings.py): seeded draws, and fresh draws after a change.

A re-measurement after a rule change must judge what the rule reports now, so the sampler can
leave out cells a label already judges; these tests check that it does, that it draws each
distinct cell text once, and that limiting the draw to some rules keeps each rule's draw.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_benchmark(name: str) -> ModuleType:
    """Import a script of the benchmarks folder under its own name (they import each other)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


precision = load_benchmark("precision")
sampler = load_benchmark("sample_findings")


def reported(rule: str, cell: int, text: str, path: str = "acme+one/a.ipynb") -> Any:
    """A finding in a cell whose source is `text`."""
    return precision.Reported(
        path=path, rule=rule, cell_index=cell, line=1, cell_sha256=precision.cell_sha256(text)
    )


FINDINGS = [
    *(reported("unversioned-data", cell, f"read_csv('{cell}.csv')") for cell in range(10)),
    # A copy of cell 0's text in another notebook: one judgement, drawn at most once.
    reported("unversioned-data", 0, "read_csv('0.csv')", path="acme+two/b.ipynb"),
    *(reported("syntax-error", cell, f"x = {cell} +") for cell in range(6)),
]


def test_each_cell_text_is_drawn_once_and_the_draw_is_seeded() -> None:
    first = sampler.sample_findings(FINDINGS, seed=3, per_rule=20)
    assert len(first) == 16  # 10 distinct unversioned-data cells, 6 syntax-error cells
    assert len({(found.rule, found.cell_sha256) for found in first}) == 16
    assert sampler.sample_findings(FINDINGS, seed=3, per_rule=4) == sampler.sample_findings(
        FINDINGS, seed=3, per_rule=4
    )


def test_judged_cells_are_left_out() -> None:
    judged = {
        ("unversioned-data", precision.cell_sha256(f"read_csv('{cell}.csv')")) for cell in range(7)
    }
    # A label of another rule on the same text does not exclude it from this rule.
    judged.add(("syntax-error", precision.cell_sha256("read_csv('8.csv')")))
    drawn = sampler.sample_findings(
        FINDINGS, seed=3, per_rule=40, rules=["unversioned-data"], judged=judged
    )
    assert sorted(found.cell_index for found in drawn) == [7, 8, 9]
    assert {found.rule for found in drawn} == {"unversioned-data"}


def test_limiting_the_rules_keeps_each_rules_draw() -> None:
    everything = sampler.sample_findings(FINDINGS, seed=11, per_rule=3)
    limited = sampler.sample_findings(FINDINGS, seed=11, per_rule=3, rules=["syntax-error"])
    assert limited == [found for found in everything if found.rule == "syntax-error"]
    assert len(limited) == 3


def test_the_command_line_excludes_labelled_cells(tmp_path: Path) -> None:
    """From a `mllens check --format json` report and a labels folder to label skeletons."""
    root = tmp_path / "corpus"
    notebook = root / "acme+one" / "a.ipynb"
    notebook.parent.mkdir(parents=True)
    sources = ["x = (\n", "y = ]\n", "z = 1 +\n"]
    notebook.write_text(
        json.dumps(
            {
                "nbformat": 4,
                "nbformat_minor": 5,
                "metadata": {},
                "cells": [
                    {"cell_type": "code", "metadata": {}, "outputs": [], "source": source}
                    for source in sources
                ],
            }
        ),
        encoding="utf-8",
    )
    report = tmp_path / "report.json"
    report.write_text(
        json.dumps(
            {
                "findings": [
                    {"path": str(notebook), "cell_index": cell, "line": 1, "name": "syntax-error"}
                    for cell in range(3)
                ]
            }
        ),
        encoding="utf-8",
    )
    labels = tmp_path / "labels"
    labels.mkdir()
    judged = {
        "path": "acme+one/a.ipynb",
        "cell_index": 1,
        "rule": "syntax-error",
        "line": 1,
        "verdict": "tp",
        "reason": "judged before",
        "cell_sha256": precision.cell_sha256(sources[1]),
    }
    (labels / "syntax-error.jsonl").write_text(json.dumps(judged) + "\n", encoding="utf-8")
    out = tmp_path / "sample.jsonl"

    argv = [str(root), str(report), str(out), "--seed", "7", "--rule", "syntax-error"]
    assert sampler.main([*argv, "--exclude-labels", str(labels)]) == 0
    drawn = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [record["cell_index"] for record in drawn] == [0, 2]
    assert drawn[0]["cell_sha256"] == precision.cell_sha256(sources[0])

    assert sampler.main(argv) == 0  # without the labels every cell is drawn
    assert len(out.read_text(encoding="utf-8").splitlines()) == 3
