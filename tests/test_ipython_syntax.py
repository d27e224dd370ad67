"""IPython syntax becomes valid Python with every line kept, and its raw text stays visible."""

from __future__ import annotations

import libcst as cst
import pytest

from jupyter_mllens.ipython_syntax import translate


def _lines(text: str | None) -> int:
    assert text is not None
    return text.count("\n") + 1


@pytest.mark.parametrize(
    "source",
    [
        "!pip install scikit-learn==1.5.2\nimport sklearn",
        "files = !ls data/\nprint(files)",
        "%matplotlib inline\nimport numpy as np",
        "%env AWS_DEFAULT_REGION=us-east-1",
        "df?\nnp.load??",
        "?np.load",
        "for f in files:\n    !echo {f}\nx = 1",
        "!wget https://example.org/a.csv \\\n    -O a.csv\nimport os",
        "%%time\nmodel.fit(X, y)\n!nvidia-smi",
        "t = %timeit -o sum(range(10))",
        "pip install pandas\nimport pandas",
    ],
)
def test_translation_is_valid_python_with_the_same_lines(source: str) -> None:
    translated = translate(source)
    assert translated.python is not None
    cst.parse_module(translated.python)
    assert _lines(translated.python) == _lines(source)


def test_valid_python_is_untouched() -> None:
    source = 'x = 5 % 3\ny = x != 2\ns = """\n!not a shell line\n%not a magic\n"""\nz = (1 +\n  2)'
    assert translate(source).python == source
    assert translate(source).shell == ()


def test_shell_text_keeps_raw_command_and_exact_position() -> None:
    translated = translate("import os\nout = !git clone https://x@github.com/a/b.git")
    (shell,) = translated.shell
    assert shell.kind == "shell"
    assert shell.text == "git clone https://x@github.com/a/b.git"
    assert shell.command == "git"
    line, column = shell.position(shell.text.index("https"))
    assert (line, column) == (2, 18)
    assert "out = !git clone https://x@github.com/a/b.git".index("https") + 1 == 18


def test_line_magic_text_and_name() -> None:
    (shell,) = translate("%env HF_TOKEN=abc").shell
    assert (shell.kind, shell.magic, shell.text) == ("line-magic", "env", "env HF_TOKEN=abc")


@pytest.mark.parametrize("magic", ["bash", "sh", "writefile train.py", "html", "sql"])
def test_non_python_cell_magics_are_text(magic: str) -> None:
    translated = translate(f"%%{magic}\necho one\necho two")
    assert translated.python is None
    body = translated.shell[-1]
    assert body.kind == "cell-magic"
    assert body.magic == magic.split()[0]
    assert body.text == "echo one\necho two"
    assert body.position(body.text.index("two")) == (3, 6)


def test_python_cell_magic_body_is_python_with_positions() -> None:
    translated = translate("%%time\nx = 1\n!ls")
    assert translated.python == "\nx = 1\n_ipython_()"
    assert [s.kind for s in translated.shell] == ["line-magic", "shell"]


def test_help_and_comments_with_question_marks() -> None:
    assert translate("# is this right?\nx = 1").python == "# is this right?\nx = 1"
    assert translate("x = 'why?'").python == "x = 'why?'"
