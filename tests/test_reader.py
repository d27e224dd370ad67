"""Bad input gets one clear message; good input of every shape is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_mllens.document import DocumentKind
from jupyter_mllens.reader import InputError, parse_notebook, parse_script, read_document


def _nb(cells: list[dict[str, object]], minor: int = 4, **extra: object) -> dict[str, object]:
    return {"nbformat": 4, "nbformat_minor": minor, "metadata": {}, "cells": cells, **extra}


@pytest.mark.parametrize("minor", [0, 1, 2, 3, 4, 5])
def test_every_nbformat_4_minor_version(minor: int) -> None:
    cell: dict[str, object] = {
        "cell_type": "code",
        "source": ["import os\n", "x = 1"],
        "metadata": {},
    }
    if minor >= 5:
        cell["id"] = "abc"
    doc = parse_notebook(_nb([{"cell_type": "markdown", "source": "hi"}, cell], minor), "n.ipynb")
    assert doc.kind is DocumentKind.NOTEBOOK
    (code,) = doc.cells
    assert code.source == "import os\nx = 1"
    assert code.index == 1
    assert code.cell_id == ("abc" if minor >= 5 else None)


def test_nbformat_3_is_upgraded() -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": ""},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "import pandas as pd",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                    }
                ]
            }
        ],
    }
    doc = parse_notebook(v3, "old.ipynb")
    assert [c.source for c in doc.cells] == ["import pandas as pd"]


def test_non_python_kernels_are_not_linted() -> None:
    doc = parse_notebook(
        _nb(
            [{"cell_type": "code", "source": "x <- 1"}], metadata={"kernelspec": {"language": "R"}}
        ),
        "r.ipynb",
    )
    assert not doc.is_python


def test_metadata_ignores() -> None:
    doc = parse_notebook(
        _nb(
            [{"cell_type": "code", "source": ""}],
            metadata={"mllens": {"ignore": ["unversioned-data"]}},
        ),
        "n.ipynb",
    )
    assert doc.ignored_rules == frozenset({"unversioned-data"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "invalid JSON at line 1 column 2"),
        (b"[1, 2]", "not a Jupyter notebook"),
        (b'{"nbformat": 4, "metadata": {}}', "no 'cells' list"),
        (
            b'{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": []}',
            "notebook has no cells",
        ),
        (b'{"nbformat": 2, "cells": []}', "unsupported nbformat version 2"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"\xff\xfe{", "not UTF-8 text"),
        (
            b'{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": 5}]}',
            "malformed 'source'",
        ),
    ],
)
def test_bad_notebooks_get_one_clear_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_missing_and_huge_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.ipynb")
    big = tmp_path / "big.ipynb"
    big.write_text(json.dumps(_nb([{"cell_type": "code", "source": "x = 1"}])), "utf-8")
    with pytest.raises(InputError, match="over the 0 MiB limit"):
        read_document(big, max_bytes=10)


def test_percent_scripts_split_into_cells_with_file_offsets() -> None:
    text = "import os\n# %%\nx = 1\n# %% [markdown]\n# notes\n# %%\ny = 2\n"
    doc = parse_script(text, "s.py")
    assert [c.line_offset for c in doc.cells] == [0, 1, 3, 5]
    assert all(c.index is None for c in doc.cells)


def test_plain_script_is_one_cell() -> None:
    doc = parse_script("import os\nprint(os.getcwd())\n", "s.py")
    assert len(doc.cells) == 1


def test_broken_symlink_is_an_input_error(tmp_path: Path) -> None:
    link = tmp_path / "gone.ipynb"
    link.symlink_to(tmp_path / "deleted.ipynb")
    with pytest.raises(InputError, match="broken symbolic link"):
        read_document(link)
