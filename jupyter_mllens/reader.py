"""Turn files (or notebook JSON already in memory) into `Document`s.

Everything that can go wrong with an input is raised as one `InputError` carrying a
single human sentence, so a batch run can report it and carry on with the next file.
Notebooks are read with plain `json` (5x cheaper than `nbformat.read`, and lenient with
the many real notebooks that fail nbformat's schema on details the linter does not need);
only nbformat 3 notebooks go through `nbformat` to be upgraded.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .document import Cell, Document, DocumentKind
from .notebook_content import ContentReader

#: Inputs larger than this are refused rather than risking the memory of a shared server.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
#: The message for JSON deeper than Python's parser can follow (about 1,000 levels); no
#: real notebook comes near it, and the reader itself never recurses on notebook structure.
NESTED_TOO_DEEPLY = "notebook JSON is nested too deeply to read"


class InputError(Exception):
    """An input that cannot be linted; `str(error)` is the message shown to the user."""


def read_document(
    path: Path, display_path: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read a `.ipynb` notebook or a `.py` script from disk."""
    return document_from_bytes(read_regular_file(path, max_bytes), path, display_path)


def document_from_bytes(data: bytes, path: Path, display_path: str | None = None) -> Document:
    """A file's bytes, already read, as a `Document`: a notebook if `path` ends in `.ipynb`."""
    shown = display_path if display_path is not None else str(path)
    text = _decode(data)
    if path.suffix.lower() == ".ipynb":
        return parse_notebook_text(text, shown)
    return parse_script(text, shown)


def read_regular_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of `path`, which must be a regular file of at most `max_bytes`.

    Only regular files are ever opened: opening a FIFO blocks until a writer appears (a
    `x.ipynb` FIFO would hang a whole run), and reading a device or socket is never what a
    user meant. The type is checked with `stat` first, and again with `fstat` on the open
    descriptor, because the name may be replaced between the two; the descriptor is opened
    with `O_NONBLOCK` so that even a FIFO swapped in at that moment cannot block the open.
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(os_error_message(path, exc)) from None
    _check_kind(info.st_mode)
    check_size(info.st_size, max_bytes)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows only
    for name in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"):  # POSIX only
        flags |= getattr(os, name, 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise InputError(os_error_message(path, exc)) from None
    with open(descriptor, "rb", closefd=True) as stream:
        try:
            info = os.fstat(descriptor)
            _check_kind(info.st_mode)
            check_size(info.st_size, max_bytes)
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}") from None
    check_size(len(data), max_bytes)  # the file grew after fstat
    return data


def os_error_message(path: Path, exc: OSError) -> str:
    """One sentence for why `path` cannot be opened, naming symlink trouble as such."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno == errno.ENOENT:
        if path.is_symlink():
            return "broken symbolic link: its target does not exist"
        return "no such file or directory"
    return f"cannot read file: {exc.strerror or exc}"


_FILE_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _check_kind(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("is a directory")
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "special file")
    raise InputError(f"not a regular file ({kind}); only regular files are read")


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an input of `size` bytes over the limit, with the message every reader gives."""
    if size > max_bytes:
        raise InputError(
            f"file is {size / 1_048_576:.1f} MiB, over the {max_bytes / 1_048_576:.0f} MiB limit"
            " (raise it with max-file-size in [tool.mllens])"
        )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not a notebook or a Python script")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def parse_notebook_text(text: str, path: str) -> Document:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(NESTED_TOO_DEEPLY) from None
    except ValueError as exc:  # e.g. an integer longer than Python will convert
        raise InputError(f"invalid JSON: {exc}") from None
    return parse_notebook(raw, path)


