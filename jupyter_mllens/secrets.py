"""Secret detection for the `hardcoded-credentials` rule: precise, fast, standard library only.

The rule calls `scan_text` on every string literal of every cell and on the raw text of every
shell escape and magic, so almost every call is on a short, harmless string ("data/train.csv",
"accuracy"). The design follows from that:

* **Precision first.** A linter that cries wolf gets uninstalled, so there is no generic
  entropy detector: a long base64 run (an inline image, a checksum, a model revision) is not
  a secret by itself. Every detector needs either a provider's fixed prefix (`ghp_`, `hf_`,
  `AKIA`...), a fixed structure (PEM header and body, JWT, `user:password@` in a URL, a
  base64 `Basic` credential that decodes to `user:password`), or a name that says the value
  is a secret (`API_KEY=...`, `--password ...`, `"token": "..."`). Candidates then go through
  the same placeholder and look-alike filters the AST-level rule uses.
* **Speed.** Texts shorter than any secret return at once; every other text is first matched
  against one precompiled trigger pattern, and each detector has its own substring pre-check,
  so the expensive patterns only run on text that could hold what they look for.

The Python-level half of the rule (a literal bound to a name, a keyword argument, a dict key,
`os.environ[...]`) decides the *context* itself and asks `is_credential_name` whether the name
says "secret" and `looks_like_secret_value` whether the literal is a real value rather than a
placeholder, a field name, a path or a reference into a secret manager.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = [
    "SecretMatch",
    "is_credential_name",
    "is_placeholder",
    "looks_like_parameter_secret",
    "looks_like_secret_value",
    "mask",
    "scan_text",
]


@dataclass(frozen=True, repr=False)
class SecretMatch:
    """One secret found by `scan_text`.

    `start`/`end` delimit the secret *value* in the scanned text (not the `KEY=` or `https://`
    around it), so a caller can point an editor at exactly the characters to remove:
    `text[m.start:m.end] == m.value`. `kind` is a stable kebab-case id (safe to key
    configuration and tests on); `description` is human text for messages.
    """

    start: int
    end: int
    kind: str
    description: str
    value: str

    def __repr__(self) -> str:
        # Matches end up in logs, test failure output and tracebacks: never print the secret.
        return (
            f"SecretMatch(start={self.start}, end={self.end}, kind={self.kind!r}, "
            f"description={self.description!r}, value={mask(self.value)!r})"
        )


#: The most characters of a secret a mask ever shows.
MASK_MAX_SHOWN = 4


def mask(value: str) -> str:
    """Mask a secret for display: a few of its first characters, then a fixed `****`.

    The prefix is at most a quarter of the secret and never more than four characters,
    enough to tell two keys apart (`AKIA`, `sk-l`) while leaving three quarters of even a
    short password unseen: an 8-character password shows 2, a 15-character one 3, and
    anything under four characters shows nothing. The suffix has a fixed length so the
    mask does not reveal how long the secret is.
    """
    return value[: min(MASK_MAX_SHOWN, len(value) // 4)] + "****"


# --------------------------------------------------------------------------------------------
# Credential names
# --------------------------------------------------------------------------------------------


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Splits snake_case, kebab-case, dotted.names, camelCase and ACRONYMCase into lowercase words.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+(?:64|32)?|\d+")

_PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pw", "pass"})
_CREDENTIAL_WORDS = frozenset({"credentials", "credential", "creds", "cred"})
# Heads that can hide at the end of a single lowercase word ("dbpassword", "apikey").
_COMPOUND_HEADS = ("password", "passwd", "passphrase", "secret", "token", "key", "credentials")
# `key` alone is a dict key or an S3 object key; it names a secret only after these.
_KEY_PREFIXES = _wordset(
    """
    access account admin api app application auth client customer decryption developer
    encrypt encryption fernet hmac ingest ingestion jwt licence license master private
    secret service session shared sign signing storage subscription webhook write
    """
)
# `<modifier>_token` names that are not credentials: tokenizer special tokens, pagination
# cursors (`NextToken`), idempotency tokens (boto3 `ClientToken`, `ClientRequestToken`) and
# token counts.
_TOKEN_MODIFIERS = _wordset(
    """
    begin bos cancel cancellation client cls completion continuation csrf cursor decoder
    encoder end eod eos eot first idempotency image input last lock mask max min n new next
    num output pad padding page pagination placeholder prefix prompt request sentinel sep
    separator special start stop sub suffix sync total unk unknown word xsrf
    """
)
# `<modifier>_password` / `<modifier>_pass` names that are not a credential in clear.
_PASSWORD_MODIFIERS = _wordset(
    """
    backward bwd encrypted final first forward fwd hash hashed last max min multi next num
    salted second single
    """
)
# A first word that makes the name a flag (`is_password_set`, `has_token`), not a value.
_BOOLEAN_PREFIXES = frozenset(
    {"allow", "enable", "enabled", "has", "is", "need", "needs", "no", "require", "requires"}
)
# Trailing words that keep the meaning of the word before them (`password_b64`, `SecretString`,
# `api_key_prod`).
_NEUTRAL_SUFFIXES = _wordset(
    """
    b32 b64 base32 base64 binary bytes current dev development encoded literal plain
    plaintext primary prod production raw secondary stage staging str string val value
    """
)


def _words(name: str) -> list[str]:
    """Lowercase words of an identifier, header or flag name, compounds split off the end."""
    words: list[str] = []
    for raw in _WORD.findall(name):
        word = raw.lower()
        for head in _COMPOUND_HEADS:
            if word.endswith(head) and len(word) > len(head):
                words.extend((word[: -len(head)], head))
                break
        else:
            words.append(word)
    return words


def _is_access_key_id_name(words: list[str]) -> bool:
    return words[-3:] == ["access", "key", "id"]


def is_credential_name(name: str) -> bool:
    """Whether an identifier, dict key, header or flag name says its value is a secret.

    The decision rests on the name's *head*, its last word (after dropping neutral suffixes
    such as `_value`, `_b64` or digits): `db_password`, `hf_token`, `client_secret`,
    `X-API-Key`, `MasterUserPassword`, `SecretString` are credentials; `password_field`,
    `token_url`, `secret_name`, `SecretId`, `max_tokens`, `tokenizer` name something about a
    secret, or something else entirely, and are not. `key` counts only after a word such as
    `api`, `access`, `secret` or `private` (plain `key`, S3 `Key=`, `sort_key` are not);
    `token` does not count after tokenizer or pagination words (`pad_token`, `NextToken`,
    boto3's idempotency `ClientToken`).

    `aws_access_key_id` / `AccessKeyId` return True although a key ID is an identifier, not a
    secret: together with a key secret it is a credential, and `looks_like_secret_value`
    accepts a value for it only when the value has the AWS key-ID format.
    """
    words = _words(name)
    if not words:
        return False
    if _is_access_key_id_name(words):
        return True
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _NEUTRAL_SUFFIXES):
        words.pop()
    head = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if len(words) > 1 and words[0] in _BOOLEAN_PREFIXES:
        return False
    if head in _PASSWORD_WORDS:
        return prev not in _PASSWORD_MODIFIERS
    if head == "token":
        return prev not in _TOKEN_MODIFIERS
    if head == "key":
        return prev in _KEY_PREFIXES or any(prev.endswith(p) for p in ("access", "secret"))
    return head in _CREDENTIAL_WORDS or head in ("secret", "authorization")


# --------------------------------------------------------------------------------------------
# Placeholders
# --------------------------------------------------------------------------------------------

# Compared after lowercasing and dropping whitespace, `_`, `-` and `.`.
_PLACEHOLDER_WORDS = _wordset(
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
_NOT_A_KEY = _wordset(
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
_KNOWN_EXAMPLES = _wordset(
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


def _norm(value: str) -> str:
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
    norm = _norm(stripped)
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


# --------------------------------------------------------------------------------------------
# Provider patterns
# --------------------------------------------------------------------------------------------


def _mixed_case(body: str) -> bool:
    return any(c.isupper() for c in body) and any(c.islower() for c in body)


def _letters_and_digits(body: str) -> bool:
    return any(c.isalpha() for c in body) and any(c.isdigit() for c in body)


def _random_looking(body: str) -> bool:
    """Generated tokens mix character classes and repeat little; words and templates do not."""
    classes = sum(
        (
            any(c.isupper() for c in body),
            any(c.islower() for c in body),
            any(c.isdigit() for c in body),
        )
    )
    return classes >= 2 and len(set(body)) >= min(10, len(body) // 2)


@dataclass(frozen=True)
class _Provider:
    """A token format with a fixed prefix: precise enough to report anywhere it appears."""

    kind: str
    description: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]
    body_ok: Callable[[str], bool]


_B = r"(?<![A-Za-z0-9_])"  # left boundary: not inside a longer identifier or token
_E = r"(?![A-Za-z0-9_])"  # right boundary

_PROVIDERS: tuple[_Provider, ...] = (
    _Provider(
        "aws-access-key-id",
        "AWS access key ID",
        re.compile(_B + r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])([A-Z2-7]{16})" + _E),
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        lambda body: len(set(body)) >= 6,
    ),
    _Provider(
        "github-token",
        "GitHub token",
        re.compile(
            _B + r"(?:gh[pousr]_([A-Za-z0-9]{36,255})|github_pat_([A-Za-z0-9_]{50,255}))" + _E
        ),
        ("gh", "github_pat_"),
        _random_looking,
    ),
    _Provider(
        "gitlab-token",
        "GitLab personal access token",
        re.compile(_B + r"glpat-([A-Za-z0-9_\-]{20,64})" + r"(?![A-Za-z0-9_\-])"),
        ("glpat-",),
        _random_looking,
    ),
    _Provider(
        "huggingface-token",
        "Hugging Face token",
        re.compile(_B + r"hf_([A-Za-z0-9]{30,64})" + _E),
        ("hf_",),
        lambda body: _mixed_case(body) and _random_looking(body),
    ),
    _Provider(
        "anthropic-api-key",
        "Anthropic API key",
        re.compile(_B + r"sk-ant-([A-Za-z0-9_\-]{32,255})" + r"(?![A-Za-z0-9_\-])"),
        ("sk-ant-",),
        _random_looking,
    ),
    _Provider(
        "openai-api-key",
        "OpenAI API key",
        re.compile(
            _B
            + r"sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_\-]{32,255})"
            + r"|(?!ant-)([A-Za-z0-9]{32,255}))"
            + r"(?![A-Za-z0-9_\-])"
        ),
        ("sk-",),
        lambda body: _letters_and_digits(body) and _random_looking(body),
    ),
    _Provider(
        "slack-token",
        "Slack token",
        re.compile(_B + r"xox[abposr]-(\d{6,}-[A-Za-z0-9\-]{8,255})" + r"(?![A-Za-z0-9\-])"),
        ("xox",),
        _letters_and_digits,
    ),
    _Provider(
        "slack-webhook",
        "Slack webhook URL",
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_\-]{20,})"
        ),
        ("hooks.slack.com",),
        _letters_and_digits,
    ),
    _Provider(
        "stripe-secret-key",
        "Stripe live secret key",
        re.compile(_B + r"(?:sk|rk)_live_([A-Za-z0-9]{20,255})" + _E),
        ("_live_",),
        _random_looking,
    ),
    _Provider(
        "google-api-key",
        "Google API key",
        re.compile(_B + r"AIza([0-9A-Za-z_\-]{35})" + r"(?![A-Za-z0-9_\-])"),
        ("AIza",),
        _random_looking,
    ),
    _Provider(
        "pypi-token",
        "PyPI API token",
        re.compile(_B + r"pypi-AgEIcHlwaS5vcmc([A-Za-z0-9_\-]{50,})"),
        ("pypi-",),
        lambda body: True,
    ),
)


_PROVIDER_HINT = re.compile(
    r"AKIA|ASIA|ABIA|ACCA|A3T|gh[pousr]_|github_pat_|glpat-|hf_|sk-|_live_|xox|AIza|pypi-"
    r"|hooks\.slack\.com"
)


def _provider_matches(text: str) -> Iterator[SecretMatch]:
    if _PROVIDER_HINT.search(text) is None:
        return
    for provider in _PROVIDERS:
        if not any(t in text for t in provider.triggers):
            continue
        for m in provider.pattern.finditer(text):
            body = next((g for g in m.groups() if g), "")
            value = m.group(0)
            if provider.body_ok(body) and not is_placeholder(body) and not is_placeholder(value):
                yield SecretMatch(m.start(), m.end(), provider.kind, provider.description, value)


def _matches_provider(value: str) -> bool:
    """Whether a whole value has a provider's token format (so its length says nothing)."""
    for provider in _PROVIDERS:
        m = provider.pattern.fullmatch(value)
        if m is not None:
            body = next((g for g in m.groups() if g), "")
            return provider.body_ok(body) and not is_placeholder(body)
    return False


# --------------------------------------------------------------------------------------------
# Structured secrets: private keys, AWS secret keys, URLs, bearer/basic auth, JWTs
# --------------------------------------------------------------------------------------------

_PRIVATE_KEY_BEGIN = re.compile(
    r"-----BEGIN ((?:RSA |EC |OPENSSH |DSA |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?)-----"
)
# Without an END line: the whole base64 lines that follow (line breaks real or escaped).
_PEM_BODY = re.compile(r"(?:(?:\r?\n|\\n)[A-Za-z0-9+/=]+(?=\r?\n|\\n|[\"']|$))*")
_PEM_MAX_BODY = 20_000
_BASE64_CHAR = re.compile(r"[A-Za-z0-9+/]")
_PEM_HEADER_LINE = re.compile(r"^[A-Za-z\-]+:.*$", re.MULTILINE)  # Proc-Type:, DEK-Info:


def _private_keys(text: str) -> Iterator[SecretMatch]:
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


def _aws_secret_keys(text: str) -> Iterator[SecretMatch]:
    """AWS secret keys are 40 base64 characters: reported only next to their name."""
    low = text.lower()
    if "secret" not in low or "access" not in low:
        return
    for m in _AWS_SECRET.finditer(text):
        value = m.group("value")
        if _random_looking(value) and not is_placeholder(value):
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
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def _url_credentials(text: str) -> Iterator[SecretMatch]:
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
                or _ENV_NAME.fullmatch(password)
                or (_IDENTIFIER.fullmatch(password) and is_credential_name(password))
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
            and _letters_and_digits(user)
            and _random_looking(user)
            and not is_placeholder(user)
        ):
            yield SecretMatch(
                m.start("user"), m.end("user"), "url-credentials", "token embedded in a URL", user
            )


