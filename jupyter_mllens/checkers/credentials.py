"""`hardcoded-credentials`: secrets written into cells, shell escapes and magics.

Two detectors share one policy. Pattern detection (`secrets.scan_text`) finds secrets that
announce themselves (AWS key IDs, provider tokens, private keys, passwords in URLs) in any
literal or raw IPython text. Context detection finds an ordinary-looking literal bound to
a name that says it is a secret (`password = "..."`, `token="..."`,
`os.environ["API_KEY"] = "..."`). Every message masks the value: it shows at most the
first four characters.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..analysis import AnalyzedCell, NotebookContext, Point, StringContext, StringSite
from ..secrets import is_credential_name, looks_like_secret_value, mask, scan_text
from .base import Checker, Violation

_BOUND_CONTEXTS = frozenset(
    {
        StringContext.ASSIGN,
        StringContext.KEYWORD,
        StringContext.DICT_VALUE,
        StringContext.SUBSCRIPT_ASSIGN,
        StringContext.DEFAULT,
        StringContext.COMPARE,
    }
)
_ENV_SETTERS = ("os.environ.setdefault", "os.putenv", "os.environ.__setitem__")
_ADVICE = "read it from the environment (os.environ), getpass, or a secret manager instead"


class HardcodedCredentials(Checker):
    name = "hardcoded-credentials"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for analyzed, site in ctx.strings():
            violation = _check_literal(ctx, analyzed, site)
            if violation is not None:
                yield violation
        for analyzed in ctx.cells:
            if analyzed.analysis.unparsed:
                yield from _scan_unparsed(analyzed)
            for shell in analyzed.analysis.shell:
                for match in scan_text(shell.text):
                    line, column = shell.position(match.start)
                    end_line, end_column = shell.position(match.end)
                    yield Violation(
                        analyzed,
                        f"hard-coded {match.description} {mask(match.value)!r} in a "
                        f"{_where(shell.kind)}; {_ADVICE}",
                        span=(line, column, end_line, end_column),
                    )


def _check_literal(
    ctx: NotebookContext, analyzed: AnalyzedCell, site: StringSite
) -> Violation | None:
    matches = scan_text(site.value)
    if matches:
        match = matches[0]
        return Violation(
            analyzed,
            f"hard-coded {match.description} {mask(match.value)!r}; {_ADVICE}",
            node=site.node,
        )
    name = _bound_name(ctx, analyzed, site)
    if name is None or not is_credential_name(name):
        return None
    if not looks_like_secret_value(site.value, name):
        return None
    return Violation(
        analyzed,
        f"hard-coded secret {mask(site.value)!r} for `{name}`; {_ADVICE}",
        node=site.node,
    )


def _bound_name(ctx: NotebookContext, analyzed: AnalyzedCell, site: StringSite) -> str | None:
    """The name a literal is bound to, if its context binds it to one."""
    if site.context in _BOUND_CONTEXTS:
        return site.key
    if site.context == StringContext.ARGUMENT and site.call is not None:
        # os.environ.setdefault("API_KEY", "literal") / os.putenv("API_KEY", "literal")
        at = Point.of(analyzed, site)
        qualified = ctx.resolve(site.call.func, at) or ""
        if (
            qualified in _ENV_SETTERS
            and len(site.call.args) >= 2
            and site.call.args[1].value is site.node
        ):
            return ctx.string_of(site.call.args[0].value, at)
    return None


def _where(kind: str) -> str:
    return {"shell": "shell command", "line-magic": "magic", "cell-magic": "cell magic"}.get(
        kind, "cell"
    )


def _scan_unparsed(analyzed: AnalyzedCell) -> Iterable[Violation]:
    """A cell libcst cannot parse has no literals to read; scan its text for secrets instead."""
    text = analyzed.analysis.python or ""
    for match in scan_text(text):
        line = text.count("\n", 0, match.start) + 1
        column = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
        end_line = text.count("\n", 0, match.end) + 1
        end_column = match.end - (text.rfind("\n", 0, match.end) + 1) + 1
        yield Violation(
            analyzed,
            f"hard-coded {match.description} {mask(match.value)!r}; {_ADVICE}",
            span=(line, column, end_line, end_column),
        )
