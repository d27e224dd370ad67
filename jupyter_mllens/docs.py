"""Rule documentation generated from the catalog (`docs/rules.md`, `mllens explain`).

Written in Ruff's shape (what it does, why is this bad, example, use instead) plus the
rule's place in the ML Lens, so the docs can never drift from the rules that run.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .catalog import Catalog, Rule, load_catalog
from .checkers import CHECKERS
from .lens import PHASES, PILLARS, phase, pillar

DOCS_PATH = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def rule_markdown(rule: Rule, heading: str = "#") -> str:
    pillars = ", ".join(pillar(p).title for p in rule.pillars)
    lines = [
        f"{heading} {rule.name} ({rule.code})",
        "",
        f"**{rule.title}.** Severity: {rule.severity.value}. "
        f"Pillar{'s' if len(rule.pillars) > 1 else ''}: {pillars}. "
        f"Lifecycle phase: {phase(rule.phase).title}. Confidence: {rule.confidence}.",
        "",
        "ML Lens best practices:",
        "",
    ]
    lines += [f"- [{bp.citation()}]({bp.url})" for bp in rule.best_practices]
    lines += ["", "## What it does", "", rule.summary, "", "## Why is this bad?", "", rule.why, ""]
    lines += ["## How to fix it", "", rule.fix, ""]
    lines += _autofix_markdown(rule)
    lines += _options_markdown(rule)
    lines += _reference_markdown(rule)
    for label, examples in (("Example", rule.bad), ("Use instead", rule.good)):
        lines += [f"## {label}", ""]
        if any(example.has_saved_state for example in examples):
            lines += [
                "In these examples a `# %%` line starts a new notebook cell (`# %% In [3]`: saved"
                " with execution count 3; `# %% [markdown]`: a markdown cell; `# %% Out`: the"
                " saved output of the cell above).",
                "",
            ]
        elif any(len(example.cells()) > 1 for example in examples):
            lines += ["In these examples a `# %%` line starts a new notebook cell.", ""]
        for example in examples:
            if example.title:
                lines += [f"*{example.title}*", ""]
            lines += ["```python", example.source.strip("\n"), "```", ""]
    lines += [
        "## Suppressing it",
        "",
        f"Add `# mllens: ignore[{rule.name}]` at the end of the line, alone on the first line of a "
        f"cell to cover the cell, or list `{rule.name}` in the notebook metadata "
        '`{"mllens": {"ignore": [...]}}` or in `ignore` under `[tool.mllens]`.',
    ]
    return "\n".join(lines).replace("\n## ", f"\n{heading}# ")


_SAFETY = {
    "safe": "The fix is **safe**: behaviour stays the same, and `mllens check --fix` applies it.",
    "unsafe": "The fix is **unsafe**: it changes behaviour, so it is applied only with "
    "`mllens check --fix --unsafe-fixes` (preview it with `--diff --unsafe-fixes`).",
    "display-only": "The fix is **display-only**: it needs a value only you know, so the "
    "finding shows a template to complete by hand and nothing is applied.",
}


def _autofix_markdown(rule: Rule) -> list[str]:
    """The rule's fix and its safety, as ruff's "Fix safety" section."""
    if rule.autofix is None:
        return ["## Fix", "", "No automatic fix.", ""]
    spec = rule.autofix
    lines = ["## Fix", "", f"{spec.title}. {_SAFETY[spec.safety.value]}", ""]
    if spec.template:
        lines += ["```python", spec.template.strip("\n"), "```", ""]
    example = next((example for example in rule.bad if example.fixed is not None), None)
    if example is not None and example.fixed is not None:
        lines += [f"With the fix, the example *{example.title}* below becomes:", ""]
        lines += ["```python", example.fixed.strip("\n"), "```", ""]
    return lines


def _options_markdown(rule: Rule) -> list[str]:
    """The keys a team may set for the rule, each extending the rule's shipped knowledge."""
    options = next((cls.options for cls in CHECKERS if cls.name == rule.name), {})
    if not options:
        return []
    lines = [
        "## Options",
        "",
        f"Teach the rule about your own libraries in `[tool.mllens.rules.{rule.name}]` "
        "(`pyproject.toml`, or `[rules.{name}]` in `mllens.toml`); each list adds to what the "
        "rule already knows:".replace("{name}", rule.name),
        "",
    ]
    lines += [f"- `{key}`: {description}" for key, description in options.items()]
    return [*lines, ""]


def _reference_markdown(rule: Rule) -> list[str]:
    """What the rule's checker knows in code (`Checker.reference`), as it documents it."""
    reference = next((cls.reference for cls in CHECKERS if cls.name == rule.name), ())
    return [*reference, ""] if reference else []


def catalog_markdown(catalog: Catalog) -> str:
    lines = [
        "# Rules",
        "",
        "<!-- Generated from rules/*.toml by `python -m jupyter_mllens.docs`; do not edit. -->",
        "",
        "Every rule cites the best practices of the AWS Well-Architected Machine Learning Lens "
        "(2025 IDs, with the 2023 whitepaper IDs in parentheses) that it helps you meet. "
        "Severities follow the [severity policy](severity.md): `high` is kept for what a "
        "reviewer would block a merge on, and a rule may report a case of less weight lower "
        "(a SageMaker-managed job's tracking gap is `info`).",
        "",
        "| Code | Name | Severity | Pillars | Phase |",
        "|---|---|---|---|---|",
    ]
    for rule in catalog.rules:
        pillars = ", ".join(pillar(p).title for p in rule.pillars)
        lines.append(
            f"| {rule.code} | [{rule.name}](#{rule.name}-{rule.code.lower()}) | {rule.severity.value} "
            f"| {pillars} | {phase(rule.phase).title} |"
        )
    lines += ["", "## Pillars", ""]
    lines += [f"- **{p.title}**: {p.description}" for p in PILLARS]
    lines += ["", *_pillar_phase_table(catalog)]
    for rule in catalog.rules:
        lines += ["", rule_markdown(rule, heading="##")]
    return "\n".join(lines) + "\n"


def _pillar_phase_table(catalog: Catalog) -> list[str]:
    """Which rules cover each pillar in each lifecycle phase: the lens's grid, filled in."""
    lines = [
        "## Pillars by lifecycle phase",
        "",
        "A rule appears under every pillar it serves, in the phase its best practice belongs to.",
        "",
        "| Pillar | " + " | ".join(p.title for p in PHASES) + " |",
        "|---" * (len(PHASES) + 1) + "|",
    ]
    for row in PILLARS:
        cells = []
        for column in PHASES:
            names = [
                f"[{rule.name}](#{rule.name}-{rule.code.lower()})"
                for rule in catalog.rules
                if row.id in rule.pillars and rule.phase == column.id
            ]
            cells.append(", ".join(names) or "-")
        lines.append(f"| {row.title} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    """Regenerate docs/rules.md; with `--check`, fail when it is stale instead."""
    text = catalog_markdown(load_catalog())
    if "--check" in sys.argv[1:]:
        current = DOCS_PATH.read_text("utf-8") if DOCS_PATH.exists() else ""
        if current != text:
            print("docs/rules.md is stale: run `python -m jupyter_mllens.docs`", file=sys.stderr)
            return 1
        return 0
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
