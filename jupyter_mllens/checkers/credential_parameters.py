"""Which parameters of which APIs take a credential, and which look like one but do not.

A literal passed to `wandb.login(key=...)` or `psycopg2.connect(password=...)` is a secret
whatever it looks like: the parameter says so, so `hardcoded-credentials` reports any literal
there that is not a placeholder, even a short or low-entropy one (`"admin.apikey"`,
`"12345678"`). The reverse also holds: diffusers' `load_textual_inversion(..., token=...)`
takes the trigger word of an embedding (`"EasyNegative"`), not an access token, although
`token` is a credential name everywhere else.

The knowledge is data, one `callable:keyword` entry per parameter, in the `[knowledge]`
table of `rules/MLL101-hardcoded-credentials.toml`; a team adds its own APIs in
`[tool.mllens.rules.hardcoded-credentials]`. This module turns the entries into the
lookups the checker needs, once per distinct table.
"""

from __future__ import annotations

from functools import cache

from ..knowledge import CallKeyword, call_keywords


@cache
def parameters_by_package(entries: tuple[str, ...]) -> dict[str, tuple[CallKeyword, ...]]:
    """Index the parameters by top-level package, so a call is tested only against its own."""
    index: dict[str, list[CallKeyword]] = {}
    for parameter in call_keywords(entries):
        if parameter.callable is not None:
            index.setdefault(parameter.callable.root, []).append(parameter)
    return {package: tuple(rows) for package, rows in index.items()}


@cache
def not_credential_parameters(entries: tuple[str, ...]) -> frozenset[tuple[str, str]]:
    """(method, keyword) pairs whose name says "credential" but whose value is not one."""
    return frozenset(
        (entry.callable.last if entry.callable is not None else "", entry.keyword)
        for entry in call_keywords(entries)
    )
