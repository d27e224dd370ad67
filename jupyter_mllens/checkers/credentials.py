"""`hardcoded-credentials`: secrets written into cells, shell escapes and magics.

Two detectors share one policy. Pattern detection (`secrets.scan_text`) finds secrets that
announce themselves (AWS key IDs, provider tokens, private keys, passwords in URLs) in any
literal or raw IPython text. Context detection finds an ordinary-looking literal bound to
a name that says it is a secret (`password = "..."`, `token="..."`,
`os.environ["API_KEY"] = "..."`). Comments and raw cells are scanned by pattern (`# key:
sk-...` pasted for later); markdown only for secrets that announce themselves (a provider
prefix, a key's structure, a password in a URL), because prose says `token=` and `Token:` of
LLM tokens, image share links and Jupyter server URLs. Parameter detection reports any literal that is not a
placeholder given to a known API's credential parameter (the rule's `[knowledge]`, extended
in `[tool.mllens.rules.hardcoded-credentials]`), directly or through the name it is bound to.
Every message masks the value.
"""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext, Point, StringContext, StringSite
from ..analysis.qualified import QualifiedName
from ..secrets import (
    is_credential_name,
    looks_like_parameter_secret,
    looks_like_secret_value,
    mask,
    providers_markdown,
    scan_text,
)
from .base import Checker, ContentViolation, Violation
from .content_secrets import scan_long_text
from .credential_parameters import not_credential_parameters, parameters_by_package

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
_ENV_SETTER_NAMES = frozenset(map(QualifiedName.parse, _ENV_SETTERS))
_ADVICE = "read it from the environment (os.environ), getpass, or a secret manager instead"
#: The kind of `scan_text` match found only by a credential name next to a value.
_ASSIGNMENT = "credential-assignment"
_STRING_NODES = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)


class HardcodedCredentials(Checker):
    name = "hardcoded-credentials"
    options: ClassVar[Mapping[str, str]] = {
        "credential-parameters": "parameters of in-house APIs that take a credential, as "
        '`callable:keyword` (`"acme_db.connect:password"`; `@n` adds the position of an '
        "unnamed value); any literal given there that is not a placeholder is reported, masked",
    }
    reference = (
        "## Provider tokens",
        "",
        "Tokens with a provider's format are reported wherever they appear, whatever name "
        "they are bound to:",
        "",
        *providers_markdown(),
    )

    def check(self, ctx: NotebookContext) -> Iterable[Violation | ContentViolation]:
        knowledge = ctx.knowledge(self.name)
        parameters = _parameter_literals(ctx, knowledge.get("credential-parameters", ()))
        look_alikes = not_credential_parameters(knowledge.get("not-credential-parameters", ()))
        for analyzed, site in ctx.strings():
            violation = _check_literal(ctx, analyzed, site, parameters, look_alikes)
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
            if not analyzed.analysis.unparsed:
                yield from _scan_comments(analyzed)
        for prose in ctx.document.content.text_cells:
            for match in scan_long_text(prose.source):
                if prose.kind == "markdown" and match.kind == _ASSIGNMENT:
                    continue  # prose says `token=...` of LLM tokens, share links, server URLs
                yield ContentViolation(
                    prose.index,
                    prose.cell_id,
                    f"hard-coded {match.description} {mask(match.value)!r} in a "
                    f"{prose.kind} cell; {_ADVICE}",
                    span=(
                        *_position(prose.source, match.start),
                        *_position(prose.source, match.end),
                    ),
                )


def _scan_comments(analyzed: AnalyzedCell) -> Iterator[Violation]:
    """Secrets pasted into comments; the whole cell is scanned first, so the tokenizer only
    runs on the rare cell holding something secret-shaped."""
    python = analyzed.analysis.python
    if not python or not _comment_may_hold_secret(python) or not scan_text(python):
        return
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(python).readline))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        line, start = token.start
        for match in scan_text(token.string):
            yield Violation(
                analyzed,
                f"hard-coded {match.description} {mask(match.value)!r} in a comment; {_ADVICE}",
                span=(line, start + match.start + 1, line, start + match.end + 1),
            )


#: A cell with more `#` than this is scanned whole rather than from each `#`.
_MAX_HASHES = 200


