"""A real `jupyter server` on a free loopback port, for the HTTP benchmarks.

Started from this interpreter with isolated config and runtime directories, a fixed
token, and only the jupyter_mllens extension enabled; stopped when the `with` block ends.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKEN = "mllens-benchmark-token"


@dataclass(frozen=True)
class JupyterServer:
    port: int
    pid: int

    def connection(self, timeout: float = 120) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)


def request(
    connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None = None
) -> tuple[int, bytes]:
    """One request on a kept-alive connection, as the panel's browser sends it."""
    headers = {"Authorization": f"token {TOKEN}", "Content-Type": "application/json"}
    connection.request(method, path, body=body, headers=headers)
    reply = connection.getresponse()
    return reply.status, reply.read()


def lint(connection: http.client.HTTPConnection, path: str, notebook: dict[str, Any]) -> Any:
    body = json.dumps({"path": path, "notebook": notebook}).encode()
    status, data = request(connection, "POST", "/mllens/lint", body)
    if status != 200:
        raise RuntimeError(f"lint failed: HTTP {status} {data[:200]!r}")
    return json.loads(data)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def jupyter_server(settings: dict[str, Any] | None = None) -> Iterator[JupyterServer]:
    with tempfile.TemporaryDirectory(prefix="mllens-bench-") as base:
        root, config, runtime = (Path(base) / name for name in ("root", "config", "runtime"))
        for directory in (root, config, runtime):
            directory.mkdir()
        port = _free_port()
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(config),
            "JUPYTER_RUNTIME_DIR": str(runtime),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        command = [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--ServerApp.root_dir={root}",
            f"--IdentityProvider.token={TOKEN}",
            "--ServerApp.jpserver_extensions={'jupyter_mllens': True}",
            f"--ServerApp.tornado_settings={json.dumps(settings or {})}",
            "--ServerApp.log_level=WARN",
        ]
        log = Path(base) / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(port, process, log)
            yield JupyterServer(port, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter server exited early:\n{log.read_text()[-4000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            if request(connection, "GET", "/api/status")[0] == 200:
                connection.close()
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"jupyter server did not start in 90 s:\n{log.read_text()[-4000:]}")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share in 0..1)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]
