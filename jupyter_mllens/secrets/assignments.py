"""Credential assignments in shell lines, magics, config files and code written by %%writefile."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .match import SecretMatch
from .names import CREDENTIAL_NAME_WORDS, holds_credential_word, is_credential_name
from .placeholders import is_placeholder
from .shapes import IDENTIFIER
from .values import looks_like_secret_value

_NAME = r"[A-Za-z_][A-Za-z0-9_.\-]{0,63}"
_BARE = r"[^\s'\"`;&|<>(),\[\]]+"
# `export API_KEY=x`, `HF_TOKEN=x python train.py`, `%env KEY=x`, `?api_key=x` in a URL,
# `AccountKey=x;` in a connection string, `echo "KEY=x" >> .env`. No spaces around `=`:
# with spaces it is code. `==` is a version pin (`pip install tiktoken==0.9.0`), not a value.
_ASSIGN_BARE = re.compile(
    r"(?:(?<=[\s;&|?\"'])|^)(?:export[ \t]+|-D)?(?P<name>"
    + _NAME
    + r")=(?!=)(?P<value>"
    + _BARE
    + r")"
    r"(?P<after>[(\[]?)",
    re.MULTILINE,
)
# `password = "x"`, `"token": "x"`, `os.environ["KEY"] = "x"`, `api_key: str = "x"`,
# `password: 'x'` (YAML): code and config files, where values are quoted.
_ASSIGN_QUOTED = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?P<q>[\"']?)(?P<name>" + _NAME + r")(?P=q)\]?"
    r"(?:[ \t]*:[ \t]*[A-Za-z_][\w.]*(?=[ \t]*=))?"
    r"[ \t]*(?<![=!<>])[=:](?!=)[ \t]*"
    r"(?P<vq>[\"'])(?P<value>[^\"'\n]*)(?P=vq)"
)
# `password: s3cr3t` as a whole YAML or header line.
_ASSIGN_YAML = re.compile(
    r"^[ \t]*(?:-[ \t]+)?[\"']?(?P<name>" + _NAME + r")[\"']?[ \t]*:[ \t]+"
    r"(?P<value>[^\s'\"#(),\[\]{}]+)(?:[ \t]+#.*)?[ \t]*$",
    re.MULTILINE,
)
# `-H "X-API-Key: abc123..."`
_ASSIGN_HEADER = re.compile(
    r"(?<=[\"'])(?P<name>[A-Za-z][A-Za-z0-9\-]{1,63}):[ \t]*(?P<value>[^\s'\"]+)(?=[\"'])"
)
# `--password s3cr3t`, `--token=abc`: long options only; `-p` says nothing.
_ASSIGN_FLAG = re.compile(
    r"(?<![\w\-])--(?P<name>[A-Za-z][A-Za-z0-9_\-]{1,63})(?:=|[ \t]+)"
    r"(?:\"(?P<dq>[^\"\n]*)\"|'(?P<sq>[^'\n]*)'|(?P<value>(?!-)" + _BARE + r"))"
)
# `%env KEY value`, `%set_env KEY value`, `aws configure set KEY value`.
_ASSIGN_SPACED = re.compile(
    r"(?:%(?:set_)?env|\bconfigure[ \t]+set)[ \t]+(?P<name>" + _NAME + r")[ \t]+"
    r"(?P<value>[^\s'\"]+)"
)
# `curl -u user:password`
_CURL_USER = re.compile(
    r"(?<![\w\-])(?:-u|--user)[ \t]+[\"']?(?P<user>[^\s:'\"]+):(?P<value>[^\s'\"]+)"
)
_OPTION_SPEC = re.compile(r"(?:id|src|source|env|type|target|dst|mode)=")
_SHELL_EXPANSION = re.compile(r"\$[A-Za-z_{(]|`")
_SNAKE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*_[a-z0-9_]*")


def _assignment(
    name: str, value: str, start: int, shell: bool, flag: bool = False
) -> SecretMatch | None:
    if not is_credential_name(name):
        return None
    if shell and _SHELL_EXPANSION.search(value):
        return None
    if not looks_like_secret_value(value, name):
        return None
    label = f"--{name}" if flag else name
    return SecretMatch(start, start + len(value), "credential-assignment", f"{label} value", value)


def _name_lines(text: str, low: str) -> list[tuple[int, int]]:
    """The lines of `text` (start, end past the newline) that hold a credential word.

    No assignment pattern matches across a line break, and each sees the whole text around a
    line (`finditer` with bounds keeps lookbehinds and `^`), so running the patterns on these
    lines alone finds exactly what running them on the whole text finds, at a fraction of the
    cost on long outputs and prose where a credential word is rare.
    """
    size = len(text)
    if len(low) != size:  # a character whose lowercase is longer: offsets would not line up
        return [(0, size)]
    if "\n" not in text:
        return [(0, size)] if holds_credential_word(low) else []
    lines: set[tuple[int, int]] = set()
    for word in CREDENTIAL_NAME_WORDS:
        at = low.find(word)
        while at != -1:
            start = low.rfind("\n", 0, at) + 1
            end = low.find("\n", at) + 1 or size
            lines.add((start, end))
            at = low.find(word, end) if end < size else -1
    return sorted(lines)


def _in_lines(
    pattern: re.Pattern[str], text: str, lines: list[tuple[int, int]], needs: tuple[str, ...]
) -> Iterator[re.Match[str]]:
    """`pattern`'s matches in `lines`, skipping the lines without any of `needs`, one of which
    every match of the pattern holds."""
    for start, end in lines:
        if any(text.find(part, start, end) != -1 for part in needs):
            yield from pattern.finditer(text, start, end)


def assignments(text: str, low: str) -> Iterator[SecretMatch]:
    """Literal values given to credential-named variables, keys, options and headers."""
    lines = _name_lines(text, low)
    if lines:
        yield from _named(text, lines)
    if "curl" in text and "-u" in text:  # `-u` or `--user`
        for m in _CURL_USER.finditer(text):
            user, value = m.group("user"), m.group("value")
            if (
                value != user
                and not _SHELL_EXPANSION.search(user + value)
                and len(value) >= 4
                and not is_placeholder(value)
            ):
                yield SecretMatch(
                    m.start("value"),
                    m.end("value"),
                    "credential-assignment",
                    "curl -u password",
                    value,
                )


def _named(text: str, lines: list[tuple[int, int]]) -> Iterator[SecretMatch]:
    """Values given to credential names, pattern by pattern (earlier patterns win overlaps)."""
    if "=" in text:
        for m in _in_lines(_ASSIGN_BARE, text, lines, ("=",)):
            value = m.group("value")
            # `token=tokens[0]`, `api_key=get_key()`, `key=cfg.key`, `token=hf_token`: code.
            if m.group("after") or _SNAKE_IDENTIFIER.fullmatch(value):
                continue
            found = _assignment(m.group("name"), value, m.start("value"), shell=True)
            if found:
                yield found
    if ("=" in text or ":" in text) and ('"' in text or "'" in text):
        for m in _in_lines(_ASSIGN_QUOTED, text, lines, ('"', "'")):
            found = _assignment(m.group("name"), m.group("value"), m.start("value"), shell=False)
            if found:
                yield found
    if ":" in text:
        for pattern in (_ASSIGN_YAML, _ASSIGN_HEADER):
            for m in _in_lines(pattern, text, lines, (":",)):
                value = m.group("value")
                # `token: HFToken`, `password: SecretStr`: a type annotation, not a value.
                if IDENTIFIER.fullmatch(value) and not any(c.isdigit() for c in value):
                    continue
                found = _assignment(m.group("name"), value, m.start("value"), True)
                if found:
                    yield found
    if "--" in text:
        for m in _in_lines(_ASSIGN_FLAG, text, lines, ("--",)):
            group = next(g for g in ("dq", "sq", "value") if m.group(g) is not None)
            # "the --password option": after a space, a bare word is prose as often as a value.
            if group == "value" and m.group("value").isalpha() and "=" not in m.group(0):
                continue
            # `--secret id=HF_TOKEN,src=token.txt` (docker build): an option spec, not a value.
            if _OPTION_SPEC.match(m.group(group)):
                continue
            found = _assignment(
                m.group("name"), m.group(group), m.start(group), shell=group != "sq", flag=True
            )
            if found:
                yield found
    if "env" in text or "configure" in text:
        for m in _in_lines(_ASSIGN_SPACED, text, lines, ("%", "configure")):
            found = _assignment(m.group("name"), m.group("value"), m.start("value"), True)
            if found:
                yield found
