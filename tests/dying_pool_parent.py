"""Start a worker pool, print its workers' pids, then die without closing it.

Run by `test_workers.py`: `python dying_pool_parent.py idle|busy`. With `busy`, one worker
is left stuck in a job (the workers' test seam makes it sleep) when the parent dies.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

from jupyter_mllens.config import Config
from jupyter_mllens.workers import HANG_MARKER, NotebookJob, WorkerPool


def main() -> None:
    pool = WorkerPool(2, faults=True)
    pool.start()
    print(json.dumps(pool.pids()), flush=True)
    if sys.argv[1] == "busy":
        path = f"{HANG_MARKER}.ipynb"
        job = NotebookJob(path, b"{}", Config(), Path(path))
        threading.Thread(target=pool.run, args=(path, job), daemon=True).start()
        time.sleep(1)
    os._exit(0)  # no atexit, no pool.close(): as if the process were killed


if __name__ == "__main__":
    main()
