"""Credential names: whether an identifier, dict key, header or flag says its value is a secret."""

from __future__ import annotations

import re
from functools import lru_cache


def wordset(words: str) -> frozenset[str]:
    """A set of whitespace-separated words (long word lists read better as text)."""
    return frozenset(words.split())


# Splits snake_case, kebab-case, dotted.names, camelCase and ACRONYMCase into lowercase words.
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+(?:64|32)?|\d+")

PASSWORD_WORDS = frozenset({"password", "passwd", "passphrase", "pwd", "pw", "pass"})
CREDENTIAL_WORDS = frozenset({"credentials", "credential", "creds", "cred"})
# Heads that can hide at the end of a single lowercase word ("dbpassword", "apikey").
_COMPOUND_HEADS = ("password", "passwd", "passphrase", "secret", "token", "key", "credentials")
# `key` alone is a dict key or an S3 object key; it names a secret only after these.
_KEY_PREFIXES = wordset(
    """
    access account admin api app application auth client customer decryption developer
    encrypt encryption fernet hmac ingest ingestion jwt licence license master private
    secret service session shared sign signing storage subscription webhook write
    """
)
# `<modifier>_token` names that are not credentials: tokenizer special tokens, pagination
# cursors (`NextToken`), idempotency tokens (boto3 `ClientToken`, `ClientRequestToken`) and
# token counts.
_TOKEN_MODIFIERS = wordset(
    """
    begin bos cancel cancellation client cls completion continuation csrf cursor decoder
    encoder end eod eos eot first idempotency image input last lock mask max min n new next
    num output pad padding page pagination placeholder prefix prompt request sentinel sep
    separator special start stop sub suffix sync total unk unknown word xsrf
    """
)
# `<modifier>_password` / `<modifier>_pass` names that are not a credential in clear.
_PASSWORD_MODIFIERS = wordset(
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
_NEUTRAL_SUFFIXES = wordset(
    """
    b32 b64 base32 base64 binary bytes current dev development encoded literal plain
    plaintext primary prod production raw secondary stage staging str string val value
    """
)


def name_words(name: str) -> list[str]:
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


#: Every name `is_credential_name` accepts holds one of these, lowercased: its head word is a
#: password, token, key, credential, secret or authorization word.
CREDENTIAL_NAME_WORDS = ("pass", "pw", "cred", "secret", "token", "key", "auth")


def holds_credential_word(lowered: str) -> bool:
    """Whether lowercased text holds a credential word: the cheap test before any name parsing."""
    return any(word in lowered for word in CREDENTIAL_NAME_WORDS)


def is_access_key_id_name(words: list[str]) -> bool:
    return words[-3:] == ["access", "key", "id"]


@lru_cache(maxsize=4096)  # names repeat: the same keys and keywords in every notebook
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
    if not holds_credential_word(name.lower()):
        return False
    words = name_words(name)
    if not words:
        return False
    if is_access_key_id_name(words):
        return True
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _NEUTRAL_SUFFIXES):
        words.pop()
    head = words[-1]
    prev = words[-2] if len(words) > 1 else ""
    if len(words) > 1 and words[0] in _BOOLEAN_PREFIXES:
        return False
    if head in PASSWORD_WORDS:
        return prev not in _PASSWORD_MODIFIERS
    if head == "token":
        return prev not in _TOKEN_MODIFIERS
    if head == "key":
        return prev in _KEY_PREFIXES or any(prev.endswith(p) for p in ("access", "secret"))
    return head in CREDENTIAL_WORDS or head in ("secret", "authorization")


def is_password_name(name: str) -> bool:
    words = name_words(name)
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _NEUTRAL_SUFFIXES):
        words.pop()
    return bool(words) and words[-1] in PASSWORD_WORDS and is_credential_name(name)


# Words that make an identifier a credential's name when it is given as a value.
CREDENTIAL_VOCABULARY = PASSWORD_WORDS | CREDENTIAL_WORDS | {"secret", "token", "key"}
