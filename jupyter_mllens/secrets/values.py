"""Whether a literal bound to a credential name or parameter is a real secret value."""

from __future__ import annotations

import re

from .names import CREDENTIAL_VOCABULARY, is_access_key_id_name, is_password_name, name_words
from .placeholders import is_placeholder, normalized, weak_password
from .providers import matches_provider, provider
from .shapes import ENV_NAME, IDENTIFIER
from .structured import url_credentials

_AWS_KEY_ID = provider("aws-access-key-id").pattern
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_FILE_SUFFIX = re.compile(
    r"\.(?:json|txt|pem|key|crt|cer|der|p12|pfx|jks|keystore|pub|ya?ml|ini|cfg|conf|toml|env"
    r"|csv|gpg|asc|enc|pkl|pickle|db|sqlite)$",
    re.IGNORECASE,
)
_PATH_START = re.compile(r"(?:~|\.{1,2})?[/\\]|[A-Za-z]:[/\\]|file:")
_PATH_SEPARATOR = re.compile(r"[/\\]")
_PATH_SEGMENT = re.compile(r"[a-z0-9._\- ]*|[A-Z][a-z0-9._\- ]*|[A-Z0-9_]{1,8}")
_SECRET_REFERENCE = re.compile(
    r"arn:aws|\{\{\s*resolve:|vault:|secretsmanager:|ssm:|sm://|op://|@microsoft\.keyvault"
    r"|projects/[^/]+/secrets/|keyring:|env:",
    re.IGNORECASE,
)
# "openai_key", "prod-db-password", "config.api.key": names and references, not values.
_WORDS_ONLY = re.compile(r"[a-z]+(?:[_.\-][a-z]+)+")
# A colour ("#d8dee9", "bold #ff0000": style tables) or a command-line option ("--username=").
_NOT_A_SECRET_SHAPE = re.compile(r"(?:^|\s)#[0-9A-Fa-f]{3,8}$|^--?[A-Za-z][\w\-]*=?$")
_AUTH_SCHEMES = ("bearer ", "basic ", "token ", "digest ")


def _looks_like_path(value: str) -> bool:
    if _PATH_START.match(value) and (value[:1] != "/" or "/" in value[1:] or len(value) < 16):
        return True
    if " " not in value and _FILE_SUFFIX.search(value):
        return True
    if "/" in value or "\\" in value:
        segments = _PATH_SEPARATOR.split(value)
        return all(_PATH_SEGMENT.fullmatch(s) for s in segments)
    return False


def looks_like_parameter_secret(value: str) -> bool:
    """Whether a literal passed to an API's credential parameter is a real secret.

    The parameter (`wandb.login(key=...)`, `psycopg2.connect(password=...)`) already says the
    value is a credential, so its length and entropy say nothing: `"admin.apikey"` or
    `"dbadmin1"` are credentials there. Only what never is one is rejected: placeholders,
    environment-variable names, secret-manager references and template holes.
    """
    stripped = value.strip()
    if is_placeholder(stripped) and not weak_password(stripped):
        return False
    return not (ENV_NAME.fullmatch(stripped) or _SECRET_REFERENCE.search(stripped[:40]))


def looks_like_secret_value(value: str, name: str | None = None) -> bool:
    """Whether a literal bound to a credential-like name is a real secret.

    The rule calls this only for literals bound to names `is_credential_name` accepts, so it
    rejects what such names usually hold *besides* secrets: placeholders; field or column
    names (`"password"`, `"api_key"`, the name itself); file paths (`~/.aws/credentials`,
    `/run/secrets/db`, `token.txt`); URLs without credentials; environment-variable names
    (`"OPENAI_API_KEY"`, passed on to `os.getenv`); secret-manager references (`arn:aws:...`,
    `{{resolve:secretsmanager:...}}`, `projects/p/secrets/s`); prose (three words or more, or
    a trailing colon: prompts and messages); colours and command-line options (style tables,
    argument lists); and values shorter than six characters unless they have a provider's
    format.

    Hex strings are *not* rejected: a 40- or 64-character hex string bound to `token` or
    `api_key` is how Weights & Biases, many internal services and HMAC secrets look; checksums
    live under names (`sha256`, `digest`, `revision`) this function is never asked about.

    For `aws_access_key_id`-style names the value must have the AWS key-ID format: the ID on
    its own is an identifier, reported only because its format makes it unambiguous.
    """
    stripped = value.strip()
    if is_placeholder(stripped):
        # A password that is a keyboard or digit run (`"12345678"`) is a weak password, not a
        # stand-in, when the name says it is one.
        return name is not None and is_password_name(name) and weak_password(stripped)
    if name is not None and is_access_key_id_name(name_words(name)):
        return bool(_AWS_KEY_ID.fullmatch(stripped))
    if matches_provider(stripped):
        return True
    if len(stripped) < 6:
        return False
    norm = normalized(stripped)
    if name is not None and norm == normalized(name):
        return False
    if (  # "api_key", "passwordField", "config.token": a field name, not a value
        IDENTIFIER.fullmatch(stripped)
        and not any(c.isdigit() for c in stripped)
        and not CREDENTIAL_VOCABULARY.isdisjoint(name_words(stripped))
    ):
        return False
    if ENV_NAME.fullmatch(stripped):
        return False
    if _SECRET_REFERENCE.search(stripped[:40]) or _WORDS_ONLY.fullmatch(stripped):
        return False
    if _URL.match(stripped):
        return next(url_credentials(stripped, stripped.lower()), None) is not None
    if _looks_like_path(stripped):
        return False
    if _NOT_A_SECRET_SHAPE.search(stripped):
        return False
    low = stripped.lower()
    if low.startswith(_AUTH_SCHEMES):
        scheme_value = stripped.split(None, 1)[1] if " " in stripped else ""
        return len(scheme_value) >= 8 and not is_placeholder(scheme_value)
    # Prose: prompts ("Enter your password:") and messages.
    return len(stripped.split()) < 3 and not stripped.endswith((":", "?"))
