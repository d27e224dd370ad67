"""`unpinned-install`: packages installed from the notebook without an exact version.

`!pip install pandas` installs whatever pandas is newest on the day the notebook runs: a rerun
months later trains with other code and can give other results, or fail. A requirement is
pinned by an exact version (`==`/`===` for pip, `=`/`==` for conda), by a constraints file
(`-c`), by a local path or wheel, or by a VCS URL at a commit. Ranges (`>=1.2`, `~=1.2`,
`==1.*`) are not pins: they still move. A requirements file (`-r`) is trusted, as its content
is not in the notebook. The installers themselves (`pip`, `setuptools`, `wheel`, `uv`) are left
alone: upgrading pip is routine and does not change what the notebook computes. Arguments
built from variables (`$PKG`, `{pkg}`) are unknown and left alone: precision first.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

from ..analysis import NotebookContext
from ..analysis.shell import shell_commands
from .base import Checker, Violation

_PIP = re.compile(r"^pip(?:3(?:\.\d+)?)?$")
_PYTHON = re.compile(r"(?:^|/)python(?:3(?:\.\d+)?)?$|^\{sys\.executable\}$|^\$\{?PYTHON\}?$")
_CONDA = frozenset({"conda", "mamba", "micromamba"})
_TOOLING = frozenset({"pip", "setuptools", "wheel", "uv"})
#: pip options that take a value (the value is not a requirement).
_PIP_VALUED = frozenset(
    {
        "-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
        "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host",
        "--cache-dir", "--src", "--platform", "--python-version", "--implementation", "--abi",
        "--upgrade-strategy", "--progress-bar", "--log", "--timeout", "--retries", "--proxy",
        "--cert", "--client-cert", "--global-option", "--install-option", "--config-settings",
        "-C", "--only-binary", "--no-binary", "--exists-action", "--report", "--python",
        "--index", "--default-index", "--extra-index", "--group",
        # uv pip
        "--index-strategy", "--resolution", "--prerelease", "--link-mode", "--python-platform",
        "--exclude-newer", "--keyring-provider", "--config-setting", "--reinstall-package",
        "--upgrade-package", "-P", "--no-binary-package", "--no-build-package",
        "--refresh-package", "--overrides", "--build-constraints", "-b", "--torch-backend",
        "--directory", "--project", "-p",
    }
)  # fmt: skip
_CONDA_VALUED = frozenset(
    {"-c", "--channel", "-n", "--name", "-p", "--prefix", "--file", "--solver", "--repodata-fn"}
)
#: Options whose presence pins everything the command installs.
_PINNING_OPTIONS = frozenset({"-c", "--constraint", "--require-hashes"})
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?")
_COMMIT = re.compile(r"@(?:[0-9a-f]{7,40}|v?\d+(?:\.\d+)+[\w.-]*)(?:#.*)?$")
_ARCHIVE = re.compile(r"\.(?:whl|tar\.gz|tgz|zip|tar\.bz2|egg)(?:#.*)?$", re.IGNORECASE)
_MAX_NAMED = 3
_REDIRECT = re.compile(r"^(?:\d*|&)(?:>>?|<)")
_SHORT_CLUSTER = re.compile(r"^-[A-Za-z]{2,}$")
#: Files named as requirements (`%pip install deps.txt`, a missing `-r`): local, not a package.
_REQUIREMENTS_FILE = re.compile(r"\.(?:txt|in|cfg|toml)$")


class UnpinnedInstall(Checker):
    name = "unpinned-install"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for analyzed in ctx.cells:
            for shell in analyzed.analysis.shell:
                for offset, command in shell_commands(shell):
                    magic = shell.magic if shell.kind == "line-magic" else None
                    found = _unpinned(command, magic)
                    if found is None:
                        continue
                    installer, packages = found
                    start = max(shell.text.find(command, offset), 0)
                    line, column = shell.position(start)
                    end_line, end_column = shell.position(start + len(command))
                    yield Violation(
                        analyzed,
                        _message(installer, packages),
                        span=(line, column, end_line, end_column),
                    )


def _message(installer: str, packages: list[str]) -> str:
    named = ", ".join(f"`{p}`" for p in packages[:_MAX_NAMED])
    if len(packages) > _MAX_NAMED:
        named += f" and {len(packages) - _MAX_NAMED} more"
    what, them = ("exact versions", "them") if len(packages) > 1 else ("an exact version", "it")
    pin = "`name=X.Y.Z`" if installer.lstrip("%") in _CONDA else "`name==X.Y.Z`"
    return (
        f"`{installer} install` installs {named} without {what}: a rerun can get other "
        f"releases and other results; pin {them} ({pin}) or install from a pinned "
        "requirements or constraints file"
    )


def _words(command: str) -> list[str] | None:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return None  # unbalanced quotes: not a command we can read


def _unpinned(command: str, magic: str | None) -> tuple[str, list[str]] | None:
    """The installer and the unpinned packages of an install command, or None."""
    words = _words(command)
    if not words:
        return None
    while words and (words[0] in ("sudo", "env") or re.match(r"^\w+=", words[0])):
        words = words[1:]
    if len(words) < 2:
        return None
    head = words[0]
    if _PYTHON.search(head) and words[1:3] == ["-m", "pip"]:
        words, head = words[2:], "pip"
    elif head == "uv" and words[1] == "pip":
        words, head = words[1:], "pip"
    if _PIP.match(head):
        kind, installer = "pip", "pip"
    elif head in _CONDA:
        kind, installer = "conda", head
    else:
        return None
    if magic is not None:
        installer = f"%{magic}" if magic != "uv" else "%uv pip"
    if len(words) < 2 or words[1] != "install":
        return None
    return _check_arguments(words[2:], kind, installer)


def _check_arguments(
    arguments: list[str], kind: str, installer: str
) -> tuple[str, list[str]] | None:
    valued = _PIP_VALUED if kind == "pip" else _CONDA_VALUED
    requirements: list[str] = []
    skip = False
    for index, word in enumerate(arguments):
        if skip:
            skip = False
            continue
        if _REDIRECT.match(word):
            skip = word in (">", ">>", "<", "2>", "&>")  # the file is the next word
            continue
        cluster = _SHORT_CLUSTER.match(word)
        if cluster is not None:
            # `-qr requirements.txt`, `-Uc constraints.txt`: the last letter takes the value.
            letter = "-" + word[-1]
            if kind == "pip" and letter in _PINNING_OPTIONS:
                return None
            skip = letter in valued
            continue
        if word.startswith("-"):
            option = word.split("=", 1)[0]
            if kind == "pip" and option in _PINNING_OPTIONS:
                return None
            if option in ("-e", "--editable"):
                skip = "=" not in word
                target = word.split("=", 1)[1] if "=" in word else _at(arguments, index + 1)
                if target is not None and not _pinned_location(target):
                    requirements.append(target)
                continue
            # `-r file` takes the next word; `-rfile` and `--requirement=file` do not.
            skip = option in valued and (option == word and (len(word) == 2 or word[1] == "-"))
            continue
        requirements.append(word)
    unpinned = [
        _display(r) for r in requirements if not _pinned(r, kind) and _name(r) not in _TOOLING
    ]
    if not unpinned:
        return None
    return installer, unpinned


def _at(words: list[str], index: int) -> str | None:
    return words[index] if index < len(words) else None


def _name(requirement: str) -> str:
    match = _NAME.match(requirement.split("::", 1)[-1])
    return match.group(0).split("[", 1)[0].lower() if match else requirement


def _display(requirement: str) -> str:
    return requirement if len(requirement) <= 60 else requirement[:57] + "..."


def _pinned(requirement: str, kind: str) -> bool:
    """Whether one requirement names one fixed release (or is unknown, which counts as pinned)."""
    text = requirement.strip()
    if not text or "$" in text or "{" in text or "%" in text:
        return True  # built from variables: unknown
    if _pinned_location(text):
        return True
    spec = text.split(";", 1)[0].strip()
    if kind == "conda":
        spec = spec.split("::", 1)[-1]
        match = re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*==?\s*([^=<>!~*,|\s]+)", spec)
        return match is not None
    if " @ " in spec or spec.startswith("@"):
        return _pinned_location(spec.split("@", 1)[1].strip())
    match = _NAME.match(spec)
    if match is None:
        return True  # not a requirement we can read
    rest = spec[match.end() :].strip()
    if not rest:
        return False
    if rest.startswith("==="):
        return True
    if rest.startswith("==") and "," not in rest:
        return "*" not in rest
    return False


def _pinned_location(text: str) -> bool:
    """A local path, a wheel or archive file, or a VCS URL at a commit or tag."""
    if text.startswith(("git+", "hg+", "svn+", "bzr+")) or (
        "://" in text and not _ARCHIVE.search(text)
    ):
        return _COMMIT.search(text) is not None
    if "://" in text:
        return True  # a release archive: its file name carries the version
    return (
        text.startswith((".", "/", "~"))
        or "/" in text
        or _ARCHIVE.search(text) is not None
        or _REQUIREMENTS_FILE.search(text) is not None
    )
