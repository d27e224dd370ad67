"""The declarative rule catalog (`rules/*.toml`): one file per rule, the single source.

A rule's entry names it (code, kebab-case name, title), places it in the lens (pillars,
lifecycle phase, best-practice IDs), rates it (severity, confidence), explains it (summary,
why, fix) and shows it (bad and good examples). Detection code is looked up by name; the
examples become tests; `docs/rules.md`, `mllens explain`, SARIF rule metadata and the
JupyterLab panel's pillar context are all generated from these entries.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import lens
from .findings import Severity
from .fixes.spec import FixSpec, parse_fix_spec
from .knowledge import KnowledgeError, validate
from .lens import BestPractice
from .reader import code_notebook
from .specs import Spec, parse_specs

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

_CODE = re.compile(r"^MLL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


class CatalogError(ValueError):
    """A malformed rule entry; raised at load time so a bad entry never ships."""


_CELL_MARKER = re.compile(r"^# %%.*$", re.MULTILINE)
_PART_MARKER = re.compile(r"^# %%(?P<rest>.*)$", re.MULTILINE)
_EXECUTION_COUNT = re.compile(r"In \[(?P<count>\d+)\]")
_OUTPUT = re.compile(r"Out(?: \[(?P<kind>[\w/+.\-]+)\])?")


@dataclass(frozen=True, order=True)
class Expected:
    """One finding a bad example must produce: where (1-based cell of the example, line and
    column in it) and worded how, as Fixit's `Invalid` pins its cases."""

    cell: int
    line: int
    column: int
    message: str
    #: For a finding in a saved output: its 0-based index among the cell's outputs.
    output: int | None = None


@dataclass(frozen=True)
class Example:
    """A bad or good example; `# %%` lines separate the cells of a multi-cell example.

    A bad example's `expect` lists every finding of its rule, exactly; `count` only says how many.
    """

    source: str
    title: str = ""
    count: int | None = None
    expect: tuple[Expected, ...] = ()
    #: The example's source after its rule's fixes (safe and unsafe) are applied.
    fixed: str | None = None

    def cells(self) -> list[str]:
        parts = _CELL_MARKER.split(self.source.strip("\n"))
        return [part.strip("\n") for part in parts]

    def notebook(self) -> dict[str, Any]:
        """The example as nbformat 4 notebook JSON.

        A `# %%` line starts a code cell (`# %% In [3]`: one saved with execution count 3),
        `# %% [markdown]` and `# %% [raw]` prose cells. `# %% Out` adds a saved stdout stream
        to the code cell above (`# %% Out [text/plain]`, `[text/html]`: a result;
        `[error]`: a traceback, one frame per line; `[image/png]`: an image), and
        `# %% [metadata]` (`[notebook metadata]`) sets its metadata (the notebook's) from JSON.
        """
        if not self.has_saved_state:
            return code_notebook(self.cells())
        return _example_notebook(self.source.strip("\n"))

    @property
    def has_saved_state(self) -> bool:
        """True when a marker says more than "a code cell": prose, outputs, counts, metadata."""
        return any(m.group("rest").strip() for m in _PART_MARKER.finditer(self.source))


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    title: str
    severity: Severity
    pillars: tuple[str, ...]
    phase: str
    lens: tuple[str, ...]
    confidence: str
    summary: str
    why: str
    fix: str
    bad: tuple[Example, ...]
    good: tuple[Example, ...]
    #: Declarative detection (`[[detect]]`): a rule with specs needs no checker class.
    detect: tuple[Spec, ...] = ()
    #: Library knowledge (`[knowledge]`): key -> entries, shapes checked by `knowledge.py`.
    knowledge: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The rule's fix (`[autofix]`): its safety and how it is made (`fixes/spec.py`).
    autofix: FixSpec | None = None

    @property
    def best_practices(self) -> tuple[BestPractice, ...]:
        return tuple(lens.best_practice(bp) for bp in self.lens)

    def knowledge_of(self, key: str) -> tuple[str, ...]:
        """The shipped entries of one `[knowledge]` key (none when the rule has no such key)."""
        return next((values for name, values in self.knowledge if name == key), ())

    def matches(self, selector: str) -> bool:
        """A selector is a rule name, a code, a code prefix such as `MLL1`, `ALL`, or a pillar
        or lifecycle phase (`security`, `deployment`): every rule of that pillar or phase."""
        selector = selector.strip()
        if selector.upper() == "ALL":
            return True
        key = selector.lower().replace("_", "-").replace(" ", "-")
        if key in self.pillars or key == self.phase:
            return True
        return selector == self.name or self.code.startswith(selector.upper())

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "title": self.title,
            "severity": self.severity.value,
            "pillars": list(self.pillars),
            "phase": self.phase,
            "lens": [bp.to_json() for bp in self.best_practices],
            "confidence": self.confidence,
            "summary": self.summary,
            "why": self.why,
            "fix": self.fix,
            "autofix": None
            if self.autofix is None
            else {
                "safety": self.autofix.safety.value,
                "title": self.autofix.title,
                "template": self.autofix.template,
            },
            "examples": {
                "bad": [{"title": e.title, "source": e.source} for e in self.bad],
                "good": [{"title": e.title, "source": e.source} for e in self.good],
            },
        }


