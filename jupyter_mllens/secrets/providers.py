"""Provider token formats, each declared once; the scan, the value check and the docs derive
from the declarations.

A provider token is precise enough to report anywhere it appears: a fixed prefix (`ghp_`,
`hf_`, `AKIA`) and a body of a fixed alphabet and length. A declaration says what the token
is called, the literal prefixes every token starts with, its pattern, what its random body
must look like, how the docs describe it and an example for the tests (in two pieces, so no
secret scanner mistakes the source for a leak). The prefixes are the scan's cheap test: a text
holding none of them cannot hold the token, and the pattern does not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .match import SecretMatch
from .placeholders import is_placeholder
from .shapes import any_of, letters_and_digits, mixed_case, random_looking


@dataclass(frozen=True)
class Provider:
    """One provider's token format."""

    #: Stable kebab-case id: the `SecretMatch.kind` of its tokens.
    kind: str
    #: What the token is called in messages and docs.
    description: str
    #: The literal text every token starts with (case-sensitive).
    prefixes: tuple[str, ...]
    #: The whole token; its random body in the (first non-empty) group.
    pattern: re.Pattern[str]
    #: Whether a body looks generated rather than typed (`hf_example_token_here` is not).
    body_ok: Callable[[str], bool]
    #: What follows the prefix, for the docs.
    shape: str
    #: A made-up token the scanner reports, as (prefix, body).
    example: tuple[str, str]


_B = r"(?<![A-Za-z0-9_])"  # left boundary: not inside a longer identifier or token
_E = r"(?![A-Za-z0-9_])"  # right boundary
_E_DASH = r"(?![A-Za-z0-9_\-])"  # right boundary of a body that may hold `-`


PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "aws-access-key-id",
        "AWS access key ID",
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        re.compile(_B + r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])([A-Z2-7]{16})" + _E),
        lambda body: len(set(body)) >= 6,
        "16 upper-case letters and digits 2-7 (after `A3T`, one letter or digit more first)",
        ("AKIA", "Z7VQ3MPLR4TNWJ2D"),
    ),
    Provider(
        "github-token",
        "GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        re.compile(
            _B + r"(?:gh[pousr]_([A-Za-z0-9]{36,255})|github_pat_([A-Za-z0-9_]{50,255}))" + _E
        ),
        random_looking,
        "36 or more letters and digits (`github_pat_`: 50 or more, with `_`)",
        ("ghp_", "R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"),
    ),
    Provider(
        "gitlab-token",
        "GitLab personal access token",
        ("glpat-",),
        re.compile(_B + r"glpat-([A-Za-z0-9_\-]{20,64})" + _E_DASH),
        random_looking,
        "20 to 64 letters, digits, `_` and `-`",
        ("glpat-", "Ab3De5Fg7Hi9Jk1Lm3No"),
    ),
    Provider(
        "huggingface-token",
        "Hugging Face token",
        ("hf_",),
        re.compile(_B + r"hf_([A-Za-z0-9]{30,64})" + _E),
        lambda body: mixed_case(body) and random_looking(body),
        "30 to 64 letters of both cases and digits",
        ("hf_", "QxTzVbNmLkJhGfDsApOiUyTrEwQaZxCvBn"),
    ),
    Provider(
        "anthropic-api-key",
        "Anthropic API key",
        ("sk-ant-",),
        re.compile(_B + r"sk-ant-([A-Za-z0-9_\-]{32,255})" + _E_DASH),
        random_looking,
        "32 or more letters, digits, `_` and `-`",
        ("sk-ant-", "api03-Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg3Hi5"),
    ),
    Provider(
        "openai-api-key",
        "OpenAI API key",
        ("sk-",),
        re.compile(
            _B
            + r"sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_\-]{32,255})"
            + r"|(?!ant-)([A-Za-z0-9]{32,255}))"
            + _E_DASH
        ),
        lambda body: letters_and_digits(body) and random_looking(body),
        "`proj-`, `svcacct-` or `admin-` and 32 or more letters, digits, `_` and `-`, or 32 "
        "or more letters and digits",
        ("sk-proj-", "5fGh7Jk9Lm2Np4Qr6St8Uv0Wx1Yz3Ab5Cd7Ef9Gh"),
    ),
    Provider(
        "slack-token",
        "Slack token",
        ("xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-"),
        re.compile(_B + r"xox[abposr]-(\d{6,}-[A-Za-z0-9\-]{8,255})" + r"(?![A-Za-z0-9\-])"),
        letters_and_digits,
        "a number of 6 or more digits, `-` and 8 or more letters, digits and `-`",
        ("xoxb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"),
    ),
    Provider(
        "slack-webhook",
        "Slack webhook URL",
        ("https://hooks.slack.com/",),
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_\-]{20,})"
        ),
        letters_and_digits,
        "`services/`, `workflows/` or `triggers/` and a path of 20 or more characters",
        ("https://hooks.slack.com/", "services/T0A1B2C3D/B0E1F2G3H/aB3dE5fG7hI9jK1lM3nO5pQ7"),
    ),
    Provider(
        "stripe-secret-key",
        "Stripe live secret key",
        ("sk_live_", "rk_live_"),
        re.compile(_B + r"(?:sk|rk)_live_([A-Za-z0-9]{20,255})" + _E),
        random_looking,
        "20 or more letters and digits",
        ("sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"),
    ),
    Provider(
        "google-api-key",
        "Google API key",
        ("AIza",),
        re.compile(_B + r"AIza([0-9A-Za-z_\-]{35})" + _E_DASH),
        random_looking,
        "35 letters, digits, `_` and `-`",
        ("AIza", "SyD3x8Qm2vN7pL4kR9tW1yB6cF0gH5jK8mZ"),
    ),
    Provider(
        "pypi-token",
        "PyPI API token",
        ("pypi-AgEIcHlwaS5vcmc",),
        re.compile(_B + r"pypi-AgEIcHlwaS5vcmc([A-Za-z0-9_\-]{50,})"),
        lambda body: True,
        "50 or more letters, digits, `_` and `-`",
        (
            "pypi-AgEIcHlwaS5vcmc",
            "CJGQ2ZjY5YjE3LTRhNmUtNGVhNi05NzRkLTkxZWYxNDE0ZTNmMQACKlsz",
        ),
    ),
)

