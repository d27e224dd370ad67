"""Fixes: the catalog's fixed examples, idempotence, byte-exact notebook writes, the CLI."""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jupyter_mllens.catalog import Example, Rule, load_catalog
from jupyter_mllens.config import Config
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import Finding
from jupyter_mllens.fixes.apply import FixError, apply_edits, apply_pass
from jupyter_mllens.fixes.examples import fixed_cells
from jupyter_mllens.fixes.model import Applicability, Edit, Fix
from jupyter_mllens.fixes.run import fix_file

CATALOG = load_catalog()
LINTER = Linter(CATALOG)
FIXED_RULES = [rule for rule in CATALOG.rules if rule.autofix is not None]
CODE_FIX_RULES = [rule for rule in FIXED_RULES if rule.autofix and rule.autofix.action]
BAD = [(rule, ex) for rule in CODE_FIX_RULES for ex in rule.bad]
SECRET = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"


def _id(value: Any) -> str:
    return value.name if isinstance(value, Rule) else getattr(value, "title", "")[:40]


@pytest.mark.parametrize(("rule", "example"), BAD, ids=_id)
def test_a_bad_example_fixes_to_its_fixed_source(rule: Rule, example: Example) -> None:
    expected = _sources(example if example.fixed is None else Example(example.fixed))
    assert fixed_cells(LINTER, rule, example) == expected


def _sources(example: Example) -> list[str]:
    """Every cell's source, prose cells included (examples may hold markdown and raw cells)."""
    return [str(cell["source"]) for cell in example.notebook()["cells"]]


def test_every_rule_with_a_code_fix_shows_it_on_an_example() -> None:
    assert len(FIXED_RULES) >= 10
    for rule in CODE_FIX_RULES:
        assert any(example.fixed is not None for example in rule.bad), rule.name


@pytest.mark.parametrize("rule", CODE_FIX_RULES, ids=_id)
def test_good_examples_are_left_alone(rule: Rule) -> None:
    for example in rule.good:
        assert fixed_cells(LINTER, rule, example) == _sources(example), example.title


ALL_CELLS = sorted(
    {cell for rule in CODE_FIX_RULES for ex in (*rule.bad, *rule.good) for cell in ex.cells()}
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(ALL_CELLS), min_size=1, max_size=4))
def test_applying_fixes_twice_equals_applying_them_once(cells: list[str]) -> None:
    for rule in CODE_FIX_RULES:
        once = fixed_cells(LINTER, rule, Example("\n# %%\n".join(cells)))
        twice = fixed_cells(LINTER, rule, Example("\n# %%\n".join(once)))
        assert twice == once


def test_overlapping_fixes_wait_for_the_next_pass_and_a_broken_result_is_refused() -> None:
    first = Fix("a", Applicability.SAFE, (Edit(0, None, 1, 1, 1, 4, "bar"),))
    second = Fix("b", Applicability.SAFE, (Edit(0, None, 1, 2, 1, 3, "x"),))
    step = apply_pass({0: "foo = 1\n"}, [first, second])
    assert step.sources == {0: "bar = 1\n"}
    assert step.applied == (first,)
    broken = Fix("c", Applicability.SAFE, (Edit(0, None, 1, 5, 1, 6, "(("),))
    with pytest.raises(FixError):
        apply_pass({0: "foo = 1\n"}, [broken])


def test_edits_are_applied_in_cell_coordinates() -> None:
    edits = [Edit(0, None, 2, 5, 2, 6, "2"), Edit(0, None, 1, 1, 1, 1, "import os\n")]
    assert apply_edits("a = 1\nb = 1\n", edits) == "import os\na = 1\nb = 2\n"


def test_a_fix_round_trips_through_the_findings_schema() -> None:
    fix = Fix("t", Applicability.UNSAFE, (Edit(1, "abc", 1, 2, 3, 4, "x"),))
    template = Fix("t", Applicability.DISPLAY_ONLY, template="pin <version>")
    for value in (fix, template):
        assert Fix.from_json(json.loads(json.dumps(value.to_json()))) == value
    finding = _lint(["import requests\nrequests.get(u, verify=False)\n"])[0]
    assert finding.fix is not None
    assert Finding.from_json(finding.to_json()) == finding
    assert finding.to_json()["fix"]["applicability"] == "unsafe"


