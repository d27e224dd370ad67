"""Declarative detection: rules whose whole logic is a pattern, written in the catalog.

Many lifecycle anti-patterns are one call or one shell flag: `requests.get(url, verify=False)`,
`put_object(..., ACL="public-read")`, `curl -k`. Such a rule needs no Python: its catalog
entry carries `[[detect]]` tables and `checkers/specs.py` runs them, with the same name
resolution, suppression and masking as every other rule. Three kinds:

* **a call** of one of `calls` (qualified names or prefixes, resolved through imports and
  the binding in force: `requests.Session()` covers every method called on a session);
* **a call with a keyword set to a literal**: `keyword = "verify"`, `values = [false]`
  (a dotted keyword reads a dict literal: `ExtraArgs.ACL`);
* **a call without any of some keywords**: `without = ["max_run"]` (a call passing
  `**kwargs` is left alone: its keywords are unknown);
* **a shell flag**: `program = "curl"`, `flags = ["-k", "--insecure"]` in `!` escapes and
  shell cell magics (a flag with a value is written `"--acl public-read"`).

`message` may use `{callee}` (the callee as written), `{keyword}`, `{value}` and `{flag}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Literal = str | bool | int | float | None


class SpecError(ValueError):
    """A `[[detect]]` table that cannot be used."""


@dataclass(frozen=True)
class CallSpec:
    calls: tuple[str, ...]
    message: str
    keyword: str | None = None
    values: tuple[Literal, ...] = ()
    without: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShellSpec:
    program: str
    flags: tuple[str, ...]
    message: str


Spec = CallSpec | ShellSpec


def parse_specs(raw: Any) -> tuple[Spec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise SpecError("'detect' must be an array of tables ([[detect]])")
    return tuple(_spec(item) for item in raw)


def _strings(item: dict[str, Any], key: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SpecError(f"[[detect]] '{key}' must be a list of non-empty strings")
    return tuple(value)


def _spec(item: Any) -> Spec:
    if not isinstance(item, dict):
        raise SpecError("each [[detect]] must be a table")
    message = item.get("message")
    if not isinstance(message, str) or not message.strip():
        raise SpecError("each [[detect]] needs a 'message'")
    if "program" in item:
        unknown = set(item) - {"program", "flags", "message"}
        if unknown:
            raise SpecError(f"[[detect]] shell spec: unknown key(s) {sorted(unknown)}")
        program = item["program"]
        flags = _strings(item, "flags")
        if not isinstance(program, str) or not program or not flags:
            raise SpecError("[[detect]] shell spec needs a 'program' and 'flags'")
        return ShellSpec(program, flags, message.strip())
    unknown = set(item) - {"calls", "keyword", "values", "without", "message"}
    if unknown:
        raise SpecError(f"[[detect]] call spec: unknown key(s) {sorted(unknown)}")
    calls = _strings(item, "calls")
    if not calls:
        raise SpecError("[[detect]] call spec needs 'calls'")
    keyword = item.get("keyword")
    values = item.get("values", [])
    without = _strings(item, "without")
    if keyword is not None and (not isinstance(keyword, str) or not isinstance(values, list)):
        raise SpecError("[[detect]] 'keyword' must be a string, with 'values' a list")
    if keyword is not None and not values:
        raise SpecError("[[detect]] 'keyword' needs the 'values' that are reported")
    if keyword is not None and without:
        raise SpecError("[[detect]] takes 'keyword' or 'without', not both")
    return CallSpec(calls, message.strip(), keyword, tuple(values), without)
