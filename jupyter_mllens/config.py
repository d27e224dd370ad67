"""Configuration: `[tool.mllens]` in the nearest `pyproject.toml`, or a `mllens.toml`.

The CLI and the JupyterLab server extension resolve configuration the same way, from the
linted file upwards, so a notebook gets the same findings in CI and in the sidebar. The
server passes its root directory as the upper bound so discovery never leaves it.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .catalog import Catalog, Rule, load_catalog
from .findings import Severity
from .reader import DEFAULT_MAX_BYTES, InputError, read_regular_file

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
    "rules",
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
    #: `[tool.mllens.rules.<name>]`: per rule, option key -> entries that extend the rule's
    #: library knowledge (an in-house tracker, reader or credential parameter).
    rule_options: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
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

    def options_of(self, rule_name: str) -> dict[str, tuple[str, ...]]:
        """The options configured for one rule: key -> entries (empty when none)."""
        for name, options in self.rule_options:
            if name == rule_name:
                return dict(options)
        return {}

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
        self,
        select: list[str] | None = None,
        ignore: list[str] | None = None,
        extend_select: list[str] | None = None,
    ) -> Config:
        """Command-line flags win: `--select` replaces, `--extend-select` and `--ignore` add."""
        updated = self
        if select:
            updated = replace(updated, select=tuple(select))
        if extend_select:
            updated = replace(updated, select=(*updated.select, *extend_select))
        if ignore:
            updated = replace(updated, ignore=(*updated.ignore, *ignore))
        return updated

    def _relative(self, path: str) -> str:
        posix = (
            Path(os.path.realpath(path)).as_posix()
            if self.base is not None
            else path.replace("\\", "/")
        )
        if self.base is not None:
            # realpath, not resolve(): it never raises, even on a symbolic link loop
            base = Path(os.path.realpath(self.base)).as_posix().rstrip("/") + "/"
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
    """The nearest config file at or above `start` (never above `root`) with its settings.

    With a `root` (the server's), nothing outside it is ever opened. Discovery stops at the
    root, a folder whose real location is outside it gets no configuration, and a config
    file inside it that is a symbolic link leading out raises `ConfigError` naming only the
    link's path below the root, without opening the target. An error rather than silence,
    because a user who linked a shared `mllens.toml` in expects it to apply and would
    otherwise see findings differ from the CLI's with no explanation; the message says
    why and reveals nothing of the outside file.

    File-system trouble (a name too long, a folder that cannot be searched, a loop)
    never escapes as `OSError`: a name that cannot exist is skipped, anything else is a
    `ConfigError` naming the path.
    """
    directory = Path(os.path.realpath(start if _is_directory(start) else start.parent))
    stop = Path(os.path.realpath(root)) if root is not None else None
    while True:
        if stop is not None and not _is_within(directory, stop):
            return None  # never read above (or beside) the root, even through a symlink
        for name in CONFIG_FILES:
            candidate = directory / name
            if not _is_file(candidate, stop):
                continue
            real = Path(os.path.realpath(candidate))
            if stop is not None and not _is_within(real, stop):
                raise ConfigError(
                    f"{_shown(candidate, stop)}: is a symbolic link that leads outside the"
                    " server root; it was not read"
                )
            settings = _read_settings(real, shown=_shown(candidate, stop), name=name)
            if settings is not None:
                return candidate, settings
        if directory == stop or directory.parent == directory:
            return None
        directory = directory.parent


#: Errors that mean "no such file here": the lookup moves on to the parent folder.
_ABSENT = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG})


def _is_directory(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def _is_file(candidate: Path, stop: Path | None) -> bool:
    try:
        return stat.S_ISREG(os.stat(candidate).st_mode)
    except OSError as exc:
        if exc.errno in _ABSENT:
            return False
        if exc.errno == errno.ELOOP:
            raise ConfigError(f"{_shown(candidate, stop)}: symbolic link loop") from None
        raise ConfigError(
            f"{_shown(candidate, stop)}: cannot read: {exc.strerror or exc}"
        ) from None


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _shown(path: Path, root: Path | None) -> str:
    """How an error names a config file: relative to the server root when there is one."""
    if root is not None and _is_within(path, root):
        return path.relative_to(root).as_posix()
    return str(path)


#: A configuration file is a few lines of TOML; anything this large is not one.
MAX_CONFIG_BYTES = 1024 * 1024


def _read_settings(
    path: Path, shown: str | None = None, name: str | None = None
) -> Mapping[str, Any] | None:
    """The `[tool.mllens]` settings of `path` (a `mllens.toml`: the whole file), or None.

    `name` is the file name the settings were found under (`path` may be the real path
    a link leads to). Read through `read_regular_file`, so a FIFO or device named like a
    config file is an error instead of a hang.
    """
    where = shown if shown is not None else str(path)
    try:
        data = tomllib.loads(_decode_utf8(read_regular_file(path, MAX_CONFIG_BYTES)))
    except InputError as exc:
        raise ConfigError(f"{where}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{where}: invalid TOML: nested too deeply") from None
    if (name or path.name) == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("mllens") if isinstance(tool, dict) else None
        return section if isinstance(section, dict) else None
    return dict(data)


def _decode_utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (invalid byte at offset {exc.start})") from None


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
    if "rules" in settings:
        config = replace(config, rule_options=_rule_options(settings["rules"], where, catalog))
    return config


def _rule_options(
    table: Any, where: str, catalog: Catalog
) -> tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...]:
    """`[tool.mllens.rules.<name>]` tables: known rules, and only the keys each one accepts.

    Checked here, with the file and key named, so a misspelt rule or option is an error
    when the configuration is loaded instead of an extension that silently does nothing.
    """
    from .checkers import CHECKERS  # the engine's modules, only when options are configured
    from .knowledge import KnowledgeError, validate

    if not isinstance(table, dict):
        raise ConfigError(f"{where}'rules' must be a table of [rules.<rule-name>] tables")
    accepted = {cls.name: cls.options for cls in CHECKERS}
    result: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = []
    for name, options in table.items():
        rule = catalog.get(name)
        if rule is None or rule.name != name:
            hint = f" (did you mean {rule.name!r}?)" if rule is not None else ""
            raise ConfigError(f"{where}'rules.{name}': unknown rule name{hint}")
        keys = accepted.get(name, {})
        if not isinstance(options, dict):
            raise ConfigError(f"{where}'rules.{name}' must be a table of option = [entries]")
        parsed: list[tuple[str, tuple[str, ...]]] = []
        for key, value in options.items():
            if key not in keys:
                known = ", ".join(sorted(keys)) or "none"
                raise ConfigError(
                    f"{where}'rules.{name}.{key}': unknown option (options of {name}: {known})"
                )
            try:
                parsed.append((key, validate(name, key, value)))
            except KnowledgeError as exc:
                raise ConfigError(f"{where}'rules.{name}.{key}': {exc}") from None
        result.append((name, tuple(parsed)))
    return tuple(result)
