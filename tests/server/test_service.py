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


def _deep_body(depth: int) -> bytes:
    return (
        b'{"path": "nb.ipynb", "notebook": {"cells": [], "x": '
        + b"[" * depth
        + b"]" * depth
        + b"}}"
    )


def test_a_body_nested_beyond_the_json_parser_is_a_400() -> None:
    with pytest.raises(RequestError) as failure:
        parse_lint_request(_deep_body(2_000))
    assert (failure.value.status, failure.value.message) == (
        400,
        "body is not usable JSON: nested too deeply",
    )


def test_an_integer_too_long_to_convert_is_a_400() -> None:
    body = b'{"path": "nb.ipynb", "notebook": {"n": ' + b"9" * 5_000 + b"}}"
    with pytest.raises(RequestError) as failure:
        parse_lint_request(body)
    assert failure.value.status == 400
    assert "not valid JSON" in failure.value.message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("a/" * 5_000 + "nb.ipynb", "'path' is 10,008 bytes long; the limit is 4,096 bytes"),
        ("n" * 256 + ".ipynb", "'path' has a file or folder name over 255 bytes long"),
        ("\udc80.ipynb", "'path' must be valid Unicode text"),
    ],
)
def test_paths_no_file_system_could_hold_are_refused(raw: str, message: str) -> None:
    with pytest.raises(RequestError) as failure:
        normalize_path(raw)
    assert (failure.value.status, failure.value.message) == (400, message)


def test_the_longest_acceptable_path_is_accepted() -> None:
    name = "n" * 249 + ".ipynb"
    assert normalize_path(name) == name
    assert len(normalize_path("/".join([name] * 16))) == 4_095


def test_a_config_link_leading_outside_the_root_is_reported_not_read(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    (root / "project").mkdir(parents=True)
    outside.mkdir()
    (outside / "private.toml").write_text('private-key-name-7f3a = "x"\n', "utf-8")
    (root / "project" / "mllens.toml").symlink_to(outside / "private.toml")
    result = LintService(root).lint(LintRequest("project/nb.ipynb", notebook_json("x = 1\n")))
    assert result["findings"] == []
    assert result["errors"] == [
        {
            "path": "project/nb.ipynb",
            "message": "configuration: project/mllens.toml: is a symbolic link that leads"
            " outside the server root; it was not read",
        }
    ]


def test_a_notebook_with_zero_cells_is_linted(tmp_path: Path) -> None:
    body = json.dumps({"path": "nb.ipynb", "notebook": notebook_json()}).encode()
    result = LintService(tmp_path).lint(parse_lint_request(body))
    assert (result["findings"], result["errors"]) == ([], [])
