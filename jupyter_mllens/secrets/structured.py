"""Secrets with a fixed structure: private keys, AWS secret keys, URL credentials, bearer and
basic auth, JWTs."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from .match import SecretMatch
from .names import is_credential_name
from .placeholders import is_placeholder
from .shapes import ENV_NAME, IDENTIFIER, letters_and_digits, random_looking

_PRIVATE_KEY_BEGIN = re.compile(
    r"-----BEGIN ((?:RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----"
)
# Without an END line: the whole base64 lines that follow (line breaks real or escaped).
_PEM_BODY = re.compile(r"(?:(?:\r?\n|\\n)[A-Za-z0-9+/=]+(?=\r?\n|\\n|[\"']|$))*")
_PEM_MAX_BODY = 20_000
_BASE64_CHAR = re.compile(r"[A-Za-z0-9+/]")
_PEM_HEADER_LINE = re.compile(r"^[A-Za-z\-]+:.*$", re.MULTILINE)  # Proc-Type:, DEK-Info:


def private_keys(text: str, low: str) -> Iterator[SecretMatch]:
    """PEM private keys, with their body: a bare header is a format check, not a key."""
    if "-----BEGIN" not in text:
        return
    for m in _PRIVATE_KEY_BEGIN.finditer(text):
        footer = f"-----END {m.group(1)}-----"
        end = text.find(footer, m.end(), m.end() + _PEM_MAX_BODY)
        if end != -1:
            body, value_end = text[m.end() : end], end + len(footer)
        else:
            run = _PEM_BODY.match(text, m.end())
            body = run.group(0).rstrip() if run else ""
            value_end = m.end() + len(body)
        body = body.replace("\\n", "\n").replace("\\r", "")
        body = _PEM_HEADER_LINE.sub("", body)
        if len(_BASE64_CHAR.findall(body)) >= 40 and not is_placeholder(body):
            yield SecretMatch(
                m.start(), value_end, "private-key", "private key", text[m.start() : value_end]
            )


_AWS_SECRET = re.compile(
    r"(?<![A-Za-z0-9])(?i:(?:aws[_\-]?)?secret[_\-]?access[_\-]?key)"
    r"(?:[\"']?\]?[ \t]*[=:][ \t]*|[ \t]+)[\"']?"
    r"(?P<value>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
)


def aws_secret_keys(text: str, low: str) -> Iterator[SecretMatch]:
    """AWS secret keys are 40 base64 characters: reported only next to their name."""
    if "secret" not in low or "access" not in low:
        return
    for m in _AWS_SECRET.finditer(text):
        value = m.group("value")
        if random_looking(value) and not is_placeholder(value):
            yield SecretMatch(
                m.start("value"),
                m.end("value"),
                "aws-secret-access-key",
                "AWS secret access key",
                value,
            )


_URL_USERINFO = re.compile(
    r"(?<![A-Za-z0-9+.\-])(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]{0,30})://"
    r"(?P<user>[^\s:@/?#'\"<>`]*)(?::(?P<password>[^\s@/'\"`]*))?"
    r"@(?P<host>[A-Za-z0-9\[][^\s/?#:'\"`]*)"
)
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-]+")
_DOC_HOSTS = ("example.com", "example.org", "example.net")


def url_credentials(text: str, low: str) -> Iterator[SecretMatch]:
    """`scheme://user:password@host` and `https://TOKEN@host` (a token used as the user name)."""
    if "://" not in text or "@" not in text:
        return
    for m in _URL_USERINFO.finditer(text):
        user, password, host = m.group("user"), m.group("password"), m.group("host").lower()
        if host.endswith(_DOC_HOSTS) or host.endswith(".example"):
            continue
        if password:
            # `postgres:postgres@localhost`, `guest:guest@` are the images' default accounts.
            if (
                len(password) < 4
                or password.lower() == user.lower()
                or is_placeholder(password)
                or ENV_NAME.fullmatch(password)
                or (IDENTIFIER.fullmatch(password) and is_credential_name(password))
            ):
                continue
            yield SecretMatch(
                m.start("password"),
                m.end("password"),
                "url-credentials",
                "password embedded in a URL",
                password,
            )
        elif (
            password is None
            and len(user) >= 20
            and _TOKEN_CHARS.fullmatch(user)
            and letters_and_digits(user)
            and random_looking(user)
            and not is_placeholder(user)
        ):
            yield SecretMatch(
                m.start("user"), m.end("user"), "url-credentials", "token embedded in a URL", user
            )


_BEARER = re.compile(r"(?<![A-Za-z0-9])(?i:bearer)[ \t]+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)")


def bearer_tokens(text: str, low: str) -> Iterator[SecretMatch]:
    if "bearer" not in low:
        return
    for m in _BEARER.finditer(text):
        value = m.group("value")
        if letters_and_digits(value) and random_looking(value) and not is_placeholder(value):
            yield SecretMatch(
                m.start("value"), m.end("value"), "bearer-token", "bearer token", value
            )


_BASIC = re.compile(
    r"(?<![A-Za-z0-9])(?i:basic)[ \t]+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"
)


def basic_auth(text: str, low: str) -> Iterator[SecretMatch]:
    """`Basic <base64>` counts only if it decodes to `user:password` with a real password."""
    if "asic" not in text and "ASIC" not in text:
        return
    for m in _BASIC.finditer(text):
        value = m.group("value")
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        user, sep, password = decoded.partition(":")
        if (
            sep
            and decoded.isprintable()
            and len(password) >= 4
            and password != user
            and not is_placeholder(password)
        ):
            yield SecretMatch(
                m.start("value"), m.end("value"), "basic-auth", "HTTP basic-auth credentials", value
            )


_JWT = re.compile(
    r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{16,}"
    r"(?![A-Za-z0-9_\-])"
)


def jwts(text: str, low: str) -> Iterator[SecretMatch]:
    """Signed JWTs: `eyJ` is base64 for `{"`, so two of them dot-separated are a JWT."""
    if "eyJ" not in text:
        return
    for m in _JWT.finditer(text):
        value = m.group(0)
        signature = value.rsplit(".", 1)[1]
        if not is_placeholder(signature):
            yield SecretMatch(m.start(), m.end(), "jwt", "JSON Web Token", value)
