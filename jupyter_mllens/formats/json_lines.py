"""JSON Lines: one finding (or error) per line, for `jq`, log pipelines and streaming readers.

Each line is a self-contained JSON object in the same shape as an entry of the JSON format's
`findings` (with `"type": "finding"`) or `errors` (with `"type": "error"`), so a consumer
can process a large run line by line without holding the whole report.
"""

from __future__ import annotations

import json

from ..catalog import Catalog
from ..findings import SCHEMA_VERSION, Finding, LintError, LintResult


def render_json_lines(result: LintResult, catalog: Catalog) -> str:
    lines = [finding_line(finding) for finding in result.findings]
    lines += [error_line(error) for error in result.errors]
    return "\n".join(lines) + ("\n" if lines else "")


def finding_line(finding: Finding) -> str:
    """One finding's line, without the newline (`mllens check` streams these as files finish)."""
    return json.dumps({"type": "finding", "version": SCHEMA_VERSION, **finding.to_json()})


def error_line(error: LintError) -> str:
    return json.dumps({"type": "error", "version": SCHEMA_VERSION, **error.to_json()})
