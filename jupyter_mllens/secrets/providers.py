"""Provider token formats: one declaration per provider, everything else derived from them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .match import SecretMatch
from .placeholders import is_placeholder
from .shapes import letters_and_digits, mixed_case, random_looking


@dataclass(frozen=True)
class Provider:
    """A token format with a fixed prefix: precise enough to report anywhere it appears."""

    kind: str
    description: str
    pattern: re.Pattern[str]
    triggers: tuple[str, ...]
    body_ok: Callable[[str], bool]


_B = r"(?<![A-Za-z0-9_])"  # left boundary: not inside a longer identifier or token
_E = r"(?![A-Za-z0-9_])"  # right boundary

PROVIDERS: tuple[Provider, ...] = (
    Provider(
        "aws-access-key-id",
        "AWS access key ID",
        re.compile(_B + r"(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])([A-Z2-7]{16})" + _E),
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
        lambda body: len(set(body)) >= 6,
    ),
    Provider(
        "github-token",
        "GitHub token",
        re.compile(
            _B + r"(?:gh[pousr]_([A-Za-z0-9]{36,255})|github_pat_([A-Za-z0-9_]{50,255}))" + _E
        ),
        ("gh", "github_pat_"),
        random_looking,
    ),
    Provider(
        "gitlab-token",
        "GitLab personal access token",
        re.compile(_B + r"glpat-([A-Za-z0-9_\-]{20,64})" + r"(?![A-Za-z0-9_\-])"),
        ("glpat-",),
        random_looking,
    ),
    Provider(
        "huggingface-token",
        "Hugging Face token",
        re.compile(_B + r"hf_([A-Za-z0-9]{30,64})" + _E),
        ("hf_",),
        lambda body: mixed_case(body) and random_looking(body),
    ),
    Provider(
        "anthropic-api-key",
        "Anthropic API key",
        re.compile(_B + r"sk-ant-([A-Za-z0-9_\-]{32,255})" + r"(?![A-Za-z0-9_\-])"),
        ("sk-ant-",),
        random_looking,
    ),
    Provider(
        "openai-api-key",
        "OpenAI API key",
        re.compile(
            _B
            + r"sk-(?:(?:proj|svcacct|admin)-([A-Za-z0-9_\-]{32,255})"
            + r"|(?!ant-)([A-Za-z0-9]{32,255}))"
            + r"(?![A-Za-z0-9_\-])"
        ),
        ("sk-",),
        lambda body: letters_and_digits(body) and random_looking(body),
    ),
    Provider(
        "slack-token",
        "Slack token",
        re.compile(_B + r"xox[abposr]-(\d{6,}-[A-Za-z0-9\-]{8,255})" + r"(?![A-Za-z0-9\-])"),
        ("xox",),
        letters_and_digits,
    ),
    Provider(
        "slack-webhook",
        "Slack webhook URL",
        re.compile(
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/_\-]{20,})"
        ),
        ("hooks.slack.com",),
        letters_and_digits,
    ),
    Provider(
        "stripe-secret-key",
        "Stripe live secret key",
        re.compile(_B + r"(?:sk|rk)_live_([A-Za-z0-9]{20,255})" + _E),
        ("_live_",),
        random_looking,
    ),
    Provider(
        "google-api-key",
        "Google API key",
        re.compile(_B + r"AIza([0-9A-Za-z_\-]{35})" + r"(?![A-Za-z0-9_\-])"),
        ("AIza",),
        random_looking,
    ),
    Provider(
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


def provider_matches(text: str) -> Iterator[SecretMatch]:
    if _PROVIDER_HINT.search(text) is None:
        return
    for provider in PROVIDERS:
        if not any(t in text for t in provider.triggers):
            continue
        for m in provider.pattern.finditer(text):
            body = next((g for g in m.groups() if g), "")
            value = m.group(0)
            if provider.body_ok(body) and not is_placeholder(body) and not is_placeholder(value):
                yield SecretMatch(m.start(), m.end(), provider.kind, provider.description, value)


def matches_provider(value: str) -> bool:
    """Whether a whole value has a provider's token format (so its length says nothing)."""
    for provider in PROVIDERS:
        m = provider.pattern.fullmatch(value)
        if m is not None:
            body = next((g for g in m.groups() if g), "")
            return provider.body_ok(body) and not is_placeholder(body)
    return False
