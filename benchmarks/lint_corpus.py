"""Lint a folder of notebooks with the batch API the CLI uses, and report the throughput.

    python benchmarks/lint_corpus.py DIR [--jobs N] [--repeat R]

Times discovery (`jupyter_mllens.discovery.discover`) plus linting
(`jupyter_mllens.batch.lint_targets`), with the default configuration for every file (like
`mllens check --isolated`). Prints notebooks, code cells, seconds, notebooks/s, notebooks/s
per core, notebooks per CPU-second (the per-core rate, unaffected by other load on the
machine), peak RSS and, with one job, the cell cache's hit ratio (worker processes keep
private caches). `--repeat R` lints the corpus R more times with the same linter, which is
what a long-running server sees (one job only: a new process pool starts cold).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from jupyter_mllens.batch import default_jobs, lint_targets
from jupyter_mllens.config import Config
from jupyter_mllens.discovery import Target, discover
from jupyter_mllens.engine import Linter


def count_code_cells(targets: Sequence[Target]) -> tuple[int, float]:
    """Code cells in the corpus, and the share that repeat an earlier cell verbatim."""
    cells = 0
    seen: set[str] = set()
    repeats = 0
    for target in targets:
        try:
            data = json.loads(target.path.read_bytes())
        except (OSError, ValueError):
            continue
        for cell in data.get("cells", ()):
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            cells += 1
            if text in seen:
                repeats += 1
            seen.add(text)
    return cells, repeats / cells if cells else 0.0


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident set size of this process and of its largest worker, in MiB (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def stop_fork_server() -> None:
    """Stop multiprocessing's fork server, so its CPU time and its workers' is counted.

    The CLI's workers are forked by the fork server, not by this process, so their CPU time
    reaches `RUSAGE_CHILDREN` only once the fork server (which reaps them) has exited.
    """
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()


def cpu_seconds() -> float:
    """User plus system CPU time of this process and its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, help=f"processes (default: {default_jobs()})"
    )
    parser.add_argument(
        "--repeat", type=int, default=0, help="warm re-lints with the same linter (--jobs 1)"
    )
    args = parser.parse_args(argv)
    jobs = default_jobs() if args.jobs is None else max(1, args.jobs)
    if args.repeat and jobs != 1:
        parser.error("--repeat needs --jobs 1: worker processes do not outlive one batch")

    config = Config()
    linter = Linter() if jobs == 1 else None  # built before the clock starts, like a server's

    cpu_started = cpu_seconds()
    started = time.perf_counter()
    targets, errors = discover([str(args.directory)], lambda path: config)
    discovered = time.perf_counter()
    result = lint_targets(targets, jobs, linter)
    finished = time.perf_counter()
    stop_fork_server()
    cpu = cpu_seconds() - cpu_started

    notebooks = result.files
    cells, repeated = count_code_cells(targets)
    seconds = finished - started
    cores = min(jobs, default_jobs(), max(1, notebooks))
    seconds = max(seconds, 1e-9)
    rate = notebooks / seconds
    own_rss, worker_rss = peak_rss_mib()

    print(f"notebooks:            {notebooks}")
    print(f"code cells:           {cells} ({cells / max(1, notebooks):.1f} per notebook)")
    print(f"findings:             {len(result.findings)}")
    print(f"unreadable files:     {len(errors) + len(result.errors)}")
    print(f"jobs:                 {jobs} ({cores} core{'s' if cores != 1 else ''} used)")
    print(f"seconds:              {seconds:.2f} (discovery {discovered - started:.2f})")
    print(f"notebooks/s:          {rate:.1f}")
    print(f"notebooks/s per core: {rate / cores:.1f}")
    print(
        f"CPU seconds:          {cpu:.2f} ({notebooks / max(cpu, 1e-9):.1f} notebooks per CPU-second)"
    )
    print(f"code cells/s per core: {cells / seconds / cores:.0f}")
    rss = f"peak RSS:             {own_rss:.0f} MiB"
    if jobs > 1:
        rss += f" (largest worker {worker_rss:.0f} MiB)"
    print(rss)
    if linter is not None:
        lookups = linter.cache.hits + linter.cache.misses
        ratio = linter.cache.hits / lookups if lookups else 0.0
        print(f"cell-cache hit ratio: {ratio:.2f} ({linter.cache.hits} of {lookups} cells)")
    else:
        print(
            f"cell-cache hit ratio: n/a with {jobs} worker processes "
            f"(corpus repeats {repeated:.0%} of its code cells)"
        )

    for round_ in range(1, args.repeat + 1):
        assert linter is not None
        started = time.perf_counter()
        lint_targets(discover([str(args.directory)], lambda path: config)[0], 1, linter)
        seconds = time.perf_counter() - started
        print(
            f"warm run {round_}:           {seconds:.2f} s, {notebooks / seconds:.1f} notebooks/s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
