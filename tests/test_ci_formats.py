"""JUnit XML and JSON Lines: the report shapes CI systems and log pipelines read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from jupyter_mllens.cli import main

READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"
LEAK = 'db_password = "Tr0ub4dor&3-horse-battery"'


def _report(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["check", "--isolated", *args])
    return status, capsys.readouterr().out


def test_junit_has_a_failing_case_per_finding_and_an_error_per_bad_file(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", READ, LEAK)
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{", "utf-8")
    status, out = _report(capsys, str(notebook), str(broken), "--format", "junit")
    assert status == 2
    root = ET.fromstring(out)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "2", "1")
    suites = {suite.get("name"): suite for suite in root}
    cases = suites[str(notebook)].findall("testcase")
    assert sorted(case.get("name", "").split()[0] for case in cases) == ["MLL101", "MLL201"]
    failure = cases[0].find("failure")
    assert failure is not None
    assert "Tr0ub4dor" not in out
    assert suites[str(broken)].find("testcase/error") is not None


def test_junit_of_a_clean_run_is_one_passing_case(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path]
) -> None:
    notebook = write_notebook("nb.ipynb", "x = 1")
    status, out = _report(capsys, str(notebook), "--format", "junit")
    assert status == 0
    root = ET.fromstring(out)
    assert root.get("failures") == "0"
    assert [case.get("name") for case in root.iter("testcase")] == ["no findings"]


def test_json_lines_is_one_object_per_finding_or_error(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", READ, LEAK)
    missing = tmp_path / "missing.ipynb"
    _, out = _report(capsys, str(notebook), str(missing), "--format", "json-lines")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["type"] for r in records] == ["finding", "finding", "error"]
    assert {r["name"] for r in records if r["type"] == "finding"} == {
        "unversioned-data",
        "hardcoded-credentials",
    }
    assert all(r["version"] == 1 for r in records)
    assert records[-1]["path"] == str(missing)


def test_sarif_regions_follow_the_ipynb_layout_of_every_nbformat_4_minor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Source stored as an array of lines, as one string, compact or indented JSON."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "text"]},
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["import pandas as pd\n", "\n", "df = pd.read_csv('data/train.csv')\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "x = 1\nother = pd.read_csv('data/other.csv')",
        },
    ]
    for minor, indent in ((0, 1), (4, 2), (5, None)):
        notebook = {"nbformat": 4, "nbformat_minor": minor, "metadata": {}, "cells": cells}
        path = tmp_path / f"v{minor}.ipynb"
        path.write_text(json.dumps(notebook, indent=indent), "utf-8")
        status = main(["check", "--isolated", "--format", "sarif", str(path)])
        assert status == 1
        results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
        raw = path.read_text("utf-8").splitlines()
        lines = [
            raw[r["locations"][0]["physicalLocation"]["region"]["startLine"] - 1] for r in results
        ]
        assert "data/train.csv" in lines[0]
        assert "data/other.csv" in lines[1]
        assert [r["properties"]["cell_line"] for r in results] == [3, 2]
