"""A rule's `[autofix]` table: the fix's safety and which declarative action makes it.

Adding a fix to a rule is a catalog edit, not a new class: name an action from
`actions.ACTIONS` with its parameters, state the safety, and give each `[[bad]]` example
its `fixed` source. Display-only fixes name no action and carry a `template`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .model import Applicability

#: The names of `actions.ACTIONS`, kept here so loading the catalog never imports libcst
#: (a run served from the cache must not); `tests/test_fixes.py` checks the two agree.
ACTION_NAMES = ("drop-keyword", "add-keyword", "replace-callee", "replace-literal")

_KEYS = frozenset(
    {"safety", "title", "action", "template", "keyword", "value", "callee", "matches"}
)


@dataclass(frozen=True)
class FixSpec:
    safety: Applicability
    title: str
    action: str | None = None
    template: str | None = None
    #: Action parameters: the keyword to drop or add (for `replace-callee`, one the new
    #: callee does not take, dropped with the old one), its value, the new callee.
    keyword: str | None = None
    value: str | None = None
    callee: str | None = None
    #: A regex to match in full: the string's value for `replace-literal`, the callee as
    #: written for `replace-callee` (a rule whose findings name several callees fixes some).
    matches: str | None = None


def parse_fix_spec(raw: Any) -> FixSpec | None:
    """`ValueError` on a malformed table, so a bad entry fails at catalog load."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ValueError("'autofix' must be a table")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ValueError(f"autofix: unknown key(s) {', '.join(sorted(unknown))}")
    try:
        safety = Applicability(raw.get("safety"))
    except ValueError:
        choices = ", ".join(a.value for a in Applicability)
        raise ValueError(f"autofix: 'safety' must be one of {choices}") from None
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("autofix: 'title' must be a non-empty string")
    spec = FixSpec(
        safety=safety,
        title=title.strip(),
        action=raw.get("action"),
        template=raw.get("template"),
        keyword=raw.get("keyword"),
        value=raw.get("value"),
        callee=raw.get("callee"),
        matches=raw.get("matches"),
    )
    if safety is Applicability.DISPLAY_ONLY:
        if not spec.template or spec.action is not None:
            raise ValueError("autofix: a display-only fix has a 'template' and no 'action'")
    elif spec.action is None:
        raise ValueError("autofix: a safe or unsafe fix names its 'action'")
    elif spec.action not in ACTION_NAMES:
        names = ", ".join(ACTION_NAMES)
        raise ValueError(f"autofix: unknown action {spec.action!r} (one of {names})")
    return spec
