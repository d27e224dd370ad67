"""The pre-parse complexity guard: hostile cells are refused cheaply, real code is not.

The shapes below crash or stall libcst's native parser at the sizes used here (a stack
overflow at ~1,200 nested brackets, minutes for a 20,000-term sum), so each test would take
the test process down if the guard let one through. The property tests check the guard's
two promises on generated expressions: whatever it lets through parses and gets positions
without hitting a recursion limit, and modest nesting is never refused.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_mllens.analysis.cell import CellAnalysis
from jupyter_mllens.analysis.complexity import (
    MAX_BRACKET_DEPTH,
    MAX_CELL_LINES,
    check_complexity,
)
from jupyter_mllens.engine import Linter
from jupyter_mllens.reader import code_notebook

HOSTILE = 20_000
SHAPES = {
    "nested parentheses": "x = " + "(" * HOSTILE + "1" + ")" * HOSTILE,
    "nested lists": "x = " + "[" * HOSTILE + "]" * HOSTILE,
    "nested dicts": "x = " + "{1:" * HOSTILE + "1" + "}" * HOSTILE,
    "nested subscripts": "x = " + "a[" * HOSTILE + "1" + "]" * HOSTILE,
    "nested calls": "x = " + "f(" * HOSTILE + "1" + ")" * HOSTILE,
    "long sum": "x = " + "+".join(["1"] * HOSTILE),
    "long power tower": "x = " + "**".join(["2"] * HOSTILE),
    "call chain": "x = f" + "()" * HOSTILE,
    "attribute chain": "x = a" + ".b" * HOSTILE,
    "slice chain": "x = a" + "[1:2]" * HOSTILE,
    "unary minus": "x = " + "-" * HOSTILE + "1",
    "not chain": "x = " + "not " * HOSTILE + "a",
    "boolean chain": "x = " + " and ".join(["a"] * HOSTILE),
    "lambda chain": "x = " + "lambda: " * HOSTILE + "1",
    "conditional chain": "x = " + " if c else ".join(["a"] * HOSTILE),
    "implicit concatenation": "x = (" + "\n".join(['"a"'] * HOSTILE) + ")",
    "concatenation with comments": "x = (" + " # c\n".join(['"a"'] * HOSTILE) + ")",
    "f-string hole": 'x = f"{' + "+".join(["1"] * HOSTILE) + '}"',
    "walrus nesting": "x = " + "(y := " * HOSTILE + "1" + ")" * HOSTILE,
    "continued lines": "x = 1" + " + \\\n  1" * HOSTILE,
    "too many lines": "x = 1\n" * (MAX_CELL_LINES + 1),
}


@pytest.mark.parametrize("source", SHAPES.values(), ids=SHAPES.keys())
def test_hostile_cells_are_refused_before_parsing(source: str) -> None:
    problem = check_complexity(source)
    assert problem is not None
    analysis = CellAnalysis(source)
    assert analysis.module is None
    assert analysis.too_complex == problem
    assert analysis.syntax_error is None


def test_the_problem_names_the_line_where_the_limit_was_passed() -> None:
    source = "import os\ny = 2\nx = " + "(" * (MAX_BRACKET_DEPTH + 5) + "1" + ")" * 60
    problem = check_complexity(source)
    assert problem is not None
    assert problem.line == 3
    assert problem.message == f"brackets nest more than {MAX_BRACKET_DEPTH} deep"


def test_a_hostile_cell_does_not_hide_the_rest_of_the_notebook(linter: Linter) -> None:
    notebook = code_notebook(
        [
            "import boto3",
            SHAPES["nested parentheses"],
            'db_password = "Tr0ub4dor&3-horse"',
        ]
    )
    result = linter.lint_notebook(notebook, "hostile.ipynb")
    assert result.errors == ()
    by_rule = {(f.name, f.cell_index) for f in result.findings}
    assert ("cell-too-complex", 1) in by_rule
    assert ("hardcoded-credentials", 2) in by_rule


def test_secrets_in_a_refused_cell_are_still_found_and_masked(linter: Linter) -> None:
    source = SHAPES["long sum"] + '\ndb_password = "Tr0ub4dor&3-horse"\n'
    result = linter.lint_notebook(code_notebook([source]), "hostile.ipynb")
    secrets = [f for f in result.findings if f.name == "hardcoded-credentials"]
    assert [f.location.line for f in secrets] == [2]
    assert "Tr0ub4dor&3-horse" not in secrets[0].message
    too_complex = [f for f in result.findings if f.name == "cell-too-complex"]
    assert len(too_complex) == 1
    assert "it was not parsed" in too_complex[0].message


REAL_CODE = [
    # A long pandas method chain, a wide literal, a long formula, a deep-ish config dict.
    "df = (raw" + "".join("\n  .rename(columns=str.lower)" for _ in range(30)) + "\n)",
    "weights = [" + ", ".join(f"-{i}.5" for i in range(3000)) + "]",
    "loss = " + " + ".join(f"w{i} * (y{i} - p{i}) ** 2" for i in range(40)),
    "config = " + "{'a': " * 12 + "1" + "}" * 12,
    "query = (\n" + "\n".join(f'    "select {i}, "' for i in range(120)) + "\n)",
    "ok = " + " < ".join(["a"] * 2000),
    "banner = '" + "-+*/.(" * 500 + "'  # " + "(((" * 100,
    "\n".join(f"x{i} = a.b.c(d[e], f=g + h) if k else not m" for i in range(400)),
]


@pytest.mark.parametrize("source", REAL_CODE)
def test_real_code_shapes_are_not_refused(source: str) -> None:
    assert check_complexity(source) is None
    assert CellAnalysis(source).module is not None


_WRAPPERS = (
    "({})",
    "[{}]",
    "{{'k': {}}}",
    "f({})",
    "a[{}]",
    "{}.b",
    "{}()",
    "{} + 1",
    "1 + ({})",
    "-{}",
    "not {}",
    "{} if c else 0",
    "(lambda: {})",
    "{} ** 2",
    "'s' {}",
    "{} 's'",
    "[{}, 1]",
    "{}[1:2]",
)


def _nest(layers: list[int], leaf: str = "x") -> str:
    expr = leaf
    for layer in layers:
        expr = _WRAPPERS[layer].format(expr)
    return "y = " + expr + "\n"


_LAYERS = st.integers(0, len(_WRAPPERS) - 1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_LAYERS, max_size=400), st.lists(_LAYERS, min_size=60, max_size=160)))
def test_what_the_guard_lets_through_is_safe_to_analyse(layers: list[int]) -> None:
    """Soundness: an accepted cell parses (or is a plain syntax error) and every later tree
    walk, positions included, stays within Python's recursion limit."""
    source = _nest(layers)
    problem = check_complexity(source)
    analysis = CellAnalysis(source)
    if problem is not None:
        assert analysis.module is None
        return
    if analysis.module is None:
        assert analysis.syntax_error is not None  # e.g. `'s' -x`: invalid, but refused safely
        return
    result = Linter(cache=None).lint_notebook(code_notebook([source]), "generated.ipynb")
    assert result.errors == ()
    analysis.position(analysis.module)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LAYERS, max_size=25))
def test_modest_nesting_is_never_refused(layers: list[int]) -> None:
    """Precision: 25 levels of any mix of these shapes is well inside both limits."""
    assert check_complexity(_nest(layers)) is None
