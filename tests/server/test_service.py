"""The request rules of the server's pure core, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_mllens.server.service import (
    LintRequest,
    LintService,
    RequestError,
    normalize_path,
    parse_lint_request,
)
from tests.conftest import notebook_json


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("nb.ipynb", "nb.ipynb"), ("./a//b/nb.ipynb", "a/b/nb.ipynb"), ("a\\b.ipynb", "a/b.ipynb")],
)
def test_normalize_path_keeps_paths_inside_the_root(raw: str, clean: str) -> None:
    assert normalize_path(raw) == clean


@pytest.mark.parametrize(
    "raw", ["..", "a/../../b", "/abs.ipynb", "\\\\server\\share", "D:x", ".", "./"]
)
def test_normalize_path_refuses_escapes(raw: str) -> None:
    with pytest.raises(RequestError) as failure:
        normalize_path(raw)
    assert failure.value.status == 400


def test_size_is_checked_before_parsing() -> None:
    with pytest.raises(RequestError) as failure:
        parse_lint_request(b"x" * 11, max_bytes=10)
    assert failure.value.status == 413


def test_a_valid_body_parses() -> None:
    body = json.dumps({"path": "nb.ipynb", "notebook": {"cells": []}}).encode()
    assert parse_lint_request(body) == LintRequest("nb.ipynb", {"cells": []})


def test_symlinked_directory_pointing_outside_gets_no_outside_config(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "pyproject.toml").write_text('[tool.mllens]\nignore = ["ALL"]\n', "utf-8")
    (root / "link").symlink_to(outside, target_is_directory=True)
    service = LintService(root)
    nb = notebook_json('password = "Tr0ub4dor&3-horse"\n')
    result = service.lint(LintRequest("link/nb.ipynb", nb))
    assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]


def test_per_file_ignores_apply_under_the_server_root(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.mllens.per-file-ignores]\n"scratch/*" = ["unversioned-data"]\n', "utf-8"
    )
    (tmp_path / "scratch").mkdir()
    service = LintService(tmp_path)
    cell = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"
    body = {"path": "scratch/try.ipynb", "notebook": notebook_json(cell)}
    assert service.lint(parse_lint_request(json.dumps(body).encode()))["findings"] == []
    body["path"] = "work/try.ipynb"
    findings = service.lint(parse_lint_request(json.dumps(body).encode()))["findings"]
    assert [f["name"] for f in findings] == ["unversioned-data"]