_BEARER = re.compile(r"(?<![A-Za-z0-9])(?i:bearer)[ \t]+(?P<value>[A-Za-z0-9\-._~+/]{16,}=*)")


def _bearer_tokens(text: str) -> Iterator[SecretMatch]:
    low = text.lower()
    if "bearer" not in low:
        return
    for m in _BEARER.finditer(text):
        value = m.group("value")
        if _letters_and_digits(value) and _random_looking(value) and not is_placeholder(value):
            yield SecretMatch(
                m.start("value"), m.end("value"), "bearer-token", "bearer token", value
            )


_BASIC = re.compile(
    r"(?<![A-Za-z0-9])(?i:basic)[ \t]+(?P<value>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])"
)


def _basic_auth(text: str) -> Iterator[SecretMatch]:
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


def _jwts(text: str) -> Iterator[SecretMatch]:
    """Signed JWTs: `eyJ` is base64 for `{"`, so two of them dot-separated are a JWT."""
    if "eyJ" not in text:
        return
    for m in _JWT.finditer(text):
        value = m.group(0)
        signature = value.rsplit(".", 1)[1]
        if not is_placeholder(signature):
            yield SecretMatch(m.start(), m.end(), "jwt", "JSON Web Token", value)


# --------------------------------------------------------------------------------------------
# Credential assignments in shell, magics, config files and code written by %%writefile
# --------------------------------------------------------------------------------------------

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
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.\-][A-Za-z_][A-Za-z0-9_]*)*")
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


