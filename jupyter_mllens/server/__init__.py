"""The jupyter_server extension behind the JupyterLab panel: `/mllens/lint`, `/mllens/rules`.

Enabled automatically by `etc/jupyter/jupyter_server_config.d/jupyter_mllens.json` from
the wheel. Linting runs in a small pool of worker processes (`jupyter_mllens.workers`),
never in the server process: libcst's native parser can crash or stall on a hostile cell,
and the user's server, kernels and unsaved work must not go down with it. Threads wait on
the workers, so the event loop stays free.

Settings (`ServerApp.tornado_settings`):

- `mllens_workers`: worker processes (default: 2, or fewer CPUs);
- `mllens_lint_timeout`: seconds one lint may take before its worker is replaced (20);
- `mllens_max_body_bytes`: the largest request body (5 MiB).
"""

from __future__ import annotations

import atexit
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ..cpus import available_cpus
from ..workers import WorkerPool
from .handlers import handlers
from .service import LintService

#: One lint in flight per open notebook is the common case; a second worker keeps a slow
#: notebook from queueing the others behind it.
DEFAULT_WORKERS = 2
#: Far above any real notebook (a 10,000-cell notebook lints in seconds), short enough that
#: a pathological one frees its worker before the user gives up on the panel.
DEFAULT_LINT_TIMEOUT = 20.0
#: Waiting threads per worker: requests for notebooks sharing a worker queue on it, and
#: the others should still find a thread free to wait on theirs.
THREADS_PER_WORKER = 4


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyter_mllens.server"}]


def default_workers() -> int:
    return min(DEFAULT_WORKERS, available_cpus())


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the handlers on `server_app`, bounded by its root directory.

    The workers start in the background, so the server's start-up does not wait for them;
    they stop with the server (at exit, or as soon as their pipe to it closes).
    """
    root = Path(server_app.root_dir).expanduser()
    web_app = server_app.web_app
    settings = web_app.settings
    workers = int(settings.get("mllens_workers", default_workers()))
    timeout = float(settings.get("mllens_lint_timeout", DEFAULT_LINT_TIMEOUT))
    pool = WorkerPool(max(1, workers), timeout=timeout if timeout > 0 else None)
    pool.start_in_background()
    _close_at_exit(pool)
    settings["mllens_pool"] = pool  # so whoever stops the server early can stop the pool
    service = LintService(root, pool=pool)
    executor = ThreadPoolExecutor(
        max_workers=pool.size * THREADS_PER_WORKER, thread_name_prefix="mllens"
    )
    web_app.add_handlers(".*$", handlers(settings["base_url"], service, executor))
    server_app.log.info(
        "jupyter_mllens: serving /mllens/lint and /mllens/rules for %s (%d worker processes)",
        root,
        pool.size,
    )


def _close_at_exit(pool: WorkerPool) -> None:
    """Stop the workers when the server process exits, as early as the interpreter allows.

    `threading`'s exit hooks run before the interpreter joins its remaining threads; a
    thread waiting on a stalled lint would otherwise hold the exit up until the time limit.
    `atexit` is the fallback where that hook does not exist.
    """
    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        register(pool.close)
    atexit.register(pool.close)