@dataclass(frozen=True)
class Catalog:
    rules: tuple[Rule, ...]

    def get(self, name_or_code: str) -> Rule | None:
        key = name_or_code.strip()
        for rule in self.rules:
            if key in (rule.name, rule.code) or key.upper() == rule.code:
                return rule
        return None

    def select(self, selectors: list[str] | tuple[str, ...]) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if any(r.matches(s) for s in selectors))

    def is_selector(self, selector: str) -> bool:
        """A rule's name or code (prefix), `ALL`, or any pillar or phase, with rules or not."""
        key = selector.strip().lower().replace("_", "-").replace(" ", "-")
        if key in lens.PILLAR_IDS or key in lens.PHASE_IDS:
            return True
        return any(rule.matches(selector) for rule in self.rules)

    def to_json(self) -> dict[str, Any]:
        """`GET /mllens/rules`: pillars in framework order and phases in lifecycle order
        (JSON objects keep that order), so no face has to repeat their names."""
        return {
            "version": 1,
            "rules": [rule.to_json() for rule in self.rules],
            "pillars": {
                p.id: {"title": p.title, "short_title": p.short_title, "description": p.description}
                for p in lens.PILLARS
            },
            "phases": {p.id: {"title": p.title, "description": p.description} for p in lens.PHASES},
        }


def rules_directory() -> Traversable | Path:
    """The catalog shipped in the wheel, or the repository's `rules/` in a source checkout."""
    shipped = resources.files("jupyter_mllens").joinpath("rules")
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "rules"


@cache
def load_catalog() -> Catalog:
    directory = rules_directory()
    rules = [
        parse_rule(entry.read_text("utf-8"), entry.name)
        for entry in directory.iterdir()
        if entry.name.endswith(".toml")
    ]
    rules.sort(key=lambda r: r.code)
    _check_unique(rules)
    return Catalog(tuple(rules))


