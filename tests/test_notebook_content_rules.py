"""The rules that read saved outputs, execution counts, prose and metadata, through the engine."""

from __future__ import annotations

from typing import Any

from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Part

TOKEN = "hf_Zq8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8"


def _code(source: str, count: int | None = None, outputs: list[Any] | None = None) -> Any:
    return {
        "cell_type": "code",
        "id": f"c{count}",
        "metadata": {},
        "source": source,
        "execution_count": count,
        "outputs": outputs or [],
    }


def _stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def _notebook(*cells: Any, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {}, "cells": list(cells)}


def _findings(linter: Linter, notebook: dict[str, Any], rule: str) -> list[Any]:
    result = linter.lint_notebook(notebook, "n.ipynb")
    assert result.errors == ()
    return [f for f in result.findings if f.name == rule]


def test_a_secret_in_an_output_is_located_in_that_output_and_masked(linter: Linter) -> None:
    notebook = _notebook(
        _code("import os", 1),
        _code(
            "print(os.environ['HF_TOKEN'])",
            2,
            [
                _stream("starting\n"),
                {"output_type": "display_data", "data": {"image/png": "x"}},
                _stream(f"token: {TOKEN}\n"),
            ],
        ),
    )
    (finding,) = _findings(linter, notebook, "secret-in-output")
    assert (finding.cell_index, finding.part, finding.output) == (1, Part.OUTPUT, 2)
    assert (finding.line, finding.column, finding.location.end_column) == (1, 8, 8 + len(TOKEN))
    assert TOKEN[:5] not in str(finding.to_json())
    assert "'hf_Z****'" in finding.message


def test_the_producing_cell_can_silence_its_outputs(linter: Linter) -> None:
    cell = _code("# mllens: ignore[secret-in-output]\nprint(token)", 1, [_stream(TOKEN)])
    assert _findings(linter, _notebook(cell), "secret-in-output") == []


def test_a_hostile_output_costs_a_bounded_number_of_findings(linter: Linter) -> None:
    flood = "".join(f"API_KEY=Zq8Rv2mXo4Lt9Wc{n:06d}\n" for n in range(20_000))
    notebook = _notebook(*(_code("x", n, [_stream(flood)] * 5) for n in range(1, 40)))
    findings = _findings(linter, notebook, "secret-in-output")
    assert 0 < len(findings) <= 50
    assert all(f.part is Part.OUTPUT for f in findings)


def test_secrets_in_comments_and_markdown_are_hardcoded_credentials(linter: Linter) -> None:
    notebook = _notebook(
        {"cell_type": "markdown", "id": "m", "metadata": {}, "source": f"use {TOKEN}"},
        _code(f"x = 1  # {TOKEN}"),
        _code(f"s = '# {TOKEN}'"),  # a literal that looks like a comment: reported once
    )
    found = {
        (f.cell_index, f.line, f.column, f.part)
        for f in _findings(linter, notebook, "hardcoded-credentials")
    }
    assert found == {(0, 1, 5, Part.SOURCE), (1, 1, 10, Part.SOURCE), (2, 1, 5, Part.SOURCE)}


def test_execution_order_gives_one_finding_per_notebook(linter: Linter) -> None:
    notebook = _notebook(_code("a = 1", 5), _code("b = 2", 2), _code("c = 3", 3), _code("d = 4", 1))
    (finding,) = _findings(linter, notebook, "out-of-order-execution")
    assert finding.cell_index == 1
    assert "(2 more cells likewise)" in finding.message


def test_execution_order_ignores_cleared_headless_and_in_order_notebooks(linter: Linter) -> None:
    cleared = _notebook(_code("a = 1"), _code("b = 2"))
    headless = _notebook(_code("a = 1", 2), _code("b = 2", 1), metadata={"papermill": {}})
    in_order = _notebook(_code("a = 1", 1), _code("", 9), _code("b = 2"), _code("c = 3", 4))
    for notebook in (cleared, headless, in_order):
        assert _findings(linter, notebook, "out-of-order-execution") == []


def test_outputs_sent_by_a_client_are_linted_like_a_file(linter: Linter) -> None:
    """The server lints the JSON it receives: outputs and counts in it are read the same way."""
    notebook = _notebook(_code("print(key)", 1, [_stream(f"OPENAI_API_KEY={TOKEN}")]))
    result = linter.lint_notebook(notebook, "n.ipynb").to_json()
    (finding,) = [f for f in result["findings"] if f["name"] == "secret-in-output"]
    assert (finding["part"], finding["output"], finding["cell_index"]) == ("output", 0, 0)


def test_a_long_markdown_image_is_skipped_but_a_token_after_it_is_found() -> None:
    from jupyter_mllens.checkers.content_secrets import SLICE, scan_long_text

    token = "hf_" + "QxTzVbNmLkJhGfDsApOiUyTrEwQaZxCvBn"
    payload = "iVBORw0KGgo" + "AKIA" * (SLICE // 2)
    text = f"![plot](data:image/png;base64,{payload})\n\nlogin with {token}\n"
    (match,) = scan_long_text(text)
    assert (match.kind, text[match.start : match.end]) == ("huggingface-token", token)
