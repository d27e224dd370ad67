"""The `mllens` command: formats, exit codes, batches with bad inputs, discovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens import batch, cli
from jupyter_mllens.cli import main
from jupyter_mllens.reader import code_notebook

WriteNotebook = Callable[..., Path]
READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_points_at_cell_line_and_column(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", "import os", READ, markdown_first=True)
    code, out, _ = run(capsys, "check", str(path))
    assert code == 1
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:cell 3:2:6: MLL201 unversioned-data ")
    assert first.endswith("[reliability, operational-excellence]")
    assert "Found 1 finding in 1 notebook." in out


def test_json_schema(capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook) -> None:
    path = write_notebook("nb.ipynb", READ)
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    assert code == 1
    data = json.loads(out)
    assert data["version"] == 1
    assert data["errors"] == []
    (finding,) = data["findings"]
    assert finding == {
        "path": str(path),
        "cell_index": 0,
        "cell_id": "c0",
        "line": 2,
        "column": 6,
        "end_line": 2,
        "end_column": 35,
        "code": "MLL201",
        "name": "unversioned-data",
        "severity": "medium",
        "pillars": ["reliability", "operational-excellence"],
        "phase": "data-processing",
        "lens": ["MLREL02-BP03", "MLOPS03-BP02", "MLSEC03-BP04"],
        "message": finding["message"],
        "part": "source",
        "output": None,
        "fix": {
            "title": "Read a fixed version of the data",
            "applicability": "display-only",
            "edits": [],
            "template": finding["fix"]["template"],
        },
    }


def test_sarif_output(capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook) -> None:
    path = write_notebook("nb.ipynb", READ)
    _, out, _ = run(capsys, "check", "--format", "sarif", str(path))
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert "MLL201" in rule_ids
    (result,) = run_["results"]
    assert result["ruleId"] == "MLL201"
    assert rule_ids[result["ruleIndex"]] == "MLL201"
    region = result["locations"][0]["physicalLocation"]["region"]
    # The region is the .ipynb file's line holding the offending source line, which is
    # what code scanning renders; the cell coordinates are kept in the properties.
    raw_line = path.read_text("utf-8").splitlines()[region["startLine"] - 1]
    assert "pd.read_csv('data/train.csv')" in raw_line
    assert "startColumn" not in region
    assert result["locations"][0]["logicalLocations"][0]["name"] == "cell 1"
    properties = result["properties"]
    assert properties["cell_id"] == "c0"
    assert (properties["region"], properties["cell_line"], properties["cell_column"]) == (
        "ipynb",
        2,
        6,
    )
    rule = run_["tool"]["driver"]["rules"][rule_ids.index("MLL201")]
    assert rule["helpUri"].startswith("https://docs.aws.amazon.com/wellarchitected/")


def test_github_annotations(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    path = write_notebook("nb.ipynb", READ)
    script = tmp_path / "train.py"
    script.write_text("import numpy as np\nx = np.load('x.npy')\n", "utf-8")
    _, out, _ = run(capsys, "check", "--format", "github", str(path), str(script))
    lines = out.splitlines()
    raw = path.read_text("utf-8").splitlines()
    json_line = next(i for i, text in enumerate(raw, 1) if "pd.read_csv('data/train.csv')" in text)
    assert lines[0].startswith(
        f"::warning file={path},line={json_line},"
        "title=MLL201 unversioned-data (cell 1%2C line 2%2C column 6)::"
    )
    assert lines[1].startswith(
        f"::warning file={script},line=2,col=5,endLine=2,endColumn=21,title=MLL201"
    )


def test_scripts_report_file_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    script = tmp_path / "nb.py"
    script.write_text(
        "# %%\nimport pandas as pd\n\n# %%\nx = 1\ndf = pd.read_csv('a.csv')\n", "utf-8"
    )
    code, out, _ = run(capsys, str(script))  # no subcommand: what nbqa runs
    assert code == 1
    assert out.startswith(f"{script}:6:6: MLL201 unversioned-data ")


def test_exit_codes(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    clean = write_notebook("clean.ipynb", "x = 1")
    assert run(capsys, "check", str(clean))[0] == 0
    dirty = write_notebook("dirty.ipynb", READ)
    assert run(capsys, "check", str(dirty))[0] == 1
    assert run(capsys, "check", "--exit-zero", str(dirty))[0] == 0
    assert run(capsys, "check", "--select", "no-such-rule", str(dirty))[0] == 2
    assert run(capsys, "check", str(tmp_path / "missing"))[0] == 2


def test_bad_inputs_do_not_stop_the_batch(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    good = write_notebook("proj/good.ipynb", READ)
    (tmp_path / "proj" / "broken.ipynb").write_text("{oops", "utf-8")
    (tmp_path / "proj" / "empty.ipynb").write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}', "utf-8"
    )
    (tmp_path / "proj" / "image.ipynb").write_bytes(b"\x89PNG\x00\x00\x00")
    code, out, err = run(capsys, "check", str(tmp_path / "proj"), str(tmp_path / "nowhere"))
    assert code == 2
    assert f"{good}:cell 1:2:6: MLL201" in out
    assert "broken.ipynb: error: invalid JSON" in err
    assert "empty.ipynb" not in err, "a notebook with zero cells is linted, not refused"
    assert "image.ipynb: error: binary file" in err
    assert "nowhere: error: no such file or directory" in err
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path / "proj"))
    data = json.loads(out)
    assert len(data["findings"]) == 1
    assert len(data["errors"]) == 2


def test_discovery_skips_checkpoints_venvs_and_gitignored(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    write_notebook("repo/a.ipynb", READ)
    write_notebook("repo/.ipynb_checkpoints/a-checkpoint.ipynb", READ)
    write_notebook("repo/env/lib/x.ipynb", READ)
    (tmp_path / "repo" / "env" / "pyvenv.cfg").write_text("home = /usr\n", "utf-8")
    write_notebook("repo/outputs/generated.ipynb", READ)
    (tmp_path / "repo" / "script.py").write_text(READ, "utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    (tmp_path / "repo" / ".gitignore").write_text("outputs/\n", "utf-8")
    _, out, _ = run(capsys, "check", "--format", "json", str(tmp_path / "repo"))
    paths = {Path(f["path"]).name for f in json.loads(out)["findings"]}
    assert paths == {"a.ipynb"}


def test_parallel_batch_matches_serial(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    for i in range(20):
        write_notebook(f"many/n{i:02}.ipynb", READ, f"x = {i}")
    _, serial, _ = run(capsys, "check", "--format", "json", "--jobs", "1", str(tmp_path / "many"))
    _, parallel, _ = run(capsys, "check", "--format", "json", "--jobs", "2", str(tmp_path / "many"))
    assert json.loads(serial) == json.loads(parallel)
    assert len(json.loads(serial)["findings"]) == 20


def test_linting_never_writes_to_inputs(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    run(capsys, "check", str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "MLL101  hardcoded-credentials" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert {r["name"] for r in json.loads(out)["rules"]} >= {"no-evaluation-split"}
    code, out, _ = run(capsys, "explain", "MLL302")
    assert code == 0
    assert "## Why is this bad?" in out
    assert "MLREL03-BP03" in out
    assert run(capsys, "explain", "nope")[0] == 2


def test_python_dash_m_is_the_same_program(write_notebook: WriteNotebook) -> None:
    path = write_notebook("nb.ipynb", READ)
    completed = subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["findings"][0]["name"] == "unversioned-data"


def test_select_and_ignore_take_pillars_and_phases(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    path = write_notebook("nb.ipynb", READ, 'api_password = "Tr0ub4dor&3-horse"')
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "security", str(path))
    assert code == 1
    assert [f["name"] for f in json.loads(out)["findings"]] == ["hardcoded-credentials"]
    code, out, _ = run(
        capsys, "check", "--format", "json", "--ignore", "data-processing", str(path)
    )
    assert (code, json.loads(out)["findings"]) == (0, [])
    # A pillar no rule is in yet is still a known name, in flags and in configuration.
    assert run(capsys, "check", "--select", "cost-optimization", str(path))[0] == 0
    (tmp_path / "mllens.toml").write_text('select = ["reliability"]\n', "utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    assert [f["name"] for f in json.loads(out)["findings"]] == ["unversioned-data"]


def test_config_file_errors_exit_2(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    path = write_notebook("cfg/nb.ipynb", READ)
    (tmp_path / "cfg" / "mllens.toml").write_text('select = ["bogus"]\n', "utf-8")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert "unknown rule" in err


def mllens(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess, with a timeout so a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **env},
    )


def test_a_notebook_with_zero_cells_has_no_findings(tmp_path: Path) -> None:
    (tmp_path / "empty.ipynb").write_text(json.dumps(code_notebook([])), "utf-8")
    completed = mllens("check", "empty.ipynb", cwd=tmp_path)
    assert (completed.returncode, completed.stdout, completed.stderr) == (
        0,
        "No findings in 1 notebook.\n",
        "",
    )


# -- --output never overwrites an input --------------------------------------------------
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["nb.ipynb", "-o", "nb.ipynb"], "nb.ipynb"),
        (["nb.ipynb", "-o", "./sub/../nb.ipynb"], "nb.ipynb"),
        ([".", "-o", "nb.ipynb"], "nb.ipynb"),
        (["other.ipynb", "-o", "link.ipynb"], "other.ipynb"),
    ],
)
def test_output_naming_an_input_is_refused_before_anything_is_written(
    tmp_path: Path, args: list[str], named: str
) -> None:
    (tmp_path / "sub").mkdir()
    inputs = {name: json.dumps(code_notebook([READ])) for name in ("nb.ipynb", "other.ipynb")}
    for name, text in inputs.items():
        (tmp_path / name).write_text(text, "utf-8")
    (tmp_path / "link.ipynb").symlink_to("other.ipynb")
    completed = mllens("check", *args, cwd=tmp_path)
    assert completed.returncode == 2
    assert "is one of the files being linted" in completed.stderr
    assert f"({named})" in completed.stderr
    assert "Traceback" not in completed.stderr
    for name, text in inputs.items():
        assert (tmp_path / name).read_text("utf-8") == text


def test_output_naming_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(json.dumps(code_notebook([READ])), "utf-8")
    (tmp_path / "reports").mkdir()
    completed = mllens("check", "nb.ipynb", "-o", "reports", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == (
        "mllens: error: --output reports is a directory; name a file to write the report to\n"
    )


def test_output_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(json.dumps(code_notebook([READ])), "utf-8")
    completed = mllens("check", "nb.ipynb", "-o", "missing/report.txt", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == (
        "mllens: error: cannot write missing/report.txt: No such file or directory\n"
    )


def test_output_to_a_new_file_is_written(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text(json.dumps(code_notebook([READ])), "utf-8")
    completed = mllens("check", "--format", "json", ".", "-o", "report.json", cwd=tmp_path)
    assert completed.returncode == 1
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert [f["path"] for f in report["findings"]] == ["nb.ipynb"]


# -- a crash is never exit 1 -------------------------------------------------------------
def test_an_unexpected_exception_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    write_notebook: WriteNotebook,
) -> None:
    """Stands in for a defect not yet known: any exception out of a run is exit 2, not 1."""
    path = write_notebook("nb.ipynb", READ)

    def broken(*args: object, **kwargs: object) -> None:
        raise LookupError("an unforeseen defect")

    monkeypatch.setattr(batch, "iter_results", broken)
    monkeypatch.delenv(cli.TRACEBACK_VARIABLE, raising=False)
    code, out, err = run(capsys, "check", str(path))
    assert (code, out) == (2, "")
    assert err == (
        "mllens: error: internal error (LookupError: an unforeseen defect); please report it"
        " (set MLLENS_TRACEBACK=1 for the traceback)\n"
    )
    monkeypatch.setenv(cli.TRACEBACK_VARIABLE, "1")
    code, _, err = run(capsys, "check", str(path))
    assert code == 2
    assert err.startswith("Traceback (most recent call last):")


# -- file names that would break a line-oriented report ----------------------------------
def test_a_newline_in_a_file_name_does_not_split_text_or_github_lines(tmp_path: Path) -> None:
    name = "two\nlines.ipynb"
    (tmp_path / name).write_text(json.dumps(code_notebook([READ])), "utf-8")
    text = mllens("check", ".", cwd=tmp_path)
    assert text.returncode == 1
    first = text.stdout.splitlines()[0]
    assert first.startswith("'two\\nlines.ipynb':cell 1:2:6: MLL201 unversioned-data ")
    github = mllens("check", "--format", "github", ".", cwd=tmp_path)
    (annotation,) = github.stdout.splitlines()
    # compact JSON: the whole notebook is line 1 of the file
    assert annotation.startswith("::warning file='two\\nlines.ipynb',line=1,title=MLL201")
    as_json = json.loads(mllens("check", "--format", "json", ".", cwd=tmp_path).stdout)
    assert as_json["findings"][0]["path"] == "two\nlines.ipynb"


def test_a_file_name_that_is_not_utf8_is_reported_escaped(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.ipynb"
    with open(raw, "w", encoding="utf-8") as stream:
        stream.write(json.dumps(code_notebook([READ])))
    for output in ("text", "github"):
        completed = mllens("check", "--format", output, ".", cwd=tmp_path)
        assert completed.returncode == 1, completed.stderr
        assert "'caf\\udce9.ipynb'" in completed.stdout
    as_json = mllens("check", "--format", "json", ".", cwd=tmp_path)
    assert json.loads(as_json.stdout)["findings"][0]["path"] == "caf\udce9.ipynb"


def test_ordinary_names_are_shown_as_they_are(tmp_path: Path) -> None:
    name = "données d'été.ipynb"
    (tmp_path / name).write_text(json.dumps(code_notebook([READ])), "utf-8")
    completed = mllens("check", name, cwd=tmp_path)
    assert completed.stdout.startswith(f"{name}:cell 1:2:6: ")


# -- nbformat 3 ----------------------------------------------------------------------------
def test_nbformat_3_output_is_the_same_on_every_run(tmp_path: Path) -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [
            {"cells": [{"cell_type": "code", "input": READ, "outputs": [], "metadata": {}}]}
        ],
    }
    (tmp_path / "old.ipynb").write_text(json.dumps(v3), "utf-8")
    runs = [
        mllens("check", "--format", output, "old.ipynb", cwd=tmp_path)
        for output in ("json", "sarif", "json", "sarif")
    ]
    assert runs[0].stdout == runs[2].stdout
    assert runs[1].stdout == runs[3].stdout
    assert json.loads(runs[0].stdout)["findings"][0]["cell_id"] is None


def test_notebook_json_nested_too_deeply_is_one_error_line(tmp_path: Path) -> None:
    deep = '{"nbformat": 4, "metadata": {"x": ' + "[" * 100_000 + "]" * 100_000 + '}, "cells": []}'
    (tmp_path / "deep.ipynb").write_text(deep, "utf-8")
    (tmp_path / "good.ipynb").write_text(json.dumps(code_notebook([READ])), "utf-8")
    completed = mllens("check", ".", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stderr == "deep.ipynb: error: notebook JSON is nested too deeply to read\n"
    assert completed.stdout.startswith("good.ipynb:cell 1:2:6: MLL201 ")
