"""The versioned JSON schema shared with the server extension (`LintResult.to_json`)."""

from __future__ import annotations

import json

from ..catalog import Catalog
from ..findings import LintResult


def render_json(result: LintResult, catalog: Catalog) -> str:
    return json.dumps(result.to_json(), indent=2) + "\n"
