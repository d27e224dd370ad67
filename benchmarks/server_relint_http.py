"""End-to-end re-lint latency through a real `jupyter server`: HTTP, handler, worker process.

What the JupyterLab panel waits for after a one-cell edit of a 100-cell notebook: the
request goes over loopback HTTP to `POST /mllens/lint`, the server resolves the
configuration and sends the body to the notebook's worker process, whose warm cell cache
re-analyses only the edited cell. `server_relint.py` measures the same lint in process.

    python benchmarks/server_relint_http.py [--cells 100] [--repeat 100]

Target: at or under 20 ms p95.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time

from jupyter_process import jupyter_server, lint, percentile, request
from server_relint import notebook


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    with jupyter_server() as server:
        connection = server.connection()
        nb = notebook(args.cells)
        path = "bench/notebook.ipynb"
        started = time.perf_counter()
        first = lint(connection, path, nb)  # includes waiting for the worker to start
        cold = time.perf_counter() - started

        timings = []
        edited = args.cells // 2
        for n in range(args.repeat):
            nb = copy.deepcopy(nb)
            nb["cells"][edited]["source"] += f"\nx_{n} = {n}  # an edit\n"
            started = time.perf_counter()
            result = lint(connection, path, nb)
            timings.append((time.perf_counter() - started) * 1000)
        status = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            request(connection, "GET", "/api/status")
            status.append((time.perf_counter() - started) * 1000)
        connection.close()

    print(f"{args.cells}-cell notebook, {len(first['findings'])} findings, via HTTP and a worker")
    print(f"first lint (cold worker cache): {cold * 1000:8.1f} ms")
    print(
        f"re-lint after a one-cell edit:  {statistics.median(timings):8.1f} ms median, "
        f"{percentile(timings, 0.95):.1f} ms p95, {min(timings):.1f} ms min, "
        f"{max(timings):.1f} ms max  ({args.repeat} runs)"
    )
    print(
        f"for scale, GET /api/status:    {statistics.median(status):8.1f} ms median, "
        f"{percentile(status, 0.95):.1f} ms p95 (the HTTP and authentication floor)"
    )
    assert len(result["findings"]) == len(first["findings"])


if __name__ == "__main__":
    main()
