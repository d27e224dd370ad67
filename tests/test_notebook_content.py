"""The notebook's non-code content: outputs, execution counts, prose and metadata, bounded."""

from __future__ import annotations

import json
from typing import Any

from jupyter_mllens.catalog import load_catalog
from jupyter_mllens.findings import Finding, LintResult, Location, Part, Severity
from jupyter_mllens.formats.github import render_github
from jupyter_mllens.formats.sarif import render_sarif
from jupyter_mllens.formats.text import render_text
from jupyter_mllens.notebook_content import (
    MAX_METADATA_STRINGS,
    MAX_NOTEBOOK_OUTPUT_CHARS,
    MAX_OUTPUT_CHARS,
)
from jupyter_mllens.reader import parse_notebook


def _notebook(cells: list[dict[str, Any]], metadata: dict[str, Any] | None = None) -> Any:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {}, "cells": cells}


def _code(source: str, count: int | None, outputs: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "source": source,
        "execution_count": count,
        "outputs": outputs,
        "metadata": extra.get("metadata", {}),
        "id": extra.get("id", "c"),
    }


def test_outputs_counts_prose_and_metadata_are_read_with_their_places() -> None:
    png = {"image/png": "iVBORw0KGgo" * 100, "text/plain": ["<Figure size 640x480>"]}
    nb = _notebook(
        [
            {"cell_type": "markdown", "id": "m", "source": ["# Title\n", "text"], "metadata": {}},
            _code(
                "print(1)",
                3,
                [
                    {"output_type": "stream", "name": "stdout", "text": ["a\n", "b\n"]},
                    {"output_type": "display_data", "data": png, "metadata": {}},
                    {
                        "output_type": "error",
                        "ename": "E",
                        "evalue": "v",
                        "traceback": ["\x1b[0;31mTraceback\x1b[0m", "line two"],
                    },
                ],
                id="k",
                metadata={"tags": ["parameters"]},
            ),
            {"cell_type": "raw", "source": "raw text", "metadata": {}},
        ],
        metadata={"papermill": {"parameters": {"alpha": "0.5"}}},
    )
    document = parse_notebook(nb, "n.ipynb")
    content = document.content
    assert [c.index for c in document.cells] == [1]
    (run,) = content.runs
    assert (run.index, run.cell_id, run.execution_count, run.output_count) == (1, "k", 3, 3)
    assert [(o.index, o.kind, o.text) for o in run.outputs] == [
        (0, "stream", "a\nb\n"),
        (1, "text/plain", "<Figure size 640x480>"),
        (2, "error", "Traceback\nline two"),  # colour codes removed, frames joined by lines
    ]
    assert all("iVBOR" not in o.text for o in run.outputs)  # images are never kept
    assert [(t.index, t.kind, t.source) for t in content.text_cells] == [
        (0, "markdown", "# Title\ntext"),
        (2, "raw", "raw text"),
    ]
    assert [(m.cell_index, m.keys, m.value) for m in content.metadata] == [
        (None, ("papermill", "parameters", "alpha"), "0.5"),
        (1, ("tags", 0), "parameters"),
    ]
    assert "papermill" in content.metadata_keys


def test_output_text_positions_are_lines_and_columns_of_the_output() -> None:
    nb = _notebook([_code("x", 1, [{"output_type": "stream", "text": "ab\ncdef"}])])
    (output,) = parse_notebook(nb, "n.ipynb").content.runs[0].outputs
    assert output.position(0) == (1, 1)
    assert output.position(5) == (2, 3)


def test_output_text_is_capped_per_output_and_per_notebook() -> None:
    big = "x" * (MAX_OUTPUT_CHARS * 3)
    cells = [
        _code("x", n, [{"output_type": "stream", "text": [big]}])
        for n in range(1, MAX_NOTEBOOK_OUTPUT_CHARS // MAX_OUTPUT_CHARS + 5)
    ]
    runs = parse_notebook(_notebook(cells), "n.ipynb").content.runs
    kept = [o for run in runs for o in run.outputs]
    assert all(len(o.text) == MAX_OUTPUT_CHARS and o.truncated for o in kept)
    assert sum(len(o.text) for o in kept) == MAX_NOTEBOOK_OUTPUT_CHARS
    assert len(runs) == len(cells)  # every cell's count is still read


def test_metadata_is_walked_without_recursion_and_capped() -> None:
    deep: dict[str, Any] = {"leaf": "v"}
    for _ in range(900):
        deep = {"k": deep}
    wide = {f"k{i}": f"v{i}" for i in range(MAX_METADATA_STRINGS * 2)}
    content = parse_notebook(_notebook([], metadata={"deep": deep, "wide": wide}), "n").content
    assert len(content.metadata) == MAX_METADATA_STRINGS
    assert content.metadata[0].keys[-1] == "leaf"


def test_malformed_prose_and_outputs_are_skipped_not_errors() -> None:
    nb = _notebook(
        [
            {"cell_type": "markdown", "source": [1, 2]},
            _code("x", "7", ["not an output", {"output_type": "stream", "text": 5}]),
        ]
    )
    content = parse_notebook(nb, "n.ipynb").content
    assert content.text_cells == ()
    assert content.runs[0].execution_count is None
    assert content.runs[0].outputs == ()


def _finding(part: Part, output: int | None, cell: int | None = 2) -> Finding:
    return Finding(
        path="n.ipynb",
        cell_index=cell,
        cell_id="k",
        location=Location(2, 5, 2, 9),
        code="MLL108",
        name="secret-in-output",
        severity=Severity.HIGH,
        pillars=("security",),
        phase="data-processing",
        lens=("MLSEC03-BP02",),
        message="m",
        part=part,
        output=output,
    )


def test_every_format_says_a_finding_is_in_an_output_or_metadata() -> None:
    catalog = load_catalog()
    output = _finding(Part.OUTPUT, 0)
    metadata = _finding(Part.METADATA, None, cell=None)
    result = LintResult(findings=(output, metadata), files=1)
    assert output.to_json()["part"] == "output"
    assert output.to_json()["output"] == 0
    assert Finding.from_json(output.to_json()) == output
    assert Finding.from_json(metadata.to_json()) == metadata
    text = render_text(result, catalog)
    assert "n.ipynb:cell 3:output 1:2:5: MLL108" in text
    assert "n.ipynb:notebook metadata:2:5: MLL108" in text
    github = render_github(result, catalog)
    assert "title=MLL108 secret-in-output (cell 3%2C output 1%2C line 2%2C column 5)" in github
    assert "file=n.ipynb,line=1,title=MLL108 secret-in-output (notebook metadata" in github
    sarif = json.loads(render_sarif(result, catalog))
    first, second = sarif["runs"][0]["results"]
    assert first["locations"][0]["logicalLocations"][0]["name"] == "cell 3 output 1"
    assert (first["properties"]["part"], first["properties"]["output"]) == ("output", 0)
    assert second["locations"][0]["logicalLocations"][0]["name"] == "notebook metadata"


def test_findings_cached_before_outputs_existed_still_read() -> None:
    data = _finding(Part.SOURCE, None).to_json()
    del data["part"], data["output"]
    assert Finding.from_json(data) == _finding(Part.SOURCE, None)
