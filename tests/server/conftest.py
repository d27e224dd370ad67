"""pytest-jupyter for the handler tests only: a real jupyter_server with the extension on.

The plugin's fixtures and hooks are imported here rather than through a root
`pytest_plugins`, so its autouse event-loop fixtures stay out of the other test folders
(the browser tests in particular, whose sync Playwright API they would break).
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403

from jupyter_mllens.workers import FAULTS_ENV

#: Per-lint time limit in these tests: far above a real notebook's lint, short enough
#: that the time-limit tests stay quick.
LINT_TIMEOUT = 5


@pytest.fixture
def jp_server_config(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Enable only this extension, with a small body limit so the 413 test stays cheap.

    The workers' test seam is switched on (see `jupyter_mllens.workers.FAULTS_ENV`), so
    notebooks named `mllens-test-crash*` / `mllens-test-hang*` crash or stall a worker.
    """
    monkeypatch.setenv(FAULTS_ENV, "1")
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyter_mllens": True},
            "tornado_settings": {
                "mllens_max_body_bytes": 64 * 1024,
                "mllens_lint_timeout": LINT_TIMEOUT,
            },
        }
    }


@pytest.fixture(autouse=True)
def stop_lint_workers(jp_serverapp: Any) -> Any:
    """Each test gets a fresh server, and so a fresh worker pool: stop it with the test."""
    yield
    pool = jp_serverapp.web_app.settings.get("mllens_pool")
    if pool is not None:
        pool.close()
