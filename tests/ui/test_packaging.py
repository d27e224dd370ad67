"""After `pip install`, Jupyter sees both halves enabled, with no build step and no node."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def jupyter(*args: str, config_dir: Path) -> str:
    """Run a `jupyter` subcommand of this environment with an empty user config dir."""
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir), "NO_COLOR": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "jupyter", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    # Both commands print to stderr; strip ANSI colours.
    return re.sub(r"\x1b\[[0-9;]*m", "", completed.stdout + completed.stderr)


def test_labextension_is_installed_prebuilt_and_enabled(tmp_path: Path) -> None:
    pytest.importorskip("jupyterlab")
    listing = jupyter("labextension", "list", config_dir=tmp_path)
    assert re.search(r"jupyter-mllens v\S+ enabled\s+OK", listing), listing


def test_server_extension_is_enabled_by_the_shipped_config(tmp_path: Path) -> None:
    pytest.importorskip("jupyter_server")
    listing = jupyter("server", "extension", "list", config_dir=tmp_path)
    assert re.search(r"jupyter_mllens enabled", listing), listing
    assert re.search(r"jupyter_mllens \S+ OK", listing), listing
