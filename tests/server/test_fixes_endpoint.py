"""`POST /mllens/lint` answers with each finding's fix, in cell coordinates, through a real
jupyter_server: what the sidebar's Fix button applies."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from jupyter_mllens.fixes.apply import apply_edits
from jupyter_mllens.fixes.model import Fix
from tests.conftest import notebook_json

Fetch = Callable[..., Awaitable[Any]]

CELLS = (
    "import requests\n",
    'resp = requests.get("https://data.example.org/a.csv", verify=False)\n'
    'token = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"\n',
)


async def test_the_answer_carries_fixes_as_edits_in_cell_coordinates(jp_fetch: Fetch) -> None:
    body = {"path": "nb.ipynb", "notebook": notebook_json(*CELLS, markdown_first=True)}
    response = await jp_fetch("mllens", "lint", method="POST", body=json.dumps(body))
    assert response.code == 200
    raw = response.body.decode()
    assert "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12" not in raw
    findings = {f["name"]: f for f in json.loads(raw)["findings"]}
    tls = Fix.from_json(findings["tls-verification-disabled"]["fix"])
    assert tls.applicability.value == "unsafe"
    assert {(e.cell_index, e.cell_id) for e in tls.edits} == {(2, "c1")}
    assert apply_edits(CELLS[1], tls.edits).startswith(
        'resp = requests.get("https://data.example.org/a.csv")\n'
    )
    secret = Fix.from_json(findings["hardcoded-credentials"]["fix"])
    # atomic over two cells: the import goes to the first import cell
    assert [(e.cell_index, e.replacement) for e in secret.edits] == [
        (1, "import os\n"),
        (2, 'os.environ["TOKEN"]'),
    ]
