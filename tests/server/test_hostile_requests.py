"""Requests an attacker or an unlucky client could send, through a real jupyter_server.

Each must be answered with a 400 or a lint result naming the problem, never a 500, and
nothing outside the server root may be read.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import notebook_json

Fetch = Callable[..., Awaitable[Any]]


async def post_lint(jp_fetch: Fetch, body: bytes) -> Any:
    return await jp_fetch("mllens", "lint", method="POST", body=body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b'{"path": "nb.ipynb", "notebook": {"x": ' + b"[" * 2_000 + b"]" * 2_000 + b"}}",
            "nested too deeply",
        ),
        (
            json.dumps({"path": "a" * 10_000 + ".ipynb", "notebook": notebook_json()}).encode(),
            "the limit is 4,096 bytes",
        ),
        (
            json.dumps({"path": "d/" * 3_000 + "nb.ipynb", "notebook": notebook_json()}).encode(),
            "the limit is 4,096 bytes",
        ),
    ],
)
async def test_hostile_bodies_get_a_400_not_a_500(
    jp_fetch: Fetch, body: bytes, message: str
) -> None:
    with pytest.raises(HTTPClientError) as failure:
        await post_lint(jp_fetch, body)
    assert failure.value.code == 400
    assert failure.value.response is not None
    assert message in json.loads(failure.value.response.body)["message"]


async def test_a_config_link_leading_outside_the_root_is_not_read(
    jp_fetch: Fetch, jp_root_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "private.toml"
    outside.write_text('private-key-name-7f3a = "x"\n', "utf-8")
    (jp_root_dir / "project").mkdir()
    (jp_root_dir / "project" / "mllens.toml").symlink_to(outside)
    body = {"path": "project/nb.ipynb", "notebook": notebook_json("x = 1\n")}
    response = await post_lint(jp_fetch, json.dumps(body).encode())
    assert response.code == 200
    result = json.loads(response.body)
    [error] = result["errors"]
    assert "leads outside the server root; it was not read" in error["message"]
    assert "private" not in response.body.decode()


async def test_a_notebook_with_zero_cells_is_linted(jp_fetch: Fetch) -> None:
    body = {"path": "empty.ipynb", "notebook": notebook_json()}
    response = await post_lint(jp_fetch, json.dumps(body).encode())
    result = json.loads(response.body)
    assert (response.code, result["findings"], result["errors"]) == (200, [], [])
