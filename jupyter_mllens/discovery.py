"""Which files a `mllens check PATH...` run lints.

Named files are always linted (that is how `pre-commit` and `nbqa` call us); directories
are walked for notebooks (and scripts, if configured), skipping checkpoints, VCS folders,
virtual environments and anything git ignores.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .findings import LintError

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
        "site-packages",
        ".eggs",
    }
)
LINTABLE_SUFFIXES = (".ipynb", ".py")


@dataclass(frozen=True)
class Target:
    path: Path
    shown: str
    config: Config


def discover(
    paths: Iterable[str], config_for: Callable[[Path], Config]
) -> tuple[list[Target], list[LintError]]:
    targets: list[Target] = []
    errors: list[LintError] = []
    walked: list[Target] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            walked.extend(_walk(path, config_for))
        elif path.exists() or path.is_symlink():
            if path.suffix.lower() not in LINTABLE_SUFFIXES:
                errors.append(LintError(name, "not a notebook (.ipynb) or Python script (.py)"))
            else:
                targets.append(Target(path, name, config_for(path)))
        else:
            errors.append(LintError(name, "no such file or directory"))
    ignored = _git_ignored([t.path for t in walked])
    targets.extend(t for t in walked if t.path.resolve() not in ignored)
    seen: set[Path] = set()
    unique: list[Target] = []
    for target in targets:
        key = target.path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(target)
    return unique, errors


def _walk(root: Path, config_for: Callable[[Path], Config]) -> Iterable[Target]:
    for directory, subdirectories, files in os.walk(root):
        here = Path(directory)
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if d not in SKIPPED_DIRECTORIES and not (here / d / "pyvenv.cfg").exists()
        )
        for file_name in sorted(files):
            path = here / file_name
            config = config_for(path)
            if config.includes(file_name) and not config.excludes(str(path)):
                yield Target(path, str(path), config)


def _git_ignored(paths: list[Path]) -> set[Path]:
    """Paths git ignores, asked of git once per repository; empty when git is unavailable."""
    if not paths:
        return set()
    by_repo: dict[Path, list[Path]] = {}
    roots: dict[Path, Path | None] = {}
    for path in paths:
        parent = path.resolve().parent
        if parent not in roots:
            roots[parent] = _git_root(parent)
        root = roots[parent]
        if root is not None:
            by_repo.setdefault(root, []).append(path.resolve())
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
        ignored.update(Path(p).resolve() for p in completed.stdout.split("\0") if p)
    return ignored


def _git_root(directory: Path) -> Path | None:
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return None
