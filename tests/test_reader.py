"""Bad input gets one clear message; good input of every shape is read."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyter_mllens.document import DocumentKind
from jupyter_mllens.engine import Linter
from jupyter_mllens.reader import (
    InputError,
    parse_notebook,
    parse_notebook_text,
    parse_script,
    read_document,
    read_regular_file,
)


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


V3_NOTEBOOK = {
    "nbformat": 3,
    "nbformat_minor": 0,
    "metadata": {"name": ""},
    "worksheets": [
        {
            "cells": [
                {"cell_type": "heading", "level": 1, "source": "Title", "metadata": {}},
                {
                    "cell_type": "code",
                    "input": "import pandas as pd",
                    "language": "python",
                    "outputs": [],
                    "metadata": {},
                },
            ]
        }
    ],
}


def test_nbformat_3_cells_get_no_invented_ids_so_output_is_deterministic() -> None:
    """The upgrade invents random ids; a v3 file stores none, so none is reported."""
    first, second = (parse_notebook(json.loads(json.dumps(V3_NOTEBOOK)), "v3.ipynb") for _ in "ab")
    assert [c.cell_id for c in first.cells] == [None]
    assert first == second
    assert first.cells[0].index == 1  # the heading cell still counts


def test_a_notebook_with_zero_cells_is_read_and_has_no_findings(tmp_path: Path) -> None:
    path = tmp_path / "empty.ipynb"
    path.write_text(json.dumps(_nb([])), "utf-8")
    assert read_document(path).cells == ()
    result = Linter().lint_file(path)
    assert (result.findings, result.errors, result.files) == ((), (), 1)


def _nested(depth: int) -> str:
    return '{"nbformat": 4, "metadata": {"deep": ' + "[" * depth + "]" * depth + '}, "cells": []}'


def test_json_nested_beyond_the_parser_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.ipynb"
    path.write_text(_nested(100_000), "utf-8")
    with pytest.raises(InputError, match="nested too deeply"):
        read_document(path)


def test_deep_but_parseable_json_is_read_without_recursion() -> None:
    """Just under json's limit: nothing after parsing may recurse on the structure."""
    text = _nested(900)
    assert parse_notebook_text(text, "deep.ipynb").cells == ()


def test_deeply_nested_nbformat_3_is_one_clear_error() -> None:
    """The nbformat upgrade recurses; a v3 notebook too deep for it is an input error."""
    deep: object = []
    for _ in range(900):
        deep = [deep]
    v3 = json.loads(json.dumps(V3_NOTEBOOK))
    v3["metadata"]["deep"] = deep
    with pytest.raises(InputError, match="nested too deeply"):
        parse_notebook(v3, "v3.ipynb")


def test_integer_too_long_to_convert_is_an_input_error() -> None:
    with pytest.raises(InputError, match="invalid JSON"):
        parse_notebook_text('{"nbformat": 4, "n": ' + "9" * 5000 + ', "cells": []}', "n.ipynb")


def test_symbolic_link_loop_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.ipynb").symlink_to("b.ipynb")
    (tmp_path / "b.ipynb").symlink_to("a.ipynb")
    for name in ("a.ipynb", "b.ipynb"):
        with pytest.raises(InputError, match="symbolic link loop"):
            read_document(tmp_path / name)


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    """A FIFO, with a watchdog that unblocks a reader stuck on it.

    Opening a FIFO for reading blocks until a writer comes. The watchdog keeps trying to
    open the write end (which only succeeds while a reader waits) and closes it at once, so
    a reader that regressed to a blocking open sees an empty file and the test fails
    instead of hanging the suite.
    """
    path = tmp_path / "x.ipynb"
    os.mkfifo(path)
    done = threading.Event()

    def watchdog() -> None:
        while not done.wait(0.05):
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:  # ENXIO: nobody has it open for reading, all is well
                continue

    thread = threading.Thread(target=watchdog, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join()


def test_a_fifo_is_refused_without_blocking(fifo: Path) -> None:
    with pytest.raises(InputError, match=r"not a regular file \(FIFO\)"):
        read_document(fifo)


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.ipynb"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_a_socket_is_refused(unix_socket: Path) -> None:
    with pytest.raises(InputError, match=r"not a regular file \(socket\)"):
        read_document(unix_socket)


def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "null.ipynb"
    link.symlink_to(os.devnull)
    assert stat.S_ISCHR(os.stat(link).st_mode)
    with pytest.raises(InputError, match=r"not a regular file \(character device\)"):
        read_document(link)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.ipynb").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        read_document(tmp_path / "d.ipynb")


def test_a_file_swapped_for_a_fifo_after_the_check_is_refused_on_the_descriptor(
    tmp_path: Path,
) -> None:
    """The race between `stat` and `open`: the name is a FIFO by the time it is opened.

    `read_regular_file` opens with O_NONBLOCK and checks the descriptor with `fstat`, so
    the swap ends in an error, not a hang. The swap is made real by replacing the file
    from the only hook between the two calls a test can reach: the `os.open` call itself.
    """
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(_nb([])), "utf-8")
    real_open = os.open

    def swap_then_open(name: object, flags: int, *args: object) -> int:
        path.unlink()
        os.mkfifo(path)
        return real_open(name, flags, *args)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", swap_then_open)
        with pytest.raises(InputError, match=r"not a regular file \(FIFO\)"):
            read_regular_file(path)


def test_a_file_larger_than_its_stat_size_is_still_held_to_the_limit(tmp_path: Path) -> None:
    """`/proc` files report size 0 but have content: the bytes read are what is limited."""
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("needs Linux /proc")
    assert os.stat(status).st_size == 0
    with pytest.raises(InputError, match="over the"):
        read_regular_file(status, max_bytes=10)
