"""Placeholders: documentation values, template holes and stand-ins that are not secrets."""

from __future__ import annotations

import re

from .names import wordset

_PLACEHOLDER_WORDS = wordset(
    """
    accesskey apikey basic baz bearer changeit changeme credentials default demo digest
    dummy empty example fake false fixme foo foobar hidden jwt key masked na nan nil none
    notset null oauth oauth2 optional pass passwd password pw pwd redacted removed replaceme
    required sample secret secretkey secrets str string tba tbc tbd test testing todo token
    true undefined unset value
    """
)
# Values local LLM servers (vLLM, Ollama, LM Studio, llama.cpp) accept in place of a key, and
# the default accounts of local services (MinIO, RabbitMQ, database images): not secrets.
_NOT_A_KEY = wordset(
    """
    anything empty guest ignored lmstudio minio123 minioadmin nokey nokeyrequired notneeded
    notused ollama postgres root sknokeyrequired tokenabc123 unused vllm
    """
)
# Substrings that mark documentation and templates (compared lowercased).
_PLACEHOLDER_MARKERS = (
    "example",
    "placeholder",
    "dummy",
    "redacted",
    "changeme",
    "change_me",
    "change-me",
    "replaceme",
    "replace_me",
    "replace-me",
    "insert_",
    "insert-",
    "fixme",
    "your_",
    "your-",
    "xxxx",
    "***",
    "...",
    "\u2026",
    "\u2022",
)
# Prefixes that turn a credential word into a template ("my_password", "test-token").
_TEMPLATE_PREFIXES = ("my", "your", "test", "fake", "dummy", "sample", "demo", "some", "the")
_TEMPLATE_TAILS = ("password", "passwd", "pass", "secret", "token", "apikey", "key", "pwd")
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "9876543210")
# Published example credentials (AWS documentation, jwt.io), compared lowercased.
_KNOWN_EXAMPLES = wordset(
    """
    akiaiosfodnn7example sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c
    wjalrxutnfemi/k7mdeng/bpxrficyexamplekey
    """
)
_EXPANSION = re.compile(
    r"""(?<!\$)\$[A-Za-z_]\w*  # $VAR (not the `$$` of a password)
      | \$\{[^}]*\}             # ${VAR}, ${VAR:-x}
      | \$\([^)]*\)             # $(command)
      | %[A-Za-z_]\w*%          # %VAR% (Windows)
      | \{\{[^}]*\}\}           # {{ secrets.X }}, {{resolve:...}}
      | \{[A-Za-z_][\w.\[\]'"]*(?:![rsa])?(?::[^}]*)?\}   # f-string / str.format hole
      | \{[A-Za-z][\w\-]*(?:[ ][\w\-]+)+\}   # {API KEY}, {your token}: words to fill in
      | \{\d*\}                 # {} / {0}
      | %\(\w+\)[sdr]           # %(password)s
      | %[sdr](?![A-Za-z0-9])   # %s
    """,
    re.VERBOSE,
)
_ANGLE = re.compile(r"<[^<>]*>")
# `$$HF_TOKEN`: a variable whose `$` is escaped for Cloud Build, Make or Compose substitution.
_ESCAPED_VARIABLE = re.compile(r"\$\$\{?[A-Z_][A-Z0-9_]*\}?")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_SEPARATORS = re.compile(r"[\s_.\-]+")


def normalized(value: str) -> str:
    return _SEPARATORS.sub("", value.lower())


def is_placeholder(value: str) -> bool:
    """Whether a value is a stand-in rather than a credential.

    Notebooks are full of documentation values (`YOUR_API_KEY_HERE`, `<token>`, `xxxx-xxxx`,
    `***`, `changeme`), template holes (`{token}`, `${TOKEN}`, `$TOKEN`, `%(password)s`),
    field names used as values (`"password"`, `"token"`), redactions, trivial sequences and
    the example keys printed in the AWS documentation. Flagging any of them would teach
    users to ignore the rule, so all of them are placeholders; so are the stand-in keys that
    local LLM servers accept (`"EMPTY"`, `"ollama"`) and the default passwords of local
    service images (`minioadmin`, `postgres`, `guest`), which protect nothing.
    """
    stripped = value.strip()
    if not stripped:
        return True
    low = stripped.lower()
    if low in _KNOWN_EXAMPLES:
        return True
    norm = normalized(stripped)
    if len(set(norm)) <= 1:  # "", "aaaaaa", "xxxx-xxxx", "******"
        return True
    if norm in _PLACEHOLDER_WORDS or norm in _NOT_A_KEY or norm.endswith("here"):
        return True
    if any(marker in low for marker in _PLACEHOLDER_MARKERS):
        return True
    if low.startswith("your") or low.startswith(("my_", "my-")):
        return True
    for prefix in _TEMPLATE_PREFIXES:
        if norm.startswith(prefix) and norm[len(prefix) :] in _TEMPLATE_TAILS:
            return True
    if len(norm) >= 4 and any(norm in seq for seq in _SEQUENCES):
        return True
    return bool(
        _ESCAPED_VARIABLE.fullmatch(stripped)
        or _EXPANSION.search(stripped)
        or _ANGLE.search(stripped)
        or (stripped.startswith("[") and _BRACKETED.fullmatch(stripped))
    )


def weak_password(value: str) -> bool:
    """A run such as `12345678` or `qwerty123`: guessable, but typed in as the real password."""
    norm = normalized(value)
    return len(norm) >= 6 and any(norm in seq for seq in _SEQUENCES)
