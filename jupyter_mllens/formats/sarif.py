"""SARIF 2.1.0 for code-scanning dashboards, with rule help generated from the catalog.

Each result's region is in cell coordinates for notebooks; the cell index and id are given
as result properties and as a logical location (`cell 3`) so a viewer can find the cell.
"""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..catalog import Catalog, Rule
from ..findings import Finding, LintResult, Severity
from .location import cell_number

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
                "results": [_result(f, index) for f in result.findings],
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


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    location = _artifact(f.path)
    location["physicalLocation"]["region"] = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": f.location.end_line,
        "endColumn": f.location.end_column,
    }
    number = cell_number(f)
    if number is not None:
        location["logicalLocations"] = [{"name": f"cell {number}", "kind": "module"}]
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
            "pillars": list(f.pillars),
            "phase": f.phase,
            "lens": list(f.lens),
        },
    }
