"""Differential test: every cell IPython reads as valid Python also parses here.

The judge is a real IPython shell (`tests/ipython_oracle.py`). Cells come from a
hand-written set of typical notebook cells and from hypothesis-generated combinations of
magics, shell escapes, help syntax, prompts, indentation and automagic commands.
`mllens_accepts` also asserts that the translation keeps every line.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from IPython.core.interactiveshell import InteractiveShell

from jupyter_mllens.ipython_automagic import LINE_MAGICS, SHELL_ALIASES
from tests.ipython_oracle import ipython_accepts, mllens_accepts

TYPICAL_CELLS = [
    "import pandas as pd\ndf = pd.read_csv('train.csv')\ndf.head()",
    "!pip install -q transformers==4.44.0 datasets",
    "%pip install sagemaker --upgrade",
    "%matplotlib inline\nimport matplotlib.pyplot as plt",
    "%load_ext autoreload\n%autoreload 2",
    "files = !ls data/*.csv\nprint(len(files))",
    "t = %timeit -o sum(range(100))",
    "%%time\nmodel.fit(X_train, y_train)",
    "%%time\n%%bash\ncd ../\nrm -rf x",
    "%%time",
    "%%capture\n!pip install xgboost",
    "%%writefile train.py\nimport argparse\nprint('hi')",
    "%%bash\nset -e\naws s3 cp s3://bucket/data.csv .",
    "df.describe?",
    "?pd.read_csv",
    "pd.merge??",
    "%env AWS_DEFAULT_REGION=us-east-1",
    "for f in files:\n    !echo {f}",
    "!wget https://example.org/a.csv \\\n    -O a.csv",
    "cd ../",
    "cd ..",
    "rm -rf checkpoints",
    "mkdir -p data/raw",
    "cp data/a.csv data/b.csv",
    "mv old.txt new.txt",
    "cat requirements.txt",
    "ls -la",
    "pwd",
    "pip install pandas",
    "cat = 3",
    "ls(x)",
    "    x = 1\n    y = x + 1",
    "\tdf = load()\n\tdf.head()",
    ">>> import numpy as np\n>>> np.arange(3)",
    ">>> for i in range(3):\n...     print(i)",
    "In [1]: x = 1\n   ...: y = 2",
    'PROMPT = """What is the sum of the first 50 primes?\nExplain."""',
    'payload = """QUESTION: Is the coin still heads up?\nANSWER:\n"""',
    "x = 'why?'  # is this right?",
    "def f():\n    ...\n",
    'def f():\n    """\n    >>> f()\n    """\n    return 1',
    "await client.connect()",
    "x = 5 % 3\ny = x != 2",
    "# only a comment",
    "\n\ncd ../\n",
]


def test_the_command_words_cover_ipythons_line_magics_and_aliases() -> None:
    shell = InteractiveShell.instance()
    line_magics = set(shell.magics_manager.lsmagic()["line"])
    assert shell.alias_manager is not None
    aliases = {name for name, _ in shell.alias_manager.aliases}
    assert aliases <= SHELL_ALIASES
    assert line_magics <= LINE_MAGICS | SHELL_ALIASES


@pytest.mark.parametrize("cell", TYPICAL_CELLS)
def test_typical_cells_ipython_accepts_parse_here(cell: str) -> None:
    if ipython_accepts(cell):
        assert mllens_accepts(cell)


def test_the_typical_cells_include_cells_ipython_needs_its_own_syntax_for() -> None:
    """The set is only a real test if IPython accepts most of it and Python does not."""
    accepted = [cell for cell in TYPICAL_CELLS if ipython_accepts(cell)]
    assert len(accepted) >= len(TYPICAL_CELLS) - 2

    def compiles(cell: str) -> bool:
        try:
            compile(cell, "<cell>", "exec")
        except SyntaxError:
            return False
        return True

    assert sum(not compiles(cell) for cell in accepted) >= 25


_PYTHON = [
    "x = 1",
    "print(x)",
    "for i in range(3):\n    y = i",
    "def f(a):\n    return a",
    'q = """Is it ready?\nSay yes."""',
    "d = {'a': 1, 'b': [1, 2]}",
    "z = x % 2",
    "if x != 1:\n    pass",
    "...",
    "cat = 3",
    "ls = [1]",
    "time.sleep(0)",
    "s = 'why?'  # why?",
    "result = (1 +\n    2)",
    'doc = """Is it?\n>>> not a prompt\n%not a magic\n!not a shell"""',
    "x = f'{a!r}'",
    "@dec\ndef f():\n    ...",
    "def f():\n    '''\n    >>> f()\n    '''",
    "await h()",
]
_IPYTHON = [
    "!pip install x",
    "!!ls",
    "%matplotlib inline",
    "files = !ls",
    "t = %time 1",
    "x?",
    "?x",
    "np.load??",
    "%env A=1",
    "!echo {x}",
    "!wget a \\\n  -O b",
    "%config InlineBackend.figure_format = 'retina'",
    "x[0]?",
    "%time?",
    "f(x)?",
    "d = {'a': x}?",
    "/print a",
    ",print a b",
    "x = 1; !ls",
]
_COMMANDS = ["cd ../", "rm -rf x", "mkdir -p d", "pwd", "ls -la", "cat f.txt", "cp a b", "mv a b"]
_CELL_MAGICS = ["", "%%time\n", "%%capture\n", "%%time\n%%capture out\n", "%%timeit -n 1\n"]


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def _doctest(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(
        (">>> " if i == 0 or not line.startswith((" ", "\t")) else "... ") + line
        for i, line in enumerate(lines)
    )


def _ipython_prompt(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(("In [7]: " if i == 0 else "   ...: ") + line for i, line in enumerate(lines))


@st.composite
def cells(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        body = draw(st.sampled_from(_COMMANDS))
    else:
        pool = _PYTHON + _IPYTHON + _COMMANDS
        blocks = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=5))
        if draw(st.booleans()):
            blocks = [_indent(block, "    ") for block in blocks]
            blocks.insert(0, "for item in items:")
        body = "\n".join(blocks)
    style = draw(st.sampled_from(["plain", "indent", "doctest", "ipython", "blank-lines"]))
    if style == "indent":
        body = _indent(body, draw(st.sampled_from(["  ", "    ", "\t"])))
    elif style == "doctest":
        body = _doctest(body)
    elif style == "ipython":
        body = _ipython_prompt(body)
    elif style == "blank-lines":
        body = "\n\n" + body + "\n"
    return draw(st.sampled_from(_CELL_MAGICS)) + body


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells())
def test_generated_cells_are_judged_as_ipython_judges_them(cell: str) -> None:
    """Both ways: no false `syntax-error`, and no miss (a command among other lines)."""
    assert mllens_accepts(cell) == ipython_accepts(cell), cell
