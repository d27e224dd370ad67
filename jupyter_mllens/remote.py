"""Notebooks in object stores and other remote file systems, through fsspec URLs.

`mllens check s3://bucket/prefix/` lints every notebook under the prefix, as a local folder
would be walked. fsspec is an optional extra (`pip install 'jupyter_mllens[s3]'`, `[gcs]`, or
`[remote]` plus the backend of your choice) and is imported only when a URL is named.
Credentials and endpoints come from the backend's usual sources (for S3: the AWS
environment, profiles and `AWS_ENDPOINT_URL`) or from fsspec's own configuration
(`FSSPEC_S3_ENDPOINT_URL=...`, `~/.config/fsspec/*.json`).

Everything that can fail remotely (an unknown protocol, a missing backend, no credentials,
a bucket that does not exist, a dropped connection) becomes one error entry for the URL or
file it concerns, never an exception that ends the run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .findings import LintError
from .reader import InputError, check_size

if TYPE_CHECKING:
    from .discovery import Target

#: `scheme://`, the scheme at least two characters so a Windows drive (`C:\`) never matches.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")
_LOCAL_SCHEMES = frozenset({"file", "local"})
_INSTALL_HINT = "remote paths need fsspec: pip install 'jupyter_mllens[remote]'"


def is_remote(name: str) -> bool:
    """Whether a command-line path is a URL fsspec should open (`file://` stays local)."""
    match = _URL.match(name)
    return match is not None and match.group(0)[:-3].lower() not in _LOCAL_SCHEMES


def local_path(name: str) -> str:
    """A command-line path as a local path: `file:///data/nb.ipynb` is `/data/nb.ipynb`
    (percent-escapes decoded, as a browser's or fsspec's `file://` URL holds them); any other
    name is returned as it is."""
    match = _URL.match(name)
    if match is None or match.group(0)[:-3].lower() not in _LOCAL_SCHEMES:
        return name
    from urllib.parse import unquote, urlsplit
    from urllib.request import url2pathname

    parts = urlsplit(name)
    host = "" if parts.netloc.lower() in ("", "localhost") else parts.netloc
    return url2pathname(unquote(host + parts.path)) or "."


@dataclass(frozen=True)
class RemoteListing:
    """The notebooks found under one URL, and the errors met on the way."""

    targets: tuple[Target, ...]
    errors: tuple[LintError, ...]


def discover_remote(url: str, config: Config, skipped: frozenset[str]) -> RemoteListing:
    """Lintable files at `url`: the file itself, or every file under it, in sorted order.

    `config` governs every remote file (remote trees carry no configuration of their own
    that we read); folders named in `skipped` are left out as in a local walk.
    """
    from .discovery import LINTABLE_SUFFIXES, Target

    try:
        fs, root = _file_system(url)
        if fs.isdir(root):
            found = fs.find(root, withdirs=False, detail=True)
            entries = sorted(found.items())
        elif fs.exists(root):
            if not root.lower().endswith(LINTABLE_SUFFIXES):
                message = "not a notebook (.ipynb) or Python script (.py)"
                return RemoteListing((), (LintError(url, message),))
            entries = [(root, fs.info(root))]
        else:
            return RemoteListing((), (LintError(url, "no such file or directory"),))
    except Exception as exc:  # any backend failure is one error entry
        return RemoteListing((), (LintError(url, remote_error_message(exc)),))
    targets = []
    for key, info in entries:
        name = key.rsplit("/", 1)[-1]
        relative = key[len(root) :].strip("/").split("/")[:-1]
        if any(part in skipped for part in relative) or info.get("type") == "directory":
            continue
        shown = fs.unstrip_protocol(key)
        if (
            name.lower().endswith(LINTABLE_SUFFIXES)
            and config.includes(name)
            and not config.excludes(shown)
        ):
            targets.append(Target(Path(key), shown, config, url=shown))
    return RemoteListing(tuple(targets), ())


def read_url(url: str, max_bytes: int) -> bytes:
    """The bytes of the remote file at `url`, refused over `max_bytes` like a local file."""
    try:
        fs, path = _file_system(url)
        check_size(int(fs.size(path) or 0), max_bytes)
        with fs.open(path, "rb") as stream:
            data: bytes = stream.read(max_bytes + 1)
    except InputError:
        raise
    except Exception as exc:  # any backend failure is the file's one error
        raise InputError(remote_error_message(exc)) from None
    check_size(len(data), max_bytes)
    return data


def remote_error_message(exc: BaseException) -> str:
    """One sentence for a remote failure; a missing backend names what to install."""
    if isinstance(exc, ImportError):
        if getattr(exc, "name", None) == "fsspec":
            return _INSTALL_HINT
        return f"cannot open remote path: {exc}"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc}"
    text = str(exc).strip() or type(exc).__name__
    return f"cannot read remote path: {text}"


def _file_system(url: str) -> tuple[Any, str]:
    import fsspec.core  # optional extra: only imported when a URL is linted

    fs, path = fsspec.core.url_to_fs(url)
    return fs, str(path).rstrip("/") or str(path)