def _assignments(text: str) -> Iterator[SecretMatch]:
    """Literal values given to credential-named variables, keys, options and headers."""
    if "=" in text:
        for m in _ASSIGN_BARE.finditer(text):
            value = m.group("value")
            # `token=tokens[0]`, `api_key=get_key()`, `key=cfg.key`, `token=hf_token`: code.
            if m.group("after") or _SNAKE_IDENTIFIER.fullmatch(value):
                continue
            found = _assignment(m.group("name"), value, m.start("value"), shell=True)
            if found:
                yield found
    if ("=" in text or ":" in text) and ('"' in text or "'" in text):
        for m in _ASSIGN_QUOTED.finditer(text):
            found = _assignment(m.group("name"), m.group("value"), m.start("value"), shell=False)
            if found:
                yield found
    if ":" in text:
        for pattern in (_ASSIGN_YAML, _ASSIGN_HEADER):
            for m in pattern.finditer(text):
                value = m.group("value")
                # `token: HFToken`, `password: SecretStr`: a type annotation, not a value.
                if _IDENTIFIER.fullmatch(value) and not any(c.isdigit() for c in value):
                    continue
                found = _assignment(m.group("name"), value, m.start("value"), True)
                if found:
                    yield found
    if "--" in text:
        for m in _ASSIGN_FLAG.finditer(text):
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
        for m in _ASSIGN_SPACED.finditer(text):
            found = _assignment(m.group("name"), m.group("value"), m.start("value"), True)
            if found:
                yield found
    if "curl" in text:
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


