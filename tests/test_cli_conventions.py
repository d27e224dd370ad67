"""The command-line conventions users bring from ruff and flake8."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.cli import main

WriteNotebook = Callable[..., Path]
SECRET = "Tr0ub4dor&3-horse-battery"
LEAKY = f'db_password = "{SECRET}"'
READ = "import pandas as pd\ndf = pd.read_csv('data/train.csv')"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_output_format_is_the_long_name_of_format(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ)
    status, out, _ = _run(capsys, "check", str(path), "--output-format", "json", "--isolated")
    assert status == 1
    assert [f["name"] for f in json.loads(out)["findings"]] == ["unversioned-data"]


def test_select_takes_pillars_and_phases(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", LEAKY, READ)
    _, out, _ = _run(capsys, "check", str(path), "--select", "security", "--format", "json")
    assert {f["name"] for f in json.loads(out)["findings"]} == {"hardcoded-credentials"}
    _, out, _ = _run(capsys, "check", str(path), "--select", "data-processing", "-q")
    assert "hardcoded-credentials" in out
    assert "unversioned-data" in out
    # A phase no rule belongs to yet is a valid selector that selects nothing.
    status, out, _ = _run(capsys, "check", str(path), "--select", "deployment")
    assert status == 0
    assert out.startswith("No findings in 1 notebook.")


def test_extend_select_adds_to_the_configured_selection(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    path = write_notebook("nb.ipynb", LEAKY, READ)
    (tmp_path / "mllens.toml").write_text('select = ["security"]\n', "utf-8")
    _, out, _ = _run(capsys, "check", str(path), "--format", "json")
    assert {f["name"] for f in json.loads(out)["findings"]} == {"hardcoded-credentials"}
    _, out, _ = _run(capsys, "check", str(path), "--format", "json", "--extend-select", "MLL2")
    assert {f["name"] for f in json.loads(out)["findings"]} == {
        "hardcoded-credentials",
        "unversioned-data",
    }


def test_statistics_counts_per_rule(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ, READ.replace("train", "test"), LEAKY)
    status, out, _ = _run(capsys, "check", str(path), "--statistics", "--isolated")
    assert status == 1
    lines = out.splitlines()
    assert lines[0].split() == ["2", "MLL201", "unversioned-data"]
    assert lines[1].split() == ["1", "MLL101", "hardcoded-credentials"]
    assert lines[2].startswith("Found 3 findings in 1 notebook.")


def test_show_source_puts_a_caret_under_the_finding_and_masks_secrets(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ, LEAKY)
    _, out, _ = _run(capsys, "check", str(path), "--show-source", "--isolated")
    assert SECRET not in out
    lines = out.splitlines()
    read = lines.index(next(line for line in lines if "MLL201" in line))
    assert lines[read + 1] == "    df = pd.read_csv('data/train.csv')"
    assert lines[read + 2] == "         " + "^" * len("pd.read_csv('data/train.csv')")
    leak = lines.index(next(line for line in lines if "MLL101" in line))
    assert lines[leak + 1] == '    db_password = "Tr0u****"'
    assert lines[leak + 2] == "                  " + "^" * len('"Tr0u****"')


def test_show_source_masks_secrets_that_other_rules_point_at(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"
    path = write_notebook(
        "nb.ipynb", f"import pandas as pd\ndf = pd.read_csv('https://{token}@example.org/d.csv')"
    )
    _, out, _ = _run(capsys, "check", str(path), "--show-source", "--select", "MLL2")
    assert "MLL201" in out
    assert token not in out
    assert "ghp_****" in out


def test_quiet_prints_findings_only_and_verbose_explains_on_stderr(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ)
    _, out, err = _run(capsys, "check", str(path), "-q", "--isolated")
    assert len(out.splitlines()) == 1
    assert "MLL201" in out
    _, out, err = _run(capsys, "check", str(path), "-v", "--isolated")
    assert "Found 1 finding" in out
    assert "mllens: 1 file(s) to lint" in err
    assert "mllens: linted in" in err


def test_the_summary_counts_notebooks_scripts_and_failures_apart(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook, tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", READ)
    script = tmp_path / "train.py"
    script.write_text("x = 1\n", "utf-8")
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", "utf-8")
    _, out, _ = _run(capsys, "check", str(notebook), str(script), str(broken), "--isolated")
    assert "Found 1 finding in 1 notebook and 1 script. 1 path could not be linted." in out
    assert "by pillar: reliability 1, operational-excellence 1" not in out  # catalog order
    assert "by pillar: operational-excellence 1, reliability 1" in out


def test_jobs_zero_means_all_cores_and_negative_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], write_notebook: WriteNotebook
) -> None:
    path = write_notebook("nb.ipynb", READ)
    status, _, _ = _run(capsys, "check", str(path), "-j", "0")
    assert status == 1
    status, _, err = _run(capsys, "check", str(path), "-j", "-2")
    assert status == 2
    assert "usage: mllens check" in err
    assert "must be 0 (all cores) or more" in err


def test_a_usage_error_shows_the_commands_own_usage(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "check", "--no-such-flag")
    assert status == 2
    assert err.startswith("usage: mllens check")
    assert "unrecognized arguments: --no-such-flag" in err


def test_a_broken_config_costs_only_its_folders_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, write_notebook: WriteNotebook
) -> None:
    good = write_notebook("good/nb.ipynb", READ)
    write_notebook("bad/nb.ipynb", READ)
    (tmp_path / "bad" / "mllens.toml").write_text("select = [\n", "utf-8")
    status, out, err = _run(capsys, "check", str(tmp_path))
    assert status == 2
    assert f"{good}:cell 1" in out
    assert "bad/nb.ipynb" not in out
    assert "invalid TOML" in err
    assert err.count("error:") == 1


def _cli(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def test_a_notebook_read_from_stdin_is_named_by_stdin_filename(tmp_path: Path) -> None:
    notebook = json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {},
            "cells": [
                {"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "source": READ}
            ],
        }
    ).encode()
    (tmp_path / "mllens.toml").write_text('ignore = ["unversioned-data"]\n', "utf-8")
    named = str(tmp_path / "sub" / "analysis.ipynb")
    done = _cli("check", "-", "--stdin-filename", named, stdin=notebook)
    assert done.returncode == 0, done.stderr
    assert b"No findings in 1 notebook." in done.stdout
    done = _cli("check", "-", "--stdin-filename", "analysis.ipynb", "--isolated", stdin=notebook)
    assert done.returncode == 1
    assert done.stdout.startswith(b"analysis.ipynb:cell 1:2:6: MLL201")
    script = _cli("check", "-", "--stdin-filename", "train.py", "--isolated", stdin=READ.encode())
    assert script.stdout.startswith(b"train.py:2:6: MLL201")


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ((), {}, False),  # not a terminal
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the flag beats the variable
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_follows_the_flag_then_no_color_and_force_color(
    write_notebook: WriteNotebook, args: tuple[str, ...], env: dict[str, str], colored: bool
) -> None:
    path = write_notebook("nb.ipynb", READ)
    done = _cli(
        "check", str(path), "--isolated", *args, env={"NO_COLOR": "", "FORCE_COLOR": "", **env}
    )
    assert (b"\x1b[" in done.stdout) is colored