_BY_KIND = {provider.kind: provider for provider in PROVIDERS}


def provider(kind: str) -> Provider:
    """The declaration of one provider, by kind."""
    return _BY_KIND[kind]


#: Every provider's prefixes: a text holding none of them holds no provider token.
_HINT = any_of([prefix for p in PROVIDERS for prefix in p.prefixes])

#: Lowercase substrings, one of which every provider token holds (a prefix that holds another
#: prefix is implied by it and left out).
TRIGGERS: tuple[str, ...] = tuple(
    sorted(
        {
            low
            for low in (prefix.lower() for p in PROVIDERS for prefix in p.prefixes)
            if not any(
                other != low and other in low
                for other in (prefix.lower() for q in PROVIDERS for prefix in q.prefixes)
            )
        }
    )
)


def _body(m: re.Match[str]) -> str:
    return next((g for g in m.groups() if g), "")


def provider_matches(text: str, low: str) -> Iterator[SecretMatch]:
    """Provider tokens in `text`, provider by provider (earlier providers win overlaps)."""
    if _HINT.search(text) is None:
        return
    for p in PROVIDERS:
        if not any(prefix in text for prefix in p.prefixes):
            continue
        for m in p.pattern.finditer(text):
            body = _body(m)
            value = m.group(0)
            if p.body_ok(body) and not is_placeholder(body) and not is_placeholder(value):
                yield SecretMatch(m.start(), m.end(), p.kind, p.description, value)


def matches_provider(value: str) -> bool:
    """Whether a whole value has a provider's token format (so its length says nothing)."""
    for p in PROVIDERS:
        m = p.pattern.fullmatch(value)
        if m is not None:
            body = _body(m)
            return p.body_ok(body) and not is_placeholder(body)
    return False


def providers_markdown() -> list[str]:
    """The provider tokens the scanner recognises, as a Markdown table for the rule docs."""
    lines = ["| Token | Starts with | Then |", "| --- | --- | --- |"]
    for p in PROVIDERS:
        prefixes = ", ".join(f"`{prefix}`" for prefix in p.prefixes)
        lines.append(f"| {p.description} | {prefixes} | {p.shape} |")
    return lines
