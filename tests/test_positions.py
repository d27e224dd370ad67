"""`analysis.positions` gives exactly libcst's `PositionProvider` ranges, however it is asked."""

from __future__ import annotations

import random

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from jupyter_mllens.analysis.positions import Positions
from jupyter_mllens.catalog import load_catalog
from jupyter_mllens.ipython_syntax import translate

TRICKY = [
    "x = 1; y = 2  # two statements on a line\n",
    "@decorator\n@other(arg)\ndef f(a, *, b=1):\n    '''doc'''\n    return a\n",
    "s = '''\nmulti\nline'''\nt = f(s,\n      key=\"v\")\n",
    "class A(B):\n\n    # comment\n    def m(self):\n        for i, j in x:\n            pass\n",
    "if a:\n    pass\nelif b:\n    pass\nelse:\n    pass\n",
    "x = [\n    1,\n    2,\n]\ny = {k: v for k, v in d.items()}\n",
    "\n\n# leading comment\nimport os\nfrom a import (b,\n    c)\n",
    "try:\n    f()\nexcept (A, B) as e:\n    g(e)\nfinally:\n    h()\n",
    "with open(p) as fh, lock:\n    data = fh.read()\n",
    "x = 1\r\ny = f(x)\r\n",
    "lambda: (yield)\nz = f'{a!r:>{w}} and {b}'\n",
]


def _cells() -> list[str]:
    """Catalog example cells (every rule's good and bad code) plus tricky layouts."""
    cells = list(TRICKY)
    for rule in load_catalog().rules:
        for example in (*rule.bad, *rule.good):
            for cell in example.notebook().get("cells", ()):
                if cell.get("cell_type") != "code":
                    continue
                source = cell.get("source", "")
                text = "".join(source) if isinstance(source, list) else source
                python = translate(text).python
                if python is not None:
                    cells.append(python)
    return cells


def _parsed(code: str) -> cst.Module | None:
    try:
        return cst.parse_module(code)
    except cst.ParserSyntaxError:
        return None


MODULES = [module for module in map(_parsed, _cells()) if module is not None]


def test_there_are_many_cells_to_compare() -> None:
    assert len(MODULES) > 200


@pytest.mark.parametrize("order", ["document", "reversed", "shuffled"])
def test_every_node_gets_the_providers_range(order: str) -> None:
    rng = random.Random(7)
    compared = 0
    for module in MODULES:
        expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        nodes = list(expected)
        if order == "reversed":
            nodes.reverse()
        elif order == "shuffled":
            rng.shuffle(nodes)
        positions = Positions(module)
        for node in nodes:
            assert positions.of(node) == expected[node], (module.code, type(node).__name__)
            compared += 1
    assert compared > 10_000


def test_a_first_question_walks_only_as_far_as_its_node() -> None:
    """An ancestor's range is never taken from a walk stopped inside it."""
    module = cst.parse_module("def f():\n    a = 1\n    b = 2\n")
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    function = module.body[0]
    assert isinstance(function, cst.FunctionDef)
    first = function.body.body[0]
    positions = Positions(module)
    assert positions.of(first) == expected[first]
    assert positions.of(function) == expected[function]  # walks again, to the end


def test_a_node_from_another_module_is_a_key_error() -> None:
    module = cst.parse_module("x = 1\n")
    other = cst.parse_module("y = 2\n")
    with pytest.raises(KeyError):
        Positions(module).of(other.body[0])