# --------------------------------------------------------------------------------------------
# scan_text
# --------------------------------------------------------------------------------------------

# The shortest thing any detector reports is `pwd=abc123` or `a:b@c` style; nothing shorter.
_MIN_TEXT = 8
_MIN_TOKEN = 20
# Lowercase substrings, one of which every detector needs. Plain `in` tests on the lowercased
# text beat a single alternation regex by a factor of three on short strings, and reject the
# vast majority of literals before any detector runs.
_TRIGGERS = (
    "pass", "pw", "secret", "token", "key", "cred", "auth", "bearer", "basic", "://",
    "akia", "asia", "abia", "acca", "a3t", "gh", "hf_", "sk-", "_live_", "xox", "aiza",
    "pypi-", "glpat-", "-----begin", "eyj",
)  # fmt: skip
# Earlier detectors win overlaps: a provider's name says more than "a value of API_KEY".
_DETECTORS: tuple[Callable[[str], Iterator[SecretMatch]], ...] = (
    _private_keys,
    _provider_matches,
    _aws_secret_keys,
    _jwts,
    _url_credentials,
    _bearer_tokens,
    _basic_auth,
    _assignments,
)


def scan_text(text: str) -> list[SecretMatch]:
    """Find secrets in arbitrary text, in order of position, without overlaps.

    The text may be a Python string literal's value, a `!` shell line, a `%env` magic, the
    body of a `%%bash` or `%%writefile` cell or a connection string. Each match's offsets are
    those of the secret value itself. Placeholders, template holes and variable expansions
    (`$TOKEN`, `${TOKEN}`, `$(cmd)`, `{token}`) are never reported.
    """
    size = len(text)
    # Column names, keyword names, dtype names: a lone identifier is a secret only if it is a
    # provider token, and those are all at least 20 characters long.
    if size < _MIN_TEXT or (size < _MIN_TOKEN and text.isidentifier()):
        return []
    low = text.lower()
    for trigger in _TRIGGERS:
        if trigger in low:
            break
    else:
        return []
    accepted: list[SecretMatch] = []
    for detector in _DETECTORS:
        for found in detector(text):
            if all(found.end <= m.start or found.start >= m.end for m in accepted):
                accepted.append(found)
    accepted.sort(key=lambda m: m.start)
    return accepted


