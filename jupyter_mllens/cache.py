"""The persistent result cache of `mllens check`: a second run over an unchanged tree is cheap.

One entry per linted file, a small JSON file named by a key that covers everything a
file's findings depend on:

- the sha256 of the bytes the linter read (so a touched but unchanged file still hits);
- the file's effective configuration: the rules enabled for *this* file (select, ignore and
  the per-file ignores matched against its path), the severity table and the size limit;
- the path findings name it by, and whether it is a notebook or a script;
- the engine's fingerprint: the package version, the Python and libcst versions and a
  digest of the engine's own source and rule catalog files, so a developer checkout that
  changes the code never serves results computed by older code.

Only files that were read and linted without an error entry are stored: errors (invalid
JSON, a worker crash, an unreadable file) are re-examined on every run, so nothing
transient is ever remembered. Entries hold findings, whose messages the engine has
already redacted; source text is never stored.

Writes are atomic (a temporary file in the same folder, then `os.replace`), so concurrent
runs and crashes can leave a stale or missing entry but never a torn one; an entry that
cannot be read, does not parse, or carries another format version or key is a miss and
is overwritten. A cache that cannot be written (read-only folder, full disk) costs speed
only: the run goes on without it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding, LintError, LintResult
from .reader import InputError, read_regular_file

if TYPE_CHECKING:
    from .catalog import Catalog
    from .config import Config
    from .discovery import Target

#: The default cache folder, created in the project root (see `default_directory`).
DIRECTORY_NAME = ".mllens_cache"
#: Moves the cache folder, like `--cache-dir`.
DIRECTORY_ENV = "MLLENS_CACHE_DIR"
#: The layout and entry format; entries of another version are misses.
FORMAT_VERSION = 1
#: An entry larger than this is not one the cache wrote (a notebook's findings are a few kB).
_MAX_ENTRY_BYTES = 64 * 1024 * 1024
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by mllens.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass(frozen=True)
class Miss:
    """A file that must be linted: its bytes, read once, and the key to store its result under."""

    target: Target
    data: bytes
    key: str


class ResultCache:
    """Look up and store per-file `LintResult`s under `directory`; thread-safe.

    `hits` and `misses` count this run's lookups, for `--verbose`.
    """

    def __init__(self, directory: Path, catalog: Catalog) -> None:
        self.directory = directory
        self._entries = directory / f"v{FORMAT_VERSION}"
        self._catalog = catalog
        self._engine = engine_fingerprint()
        self._configs: dict[Config, str] = {}
        self._lock = threading.Lock()
        self._prepared = False
        self._writable = True
        self.hits = 0
        self.misses = 0

    def lookup(self, target: Target) -> LintResult | Miss:
        """The cached result of `target`, or a `Miss` carrying its bytes.

        A file that cannot be read gets the error entry the linter itself would give it
        (`Target.read`, so a FIFO is refused, never opened blocking).
        """
        try:
            data = target.read()
        except InputError as exc:
            return LintResult(errors=(LintError(target.shown, str(exc)),), files=1)
        key = self.key(target, data)
        found = self._load(key)
        with self._lock:
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
        return Miss(target, data, key) if found is None else found

    def key(self, target: Target, data: bytes) -> str:
        """The entry name for `target` holding `data`: hex sha256 of everything that matters."""
        header = json.dumps(
            [
                FORMAT_VERSION,
                self._engine,
                self._config_digest(target),
                target.shown,
                target.path.suffix.lower() == ".ipynb",
                hashlib.sha256(data).hexdigest(),
            ],
            ensure_ascii=True,
        )
        return hashlib.sha256(header.encode("ascii")).hexdigest()

    def store(self, key: str, result: LintResult) -> None:
        """Remember `result`, atomically; a file with error entries is never stored."""
        if result.errors or not self._writable:
            return
        entry = {
            "version": FORMAT_VERSION,
            "key": key,
            "findings": [finding.to_json() for finding in result.findings],
        }
        # ASCII with escapes: a path that is not valid UTF-8 (a lone surrogate) still round-trips
        payload = json.dumps(entry, separators=(",", ":")).encode("ascii")
        try:
            self._prepare()
            _write_atomically(self._path(key), payload)
        except OSError:
            self._writable = False  # e.g. a read-only checkout: lint on, uncached

    def _load(self, key: str) -> LintResult | None:
        try:
            payload = read_regular_file(self._path(key), _MAX_ENTRY_BYTES)
        except InputError:
            return None
        try:
            entry = json.loads(payload)
            if (
                not isinstance(entry, dict)
                or entry.get("version") != FORMAT_VERSION
                or entry.get("key") != key
                or not isinstance(entry.get("findings"), list)
            ):
                return None
            findings = tuple(Finding.from_json(item) for item in entry["findings"])
        except (ValueError, TypeError, RecursionError):  # a damaged or foreign entry: a miss
            return None
        return LintResult(findings=findings, files=1)

    def _path(self, key: str) -> Path:
        return self._entries / key[:2] / f"{key[2:]}.json"

    def _prepare(self) -> None:
        """Create the folder with its `.gitignore` (everything) and `CACHEDIR.TAG`, once."""
        if self._prepared:
            return
        self._entries.mkdir(parents=True, exist_ok=True)
        for name, text in ((".gitignore", "*\n"), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            if not (self.directory / name).exists():
                _write_atomically(self.directory / name, text.encode("ascii"))
        self._prepared = True

    def _config_digest(self, target: Target) -> str:
        """What of `target.config` changes its findings: its enabled rules, severities, size
        limit and rule options.

        `include`, `exclude` and the config file's own path only choose files, so they are
        left out; per-file ignores are resolved against this file's path, so two files
        under one config whose ignores differ get different digests.
        """
        config = target.config
        if not config.per_file_ignores:
            with self._lock:
                known = self._configs.get(config)
            if known is not None:
                return known
        rules = config.enabled_rules(str(target.path), self._catalog)
        digest = hashlib.sha256(
            json.dumps(
                [
                    [rule.code for rule in rules],
                    [[key, level.value] for key, level in config.severity],
                    config.max_file_size,
                    # [tool.mllens.rules.<name>]: in-house trackers, readers, storage...
                    [
                        [rule, [[key, list(values)] for key, values in options]]
                        for rule, options in config.rule_options
                    ],
                ]
            ).encode("utf-8")
        ).hexdigest()
        if not config.per_file_ignores:
            with self._lock:
                self._configs[config] = digest
        return digest


def _write_atomically(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` so no reader ever sees a partial file, even across a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "wb") as stream:
            stream.write(payload)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@cache
def engine_fingerprint() -> str:
    """A digest of the code and data that produce findings, computed once per process.

    The package version alone is not enough: a source checkout changes code without
    changing the version. So the engine's `.py` files, the rule catalog and the lens data
    are hashed too (a few hundred kB, a few milliseconds), with the Python and libcst
    versions, whose parsers decide what a cell's syntax tree is.
    """
    from importlib import metadata

    from . import __version__
    from .catalog import rules_directory

    digest = hashlib.sha256()
    try:
        libcst_version = metadata.version("libcst")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        libcst_version = "unknown"
    digest.update(json.dumps([__version__, sys.version, libcst_version]).encode("utf-8"))
    package = Path(__file__).resolve().parent
    files = sorted(
        path
        for pattern in ("*.py", "*.json")
        for path in package.rglob(pattern)
        if "labextension" not in path.relative_to(package).parts
    )
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for entry in sorted(rules_directory().iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".toml"):
            digest.update(entry.name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(entry.read_bytes()).digest())
    return digest.hexdigest()


def default_directory(project_root: Path | None) -> Path:
    """Where the cache lives without `--cache-dir`: `MLLENS_CACHE_DIR`, else `.mllens_cache`
    in the project root (the folder of the configuration file in effect for the current
    directory), else in the current directory, as ruff does."""
    configured = os.environ.get(DIRECTORY_ENV)
    if configured:
        return Path(configured)
    return (project_root if project_root is not None else Path.cwd()) / DIRECTORY_NAME
