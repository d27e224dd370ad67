"""Thin tornado handlers over `LintService`: authenticate, validate, lint off the loop.

`POST /mllens/lint` answers in the CLI's JSON schema; `GET /mllens/rules` serves the
catalog the panel explains findings with. Both are ordinary jupyter_server API handlers,
so token/cookie authentication, XSRF and origin checks apply as for `/api/contents`.

The lint body is streamed, not buffered by tornado: a declared `Content-Length` over the
limit is refused before any authentication work, and a body without one (chunked) is
kept only up to the limit, so an oversized POST, authenticated or not, costs the server
at most the limit in memory.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import Executor
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .service import (
    DEFAULT_MAX_BODY_BYTES,
    LintService,
    RequestError,
    body_too_large,
    parse_lint_request,
)

#: The jupyter_server authorization resource: linting reads notebook content and the
#: configuration files next to it, which is what `contents:read` grants.
AUTH_RESOURCE = "contents"


class _MLLensHandler(APIHandler):
    auth_resource = AUTH_RESOURCE

    def initialize(self, service: LintService, executor: Executor) -> None:
        self.service = service
        self.executor = executor

    def write_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data))


@web.stream_request_body
class LintHandler(_MLLensHandler):
    """`POST /mllens/lint` `{"path": ..., "notebook": ...}` → findings."""

    def initialize(self, service: LintService, executor: Executor) -> None:
        super().initialize(service, executor)
        self._limit = int(self.settings.get("mllens_max_body_bytes", DEFAULT_MAX_BODY_BYTES))
        self._chunks: list[bytes] = []
        self._received = 0

    async def prepare(self) -> None:  # type: ignore[override]  # as jupyter_server's own
        """Refuse a declared oversized body first: before auth, before reading a byte of it."""
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._limit:
            raise web.HTTPError(413, body_too_large(int(declared), self._limit).message)
        await super().prepare()

    def data_received(self, chunk: bytes) -> None:
        """Keep at most the limit; past it, only count, so memory stays bounded."""
        self._received += len(chunk)
        if self._received > self._limit:
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    @web.authenticated
    @authorized(action="read")  # type: ignore[untyped-decorator]  # jupyter_server types it loosely
    async def post(self) -> None:
        if self._received > self._limit:
            raise web.HTTPError(413, body_too_large(self._received, self._limit).message)
        body = b"".join(self._chunks)
        self._chunks.clear()
        try:
            request = parse_lint_request(body, self._limit)
        except RequestError as exc:
            raise web.HTTPError(exc.status, exc.message) from None
        except RecursionError:  # a backstop: the parser is meant to refuse deep JSON itself
            raise web.HTTPError(400, "body is not valid JSON: nested too deeply") from None
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self.executor, self.service.lint, request, body)
        self.write_json(result)


class RulesHandler(_MLLensHandler):
    """`GET /mllens/rules` → the catalog: rules, pillars and phases with their texts."""

    @web.authenticated
    @authorized(action="read")  # type: ignore[untyped-decorator]  # jupyter_server types it loosely
    async def get(self) -> None:
        self.set_header("Cache-Control", "private, max-age=300")
        self.write_json(self.service.catalog())


def handlers(
    base_url: str, service: LintService, executor: Executor
) -> list[tuple[str, type[APIHandler], dict[str, Any]]]:
    """The URL table, relative to the server's `base_url`."""
    kwargs = {"service": service, "executor": executor}
    return [
        (url_path_join(base_url, "mllens", "lint"), LintHandler, kwargs),
        (url_path_join(base_url, "mllens", "rules"), RulesHandler, kwargs),
    ]