def _lint(cells: list[str]) -> list[Finding]:
    from jupyter_mllens.reader import code_notebook, parse_notebook

    document = parse_notebook(code_notebook(cells), "nb.ipynb")
    return LINTER.lint_document(document, Config())


def test_edits_never_go_through_ipython_placeholders() -> None:
    key = 'key = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"'
    shell = "!curl -k https://x.org/a --data token=ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"
    findings = _lint([f"{shell}\nimport boto3\naws_secret_access_key = {key[6:]}\n"])
    by_line = {f.line: f for f in findings if f.name == "hardcoded-credentials"}
    fix = by_line[3].fix  # a verbatim Python line of an IPython cell
    assert fix is not None
    assert [(e.line, e.replacement) for e in fix.edits] == [
        (2, "import os\n"),
        (3, 'os.environ["AWS_SECRET_ACCESS_KEY"]'),
    ]
    assert by_line[1].fix is None  # the shell line gets no code edit
    # with nowhere verbatim to put `import os`, the fix is not offered at all
    alone = _lint([f"{shell}\naws_secret_access_key = {key[6:]}\n"])
    assert all(f.fix is None for f in alone if f.name == "hardcoded-credentials")


# -- writing notebooks -------------------------------------------------------------------

SOURCES = [
    "import requests\n",
    "resp = requests.get('https://data.example.org/churn.csv', verify=False)\n"
    "s3 = client(aws_secret_access_key='" + SECRET + "')",
]


def _notebook(minor: int) -> nbformat.NotebookNode:
    """A realistic notebook of nbformat 4.`minor`: markdown, outputs, images, metadata."""
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = minor
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python", "version": "3.11.4"},
        "title": "Évaluation — données",
    }
    md = nbformat.v4.new_markdown_cell("# Churn ✓\nSome *text*.")
    first = nbformat.v4.new_code_cell(SOURCES[0], execution_count=1)
    second = nbformat.v4.new_code_cell(SOURCES[1], execution_count=2)
    second.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="ok\nüñí\n"),
        nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": "<Response [200]>", "image/png": "iVBORw0KGgo=\n"},
            execution_count=2,
        ),
    ]
    second.metadata = {"tags": ["data"], "collapsed": False}
    nb.cells = [md, first, second]
    for cell in nb.cells:
        if minor < 5:
            cell.pop("id", None)
    return nb


def _layouts(nb: nbformat.NotebookNode) -> dict[str, str]:
    raw = json.loads(nbformat.writes(nb, version=4))
    return {
        "nbformat": nbformat.writes(nb, version=4) + "\n",
        "indent2-unsorted-ascii": json.dumps(dict(reversed(list(raw.items()))), indent=2),
        "indent4-strings": json.dumps(
            {**raw, "cells": [{**c, "source": "".join(c["source"])} for c in raw["cells"]]},
            indent=4,
            ensure_ascii=False,
        )
        + "\n",
    }


CASES = [(minor, layout) for minor in range(6) for layout in _layouts(_notebook(minor))]


@pytest.mark.parametrize(("minor", "layout"), CASES)
def test_a_fixed_notebook_differs_only_in_the_edited_source(
    tmp_path: Path, minor: int, layout: str
) -> None:
    original = _layouts(_notebook(minor))[layout]
    path = tmp_path / "nb.ipynb"
    path.write_bytes(original.encode("utf-8"))
    result = fix_file(path, "nb.ipynb", LINTER, Config(), unsafe=True)
    assert result.error is None
    assert result.written
    new = path.read_text("utf-8")
    old_raw, new_raw = json.loads(original), json.loads(new)
    assert list(new_raw) == list(old_raw)
    assert new_raw["nbformat_minor"] == minor
    fixed = "".join(new_raw["cells"][2]["source"])
    assert fixed == (
        "resp = requests.get('https://data.example.org/churn.csv')\n"
        's3 = client(aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])'
    )
    assert "".join(new_raw["cells"][1]["source"]) == "import os\nimport requests\n"
    for index in (0, 1, 2):
        old_cell = {k: v for k, v in old_raw["cells"][index].items() if k != "source"}
        new_cell = {k: v for k, v in new_raw["cells"][index].items() if k != "source"}
        assert json.dumps(new_cell) == json.dumps(old_cell)
    assert old_raw["cells"][0] == new_raw["cells"][0]
    assert new.endswith("\n") == original.endswith("\n")
    # byte for byte: every changed line of the file is a line of an edited cell's source
    edited = [c for i, c in enumerate(old_raw["cells"]) if c != new_raw["cells"][i]]
    edited_new = [c for i, c in enumerate(new_raw["cells"]) if c != old_raw["cells"][i]]
    allowed_old = {json.dumps(_lines(c), ensure_ascii=False) for c in edited}
    allowed_new = {json.dumps(_lines(c), ensure_ascii=False) for c in edited_new}
    for line in difflib.ndiff(original.splitlines(), new.splitlines()):
        if line[:2] in ("- ", "+ "):
            text = line[2:].strip().removeprefix('"source": ').rstrip(",")
            value = json.loads(text) if text not in "[]" else None
            pool = allowed_old if line[0] == "-" else allowed_new
            assert value is None or any(
                json.dumps(value, ensure_ascii=False)[1:-1] in p for p in pool
            ), line
    assert SECRET not in new


