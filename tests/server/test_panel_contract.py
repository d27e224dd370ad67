"""What the JupyterLab panel relies on from the server, beyond findings.

The panel takes pillar and phase names from `GET /mllens/rules` instead of repeating
them, and sends notebooks with text outputs and execution counts, which the server must
accept and hand to the engine as they came.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from jupyter_mllens import lens
from jupyter_mllens.config import Config
from jupyter_mllens.engine import Linter
from jupyter_mllens.findings import LintResult
from jupyter_mllens.server.service import LintService, parse_lint_request
from jupyter_mllens.workers import NotebookJob
from tests.conftest import notebook_json

Fetch = Callable[..., Awaitable[Any]]

LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'


def with_outputs() -> dict[str, Any]:
    """A notebook as the panel sends it after a run: counts and nbformat text outputs."""
    notebook = notebook_json("import warnings\nwarnings.warn('careful')\n", LEAKY, "1 / 0\n")
    first, second, third = notebook["cells"]
    first["execution_count"] = 1
    first["outputs"] = [
        {"output_type": "stream", "name": "stderr", "text": "UserWarning: careful\n"},
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/plain": "<Figure size 640x480>"},
        },
    ]
    second["execution_count"] = 2
    second["outputs"] = [
        {
            "output_type": "execute_result",
            "execution_count": 2,
            "metadata": {},
            "data": {"text/plain": "'Tr0ub4dor&3-horse'"},
        }
    ]
    third["execution_count"] = 3
    third["outputs"] = [
        {
            "output_type": "error",
            "ename": "ZeroDivisionError",
            "evalue": "division by zero",
            "traceback": ["ZeroDivisionError: division by zero"],
        }
    ]
    return notebook


class RecordingLinter(Linter):
    """The real engine, keeping a copy of every notebook it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[dict[str, Any]] = []

    def lint_notebook(self, notebook: Any, *args: Any, **kwargs: Any) -> LintResult:
        self.received.append(copy.deepcopy(notebook))
        return super().lint_notebook(notebook, *args, **kwargs)


async def test_rules_name_pillars_and_phases_in_order_with_short_pillar_titles(
    jp_fetch: Fetch,
) -> None:
    catalog = json.loads((await jp_fetch("mllens", "rules", method="GET")).body)
    assert list(catalog["pillars"]) == list(lens.PILLAR_IDS)
    assert list(catalog["phases"]) == list(lens.PHASE_IDS)
    assert catalog["pillars"]["operational-excellence"] == {
        "title": "Operational excellence",
        "short_title": "Operations",
        "description": lens.PILLARS[0].description,
    }
    assert all(p["short_title"] and p["description"] for p in catalog["pillars"].values())
    assert all(p["title"] and p["description"] for p in catalog["phases"].values())


async def test_lint_accepts_outputs_and_execution_counts(jp_fetch: Fetch) -> None:
    bare = {"path": "nb.ipynb", "notebook": notebook_json("import warnings\n", LEAKY, "1 / 0\n")}
    full = {"path": "nb.ipynb", "notebook": with_outputs()}
    answers = []
    for body in (bare, full):
        response = await jp_fetch("mllens", "lint", method="POST", body=json.dumps(body))
        assert response.code == 200
        answers.append(json.loads(response.body))
    assert answers[1]["errors"] == []
    assert [f["name"] for f in answers[1]["findings"]] == ["hardcoded-credentials"]
    assert answers[1]["findings"] == answers[0]["findings"]


def test_outputs_reach_the_engine_as_sent_in_process(tmp_path: Path) -> None:
    notebook = with_outputs()
    body = json.dumps({"path": "nb.ipynb", "notebook": notebook}).encode()
    linter = RecordingLinter()
    result = LintService(tmp_path, linter=linter).lint(parse_lint_request(body), body)
    assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]
    assert linter.received == [notebook]


def test_outputs_reach_the_engine_as_sent_in_a_worker_job(tmp_path: Path) -> None:
    """A pooled server sends the raw body; the worker's job decodes it for its `Linter`."""
    notebook = with_outputs()
    body = json.dumps({"path": "nb.ipynb", "notebook": notebook}).encode()
    linter = RecordingLinter()
    result = NotebookJob("nb.ipynb", body, Config(), tmp_path / "nb.ipynb").run(linter)
    assert [f.name for f in result.findings] == ["hardcoded-credentials"]
    [received] = linter.received
    assert [c["execution_count"] for c in received["cells"]] == [1, 2, 3]
    assert [c["outputs"] for c in received["cells"]] == [c["outputs"] for c in notebook["cells"]]
