"""Linting in worker processes: a notebook that crashes or stalls the parser costs one
worker and one error entry, never the Jupyter server (a real jupyter_server, real workers).

The crash and stall paths are driven two ways: through the workers' test seam (notebooks
named `mllens-test-crash*` / `mllens-test-hang*`, enabled in conftest.py), which always
exercises them, and through cells that crash or stall libcst's parser today, whose only
promise is that the server stays up and answers (a pre-parse guard may turn them into a
quick finding instead).
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from jupyter_mllens.workers import CRASH_MARKER, HANG_MARKER, WorkerPool
from tests.conftest import notebook_json
from tests.server.conftest import LINT_TIMEOUT

Fetch = Callable[..., Awaitable[Any]]

LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'
DEEP_PARENS = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
LONG_SUM = "x = " + "+".join(["1"] * 20000) + "\n"
#: Generous bound on `/api/status` while a worker is busy: a stalled event loop takes the
#: whole lint (seconds); this only tells a stall from a merely busy machine.
STATUS_BOUND = 2.0


async def post(jp_fetch: Fetch, path: str, *cells: str, **kwargs: Any) -> dict[str, Any]:
    body = json.dumps({"path": path, "notebook": notebook_json(*cells)})
    response = await jp_fetch("mllens", "lint", method="POST", body=body, **kwargs)
    assert response.code == 200
    result: dict[str, Any] = json.loads(response.body)
    return result


def pool_of(jp_serverapp: Any) -> WorkerPool:
    pool: WorkerPool = jp_serverapp.web_app.settings["mllens_pool"]
    return pool


def same_worker_as(pool: WorkerPool, path: str) -> str:
    """Another notebook path that the pool routes to the same worker as `path`."""
    slot = pool.slot_for(path)
    return next(name for n in range(1000) if pool.slot_for(name := f"other-{n}.ipynb") == slot)


async def assert_status_answers_while(pending: asyncio.Future[Any], jp_fetch: Fetch) -> None:
    """`/api/status` answers promptly while `pending` (a lint) is still running."""
    await asyncio.sleep(0.3)
    started = time.monotonic()
    status = await jp_fetch("api", "status", method="GET")
    assert status.code == 200
    assert time.monotonic() - started < STATUS_BOUND
    assert not pending.done()


async def test_linting_runs_in_a_worker_process(jp_fetch: Fetch, jp_serverapp: Any) -> None:
    result = await post(jp_fetch, "nb.ipynb", LEAKY)
    assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]
    pids = pool_of(jp_serverapp).pids()
    assert pids, "the lint should have been served by a running worker"
    assert os.getpid() not in pids


async def test_a_crashing_notebook_gets_an_error_and_the_next_lint_works(
    jp_fetch: Fetch, jp_serverapp: Any
) -> None:
    path = f"{CRASH_MARKER}.ipynb"
    pool = pool_of(jp_serverapp)
    result = await post(jp_fetch, path, LEAKY)
    assert result["findings"] == []
    assert result["errors"] == [
        {"path": path, "message": "the linter crashed on this notebook (signal SIGSEGV)"}
    ]
    neighbour = same_worker_as(pool, path)
    again = await post(jp_fetch, neighbour, LEAKY)
    assert [f["name"] for f in again["findings"]] == ["hardcoded-credentials"]
    assert again["errors"] == []


async def test_a_stalling_notebook_is_stopped_and_the_server_stays_responsive(
    jp_fetch: Fetch, jp_serverapp: Any
) -> None:
    path = f"analysis/{HANG_MARKER}.ipynb"
    pending = asyncio.ensure_future(post(jp_fetch, path, "x = 1\n"))
    await assert_status_answers_while(pending, jp_fetch)
    result = await pending
    assert result["errors"] == [
        {
            "path": path,
            "message": f"linting took longer than {LINT_TIMEOUT} s and was stopped",
        }
    ]
    neighbour = same_worker_as(pool_of(jp_serverapp), path)
    again = await post(jp_fetch, neighbour, LEAKY)
    assert [f["name"] for f in again["findings"]] == ["hardcoded-credentials"]


async def test_a_stall_on_one_worker_does_not_hold_up_the_other(
    jp_fetch: Fetch, jp_serverapp: Any
) -> None:
    pool = pool_of(jp_serverapp)
    stalled = f"{HANG_MARKER}.ipynb"
    other = next(
        name
        for n in range(1000)
        if pool.slot_for(name := f"free-{n}.ipynb") != pool.slot_for(stalled)
    )
    pending = asyncio.ensure_future(post(jp_fetch, stalled, "x = 1\n"))
    await asyncio.sleep(0.3)
    result = await post(jp_fetch, other, LEAKY)
    assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]
    assert not pending.done()
    assert (await pending)["errors"]


@pytest.mark.parametrize("cell", [DEEP_PARENS, LONG_SUM], ids=["deep-nesting", "long-sum"])
async def test_cells_that_break_the_parser_leave_the_server_up(jp_fetch: Fetch, cell: str) -> None:
    """5,000 nested parentheses crash libcst; a 20,000-term sum stalls it for minutes."""
    pending = asyncio.ensure_future(post(jp_fetch, "hostile.ipynb", LEAKY, cell))
    status = await jp_fetch("api", "status", method="GET")
    assert status.code == 200
    result = await pending
    # Either the worker crashed or overran (an error entry), or the cell was reported as
    # a finding; in no case a 500 or a dead server.
    assert result["errors"] or result["findings"]
    again = await post(jp_fetch, "hostile.ipynb", LEAKY)
    assert [f["name"] for f in again["findings"]] == ["hardcoded-credentials"]


async def test_deeply_nested_notebook_metadata_is_not_a_server_error(jp_fetch: Fetch) -> None:
    """Valid JSON nested deeper than pickle or a second `json.loads` would take."""
    nested: Any = "leaf"
    for _ in range(900):
        nested = {"k": nested}
    notebook = notebook_json(LEAKY, metadata={"deep": nested})
    body = json.dumps({"path": "deep.ipynb", "notebook": notebook})
    response = await jp_fetch("mllens", "lint", method="POST", body=body, raise_error=False)
    assert response.code in (200, 400)  # 400 if the request parser caps nesting
    if response.code == 200:
        result = json.loads(response.body)
        assert [f["name"] for f in result["findings"]] == ["hardcoded-credentials"]


# -- oversized bodies: refused before they are read ---------------------------------------
async def raw_request(port: int, head: str, body_chunks: list[bytes] | None = None) -> bytes:
    """Send a request over a bare socket and return whatever the server answers."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode("latin-1"))
        await writer.drain()
        for chunk in body_chunks or ():
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            try:
                await writer.drain()
            except ConnectionError:
                break
        if body_chunks is not None:
            try:
                writer.write(b"0\r\n\r\n")
                await writer.drain()
            except ConnectionError:
                pass
        return await asyncio.wait_for(read_response(reader), timeout=30)
    finally:
        writer.close()


