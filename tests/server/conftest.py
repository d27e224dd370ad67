"""pytest-jupyter for the handler tests only: a real jupyter_server with the extension on.

The plugin's fixtures and hooks are imported here rather than through a root
`pytest_plugins`, so its autouse event-loop fixtures stay out of the other test folders
(the browser tests in particular, whose sync Playwright API they would break).
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest_jupyter.jupyter_server import *  # noqa: F403


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    """Enable only this extension, with a small body limit so the 413 test stays cheap."""
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyter_mllens": True},
            "tornado_settings": {"mllens_max_body_bytes": 64 * 1024},
        }
    }
