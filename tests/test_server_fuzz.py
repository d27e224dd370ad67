"""Hostile bodies against a real `jupyter server` subprocess: it must stay up and responsive.

The server is started by the test on a free loopback port with a token, exactly as a user
starts it, with the extension enabled and a 5 s lint time limit. Every hostile body must
get an answer (200 with findings or error entries, 400 or 413, never a 500 or a dropped
connection), the server process must still be alive afterwards, and `/api/status` must
answer while a pathological notebook is being linted. The bound on that answer is generous
(`STATUS_BOUND`): it tells a stalled event loop (which would take the whole lint) from a
busy machine, it is not a speed target.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jupyter_mllens.workers import FAULTS_ENV, HANG_MARKER
from tests.conftest import notebook_json

TOKEN = "mllens-fuzz-token"
LINT_TIMEOUT = 5
STATUS_BOUND = 2.0
MAX_BODY = 5 * 1024 * 1024
LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def start_server(
    tmp_path_factory: pytest.TempPathFactory, lint_timeout: int = LINT_TIMEOUT
) -> Iterator[Server]:
    """`jupyter server` on a free loopback port with a token and the workers' test seam on."""
    base = tmp_path_factory.mktemp("fuzz")
    root, config, runtime = base / "root", base / "config", base / "runtime"
    for directory in (root, config, runtime):
        directory.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_PLATFORM_DIRS": "1",
        FAULTS_ENV: "1",
    }
    settings = {"mllens_lint_timeout": lint_timeout, "mllens_max_body_bytes": MAX_BODY}
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
        f"--ServerApp.tornado_settings={json.dumps(settings)}",
    ]
    log = base / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(port, process, log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"jupyter server exited early:\n{log.read_text()[-4000:]}")
            try:
                if get_status(server)[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
            if time.monotonic() > deadline:  # up, but never healthy: do not spin forever
                raise RuntimeError(f"jupyter server never became ready:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with start_server(tmp_path_factory) as running:
        yield running


def get_status(server: Server) -> tuple[int, float]:
    """`GET /api/status`: the status code and how long it took, in seconds."""
    started = time.monotonic()
    request = urllib.request.Request(
        server.url("api/status"), headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=60) as reply:
        reply.read()
        return reply.status, time.monotonic() - started


def post(server: Server, body: bytes, token: bool = True) -> tuple[int, Any]:
    """`POST /mllens/lint` with `body`: the status code and the decoded JSON reply."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {TOKEN}"
    request = urllib.request.Request(
        server.url("mllens/lint"), data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as failure:
        return failure.code, json.loads(failure.read() or b"null")


def lint_body(path: str, *cells: str, **extra: Any) -> bytes:
    return json.dumps({"path": path, "notebook": notebook_json(*cells), **extra}).encode()


def nested(depth: int) -> bytes:
    return b'{"path": "deep.ipynb", "notebook": ' + b"[" * depth + b"]" * depth + b"}"


def hostile_bodies() -> Iterable[tuple[str, bytes]]:
    """Named bodies an attacker or an unlucky client might send."""
    yield "deep-parentheses", lint_body("a.ipynb", LEAKY, "x = " + "(" * 5000 + "1" + ")" * 5000)
    yield "deep-brackets", lint_body("b.ipynb", "x = " + "[" * 5000 + "]" * 5000)
    yield "deep-braces", lint_body("c.ipynb", "x = " + "{" * 3000 + "}" * 3000)
    yield "long-sum", lint_body("d.ipynb", "x = " + "+".join(["1"] * 20000))
    yield "long-call-chain", lint_body("e.ipynb", "x = f" + "()" * 20000)
    yield "huge-token", lint_body("f.ipynb", "x = " + "9" * 1_000_000)
    yield "huge-string", lint_body("g.ipynb", "x = '" + "a" * 2_000_000 + "'")
    yield "many-cells", lint_body("h.ipynb", *(["y = 1\n"] * 5000))
    yield "deep-json-2000", nested(2000)
    yield "deep-json-100000", nested(100_000)
    yield (
        "deep-metadata",
        lint_body("i.ipynb", "x = 1", metadata=None).replace(
            b'"metadata": {}', b'"metadata": {"a": ' + b"[" * 900 + b"]" * 900 + b"}", 1
        ),
    )
    yield "huge-path", lint_body("a/" * 5000 + "nb.ipynb", "x = 1")
    yield "nul-path", lint_body("a\x00b.ipynb", "x = 1")
    yield "escaping-path", lint_body("../../etc/passwd", "x = 1")
    yield "cells-not-a-list", b'{"path": "j.ipynb", "notebook": {"cells": {"a": 1}}}'
    yield (
        "source-not-text",
        b'{"path": "k.ipynb", "notebook": {"cells": [{"cell_type": "code", "source": [1, [2]]}]}}',
    )
    yield (
        "lone-surrogate",
        b'{"path": "l.ipynb", "notebook": {"cells": [{"cell_type": "code", "source": "x = \\"\\ud800\\""}]}}',
    )
    yield "nul-in-source", lint_body("m.ipynb", "x = 1\x00\n")
    yield "truncated-json", lint_body("n.ipynb", "x = 1")[:-7]
    yield "not-utf8", b"\xff\xfe\x00{" * 100
    yield "empty", b""
    rng = random.Random(0)
    for n in range(20):
        yield f"random-bytes-{n}", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 4000)))
    alphabet = "()[]{}+-*/%@:;,.=\\'\"\n\t #!$abc019_λ"
    for n in range(20):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 3000)))
        yield f"random-cell-{n}", lint_body(f"r{n}.ipynb", source, LEAKY)


def assert_answered(name: str, status: int, reply: Any) -> None:
    assert status in (200, 400, 413), f"{name}: HTTP {status} {reply}"
    if status == 200:
        assert reply["version"] == 1, name
        assert isinstance(reply["findings"], list), name
        assert isinstance(reply["errors"], list), name
        assert "Traceback" not in json.dumps(reply), name
    else:
        assert isinstance(reply["message"], str), name
        assert reply["message"], name
        assert not reply.get("traceback"), name


def test_hostile_bodies_get_answers_and_the_server_stays_up(server: Server) -> None:
    for name, body in hostile_bodies():
        status, reply = post(server, body)
        assert_answered(name, status, reply)
        assert server.process.poll() is None, f"the server died on {name}"
    assert get_status(server)[0] == 200
    status, reply = post(server, lint_body("after.ipynb", LEAKY))
    assert status == 200
    assert [f["name"] for f in reply["findings"]] == ["hardcoded-credentials"]


@pytest.mark.parametrize(
    "cells",
    [
        ("x = " + "+".join(["1"] * 20000),),
        ("x = " + "(" * 5000 + "1" + ")" * 5000,),
        ("x = 1",),  # with the test seam, this notebook's worker sleeps until stopped
    ],
    ids=["long-sum", "deep-parentheses", "stalled-worker"],
)
def test_status_answers_while_a_pathological_notebook_is_linted(
    server: Server, cells: tuple[str, ...]
) -> None:
    path = f"{HANG_MARKER}.ipynb" if cells == ("x = 1",) else "pathological.ipynb"
    outcome: list[tuple[int, Any]] = []
    worker = threading.Thread(target=lambda: outcome.append(post(server, lint_body(path, *cells))))
    worker.start()
    time.sleep(0.3)
    timings = []
    while worker.is_alive() and len(timings) < 20:
        status, seconds = get_status(server)
        assert status == 200
        timings.append(seconds)
        time.sleep(0.2)
    worker.join(timeout=120)
    assert not worker.is_alive()
    [(status, reply)] = outcome
    assert_answered(path, status, reply)
    assert max(timings, default=0.0) < STATUS_BOUND, timings
    assert server.process.poll() is None


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    block = b" " * size
    for _ in range(total // size):
        yield block


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
@pytest.mark.parametrize("token", [True, False], ids=["authenticated", "anonymous"])
def test_oversized_bodies_do_not_grow_the_server(server: Server, token: bool) -> None:
    """200 MB declared is refused from the headers; 64 MB chunked is counted, not kept."""
    before = peak_rss_kib(server.process.pid)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"token {TOKEN}"

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    connection.putrequest("POST", "/mllens/lint")
    for key, value in {**headers, "Content-Length": str(200 * 1024 * 1024)}.items():
        connection.putheader(key, value)
    connection.endheaders()  # and no body at all: the answer must not wait for it
    reply = connection.getresponse()
    assert reply.status == 413
    assert "limit is 5,242,880 bytes" in json.loads(reply.read())["message"]
    connection.close()

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    try:
        connection.request(
            "POST",
            "/mllens/lint",
            body=chunks(64 * 1024 * 1024),
            headers=headers,
            encode_chunked=True,
        )
        status: int | None = connection.getresponse().status
    except ConnectionError:
        status = None  # refused before the body was read: the connection is dropped
    finally:
        connection.close()
    # With a token: counted to the end, then 413. Without: refused (403) as soon as the
    # headers are checked, and the rest of the body is never read.
    assert status in ((413,) if token else (403, None))

    grown_mib = (peak_rss_kib(server.process.pid) - before) / 1024
    assert grown_mib < 32, f"the server's peak memory grew by {grown_mib:.0f} MiB"
    assert get_status(server)[0] == 200


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_stopping_the_server_stops_its_workers_even_mid_lint(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """SIGTERM while a worker is stuck: the server exits without waiting out the time limit."""
    with start_server(tmp_path_factory, lint_timeout=600) as server:
        stuck = threading.Thread(
            target=lambda: post_quietly(server, lint_body(f"{HANG_MARKER}.ipynb", "x = 1")),
            daemon=True,
        )
        stuck.start()
        # The fork server and both workers up, and the server's other extensions done
        # starting (stopping jupyter_server mid start-up can hang in its own extensions).
        deadline = time.monotonic() + 60
        while len(descendants(server.process.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2.0)
        workers = descendants(server.process.pid)
        assert len(workers) >= 3, "the server should have a fork server and two workers"
        server.process.terminate()
        try:
            server.process.wait(timeout=120)  # far below the 600 s limit: no waiting it out
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server did not stop:\n{server.log.read_text()[-3000:]}")
    deadline = time.monotonic() + 15
    while workers & descendants(1) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = {pid for pid in workers if Path(f"/proc/{pid}").exists() and not zombie(pid)}
    assert not alive, f"workers outlived the server: {alive}\n{server.log.read_text()[-3000:]}"


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def post_quietly(server: Server, body: bytes) -> None:
    with contextlib.suppress(OSError):  # the server goes away mid-request, as intended
        post(server, body)
