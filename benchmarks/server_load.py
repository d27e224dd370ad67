"""Load test: many concurrent lint requests against a real `jupyter server` on loopback.

Sends `--requests` (200) lint requests of *different* `--cells`-cell notebooks at once,
each on its own connection, while a prober asks `/api/status` every 50 ms. Prints the
lint latency (p50/p95/max, from sending to the full answer, so queueing behind the other
requests is included), the wall time, the throughput, and the `/api/status` latency during
the load: the event loop must stay free however busy the linting workers are.

    python benchmarks/server_load.py [--requests 200] [--cells 100] [--workers N]

Bounded: one round of requests, loopback only, the server stops when it is done.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_process import JupyterServer, jupyter_server, lint, percentile, request
from server_relint import CELL_TEMPLATES

from jupyter_mllens.reader import code_notebook


def distinct_notebook(number: int, cells: int) -> dict[str, Any]:
    """A realistic notebook whose cells appear in no other (so every request parses)."""
    return code_notebook(
        [CELL_TEMPLATES[i % len(CELL_TEMPLATES)].format(i=number * 1000 + i) for i in range(cells)]
    )


def one_lint(server: JupyterServer, number: int, nb: dict[str, Any], go: threading.Event) -> float:
    connection = server.connection(timeout=600)
    connection.connect()
    go.wait()
    started = time.perf_counter()
    result = lint(connection, f"load/notebook-{number:03d}.ipynb", nb)
    elapsed = time.perf_counter() - started
    connection.close()
    if result["errors"]:
        raise RuntimeError(f"notebook {number}: {result['errors']}")
    return elapsed * 1000


def probe_status(server: JupyterServer, stop: threading.Event, timings: list[float]) -> None:
    connection = server.connection(timeout=60)
    while not stop.is_set():
        started = time.perf_counter()
        status, _ = request(connection, "GET", "/api/status")
        timings.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"/api/status answered {status}")
        stop.wait(0.05)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--workers", type=int, default=None, help="mllens_workers (default: 2)")
    args = parser.parse_args()
    settings: dict[str, Any] = {}
    if args.workers is not None:
        settings["mllens_workers"] = args.workers

    notebooks = [distinct_notebook(n, args.cells) for n in range(args.requests)]
    with jupyter_server(settings) as server:
        warm = server.connection()
        lint(warm, "load/warm-up.ipynb", distinct_notebook(999_999, 2))  # workers up
        warm.close()

        go, stop = threading.Event(), threading.Event()
        status_ms: list[float] = []
        prober = threading.Thread(target=probe_status, args=(server, stop, status_ms))
        with ThreadPoolExecutor(max_workers=args.requests) as clients:
            futures = [
                clients.submit(one_lint, server, n, nb, go) for n, nb in enumerate(notebooks)
            ]
            time.sleep(1.0)  # every client connected and waiting
            prober.start()
            started = time.perf_counter()
            go.set()
            lint_ms = [future.result() for future in futures]
            wall = time.perf_counter() - started
        stop.set()
        prober.join()

    print(f"{args.requests} concurrent lint requests, {args.cells}-cell notebooks, all distinct")
    print(
        f"lint latency:    {statistics.median(lint_ms):8.0f} ms p50, "
        f"{percentile(lint_ms, 0.95):.0f} ms p95, {max(lint_ms):.0f} ms max"
    )
    print(f"wall time:       {wall:8.1f} s ({args.requests / wall:.1f} notebooks/s)")
    print(
        f"/api/status:     {statistics.median(status_ms):8.1f} ms p50, "
        f"{percentile(status_ms, 0.95):.1f} ms p95, {max(status_ms):.1f} ms max "
        f"({len(status_ms)} probes during the load)"
    )


if __name__ == "__main__":
    main()
