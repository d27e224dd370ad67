"""`hardcoded-local-path`: paths that exist on one person's machine only.

A literal path under a user's home (`/Users/<name>/...`, `/home/<name>/...`,
`C:\\Users\\...`), a Windows drive, a personal folder (`~/Downloads`, `~/Desktop`) or a Colab
Google Drive mount (`/content/drive/...`) makes the notebook fail everywhere else. Literals in
code and paths in `!` escapes and magics (`%cd`) are read. Not reported: the shared homes of
hosted platforms (`/home/jovyan`, `/home/ec2-user`, `/home/sagemaker-user`, Vertex AI's
`/home/jupyter`, Azure ML's `/home/azureuser`), Databricks workspace paths (`/Users/<email>/`),
SageMaker's `/opt/ml`, `/tmp`, relative paths, `%%writefile` bodies (a Dockerfile's paths are
the image's), text only printed or logged, the mount call itself
(`drive.mount("/content/drive")`), and the default of an environment lookup
(`os.getenv("DATA_DIR", "/Users/ana/data")`, which configuration overrides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..analysis import AnalyzedCell, NotebookContext, Point, StringContext, StringSite
from ..analysis.qualified import QualifiedName
from .base import Checker, Violation

_USER = r"[^/\\\s'\"]+"
_LOCAL = re.compile(
    rf"(?:/Users/(?P<mac>{_USER})/"
    rf"|/home/(?P<home>{_USER})/"
    rf"|/mnt/[a-z]/Users/{_USER}/"
    r"|(?<![A-Za-z0-9])[A-Za-z]:[\\/](?=[^\s'\"\\/])"
    r"|~/(?:Downloads|Desktop|Documents)/"
    r"|/content/drive/(?=[^\s'\"/]))"
)

#: Homes that are the same on every machine of a hosted platform.
_PLATFORM_HOMES = frozenset(
    {
        "jovyan",  # Jupyter Docker Stacks, Binder
        "ec2-user",  # SageMaker notebook instances
        "sagemaker-user",  # SageMaker Studio
        "studio-lab-user",  # SageMaker Studio Lab
        "jupyter",  # Vertex AI Workbench, AI Platform Notebooks
        "airflow",  # Cloud Composer (`/home/airflow/gcs/...`)
        "azureuser",  # Azure ML compute instances
        "runner",  # GitHub Actions
        "vscode",
        "codespace",
    }
)
#: Cell magics whose body runs on this machine (a `%%writefile` body is a file for elsewhere:
#: a Dockerfile's or a training script's paths belong to the image or job that runs it).
_RUN_HERE = frozenset({"bash", "sh", "script", "system"})
_SHOWN = frozenset({"print", "info", "debug", "warning", "warn", "error", "markdown", "Markdown"})
_ENV_LOOKUPS = frozenset(
    map(QualifiedName.parse, ("os.getenv", "os.environ.get", "os.environ.setdefault"))
)
#: Colab's `drive.mount(...)` (`google.colab.drive.mount`), however it was imported.
_MOUNT = ("drive", "mount")
_ADVICE = "take it from configuration or the environment, or use a path relative to the project"


class HardcodedLocalPath(Checker):
    name = "hardcoded-local-path"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for analyzed, site in ctx.strings():
            found = _local(site.value, anchored=True)
            if found is None or _ignored(ctx, analyzed, site):
                continue
            yield Violation(analyzed, _message(found), node=site.node)
        for analyzed in ctx.cells:
            for shell in analyzed.analysis.shell:
                if shell.kind == "cell-magic" and shell.magic not in _RUN_HERE:
                    continue
                for start, found in _in_text(shell.text):
                    line, column = shell.position(start)
                    end_line, end_column = shell.position(start + len(found))
                    yield Violation(
                        analyzed, _message(found), span=(line, column, end_line, end_column)
                    )


def _local(value: str, anchored: bool) -> str | None:
    match = _LOCAL.match(value) if anchored else _LOCAL.search(value)
    if match is None:
        return None
    if _shared(match):
        return None
    end = len(value) if anchored else match.end()
    return value[match.start() : end]


def _in_text(text: str) -> Iterator[tuple[int, str]]:
    for match in _LOCAL.finditer(text):
        start = match.start()
        if start > 0 and text[start - 1] not in " \t'\"=(":
            continue
        if _shared(match):
            continue
        end = start
        while end < len(text) and text[end] not in " \t\n'\";|&)":
            end += 1
        yield start, text[start:end]


def _shared(match: re.Match[str]) -> bool:
    """A platform's shared home, or not a user's folder at all: `/Users/<email>/...` and
    `/Users/{user}/...` are Databricks workspace paths (experiments, notebooks)."""
    user = match.group("mac") or match.group("home")
    if user is None:
        return False
    if match.group("home") and user in _PLATFORM_HOMES:
        return True
    return "@" in user or "{" in user


def _ignored(ctx: NotebookContext, analyzed: AnalyzedCell, site: StringSite) -> bool:
    if site.context == StringContext.OTHER and site.call is None:
        return True  # a docstring or a bare expression: nothing reads it
    call = site.call
    if call is None:
        return False
    if call.method in _SHOWN:
        return True
    qualified = ctx.resolve(call.func, Point.of(analyzed, site))
    if qualified is None:
        return False
    return qualified in _ENV_LOOKUPS or qualified.parts[-len(_MOUNT) :] == _MOUNT


def _message(path: str) -> str:
    shown = path if len(path) <= 60 else path[:57] + "..."
    return f"machine-specific path {shown!r} will not exist on another machine; {_ADVICE}"