def _comment_may_hold_secret(python: str) -> bool:
    """Whether any text from a `#` to the end of its line holds a secret.

    A comment token is such a text, so when none does, no comment does, and neither the whole
    cell nor the tokenizer need to run: the texts are short, and most cells' comments are
    prose the scan rejects at once.
    """
    at = python.find("#")
    hashes = 0
    while at != -1:
        hashes += 1
        if hashes > _MAX_HASHES:
            return True
        end = _line_end(python, at)
        if scan_text(python[at:end]):
            return True
        at = python.find("#", at + 1)
    return False


def _line_end(text: str, start: int) -> int:
    """Where the line holding `start` ends: at its `\r` or `\n`, as a comment token does."""
    newline = text.find("\n", start)
    end = len(text) if newline == -1 else newline
    carriage = text.find("\r", start, end)
    return end if carriage == -1 else carriage


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_literal(
    ctx: NotebookContext,
    analyzed: AnalyzedCell,
    site: StringSite,
    parameters: Mapping[int, str],
    look_alikes: frozenset[tuple[str, str]],
) -> Violation | None:
    matches = scan_text(site.value)
    if matches:
        match = matches[0]
        return Violation(
            analyzed,
            f"hard-coded {match.description} {mask(match.value)!r}; {_ADVICE}",
            node=site.node,
        )
    parameter = parameters.get(id(site.node))
    if parameter is not None:
        if not looks_like_parameter_secret(site.value):
            return None
        return Violation(
            analyzed,
            f"hard-coded secret {mask(site.value)!r} for {parameter}; {_ADVICE}",
            node=site.node,
        )
    if (
        site.context == StringContext.KEYWORD
        and site.call is not None
        and (site.call.method, site.key) in look_alikes
    ):
        return None
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


def _parameter_literals(ctx: NotebookContext, entries: tuple[str, ...]) -> dict[int, str]:
    """Literals given to a known credential parameter, by node id, with how to name it.

    A literal bound to a name and passed on (`key = "..."; wandb.login(key=key)`) is found
    at its binding, where the finding then points.
    """
    by_package = parameters_by_package(entries)
    found: dict[int, str] = {}
    for call in ctx.calls:
        qualified = call.qualified
        if qualified is None:
            continue
        candidates = by_package.get(qualified.root)
        if candidates is None:
            continue
        for parameter in candidates:
            if parameter.callable is None or not call.is_any(parameter.callable):
                continue
            if parameter.position is None:
                given = call.site.kwargs.get(parameter.keyword)
                value = given.value if given is not None else None
            else:
                value = call.site.arg(parameter.position, parameter.keyword)
            if value is not None and parameter.element is not None:
                value = _element(value, parameter.element)
            literal = _literal_behind(ctx, value, call.point)
            if literal is not None:
                callee = ".".join(qualified.names)
                found.setdefault(id(literal), f"`{parameter.keyword}` of `{callee}`")
    return found


def _element(value: cst.BaseExpression, index: int) -> cst.BaseExpression | None:
    if isinstance(value, (cst.Tuple, cst.List)) and index < len(value.elements):
        return value.elements[index].value
    return None


def _literal_behind(
    ctx: NotebookContext, value: cst.BaseExpression | None, at: Point
) -> cst.BaseExpression | None:
    """The string literal an argument is, or the one its plain name is bound to at `at`."""
    if isinstance(value, _STRING_NODES):
        return value
    if isinstance(value, cst.Name):
        bound = ctx.binding_at(value.value, at)
        if bound is not None and isinstance(bound[1].value, _STRING_NODES):
            return bound[1].value
    return None


def _bound_name(ctx: NotebookContext, analyzed: AnalyzedCell, site: StringSite) -> str | None:
    """The name a literal is bound to, if its context binds it to one."""
    if site.context in _BOUND_CONTEXTS:
        return site.key
    if site.context == StringContext.ARGUMENT and site.call is not None:
        # os.environ.setdefault("API_KEY", "literal") / os.putenv("API_KEY", "literal")
        at = Point.of(analyzed, site)
        qualified = ctx.resolve(site.call.func, at)
        if (
            qualified in _ENV_SETTER_NAMES
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