def _lines(cell: dict[str, Any]) -> list[str]:
    source = cell["source"]
    return source if isinstance(source, list) else [source, *source.splitlines(keepends=True)]


def test_a_layout_that_cannot_be_reproduced_is_not_written(tmp_path: Path) -> None:
    nb = _notebook(5)
    text = nbformat.writes(nb, version=4).replace('"cells": [', '"cells":   [', 1)
    path = tmp_path / "odd.ipynb"
    path.write_text(text, "utf-8")
    result = fix_file(path, "odd.ipynb", LINTER, Config(), unsafe=True)
    assert result.error is not None
    assert "layout" in result.error
    assert path.read_text("utf-8") == text


# -- the command line -----------------------------------------------------------------


def _mllens(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", "check", "--isolated", "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _project(tmp_path: Path) -> Path:
    for minor in (0, 4, 5):
        nbformat.write(_notebook(minor), tmp_path / f"nb{minor}.ipynb")
    (tmp_path / "odd.ipynb").write_text(
        nbformat.writes(_notebook(5)).replace('"cells": [', '"cells":  [', 1), "utf-8"
    )
    return tmp_path


def test_diff_prints_per_cell_diffs_masks_secrets_and_writes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = {p.name: p.read_bytes() for p in root.iterdir()}
    completed = _mllens("--diff", "--unsafe-fixes", ".", cwd=root)
    assert completed.returncode == 1, completed.stderr
    assert "--- nb4.ipynb:cell 3\n+++ nb4.ipynb:cell 3\n" in completed.stdout
    assert "-resp = requests.get('https://data.example.org/churn.csv', verify=False)" in (
        completed.stdout
    )
    assert '+s3 = client(aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"])' in (
        completed.stdout
    )
    assert "+import os" in completed.stdout
    assert SECRET not in completed.stdout + completed.stderr
    assert SECRET[:8] not in completed.stdout + completed.stderr
    assert {p.name: p.read_bytes() for p in root.iterdir()} == before
    safe_only = _mllens("--diff", ".", cwd=root)
    assert (safe_only.returncode, safe_only.stdout) == (0, "")


def test_fix_writes_every_notebook_it_can_and_reports_the_rest(tmp_path: Path) -> None:
    root = _project(tmp_path)
    shutil.copy(root / "odd.ipynb", tmp_path / "odd.orig")
    completed = _mllens("--fix", "--unsafe-fixes", "--show-fixes", ".", cwd=root)
    assert completed.returncode == 2  # odd.ipynb could not be written
    assert "odd.ipynb: error: not written" in completed.stderr
    assert "Fixed nb0.ipynb:cell 3:1:8: MLL102 tls-verification-disabled" in completed.stderr
    assert "Fixed 6 finding(s) in 3 notebook(s)." in completed.stderr
    assert SECRET not in completed.stdout + completed.stderr
    for minor in (0, 4, 5):
        text = (root / f"nb{minor}.ipynb").read_text("utf-8")
        assert "verify=False" not in text
        assert SECRET not in text
        assert 'os.environ[\\"AWS_SECRET_ACCESS_KEY\\"]' in text
    assert (root / "odd.ipynb").read_bytes() == (tmp_path / "odd.orig").read_bytes()
    # what is left is reported as usual: the odd notebook's findings, nothing of the others
    assert "nb5.ipynb" not in completed.stdout
    assert "odd.ipynb:cell 3" in completed.stdout
    again = _mllens("--fix", "--unsafe-fixes", "nb5.ipynb", cwd=root)
    assert again.returncode == 0
    assert "Fixed 0 finding(s)" in again.stderr


# -- the declarative actions no shipped rule uses yet (rules on other branches will) -----


def _site(source: str, line: int, column: int) -> Any:
    import libcst as cst

    from jupyter_mllens.fixes.actions import Site

    module = cst.parse_module(source)
    return Site([source], 0, module, cst.MetadataWrapper(module), line, column)


def _run_action(action: str, source: str, column: int, **params: str) -> str | None:
    from jupyter_mllens.fixes.actions import ACTIONS
    from jupyter_mllens.fixes.spec import parse_fix_spec

    spec = parse_fix_spec({"safety": "safe", "title": "t", "action": action, **params})
    assert spec is not None
    edits = ACTIONS[action](_site(source, 1, column), spec)
    if edits is None:
        return None
    return apply_edits(
        source,
        [Edit(0, None, e.line, e.column, e.end_line, e.end_column, e.replacement) for e in edits],
    )


def test_add_keyword_appends_after_the_last_argument() -> None:
    kw = {"keyword": "weights_only", "value": "True"}
    assert _run_action("add-keyword", "m = torch.load(f)\n", 5, **kw) == (
        "m = torch.load(f, weights_only=True)\n"
    )
    assert _run_action("add-keyword", "m = torch.load()\n", 5, **kw) == (
        "m = torch.load(weights_only=True)\n"
    )
    assert _run_action("add-keyword", "m = torch.load(f, weights_only=False)\n", 5, **kw) is None
    assert _run_action("add-keyword", "m = torch.load(*a)\n", 5, **kw) is None


def test_replace_callee_keeps_the_arguments() -> None:
    assert _run_action("replace-callee", "c = yaml.load(f)  # x\n", 5, callee="yaml.safe_load") == (
        "c = yaml.safe_load(f)  # x\n"
    )


def test_replace_callee_drops_the_argument_the_new_callee_does_not_take() -> None:
    kw = {"callee": "yaml.safe_load", "keyword": "Loader", "matches": r"yaml\.load"}
    assert _run_action("replace-callee", "c = yaml.load(f, Loader=yaml.FullLoader)\n", 5, **kw) == (
        "c = yaml.safe_load(f)\n"
    )
    assert _run_action("replace-callee", "c = yaml.load(f)\n", 5, **kw) == "c = yaml.safe_load(f)\n"
    # a loader given by position, or another callee of the same rule: no fix
    assert _run_action("replace-callee", "c = yaml.load(f, yaml.Loader)\n", 5, **kw) is None
    assert _run_action("replace-callee", "c = pickle.load(f)\n", 5, **kw) is None
    assert _run_action("replace-callee", "c = yaml.unsafe_load(f)\n", 5, **kw) is None


def test_drop_keyword_keeps_a_trailing_comma_and_layout() -> None:
    source = 'r = get(\n    "u",\n    verify=False,\n)\n'
    assert _run_action("drop-keyword", source, 5, keyword="verify") == 'r = get(\n    "u",\n)\n'
    assert (
        _run_action("drop-keyword", "r = get(verify=False)\n", 5, keyword="verify") == "r = get()\n"
    )


def test_a_malformed_autofix_table_is_refused() -> None:
    from jupyter_mllens.fixes.spec import parse_fix_spec

    for raw in (
        {"safety": "sure", "title": "t", "action": "drop-keyword"},
        {"safety": "safe", "title": "t"},
        {"safety": "display-only", "title": "t", "action": "drop-keyword", "template": "x"},
        {"safety": "safe", "title": "t", "action": "drop-keyword", "colour": "red"},
        {"safety": "safe", "title": "t", "action": "rewrite-everything"},
    ):
        with pytest.raises(ValueError, match=r"^autofix: "):
            parse_fix_spec(raw)


def test_the_catalog_knows_every_action_without_importing_them() -> None:
    from jupyter_mllens.fixes.actions import ACTIONS
    from jupyter_mllens.fixes.spec import ACTION_NAMES

    assert tuple(ACTIONS) == ACTION_NAMES
