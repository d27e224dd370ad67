"""The jupyter_server extension behind the JupyterLab panel: `/mllens/lint`, `/mllens/rules`.

Enabled automatically by `etc/jupyter/jupyter_server_config.d/jupyter_mllens.json` from
the wheel. One `Linter` (and its per-cell cache) serves the whole server process; linting
is CPU-bound, so it runs in a small thread pool and never on the event loop.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..engine import Linter
from .handlers import handlers
from .service import LintService

#: Two workers: one lint in flight per open notebook is the common case, and a second
#: keeps a slow notebook from queueing the others behind it.
MAX_WORKERS = 2


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyter_mllens.server"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the handlers on `server_app`, bounded by its root directory."""
    root = Path(server_app.root_dir).expanduser()
    service = LintService(root, Linter())
    executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="mllens")
    web_app = server_app.web_app
    web_app.add_handlers(".*$", handlers(web_app.settings["base_url"], service, executor))
    server_app.log.info("jupyter_mllens: serving /mllens/lint and /mllens/rules for %s", root)
