"""Baselines survive cells moving and lines shifting; they never hide a new finding."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.cli import main

READ = "df = pd.read_csv('data/train.csv')"
LEAK = 'db_password = "Tr0ub4dor&3-horse-battery"'


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]]]:
    status = main(["check", "--isolated", "--format", "json", *args])
    out = capsys.readouterr().out
    return status, json.loads(out)["findings"] if out.strip() else []


def test_recorded_findings_stay_recorded_when_cells_move_and_lines_shift(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", "import pandas as pd", READ, LEAK)
    baseline = tmp_path / "baseline.json"
    status = main(["check", "--isolated", str(notebook), "--write-baseline", str(baseline)])
    assert status == 0
    recorded = json.loads(baseline.read_text("utf-8"))
    assert len(recorded["findings"]) == 2
    assert "Tr0ub4dor" not in baseline.read_text("utf-8")
    capsys.readouterr()

    # Cells reordered, a cell inserted, lines added above the findings.
    write_notebook("nb.ipynb", "x = 1", f"# setup\n\n{LEAK}", "import pandas as pd", f"\n\n{READ}")
    status, findings = _check(capsys, str(notebook), "--baseline", str(baseline))
    assert status == 0
    assert findings == []

    # A new finding is reported, the recorded ones are not.
    write_notebook(
        "nb.ipynb", "import pandas as pd", READ, LEAK, "other = pd.read_csv('data/new.csv')"
    )
    status, findings = _check(capsys, str(notebook), "--baseline", str(baseline))
    assert status == 1
    assert [f["message"] for f in findings] == [
        "`pd.read_csv` reads the local file 'data/new.csv' with no version pin; "
        "the notebook's results can change when that data does"
    ]


def test_identical_findings_are_counted(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", "import pandas as pd", READ, READ)
    baseline = tmp_path / "baseline.json"
    main(["check", "--isolated", str(notebook), "--write-baseline", str(baseline)])
    capsys.readouterr()
    write_notebook("nb.ipynb", "import pandas as pd", READ)
    assert _check(capsys, str(notebook), "--baseline", str(baseline)) == (0, [])
    write_notebook("nb.ipynb", "import pandas as pd", READ, READ, READ)
    status, findings = _check(capsys, str(notebook), "--baseline", str(baseline))
    assert status == 1
    assert len(findings) == 1


def test_an_edited_offending_line_is_new(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", "import pandas as pd", READ)
    baseline = tmp_path / "baseline.json"
    main(["check", "--isolated", str(notebook), "--write-baseline", str(baseline)])
    capsys.readouterr()
    write_notebook("nb.ipynb", "import pandas as pd", READ.replace("train", "train_v2"))
    status, findings = _check(capsys, str(notebook), "--baseline", str(baseline))
    assert status == 1
    assert len(findings) == 1


def test_a_bad_baseline_is_a_usage_error_and_inputs_are_never_overwritten(
    capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path], tmp_path: Path
) -> None:
    notebook = write_notebook("nb.ipynb", "import pandas as pd", READ)
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 99}', "utf-8")
    assert main(["check", str(notebook), "--baseline", str(bad)]) == 2
    assert "not an mllens baseline" in capsys.readouterr().err
    before = notebook.read_bytes()
    assert main(["check", str(notebook), "--write-baseline", str(notebook)]) == 2
    assert notebook.read_bytes() == before
