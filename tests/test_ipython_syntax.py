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
        ">>> import numpy as np\n>>> for i in range(3):\n...     print(i)",
        "In [1]: x = 1\n   ...: y = 2",
        "    model.fit(X, y)\n    print(model)",
        "cd ../",
        "rm -rf checkpoints",
        "%%time\n%%capture\n!ls\nx = 1",
        'prompt = """Which class is this?\nAnswer:"""',
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


def test_doctest_prompts_are_stripped_with_their_columns_kept() -> None:
    translated = translate(">>> x = 1\n>>> for i in range(3):\n...     print(i)")
    assert translated.python == "x = 1\nfor i in range(3):\n    print(i)"
    assert translated.shifts == (4, 4, 4)
    assert translated.column(3, 5) == 9  # `print` stands at column 9 of the pasted line


def test_ellipsis_and_docstring_prompts_are_python_not_prompts() -> None:
    source = 'def f():\n    """\n    >>> f()\n    """\n    ...'
    assert translate(source).python == source
    assert translate("...").python == "..."


def test_ipython_prompts_are_stripped() -> None:
    translated = translate("In [3]: total = 0\n   ...: for x in xs:\n   ...:     total += x")
    assert translated.python == "total = 0\nfor x in xs:\n    total += x"
    assert translated.shifts == (8, 8, 8)


def test_a_pasted_block_is_dedented_and_blank_lines_are_kept() -> None:
    translated = translate("\n    x = 1\n\n    if x:\n        y = 2")
    assert translated.python == "\nx = 1\n\nif x:\n    y = 2"
    assert translated.column(5, 5) == 9


def test_automagic_alone_in_a_cell_is_a_command() -> None:
    (cd,) = translate("cd ../").shell
    assert (cd.kind, cd.magic, cd.text, cd.command) == ("line-magic", "cd", "cd ../", "cd")
    (rm,) = translate("  rm -rf checkpoints").shell
    assert (rm.kind, rm.text, rm.command, rm.column) == ("shell", "rm -rf checkpoints", "rm", 3)
    assert translate("rm -rf checkpoints").problem is None


@pytest.mark.parametrize(
    "source", ["cat = 3", "ls(x)", "ls, cat = 1, 2", "time.sleep(1)", "pwd", "ls -la", "env"]
)
def test_python_that_looks_like_a_command_stays_python(source: str) -> None:
    translated = translate(source)
    assert translated.python == source
    assert translated.shell == ()


def test_a_command_among_other_lines_is_translated_but_reported() -> None:
    translated = translate("import os\n  \npip install pandas")
    assert translated.python == "import os\n\n_ipython_()"
    assert translated.problem is not None
    assert (translated.problem.line, translated.problem.column) == (3, 1)
    assert "%pip" in translated.problem.message
    cp = translate("import os\ncp a.csv b.csv").problem
    assert cp is not None
    assert "!cp" in cp.message


def test_a_comment_line_makes_a_command_not_alone() -> None:
    """IPython runs a command without `%` only when the cell is that one line."""
    assert translate("# go up\ncd ..").problem is not None


def test_nested_cell_magics() -> None:
    translated = translate("%%time\n%%bash\ncd ../\nrm -rf x")
    assert translated.python is None
    body = translated.shell[-1]
    assert (body.kind, body.magic, body.text) == ("cell-magic", "bash", "cd ../\nrm -rf x")
    assert body.position(body.text.index("rm")) == (4, 1)
    timed = translate("%%time\n%%capture out\nx = 1\n!ls")
    assert timed.python == "\n\nx = 1\n_ipython_()"
    assert [s.magic for s in timed.shell] == ["time", "capture", None]


def test_question_marks_in_strings_are_not_help() -> None:
    source = 'q = """Is the coin still heads up?\nANSWER: yes"""\nr = f"why?"  # really?'
    translated = translate(source)
    assert translated.python == source
    assert translate("model.fit?").python == "_ipython_()"
    assert translate("x.layers[0]??").python == "_ipython_()"
    assert translate("f(x)?").python == "f(x)?"  # IPython shows help for names only


def test_autocall_escapes_are_not_python_statements() -> None:
    assert translate("/print 1 2").python == "_ipython_()"
    assert translate("x = 1\n,print a b").python == "x = 1\n_ipython_()"


def test_shell_text_positions_are_exact_in_cleaned_up_cells() -> None:
    body = translate("    %%bash\n    export TOKEN=x\n    ls data").shell[-1]
    assert body.text == "    export TOKEN=x\n    ls data"
    assert body.position(body.text.index("ls")) == (3, 5)
    (wget,) = translate(">>> !wget https://a.org/x.csv \\\n...     -O x.csv").shell
    assert wget.position(0) == (1, 6)
    assert wget.position(wget.text.index("-O")) == (2, 9)
