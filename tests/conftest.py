"""Shared fixtures: build notebooks in tmp dirs and run the real CLI in-process."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding
from jupyter_mllens.reader import code_notebook


def notebook_json(
    *cells: str, metadata: dict[str, Any] | None = None, markdown_first: bool = False
) -> dict[str, Any]:
    """An nbformat 4.5 notebook with one code cell per source (optionally a markdown cell first)."""
    notebook = code_notebook(cells, id_prefix="c")
    if markdown_first:
        intro = {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "# Notes"}
        notebook["cells"].insert(0, intro)
    if metadata is not None:
        notebook["metadata"] = metadata
    return notebook


@pytest.fixture(scope="session")
def linter() -> Linter:
    return Linter()


@pytest.fixture
def lint(linter: Linter) -> Callable[..., list[Finding]]:
    """Lint cells given as strings; returns findings."""

    def run(*cells: str, **kwargs: Any) -> list[Finding]:
        result = linter.lint_notebook(notebook_json(*cells, **kwargs), "test.ipynb")
        assert not result.errors, result.errors
        return list(result.findings)

    return run


@pytest.fixture
def write_notebook(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, *cells: str, **kwargs: Any) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook_json(*cells, **kwargs), indent=1), "utf-8")
        return path

    return write
