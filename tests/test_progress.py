"""The progress bar shows on a terminal once a run is slow, and never in logs or pipes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_mllens.progress import ProgressBar, wanted


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_bar_appears_only_after_the_delay_and_counts_files() -> None:
    clock = _Clock()
    screen = _Terminal()
    bar = ProgressBar(10, enabled=True, delay=1.0, stream=screen, clock=clock)
    bar.advance(3)
    assert not bar.shown
    assert screen.getvalue() == ""
    clock.now = 1.5
    bar.advance(2)
    assert bar.shown
    bar.close()
    assert bar.done == 5
    assert not bar.shown


def test_a_disabled_bar_only_counts() -> None:
    clock = _Clock()
    bar = ProgressBar(10, enabled=False, stream=_Terminal(), clock=clock)
    clock.now = 60.0
    bar.advance(10)
    assert bar.done == 10
    assert not bar.shown


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert wanted(_Terminal())
    assert not wanted(io.StringIO())  # piped
    assert not wanted(_Terminal(), quiet=True)
    monkeypatch.setenv("CI", "true")
    assert not wanted(_Terminal())


def test_a_piped_run_prints_no_progress(tmp_path: Path) -> None:
    notebooks = Path(__file__).resolve().parent.parent / "notebooks"
    done = subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", "check", str(notebooks), "--exit-zero"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert b"\r" not in done.stderr
    assert b"linting" not in done.stderr
