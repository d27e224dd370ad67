"""The phase profiler (benchmarks/phases.py) charges a real lint's CPU time to its steps.

It runs in a subprocess: it wraps engine functions for the life of its process, which must
not leak into the other tests.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_phase_and_the_rules_are_charged() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "phases.py"),
            str(ROOT / "notebooks"),
            "--top",
            "40",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout, not an installed copy
    )
    lines = run.stdout.splitlines()
    header = re.match(r"(\d+) files, ([\d.]+) CPU seconds", lines[0])
    assert header is not None, run.stdout
    assert int(header.group(1)) >= 12  # the demo notebooks
    charged: dict[str, float] = {}
    for line in lines[1:]:
        found = re.match(r"\s*(.+?)\s+(-?[\d.]+) s\s+-?[\d.]+%$", line)
        assert found is not None, line
        charged[found.group(1)] = float(found.group(2))
    for phase in ("libcst parse", "fact walk", "read and decode the notebook", "all rules"):
        assert phase in charged, run.stdout
    assert charged["libcst parse"] > 0
    rules = {name for name in charged if name.startswith("rule ")}
    assert {"rule hardcoded-credentials", "rule data-leakage"} <= rules
    # The rules' lines add up to "all rules", and no phase exceeds the total.
    total = float(header.group(2))
    assert abs(sum(charged[name] for name in rules) - charged["all rules"]) < 0.05
    assert all(seconds <= total + 0.01 for seconds in charged.values())
