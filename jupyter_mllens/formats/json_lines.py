"""JSON Lines: one finding (or error) per line, for `jq`, log pipelines and streaming readers.

Each line is a self-contained JSON object in the same shape as an entry of the JSON format's
`findings` (with `"type": "finding"`) or `errors` (with `"type": "error"`), so a consumer
can process a large run line by line without holding the whole report.
"""

from __future__ import annotations

import json

from ..catalog import Catalog
from ..findings import SCHEMA_VERSION, LintResult


def render_json_lines(result: LintResult, catalog: Catalog) -> str:
    lines = [
        json.dumps({"type": "finding", "version": SCHEMA_VERSION, **finding.to_json()})
        for finding in result.findings
    ]
    lines += [
        json.dumps({"type": "error", "version": SCHEMA_VERSION, **error.to_json()})
        for error in result.errors
    ]
    return "\n".join(lines) + ("\n" if lines else "")
