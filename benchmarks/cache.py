"""Cold and warm `mllens check` runs next to `ruff check` on the same files, in the same run.

    python benchmarks/cache.py DIR [--repeat R] [--jobs N]

Each round times, as subprocesses started the way a user starts them:

- `ruff check --select S,E9,F --no-cache --isolated DIR` (ruff's cold time);
- `mllens check --isolated --no-cache DIR` (no cache at all);
- `mllens check --isolated --cache-dir FRESH DIR`, cold: the cache starts empty and is filled;
- the same command again, warm: every file comes from the cache.

It prints the median wall-clock and CPU seconds of each over `--repeat` rounds and the
ratios to ruff's cold time (the target: a warm run costs at most 2x ruff's cold time), and checks
that the warm run's JSON report is byte-for-byte the cold run's.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path


def timed(command: Sequence[str]) -> tuple[float, float, bytes]:
    """Wall-clock seconds, CPU seconds and stdout of `command`.

    CPU time is what the process and the children it waited for used (for `mllens` with
    worker processes, the workers' share may be missing: they are the fork server's); it
    is the figure other load on the machine disturbs least, and is exact for `ruff` and a
    warm `mllens` run, which starts no worker.

    Exit status 2 is accepted: a real corpus holds a few files that are not valid notebooks,
    reported as error entries in the JSON report, and the run goes on.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if completed.returncode not in (0, 1, 2) or not completed.stdout:
        raise SystemExit(
            f"{' '.join(command)} exited {completed.returncode}:"
            f" {completed.stderr.decode(errors='replace')[-2000:]}"
        )
    return elapsed, cpu, completed.stdout


def ruff_command() -> list[str]:
    found = shutil.which("ruff")
    return [found] if found else [sys.executable, "-m", "ruff"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="mllens --jobs (default: all cores)")
    options = parser.parse_args(argv)
    corpus = str(options.corpus)
    ruff = [*ruff_command(), "check", "--select", "S,E9,F", "--no-cache", "--isolated"]
    ruff += ["--exit-zero", "--quiet", corpus]
    mllens = [sys.executable, "-m", "jupyter_mllens", "check", "--isolated", "--format", "json"]
    if options.jobs is not None:
        mllens += ["--jobs", str(options.jobs)]
    names = ("ruff", "no-cache", "cold", "warm")
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}

    def record(name: str, command: Sequence[str]) -> bytes:
        seconds, cpu_seconds, stdout = timed(command)
        wall[name].append(seconds)
        cpu[name].append(cpu_seconds)
        return stdout

    for _ in range(options.repeat):
        with tempfile.TemporaryDirectory(prefix="mllens-bench-cache-") as scratch:
            cached = [*mllens, "--cache-dir", str(Path(scratch) / "cache"), corpus]
            record("ruff", ruff)
            record("no-cache", [*mllens, "--no-cache", corpus])
            cold_report = record("cold", cached)
            warm_report = record("warm", cached)
            if warm_report != cold_report:
                raise SystemExit("the warm run's report differs from the cold run's")
    files = sum(1 for _ in options.corpus.rglob("*.ipynb"))
    ruff_wall, ruff_cpu = statistics.median(wall["ruff"]), statistics.median(cpu["ruff"])
    print(f"corpus: {files} notebooks in {corpus}; median of {options.repeat} round(s)")
    print(f"{'':<18} {'wall s':>7}  {'x ruff':>7}  {'CPU s':>7}  {'x ruff':>7}")
    for name in names:
        label = "ruff --no-cache" if name == "ruff" else f"mllens {name}"
        seconds, cpu_seconds = statistics.median(wall[name]), statistics.median(cpu[name])
        print(
            f"{label:<18} {seconds:7.2f}  {seconds / ruff_wall:7.2f}"
            f"  {cpu_seconds:7.2f}  {cpu_seconds / ruff_cpu:7.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