def parse_rule(text: str, origin: str) -> Rule:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{origin}: invalid TOML: {exc}") from None
    try:
        rule = Rule(
            code=_field(raw, "code", origin),
            name=_field(raw, "name", origin),
            title=_field(raw, "title", origin),
            severity=Severity.parse(_field(raw, "severity", origin)),
            pillars=tuple(raw["pillars"]),
            phase=_field(raw, "phase", origin),
            lens=tuple(raw["lens"]),
            confidence=raw.get("confidence", "high"),
            summary=_field(raw, "summary", origin).strip(),
            why=_field(raw, "why", origin).strip(),
            fix=_field(raw, "fix", origin).strip(),
            bad=tuple(_example(item, origin) for item in raw.get("bad", [])),
            good=tuple(_example(item, origin) for item in raw.get("good", [])),
            detect=parse_specs(raw.get("detect")),
            knowledge=_knowledge(raw, origin),
            autofix=parse_fix_spec(raw.get("autofix")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{origin}: {exc}") from None
    _validate(rule, origin)
    return rule


def _field(raw: dict[str, Any], key: str, origin: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{origin}: '{key}' must be a non-empty string")
    return value


def _knowledge(raw: dict[str, Any], origin: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = raw.get("knowledge", {})
    if not isinstance(table, dict):
        raise CatalogError(f"{origin}: 'knowledge' must be a table of key = [entries]")
    name = raw.get("name", "")
    entries: list[tuple[str, tuple[str, ...]]] = []
    for key, value in table.items():
        try:
            values = validate(name, key, value)
        except KnowledgeError as exc:
            raise CatalogError(f"{origin}: knowledge.{key}: {exc}") from None
        if len(set(values)) != len(values):
            duplicate = next(v for v in values if values.count(v) > 1)
            raise CatalogError(f"{origin}: knowledge.{key}: {duplicate!r} is listed twice")
        entries.append((key, values))
    return tuple(entries)


def _example(item: Any, origin: str) -> Example:
    if not isinstance(item, dict) or not isinstance(item.get("source"), str):
        raise CatalogError(f"{origin}: every example needs a 'source' string")
    count = item.get("count")
    expect = item.get("expect", [])
    if not isinstance(expect, list):
        raise CatalogError(f"{origin}: 'expect' must be an array of tables")
    expected: list[Expected] = []
    for entry in expect:
        required = {"cell", "line", "column", "message"}
        if not isinstance(entry, dict) or not required <= set(entry) <= {*required, "output"}:
            raise CatalogError(
                f"{origin}: each [[bad.expect]] needs exactly cell, line, column and message"
                " (and output, for a finding in a saved output)"
            )
        output = entry.get("output")
        expected.append(
            Expected(
                int(entry["cell"]),
                int(entry["line"]),
                int(entry["column"]),
                entry["message"],
                None if output is None else int(output),
            )
        )
    fixed = item.get("fixed")
    if fixed is not None and not isinstance(fixed, str):
        raise CatalogError(f"{origin}: 'fixed' must be a string")
    return Example(
        source=item["source"],
        title=item.get("title", ""),
        count=count,
        expect=tuple(expected),
        fixed=fixed,
    )


def _example_notebook(source: str) -> dict[str, Any]:
    notebook = code_notebook([])
    cells: list[dict[str, Any]] = notebook["cells"]
    markers = list(_PART_MARKER.finditer(source))
    parts = [("", source[: markers[0].start()] if markers else source)]
    for n, marker in enumerate(markers):
        end = markers[n + 1].start() if n + 1 < len(markers) else len(source)
        parts.append((marker.group("rest").strip(), source[marker.end() : end]))
    for rest, raw in parts:
        text = raw.strip("\n")
        if not rest and not text and not cells and raw is parts[0][1]:
            continue  # nothing before the first marker
        output = _OUTPUT.fullmatch(rest)
        if output is not None:
            kind = output.group("kind") or "stream"
            cells[-1]["outputs"].append(_example_output(kind, text))
        elif rest in ("[metadata]", "[notebook metadata]"):
            target = cells[-1] if rest == "[metadata]" else notebook
            target["metadata"].update(json.loads(text))
        elif rest in ("[markdown]", "[raw]"):
            cell_type = rest[1:-1]
            cells.append(
                {"cell_type": cell_type, "id": f"cell-{len(cells)}", "metadata": {}, "source": text}
            )
        else:
            count = _EXECUTION_COUNT.fullmatch(rest)
            cell = code_notebook([text])["cells"][0]
            cell["id"] = f"cell-{len(cells)}"
            cell["execution_count"] = int(count.group("count")) if count else None
            cells.append(cell)
    return notebook


def _example_output(kind: str, text: str) -> dict[str, Any]:
    if kind == "stream":
        return {"output_type": "stream", "name": "stdout", "text": text + "\n"}
    if kind == "error":
        return {
            "output_type": "error",
            "ename": "Error",
            "evalue": "",
            "traceback": text.split("\n"),
        }
    data = {kind: text} if kind.startswith("text/") else {kind: text, "text/plain": "<Figure>"}
    return {"output_type": "display_data", "data": data, "metadata": {}}


def _validate(rule: Rule, origin: str) -> None:
    problems: list[str] = []
    if not _CODE.match(rule.code):
        problems.append(f"code {rule.code!r} is not of the form MLLnnn")
    if not _NAME.match(rule.name):
        problems.append(f"name {rule.name!r} is not kebab-case")
    if not origin.startswith(f"{rule.code}-{rule.name}"):
        problems.append(f"file should be named {rule.code}-{rule.name}.toml")
    problems += [f"unknown pillar {p!r}" for p in rule.pillars if p not in lens.PILLAR_IDS]
    if not rule.pillars:
        problems.append("at least one pillar is required")
    if rule.phase not in lens.PHASE_IDS:
        problems.append(f"unknown phase {rule.phase!r}")
    problems += [
        f"unknown best practice {bp!r}" for bp in rule.lens if bp not in lens.best_practices()
    ]
    if not rule.lens:
        problems.append("at least one ML Lens best practice is required")
    if rule.confidence not in ("high", "medium", "low"):
        problems.append(f"confidence must be high, medium or low, not {rule.confidence!r}")
    if not rule.bad or not rule.good:
        problems.append("a rule needs at least one bad and one good example")
    if problems:
        raise CatalogError(f"{origin}: " + "; ".join(problems))


def _check_unique(rules: list[Rule]) -> None:
    for attr in ("code", "name"):
        seen: set[str] = set()
        for rule in rules:
            value = getattr(rule, attr)
            if value in seen:
                raise CatalogError(f"duplicate rule {attr} {value!r}")
            seen.add(value)