# --------------------------------------------------------------------------------------------
# looks_like_secret_value
# --------------------------------------------------------------------------------------------

_AWS_KEY_ID = re.compile(r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}")
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
_CREDENTIAL_VOCABULARY = _PASSWORD_WORDS | _CREDENTIAL_WORDS | {"secret", "token", "key"}
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


def _is_password_name(name: str) -> bool:
    words = _words(name)
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _NEUTRAL_SUFFIXES):
        words.pop()
    return bool(words) and words[-1] in _PASSWORD_WORDS and is_credential_name(name)


def _weak_password(value: str) -> bool:
    """A run such as `12345678` or `qwerty123`: guessable, but typed in as the real password."""
    norm = _norm(value)
    return len(norm) >= 6 and any(norm in seq for seq in _SEQUENCES)


def looks_like_parameter_secret(value: str) -> bool:
    """Whether a literal passed to an API's credential parameter is a real secret.

    The parameter (`wandb.login(key=...)`, `psycopg2.connect(password=...)`) already says the
    value is a credential, so its length and entropy say nothing: `"admin.apikey"` or
    `"dbadmin1"` are credentials there. Only what never is one is rejected: placeholders,
    environment-variable names, secret-manager references and template holes.
    """
    stripped = value.strip()
    if is_placeholder(stripped) and not _weak_password(stripped):
        return False
    return not (_ENV_NAME.fullmatch(stripped) or _SECRET_REFERENCE.search(stripped[:40]))


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
        return name is not None and _is_password_name(name) and _weak_password(stripped)
    if name is not None and _is_access_key_id_name(_words(name)):
        return bool(_AWS_KEY_ID.fullmatch(stripped))
    if _matches_provider(stripped):
        return True
    if len(stripped) < 6:
        return False
    norm = _norm(stripped)
    if name is not None and norm == _norm(name):
        return False
    if (  # "api_key", "passwordField", "config.token": a field name, not a value
        _IDENTIFIER.fullmatch(stripped)
        and not any(c.isdigit() for c in stripped)
        and not _CREDENTIAL_VOCABULARY.isdisjoint(_words(stripped))
    ):
        return False
    if _ENV_NAME.fullmatch(stripped):
        return False
    if _SECRET_REFERENCE.search(stripped[:40]) or _WORDS_ONLY.fullmatch(stripped):
        return False
    if _URL.match(stripped):
        return next(_url_credentials(stripped), None) is not None
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