def parse_notebook(raw: Any, path: str) -> Document:
    """Build a `Document` from notebook JSON (nbformat 3 or 4, any 4.x minor version)."""
    if not isinstance(raw, Mapping):
        raise InputError("not a Jupyter notebook (the JSON is not an object)")
    major = raw.get("nbformat")
    upgraded = major == 3 or ("worksheets" in raw and "cells" not in raw)
    if upgraded:
        raw = _upgrade_v3(raw)
    elif major is not None and major != 4:
        raise InputError(f"unsupported nbformat version {major!r} (3 and 4 are supported)")
    cells = raw.get("cells")
    if not isinstance(cells, list):
        raise InputError("not a Jupyter notebook (no 'cells' list)")
    metadata = raw.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    code_cells: list[Cell] = []
    content = ContentReader(metadata)
    for index, cell in enumerate(cells):
        if not isinstance(cell, Mapping):
            raise InputError(f"cell {index} is not a JSON object")
        # An upgraded nbformat 3 cell carries the random id the upgrade invented, which
        # would make every run's JSON and SARIF differ; it gets None, like any cell whose
        # file stores no id (nbformat 4.0-4.4).
        cell_id = None if upgraded else cell.get("id")
        cell_id = cell_id if isinstance(cell_id, str) else None
        kind = cell.get("cell_type")
        if kind != "code":
            prose = cell.get("source", "")
            # malformed prose was never an error; it is simply not read
            readable = isinstance(prose, str) or (
                isinstance(prose, list) and all(isinstance(part, str) for part in prose)
            )
            if kind in ("markdown", "raw") and readable:
                content.text_cell(cell, index, cell_id, str(kind), _source_text(prose, index))
            continue
        source = _source_text(cell.get("source", ""), index)
        code_cells.append(
            Cell(source=source, index=index, cell_id=cell_id, ordinal=len(code_cells))
        )
        content.code_cell(cell, index, cell_id, source)
    return Document(
        path=path,
        kind=DocumentKind.NOTEBOOK,
        cells=tuple(code_cells),
        language=_language(metadata),
        ignored_rules=_metadata_ignores(metadata),
        content=content.content(),
    )


def _source_text(source: Any, index: int) -> str:
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    raise InputError(
        f"cell {index} has a malformed 'source' (expected a string or list of strings)"
    )


def _language(metadata: Mapping[str, Any]) -> str | None:
    """The kernel language, or None when the notebook does not say (most real ones don't)."""
    for key, field in (("language_info", "name"), ("kernelspec", "language")):
        section = metadata.get(key)
        if isinstance(section, Mapping) and isinstance(section.get(field), str):
            return str(section[field])
    return None


def _metadata_ignores(metadata: Mapping[str, Any]) -> frozenset[str]:
    section = metadata.get("mllens")
    if not isinstance(section, Mapping):
        return frozenset()
    ignore = section.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        raise InputError("notebook metadata 'mllens.ignore' must be a list of rule names or codes")
    return frozenset(item.strip() for item in ignore)


def _upgrade_v3(raw: Mapping[str, Any]) -> dict[str, Any]:
    import nbformat  # imported lazily: only nbformat 3 notebooks need it

    try:
        node = nbformat.from_dict(dict(raw))  # type: ignore[no-untyped-call]
        upgraded = nbformat.convert(node, 4)  # type: ignore[no-untyped-call]
    except RecursionError:  # nbformat walks the whole structure recursively
        raise InputError(NESTED_TOO_DEEPLY) from None
    except Exception as exc:  # nbformat raises a variety of errors on malformed v3 input
        raise InputError(f"cannot upgrade nbformat 3 notebook: {exc}") from None
    return dict(upgraded)


_PERCENT_CELL = re.compile(r"^# ?%%(?!%)")


def parse_script(text: str, path: str) -> Document:
    """A `.py` file: one cell, or one cell per jupytext/VS Code `# %%` marker.

    Splitting at markers keeps one bad cell from hiding the rest (as in a notebook) and
    makes cell-level suppressions work; `line_offset` keeps file line numbers exact.
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _PERCENT_CELL.match(line)]
    cells: tuple[Cell, ...]
    if not starts:
        cells = (Cell(source=text),)
    else:
        bounds = ([0] if starts[0] > 0 else []) + starts + [len(lines)]
        cells = tuple(
            Cell(source="".join(lines[begin:end]), line_offset=begin, ordinal=n)
            for n, (begin, end) in enumerate(itertools.pairwise(bounds))
        )
    return Document(path=path, kind=DocumentKind.SCRIPT, cells=cells)


def code_notebook(sources: Sequence[str], id_prefix: str = "cell-") -> dict[str, Any]:
    """nbformat 4.5 JSON with one code cell per source: how rule examples, tests and
    benchmarks turn code into the notebooks the linter reads."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"{id_prefix}{i}",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": source,
            }
            for i, source in enumerate(sources)
        ],
    }
