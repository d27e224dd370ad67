"""How throughput grows with Dask workers: lint one folder on LocalClusters of 1..N workers.

    python benchmarks/dask_scaling.py DIR [--workers 1,2] [--repeat 2]

Each cluster size gets a fresh `distributed.LocalCluster` of worker processes (one thread
each). Every timed run is cold, as a CI run is: the workers are restarted first (so no cell
is in any worker's cache) and have imported the engine; the best of `--repeat` runs is
reported, as notebooks/s and as the speed-up over the first size. The
same folder is linted with the local process pool (`--jobs` = the largest size) for
comparison. Linting is `mllens check --isolated --no-cache`'s: the default configuration.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import time
from pathlib import Path

from jupyter_mllens.batch import lint_targets
from jupyter_mllens.config import Config
from jupyter_mllens.dask_batch import stream
from jupyter_mllens.discovery import discover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--workers", default="1,2", help="cluster sizes, comma separated")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per size (after warm-up)")
    options = parser.parse_args()
    from distributed import Client, LocalCluster

    targets, _ = discover([str(options.folder)], lambda _: Config())
    sizes = [int(size) for size in options.workers.split(",")]
    print(f"{len(targets)} files")
    rates: dict[int, float] = {}
    for size in sizes:
        with (
            LocalCluster(
                n_workers=size,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            best = float("inf")
            findings = 0
            for _ in range(options.repeat):
                client.restart()  # empty cell caches: a cold run
                client.run(importlib.import_module, "jupyter_mllens.engine")
                started = time.perf_counter()
                findings = sum(len(part.findings) for part in stream(client, targets))
                best = min(best, time.perf_counter() - started)
        rates[size] = len(targets) / best
        speedup = rates[size] / rates[sizes[0]]
        print(
            f"dask, {size} worker(s): {rates[size]:.1f} notebooks/s"
            f" ({speedup:.2f}x {sizes[0]} worker(s)), {findings} findings"
        )
    started = time.perf_counter()
    local = lint_targets(targets, jobs=max(sizes))
    elapsed = time.perf_counter() - started
    print(
        f"local process pool, --jobs {max(sizes)} (cold): {len(targets) / elapsed:.1f} notebooks/s,"
        f" {len(local.findings)} findings"
    )


if __name__ == "__main__":
    main()
