"""Which files a `mllens check PATH...` run lints.

Named files are always linted (that is how `pre-commit` and `nbqa` call us); directories
are walked for notebooks (and scripts, if configured), skipping checkpoints, VCS folders,
virtual environments and anything git ignores.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Config, ConfigError
from .findings import LintError
from .reader import os_error_message, read_regular_file
from .remote import discover_remote, is_remote, local_path

SKIPPED_DIRECTORIES = frozenset(
    {
        ".ipynb_checkpoints",
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".mllens_cache",
        "site-packages",
        ".eggs",
    }
)
LINTABLE_SUFFIXES = (".ipynb", ".py")


@dataclass(frozen=True)
class Target:
    """One file to lint: where it is, how findings name it, and the configuration governing it.

    A remote file (an fsspec URL) has `url` set; its `path` is the object's key, which is
    what its suffix and `per-file-ignores` are read from.
    """

    path: Path
    shown: str
    config: Config
    url: str | None = None

    def read(self) -> bytes:
        """The file's bytes, within the configured size limit; `InputError` says why not."""
        if self.url is not None:
            from .remote import read_url

            return read_url(self.url, self.config.max_file_size)
        return read_regular_file(self.path, self.config.max_file_size)

    def identity(self) -> str | Path:
        """What makes two targets the same file: the URL, or the path with links resolved."""
        return self.url if self.url is not None else real_path(self.path)


def discover(
    paths: Iterable[str], config_for: Callable[[Path], Config]
) -> tuple[list[Target], list[LintError]]:
    """The files to lint and, as error entries, every path that could not be considered.

    Nothing met here raises: a vanished file, a symbolic link loop or an unreadable folder
    becomes one `LintError` and the rest of the run goes on. Named files are handed to the
    reader even when they are not regular files, so it can say exactly what is wrong.
    """
    targets: list[Target] = []
    errors: list[LintError] = []
    walked: list[Target] = []
    for name in paths:
        if is_remote(name):
            # Remote trees carry no configuration we read: the one in force here governs them.
            try:
                config = config_for(Path.cwd() / "remote.ipynb")
            except ConfigError as exc:
                errors.append(LintError(name, f"configuration: {exc}"))
                continue
            listing = discover_remote(name, config, SKIPPED_DIRECTORIES)
            targets.extend(listing.targets)
            errors.extend(listing.errors)
            continue
        path = Path(local_path(name))
        try:
            if _is_directory(path):
                walked.extend(_walk(path, config_for, errors))
            elif _lexists(path):
                if path.suffix.lower() not in LINTABLE_SUFFIXES:
                    errors.append(LintError(name, "not a notebook (.ipynb) or Python script (.py)"))
                else:
                    targets.append(Target(path, name, config_for(path)))
            else:
                errors.append(LintError(name, "no such file or directory"))
        except OSError as exc:
            errors.append(LintError(name, os_error_message(path, exc)))
        except ConfigError as exc:
            errors.append(LintError(name, f"configuration: {exc}"))
    ignored = _git_ignored([t.path for t in walked])
    targets.extend(t for t in walked if real_path(t.path) not in ignored)
    seen: set[str | Path] = set()
    unique: list[Target] = []
    for target in targets:
        key = target.identity()
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique, errors


def real_path(path: Path) -> Path:
    """`path` with symbolic links resolved, without raising.

    `Path.resolve` raises `RuntimeError` on a symbolic link loop; `os.path.realpath`
    returns the looping path as it stands, which is all a de-duplication key needs (the
    reader reports the loop itself).
    """
    return Path(os.path.realpath(path))


def _is_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return False  # missing, or a link the reader will name (broken, looping)
        raise


def _lexists(path: Path) -> bool:
    try:
        os.lstat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return False
        raise
    return True


def _walk(
    root: Path, config_for: Callable[[Path], Config], errors: list[LintError]
) -> Iterable[Target]:
    """Lintable files under `root`; a folder that cannot be listed becomes one error entry.

    `os.walk` does not follow symbolic links to directories, so a link loop among
    folders cannot make the walk endless; a looping link named like a notebook is yielded
    and the reader reports it.
    """

    def unreadable(exc: OSError) -> None:
        where = str(Path(exc.filename)) if exc.filename is not None else str(root)
        errors.append(LintError(where, f"cannot read directory: {exc.strerror or exc}"))

    for directory, subdirectories, files in os.walk(root, onerror=unreadable):
        here = Path(directory)
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if d not in SKIPPED_DIRECTORIES and not _is_virtual_environment(here / d)
        )
        for file_name in sorted(files):
            path = here / file_name
            try:
                config = config_for(path)
            except OSError as exc:
                errors.append(LintError(str(path), os_error_message(path, exc)))
                continue
            except ConfigError as exc:
                # A broken config file costs the files it governs, once, not the whole run.
                error = LintError(str(here), f"configuration: {exc}; its files were not linted")
                if error not in errors:
                    errors.append(error)
                continue
            if config.includes(file_name) and not config.excludes(str(path)):
                yield Target(path, str(path), config)


def _is_virtual_environment(directory: Path) -> bool:
    try:
        os.stat(directory / "pyvenv.cfg")
    except OSError:  # absent, or a folder we may not look into: the walk reports the latter
        return False
    return True


def _git_ignored(paths: list[Path]) -> set[Path]:
    """Paths git ignores, asked of git once per repository; empty when git is unavailable."""
    if not paths:
        return set()
    by_repo: dict[Path, list[Path]] = {}
    roots: dict[Path, Path | None] = {}
    for path in paths:
        parent = real_path(path).parent
        if parent not in roots:
            roots[parent] = _git_root(parent)
        root = roots[parent]
        if root is not None:
            by_repo.setdefault(root, []).append(real_path(path))
    ignored: set[Path] = set()
    for root, members in by_repo.items():
        try:
            completed = subprocess.run(
                ["git", "-C", str(root), "check-ignore", "-z", "--stdin"],
                input="\0".join(str(p) for p in members) + "\0",
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        ignored.update(real_path(Path(p)) for p in completed.stdout.split("\0") if p)
    return ignored


def _git_root(directory: Path) -> Path | None:
    for candidate in (directory, *directory.parents):
        try:
            os.lstat(candidate / ".git")
        except OSError:
            continue
        return candidate
    return None
