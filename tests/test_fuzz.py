"""Property-based fuzzing: no notebook, however broken or hostile, crashes or fools the linter.

Inputs are generated at three levels: arbitrary JSON where a notebook is expected,
well-formed notebooks whose cells hold random mixes of Python, IPython syntax, deep
nesting, huge tokens and odd characters, and the raw bytes of files on disk (odd
encodings, BOMs, NUL bytes, truncation). The properties are the ones a user relies on:

* nothing raises: every problem is a finding or one error entry;
* the CLI's exit status is 0, 1 or 2, and never comes with a traceback;
* the same input gives the same output, byte for byte;
* no input file is ever changed.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_mllens.cli import main
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import LintResult

_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# -- cell sources ------------------------------------------------------------------------
_LINES = st.sampled_from(
    [
        "import pandas as pd",
        "from sklearn.model_selection import train_test_split as tts",
        "df = pd.read_csv('https://example.com/data.csv')",
        "X_train, X_test, y_train, y_test = tts(X, y)",
        "model.fit(X_train, y_train)",
        "print(model.score(X_test, y_test))",
        "!pip install scikit-learn",
        "!wget https://example.com/d.zip",
        "files = !ls data",
        "%matplotlib inline",
        "%env AWS_SECRET_ACCESS_KEY=q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O",
        "%%bash",
        "%%time",
        "%%writefile train.py",
        "df?",
        "??df.head",
        ">>> x = 1",
        "... y = 2",
        "    indented = True",
        "def f(x):",
        "    return x",
        "class A:",
        "if x:",
        "else:",
        "print 'python 2'",
        "API_KEY = <YOUR-KEY>",
        'token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"',
        "password = 'hunter2hunter2'",
        "x = (((1)))",
        "lambda: (yield)",
        "async def g(): await h()",
        "# mllens: ignore[hardcoded-credentials]",
        "# mllens: ignore",
        "s = '''unterminated",
        'f"{x!r:>{width}}"',
        "\t\tmixed\t indentation",
        "x = 1; y = 2;;",
        "\\",
        "@decorator",
        "",
    ]
)
_NOISE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # JSON cannot carry lone surrogates
    max_size=40,
)
_HOSTILE = st.sampled_from(
    [
        "x = " + "(" * 3000 + "1" + ")" * 3000,
        "x = " + "+".join(["1"] * 5000),
        "x = a" + ".b" * 5000,
        "x = " + "not " * 3000 + "a",
        "x = '" + "A" * 200_000 + "'",
        "k = 'AKIA" + "Z" * 100_000 + "'",
        "y = " + "1" * 50_000,
        "z = " + "é" * 20_000,
        "\x00\x01\x02",
        "\ufeffprint(1)",
        "\r\n".join(["a = 1"] * 50),
        "\u2028\u2029\x0b\x0c",
    ]
)
_SOURCES = st.one_of(
    st.lists(st.one_of(_LINES, _NOISE), max_size=12).map("\n".join),
    _HOSTILE,
    st.lists(st.one_of(_LINES, _HOSTILE), min_size=1, max_size=3).map("\n".join),
)
_SOURCE_FIELD = st.one_of(
    _SOURCES,
    st.lists(_SOURCES, max_size=3).map(lambda parts: [p + "\n" for p in parts]),
    st.none(),
    st.integers(),
    st.lists(st.integers(), max_size=2),
)


@st.composite
def _cells(draw: st.DrawFn) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": draw(st.sampled_from(["code", "code", "markdown", "raw", "junk", None])),
        "source": draw(_SOURCE_FIELD),
        "metadata": draw(st.sampled_from([{}, None, {"tags": ["x"]}, []])),
    }
    if draw(st.booleans()):
        cell["id"] = draw(st.one_of(st.text(max_size=10), st.integers(), st.none()))
    if draw(st.booleans()):
        cell["outputs"] = draw(st.sampled_from([[], None, [{"output_type": "stream"}]]))
    if draw(st.booleans()):
        cell["execution_count"] = draw(st.one_of(st.none(), st.integers()))
    return cell


_METADATA = st.one_of(
    st.just({}),
    st.just({"kernelspec": {"language": "python", "name": "python3"}}),
    st.just({"language_info": {"name": "R"}}),
    st.just({"mllens": {"ignore": ["unversioned-data"]}}),
    st.just({"mllens": {"ignore": 3}}),
    st.just({"mllens": "everything"}),
    st.none(),
)


@st.composite
def _notebooks(draw: st.DrawFn) -> Any:
    notebook: dict[str, Any] = {
        "cells": draw(st.lists(_cells(), max_size=6)),
        "metadata": draw(_METADATA),
        "nbformat": draw(st.sampled_from([4, 4, 4, 3, 5, "4", None])),
        "nbformat_minor": draw(st.sampled_from([0, 4, 5, -1, None])),
    }
    if draw(st.integers(0, 9)) == 0:
        del notebook["cells"]
    return notebook


@st.composite
def _v3_notebooks(draw: st.DrawFn) -> Any:
    """nbformat 3: cells under worksheets, code in `input`; upgraded on read."""
    cells = [
        {"cell_type": "code", "input": source, "language": "python", "metadata": {}, "outputs": []}
        for source in draw(st.lists(_SOURCES, min_size=1, max_size=3))
    ]
    return {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [{"cells": cells, "metadata": {}}],
    }


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _NOISE,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_NOISE, children, max_size=4),
    max_leaves=20,
)
_ANY_NOTEBOOK = st.one_of(_notebooks(), _notebooks(), _v3_notebooks(), _JSON)
#: JSON nested deeper than Python's recursion limit, as a file's text.
_DEEP_JSON = st.integers(900, 5000).flatmap(
    lambda depth: st.sampled_from(
        [
            "[" * depth + "]" * depth,
            '{"cells": [], "metadata": ' + '{"a": ' * depth + "1" + "}" * depth + "}",
            '{"cells": [{"cell_type": "code", "source": ' + "[" * depth + "]" * depth + "}]}",
        ]
    )
)


# -- engine ------------------------------------------------------------------------------
@_SETTINGS
@given(_ANY_NOTEBOOK)
def test_engine_never_raises_and_is_deterministic(notebook: Any) -> None:
    first = Linter().lint_notebook(notebook, "fuzz.ipynb")
    second = Linter().lint_notebook(notebook, "fuzz.ipynb")
    assert isinstance(first, LintResult)
    assert json.dumps(first.to_json()) == json.dumps(second.to_json())
    assert first.files == 1
    for error in first.errors:
        assert "internal error" not in error.message, error.message


# -- CLI over files on disk --------------------------------------------------------------
def _encodings(text: str) -> st.SearchStrategy[bytes]:
    return st.sampled_from(
        [
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("utf-16"),
            text.encode("utf-8", "replace")[: max(1, len(text) // 2)],  # truncated
            text.encode("utf-8").replace(b'"', b"\x00", 1),
            text.encode("latin-1", "replace"),
        ]
    )


@st.composite
def _file_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from([".ipynb", ".ipynb", ".ipynb", ".py"]))
    if suffix == ".py":
        text = draw(_SOURCES)
    elif draw(st.integers(0, 7)) == 0:
        text = draw(_DEEP_JSON)
    else:
        text = json.dumps(draw(_ANY_NOTEBOOK), indent=draw(st.sampled_from([None, 1])))
    data = draw(st.one_of(_encodings(text), st.binary(max_size=64)))
    return suffix, data


def _run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    files=st.lists(_file_bytes(), min_size=1, max_size=4),
    fmt=st.sampled_from(["json", "text", "sarif", "github", "junit", "json-lines"]),
)
def test_cli_exit_status_output_and_inputs(
    tmp_path_factory: Any, files: list[tuple[str, bytes]], fmt: str
) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    for i, (suffix, data) in enumerate(files):
        (folder / f"nb{i}{suffix}").write_bytes(data)
    named = [str(folder / f"nb{i}{suffix}") for i, (suffix, _) in enumerate(files)]
    before = _snapshot(folder)
    # The second run is served from the result cache, kept outside the linted folder:
    # cached output must be the linted output, and the inputs stay untouched either way.
    cache = ["--cache-dir", str(tmp_path_factory.mktemp("fuzz-cache"))]
    first = _run_cli(["check", "--isolated", *cache, "--format", fmt, "--jobs", "1", *named])
    second = _run_cli(["check", "--isolated", *cache, "--format", fmt, "--jobs", "1", *named])
    status, stdout, stderr = first
    assert status in (0, 1, 2), first
    assert "Traceback" not in stderr
    assert "Traceback" not in stdout
    assert first == second
    if fmt in ("json", "sarif"):
        json.loads(stdout)
    elif fmt == "json-lines":
        for line in stdout.splitlines():
            json.loads(line)
    elif fmt == "junit":
        ElementTree.fromstring(stdout)
    assert _snapshot(folder) == before
