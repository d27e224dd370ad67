"""The server extension's pure core: validate a lint request, find its config, lint it.

Nothing here imports tornado or jupyter_server, so every rule about what a request may
contain (size, shape, where its path may point) is tested without a server, and the
handlers stay thin: they read the body, call `parse_lint_request`, and hand
`LintService.lint` to a thread, which waits while a worker process lints.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..catalog import load_catalog
from ..config import Config, ConfigError, load_config
from ..engine import Linter
from ..findings import SCHEMA_VERSION
from ..workers import NotebookJob, WorkerPool

#: Largest request body accepted by `POST /mllens/lint`. The panel sends text outputs capped
#: at 512 K characters per notebook and never images, so even a very long notebook's code,
#: markdown and outputs stay far below this. Outputs and execution counts in the notebook
#: are handed to the engine as received.
DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024
#: Longest path and longest single file or folder name accepted, in UTF-8 bytes: Linux's
#: PATH_MAX and NAME_MAX, the limits of every common file system.
MAX_PATH_BYTES = 4096
MAX_NAME_BYTES = 255


class RequestError(ValueError):
    """A request the client must fix; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def body_too_large(size: int, max_bytes: int) -> RequestError:
    """The 413 for a body of `size` bytes, for handlers that know the size before parsing."""
    return RequestError(
        413,
        f"request body is {size:,} bytes; the limit is {max_bytes:,} bytes "
        "(raise it with ServerApp.tornado_settings={'mllens_max_body_bytes': N})",
    )


@dataclass(frozen=True)
class LintRequest:
    """A validated `POST /mllens/lint` body."""

    path: str
    notebook: dict[str, Any]


def parse_lint_request(body: bytes, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> LintRequest:
    """Turn a raw body into a `LintRequest`, or raise `RequestError` with a message a user can act on.

    The size is checked before parsing so an oversized body costs no JSON decoding.
    """
    if len(body) > max_bytes:
        raise body_too_large(len(body), max_bytes)
    if not body.strip():
        raise RequestError(400, 'empty body: expected {"path": "...", "notebook": {...}}')
    try:
        data = json.loads(body)
    except RecursionError:
        raise RequestError(400, "body is not usable JSON: nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, over-long integers
        raise RequestError(400, f"body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestError(400, 'body must be a JSON object {"path": "...", "notebook": {...}}')
    path = data.get("path")
    if not isinstance(path, str) or not path.strip():
        raise RequestError(400, "'path' must be a non-empty string (the notebook's server path)")
    notebook = data.get("notebook")
    if not isinstance(notebook, dict):
        raise RequestError(400, "'notebook' must be a JSON object (nbformat notebook content)")
    return LintRequest(path=normalize_path(path), notebook=notebook)


def normalize_path(path: str) -> str:
    """A server-relative POSIX path that cannot leave the root, or `RequestError(400)`.

    Contents paths are always relative to the server root and use `/`. Absolute paths,
    drive letters, `..` segments and NUL bytes are refused outright instead of being
    "fixed", so a crafted path never reaches the file system. So are paths no file system
    could hold (longer than `MAX_PATH_BYTES`, or with a name over `MAX_NAME_BYTES`): they
    would only fail later, inside the configuration lookup, as `ENAMETOOLONG`.
    """
    if "\x00" in path:
        raise RequestError(400, "'path' must not contain NUL bytes")
    try:
        encoded = path.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\udxxx" JSON escape
        raise RequestError(400, "'path' must be valid Unicode text") from None
    if len(encoded) > MAX_PATH_BYTES:
        raise RequestError(
            400, f"'path' is {len(encoded):,} bytes long; the limit is {MAX_PATH_BYTES:,} bytes"
        )
    posix = path.replace("\\", "/")
    pure = PurePosixPath(posix)
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        raise RequestError(400, f"'path' must be relative to the server root, not {path!r}")
    if any(part == ".." for part in pure.parts):
        raise RequestError(400, f"'path' must stay inside the server root, not {path!r}")
    parts = [part for part in pure.parts if part not in ("", ".")]
    if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in parts):
        raise RequestError(
            400, f"'path' has a file or folder name over {MAX_NAME_BYTES} bytes long"
        )
    if not parts:
        raise RequestError(400, "'path' must name a notebook")
    return "/".join(parts)


class LintService:
    """Lints notebook content for one server root, in worker processes when given a pool.

    With a `WorkerPool` (the server extension), the native parser never runs in the server
    process: a notebook that crashes or stalls it costs one worker and one error entry.
    Each notebook path always goes to the same worker, whose long-lived `Linter` keeps its
    cell cache, so a re-lint after a one-cell edit costs only that cell. Without a pool the
    lint runs in the calling thread with one long-lived `Linter`. Configuration is resolved
    here, as it reads files under the root, and the worker gets the frozen `Config`.
    `lint` is thread-safe and blocking: the handler runs it off the event loop.
    """

    def __init__(
        self, root: Path, linter: Linter | None = None, pool: WorkerPool | None = None
    ) -> None:
        self.root = root.resolve()
        self.pool = pool
        self._linter = linter
        self._catalog_json: dict[str, Any] | None = None

    @property
    def linter(self) -> Linter:
        """The in-process linter (built on first use; a pooled service never needs one)."""
        if self._linter is None:
            self._linter = Linter()
        return self._linter

    def lint(self, request: LintRequest, body: bytes | None = None) -> dict[str, Any]:
        """Findings for `request` in the `mllens check --format json` schema.

        `body` is the raw request body `request` was parsed from; a pooled service sends it
        to the worker as it is, so no deeply nested structure has to be pickled.
        """
        try:
            config = self._config_for(request.path)
        except ConfigError as exc:
            return _error(request.path, f"configuration: {exc}")
        except OSError as exc:  # e.g. a path too long for the file system
            reason = exc.strerror or type(exc).__name__
            return _error(request.path, f"configuration: cannot look for it ({reason})")
        location = self.root / request.path
        if self.pool is None:
            return self.linter.lint_notebook(
                request.notebook, request.path, config, location
            ).to_json()
        if body is None:
            try:
                body = json.dumps({"notebook": request.notebook}).encode()
            except (ValueError, RecursionError):
                return _error(request.path, "not a Jupyter notebook (nested too deeply)")
        job = NotebookJob(request.path, body, config, location)
        return self.pool.lint(request.path, job).to_json()

    def _config_for(self, path: str) -> Config:
        """`[tool.mllens]` of the nearest config above `path`, searched only inside the root.

        `load_config` never reads above the root: a directory that resolves outside it (a
        symlink) gets the defaults, as its real location is not the server's to read.
        """
        return load_config((self.root / path).parent, root=self.root)

    def catalog(self) -> dict[str, Any]:
        """The rule catalog with pillar and phase descriptions, for the panel (built once)."""
        if self._catalog_json is None:
            catalog = self._linter.catalog if self._linter is not None else load_catalog()
            self._catalog_json = catalog.to_json()
        return self._catalog_json


def _error(path: str, message: str) -> dict[str, Any]:
    return {
        "version": SCHEMA_VERSION,
        "findings": [],
        "errors": [{"path": path, "message": message}],
    }
