"""SARIF 2.1.0 for code-scanning dashboards, with rule help generated from the catalog.

How notebook locations are encoded: GitHub code scanning shows a result on the file it names
at the region's line, and for a notebook that file is the raw `.ipynb` JSON. So a notebook
result's `region` gives `startLine`/`endLine` in the `.ipynb` file: the JSON line holding the
offending source line (the element of the cell's `source` array; a `source` stored as one
string maps the whole cell to its line). Columns are left out there, as the JSON escapes
shift them. The place in the notebook as people see it is kept exactly: a logical location
`cell N` (1-based, markdown cells counted) and the properties `cell_index` (0-based),
`cell_id`, `cell_line`, `cell_column`, `cell_end_line` and `cell_end_column`. When the
notebook cannot be read again (stdin, a server request) the region falls back to cell
coordinates and the property `region` says `"cell"` instead of `"ipynb"`. Scripts' regions
are file lines and columns, as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .. import __version__
from ..catalog import Catalog, Rule
from ..findings import Finding, LintResult, Severity
from .ipynb_lines import IpynbLines
from .location import cell_number, part_label

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
_SECURITY_SEVERITY = {
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def render_sarif(result: LintResult, catalog: Catalog) -> str:
    lines_of = IpynbLines.lookup()

    rules = list(catalog.rules)
    index = {rule.code: i for i, rule in enumerate(rules)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mllens",
                        "fullName": "jupyter_mllens",
                        "version": __version__,
                        "informationUri": "https://github.com/jupyter-mllens/jupyter_mllens",
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "results": [_result(f, index, lines_of) for f in result.findings],
                "invocations": [
                    {
                        "executionSuccessful": not result.errors,
                        "toolExecutionNotifications": [
                            {
                                "level": "error",
                                "message": {"text": e.message},
                                "locations": [_artifact(e.path)],
                            }
                            for e in result.errors
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    practices = rule.best_practices
    help_md = "\n\n".join(
        [
            f"**What it does.** {rule.summary}",
            f"**Why is this bad?** {rule.why}",
            f"**How to fix.** {rule.fix}",
            "**ML Lens.** " + "; ".join(f"[{bp.citation()}]({bp.url})" for bp in practices),
        ]
    )
    properties: dict[str, Any] = {
        "tags": ["ml-lens", *rule.pillars, rule.phase, *rule.lens],
        "precision": rule.confidence,
        "pillars": list(rule.pillars),
        "phase": rule.phase,
        "lens": [bp.to_json() for bp in practices],
    }
    if "security" in rule.pillars:
        properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.summary},
        "help": {"text": f"{rule.why}\n\n{rule.fix}", "markdown": help_md},
        "helpUri": practices[0].url,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": properties,
    }


def _artifact(path: str) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": {"uri": path.replace("\\", "/")}}}


def _result(
    f: Finding, index: dict[str, int], lines_of: Callable[[str], IpynbLines | None]
) -> dict[str, Any]:
    location = _artifact(f.path)
    cell_region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.location.end_line,
        "endColumn": f.location.end_column,
    }
    location["physicalLocation"]["region"] = cell_region
    number = cell_number(f)
    extra: dict[str, Any] = {}
    part = part_label(f)
    if part is not None and f.cell_index is None:  # notebook metadata: the file's start
        location["physicalLocation"]["region"] = {"startLine": 1}
        location["logicalLocations"] = [{"name": part, "kind": "module"}]
    if number is not None and f.cell_index is not None:
        name = f"cell {number}" if part is None else f"cell {number} {part}"
        location["logicalLocations"] = [{"name": name, "kind": "module"}]
        mapping = lines_of(f.path)
        # An output's or metadata's lines are not source lines: point at the cell's first.
        first, last = (f.line, f.location.end_line) if part is None else (1, 1)
        start = mapping.line(f.cell_index, first) if mapping is not None else None
        end = mapping.line(f.cell_index, last) if mapping is not None else None
        if start is not None:
            location["physicalLocation"]["region"] = {
                "startLine": start,
                "endLine": max(start, end or start),
            }
        extra = {
            "region": "ipynb" if start is not None else "cell",
            "cell_line": f.line,
            "cell_column": f.column,
            "cell_end_line": f.location.end_line,
            "cell_end_column": f.location.end_column,
        }
    return {
        "ruleId": f.code,
        "ruleIndex": index.get(f.code, -1),
        "level": _LEVEL[f.severity],
        "message": {"text": f"{f.name}: {f.message}"},
        "locations": [location],
        "properties": {
            "name": f.name,
            "severity": f.severity.value,
            "cell_index": f.cell_index,
            "cell_id": f.cell_id,
            "part": f.part.value,
            "output": f.output,
            "pillars": list(f.pillars),
            "phase": f.phase,
            "lens": list(f.lens),
            **extra,
            **({} if f.fix is None else {"fix_applicability": f.fix.applicability.value}),
        },
        **_fixes(f),
    }


def _fixes(f: Finding) -> dict[str, Any]:
    """SARIF `fixes` for an applicable fix; its regions are in cell coordinates (the cell is
    named in each replacement's properties), as the sidebar and `--fix` apply them."""
    if f.fix is None or not f.fix.applicable:
        return {}
    replacements = [
        {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            },
            "insertedContent": {"text": edit.replacement},
            "properties": {
                "region": "cell",
                "cell_index": edit.cell_index,
                "cell_id": edit.cell_id,
            },
        }
        for edit in f.fix.edits
    ]
    change = {"artifactLocation": {"uri": f.path.replace("\\", "/")}, "replacements": replacements}
    return {
        "fixes": [
            {
                "description": {"text": f.fix.title},
                "artifactChanges": [change],
                "properties": {"applicability": f.fix.applicability.value},
            }
        ]
    }
