"""`remote-code-on-load`: loading a model or data set runs code fetched from elsewhere.

`trust_remote_code=True` (Hugging Face `from_pretrained`, `pipeline`, `load_dataset`,
sentence-transformers, vLLM) imports the Python files of a Hub repository and runs them with
the notebook's rights; without a pinned `revision=` that is whatever the repository's main
branch holds at load time, which its owner (or whoever takes over the account) can change. A
shell pipe from a download into an interpreter (`!curl ... | bash`, `wget -qO- ... | python`)
and `exec` of a fetched text do the same with no loader at all.

Reported: a call passing `trust_remote_code=True` (the literal, or a name bound to it) that
loads a Hub id (`owner/name` or a canonical `name`, also through a name set in another cell)
with no `revision=` pinned to a full 40-hex commit; `curl`/`wget` piped into `sh`, `bash`, `zsh`,
`python`; `exec(...)`/`eval(...)` of `requests.get(...).text`/`urlopen(...).read()`. Not
reported: `trust_remote_code=False`, a revision pinned to a commit (the code was read at
that commit), loads of a local folder or of a path the notebook does not show (a model it
saved itself, whose code is on disk), installers that run a downloaded script through their
own checks (`pip`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.cell import CallSite
from ..analysis.context import Point
from ..analysis.qualified import QualifiedName
from .base import Checker, Violation

_COMMIT = re.compile(r"^[0-9a-f]{40}$")
#: A Hub id (`owner/name`, or a canonical `name`), not a local folder (`./out`, `/opt/ml`).
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(?:/[A-Za-z0-9][\w.-]*)?$")
_PIPE_TO_SHELL = re.compile(
    r"\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:ba|z)?sh\b"
    r"|\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+)?python3?\b"
)
_FETCHES = ("requests.get", "urllib.request.urlopen", "httpx.get", "urllib.urlopen")


class RemoteCodeOnLoad(Checker):
    name = "remote-code-on-load"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for call in ctx.calls:
            site = call.site
            flag = site.kwargs.get("trust_remote_code")
            if flag is not None:
                if not _true(ctx, flag.value, call.point):
                    continue
                pinned = site.kwargs.get("revision")
                revision = ctx.string_of(pinned.value, call.point) if pinned else None
                if revision is not None and _COMMIT.match(revision):
                    continue
                loaded = ctx.string_of(_loaded(site), call.point)
                if loaded is None or not _HUB_ID.match(loaded):
                    continue  # a local folder (a saved model), or a path not known here
                what = f"the Hub repository '{loaded}'"
                callee = ".".join(site.func.names[-2:]) if site.func is not None else "load"
                yield Violation(
                    call.cell,
                    f"`{callee}(..., trust_remote_code=True)` runs the Python code "
                    f"of {what} with the notebook's rights, at whatever its main branch holds "
                    'when the cell runs: read the code and pin `revision="<commit sha>"`, or '
                    "use a model that needs no remote code",
                    node=flag,
                )
            elif (
                _is_builtin(site, "exec", "eval")
                and site.args
                and _fetched(ctx, site.args[0].value)
            ):
                yield Violation(
                    call.cell,
                    f"`{site.func}` runs code downloaded when the cell runs: whoever controls "
                    "that address runs code with the notebook's rights; vendor the code into "
                    "the repository, or install a pinned package",
                    node=site.node,
                )
        for analyzed in ctx.cells:
            for shell in analyzed.analysis.shell:
                for match in _PIPE_TO_SHELL.finditer(shell.text):
                    line, column = shell.position(match.start())
                    end_line, end_column = shell.position(match.end())
                    yield Violation(
                        analyzed,
                        f"`{match.group(0)}` pipes a download straight into an interpreter: "
                        "whatever the server sends runs with the notebook's rights, unread and "
                        "unchecked; download the script, check it against a known SHA-256, "
                        "then run it, or install a pinned package",
                        span=(line, column, end_line, end_column),
                    )


def _loaded(site: CallSite) -> cst.BaseExpression | None:
    """What the loader loads: its first argument, or `model=` (`pipeline`, vLLM's `LLM`)."""
    for keyword in ("pretrained_model_name_or_path", "model_name_or_path", "model", "path"):
        if keyword in site.kwargs:
            return site.kwargs[keyword].value
    positional = [arg for arg in site.args if arg.keyword is None and not arg.star]
    return positional[0].value if positional else None


def _true(ctx: NotebookContext, node: cst.BaseExpression, at: Point) -> bool:
    """`True`, or a name bound to `True` where the call is."""
    if isinstance(node, cst.Name):
        if node.value == "True":
            return True
        found = ctx.binding_at(node.value, at)
        return (
            found is not None
            and isinstance(found[1].value, cst.Name)
            and found[1].value.value == "True"
        )
    return False


def _fetched(ctx: NotebookContext, node: cst.BaseExpression) -> bool:
    """`requests.get(url).text`, `urlopen(url).read()`: text fetched from the network."""
    current: cst.BaseExpression = node
    while isinstance(current, (cst.Attribute, cst.Call)):
        if isinstance(current, cst.Call):
            qualified = ctx.resolve(QualifiedName.of(current.func))
            if qualified is not None and qualified.is_any(*_FETCHES):
                return True
            current = current.func
        else:
            current = current.value
    return False


def _is_builtin(site: CallSite, *names: str) -> bool:
    """A call of one of the bare names `names` (`exec(...)`), not of a method so named."""
    return site.func is not None and site.func.is_name and site.func.root in names