async def read_response(reader: asyncio.StreamReader) -> bytes:
    """One HTTP response with a Content-Length body (the server need not close the socket)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    return head + await reader.readexactly(length)


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1])


@pytest.mark.parametrize("authenticated", [True, False])
async def test_declared_oversized_body_gets_413_without_being_sent(
    jp_fetch: Fetch, jp_http_port: int, jp_base_url: str, jp_serverapp: Any, authenticated: bool
) -> None:
    """A 1 GB Content-Length is refused from the headers alone, before any auth work."""
    token = jp_serverapp.identity_provider.token
    auth = f"Authorization: token {token}\r\n" if authenticated else ""
    head = (
        f"POST {jp_base_url.rstrip('/')}/mllens/lint HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{jp_http_port}\r\n{auth}"
        "Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n"
    )
    reply = await raw_request(jp_http_port, head)
    assert status_of(reply) == 413
    body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    assert "limit is 65,536 bytes" in body["message"]
    assert (await jp_fetch("api", "status", method="GET")).code == 200


async def test_chunked_oversized_body_gets_413(
    jp_fetch: Fetch, jp_http_port: int, jp_base_url: str, jp_serverapp: Any
) -> None:
    """Without a Content-Length the body is counted as it arrives and dropped past the limit."""
    token = jp_serverapp.identity_provider.token
    head = (
        f"POST {jp_base_url.rstrip('/')}/mllens/lint HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{jp_http_port}\r\nAuthorization: token {token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    reply = await raw_request(jp_http_port, head, [b" " * 16384] * 64)
    assert status_of(reply) == 413
    body = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    assert "request body is 1,048,576 bytes; the limit is 65,536 bytes" in body["message"]
    assert (await jp_fetch("api", "status", method="GET")).code == 200
