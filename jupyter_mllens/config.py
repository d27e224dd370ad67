"""Configuration: `[tool.mllens]` in the nearest `pyproject.toml`, or a `mllens.toml`.

The CLI and the JupyterLab server extension resolve configuration the same way, from the
linted file upwards, so a notebook gets the same findings in CI and in the sidebar. The
server passes its root directory as the upper bound so discovery never leaves it.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .catalog import Catalog, Rule, load_catalog
from .findings import Severity
from .reader import DEFAULT_MAX_BYTES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILES = ("mllens.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.ipynb",)
_KNOWN_KEYS = {
    "select",
    "ignore",
    "per-file-ignores",
    "severity",
    "include",
    "exclude",
    "max-file-size",
}


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_BYTES
    base: Path | None = None
    source: Path | None = field(default=None, compare=False)

    def enabled_rules(self, path: str, catalog: Catalog) -> tuple[Rule, ...]:
        """The rules that apply to `path` after select, ignore and per-file ignores."""
        ignored = list(self.ignore)
        relative = self._relative(path)
        for pattern, rules in self.per_file_ignores:
            if _glob_match(relative, pattern):
                ignored.extend(rules)
        return tuple(
            rule
            for rule in catalog.rules
            if any(rule.matches(s) for s in self.select)
            and not any(rule.matches(s) for s in ignored)
        )

    def severity_of(self, rule: Rule) -> Severity:
        for key, level in self.severity:
            if rule.matches(key):
                return level
        return rule.severity

    def excludes(self, path: str) -> bool:
        relative = self._relative(path)
        return any(_glob_match(relative, pattern) for pattern in self.exclude)

    def includes(self, path: str) -> bool:
        name = PurePosixPath(path.replace("\\", "/")).name
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.include)

    def with_overrides(
        self, select: list[str] | None = None, ignore: list[str] | None = None
    ) -> Config:
        """Command-line flags win: `--select` replaces, `--ignore` adds."""
        updated = self
        if select:
            updated = replace(updated, select=tuple(select))
        if ignore:
            updated = replace(updated, ignore=(*updated.ignore, *ignore))
        return updated

    def _relative(self, path: str) -> str:
        posix = (
            Path(path).resolve().as_posix() if self.base is not None else path.replace("\\", "/")
        )
        if self.base is not None:
            base = self.base.resolve().as_posix().rstrip("/") + "/"
            if posix.startswith(base):
                return posix[len(base) :]
        return posix


def _glob_match(relative: str, pattern: str) -> bool:
    pattern = pattern.replace("\\", "/")
    pattern = pattern[2:] if pattern.startswith("./") else pattern
    if fnmatch.fnmatch(relative, pattern):
        return True
    if "/" not in pattern:
        return fnmatch.fnmatch(PurePosixPath(relative).name, pattern)
    return fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")


def find_config_file(
    start: Path, root: Path | None = None
) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest config file at or above `start` (never above `root`) with its settings."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    stop = root.resolve() if root is not None else None
    while True:
        if stop is not None and directory != stop and stop not in directory.parents:
            return None  # never read above (or beside) the root, even through a symlink
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                settings = _read_settings(candidate)
                if settings is not None:
                    return candidate, settings
        if directory == stop or directory.parent == directory:
            return None
        directory = directory.parent


def _read_settings(path: Path) -> Mapping[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("mllens") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    return dict(data)


def load_config(start: Path, root: Path | None = None, catalog: Catalog | None = None) -> Config:
    found = find_config_file(start, root)
    if found is None:
        return Config()
    return config_from_settings(found[1], found[0], catalog)


def config_from_file(path: Path, catalog: Catalog | None = None) -> Config:
    settings = _read_settings(path)
    if settings is None:
        raise ConfigError(f"{path}: no [tool.mllens] section")
    return config_from_settings(settings, path, catalog)


def config_from_settings(
    settings: Mapping[str, Any], source: Path | None = None, catalog: Catalog | None = None
) -> Config:
    catalog = catalog or load_catalog()
    where = f"{source}: " if source is not None else ""
    unknown = sorted(set(settings) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}unknown setting(s) {', '.join(unknown)}")

    def rule_list(key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}'{key}' must be a list of rule names or codes")
        bad = [v for v in value if not catalog.is_selector(v)]
        if bad:
            raise ConfigError(f"{where}'{key}': unknown rule(s) {', '.join(map(repr, bad))}")
        return tuple(value)

    config = Config(base=source.parent if source is not None else None, source=source)
    if "select" in settings:
        config = replace(config, select=rule_list("select", settings["select"]))
    if "ignore" in settings:
        config = replace(config, ignore=rule_list("ignore", settings["ignore"]))
    if "per-file-ignores" in settings:
        table = settings["per-file-ignores"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}'per-file-ignores' must be a table of glob = [rules]")
        config = replace(
            config,
            per_file_ignores=tuple(
                (pattern, rule_list(f"per-file-ignores.{pattern}", rules))
                for pattern, rules in table.items()
            ),
        )
    if "severity" in settings:
        table = settings["severity"]
        if not isinstance(table, dict):
            raise ConfigError(f"{where}'severity' must be a table of rule = level")
        levels: list[tuple[str, Severity]] = []
        for key, level in table.items():
            rule_list(f"severity.{key}", key)
            try:
                levels.append((key, Severity.parse(str(level))))
            except ValueError as exc:
                raise ConfigError(f"{where}severity.{key}: {exc}") from None
        config = replace(config, severity=tuple(levels))
    for key in ("include", "exclude"):
        if key in settings:
            value = settings[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where}'{key}' must be a list of glob patterns")
            if key == "include":
                config = replace(config, include=tuple(value))
            else:
                config = replace(config, exclude=tuple(value))
    if "max-file-size" in settings:
        size = settings["max-file-size"]
        if not isinstance(size, int) or size <= 0:
            raise ConfigError(f"{where}'max-file-size' must be a positive number of bytes")
        config = replace(config, max_file_size=size)
    return config
