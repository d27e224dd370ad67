"""`/mllens/lint` and `/mllens/rules` through a real jupyter_server (pytest-jupyter `jp_fetch`)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import notebook_json

Fetch = Callable[..., Awaitable[Any]]

LEAKY = 'db_password = "Tr0ub4dor&3-horse"\n'
UNVERSIONED = 'import pandas as pd\ndf = pd.read_csv("data/train.csv")\n'


async def post_lint(jp_fetch: Fetch, body: Any, **kwargs: Any) -> Any:
    payload = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return await jp_fetch("mllens", "lint", method="POST", body=payload, **kwargs)


async def lint(jp_fetch: Fetch, path: str, *cells: str, **kwargs: Any) -> dict[str, Any]:
    response = await post_lint(
        jp_fetch, {"path": path, "notebook": notebook_json(*cells, **kwargs)}
    )
    assert response.code == 200
    return json.loads(response.body)


def names(result: dict[str, Any]) -> list[str]:
    return [f["name"] for f in result["findings"]]


async def test_lint_returns_findings_in_the_cli_schema(jp_fetch: Fetch) -> None:
    result = await lint(jp_fetch, "analysis/train.ipynb", "import os\n", LEAKY)
    assert result["version"] == 1
    assert result["errors"] == []
    [finding] = result["findings"]
    assert finding["name"] == "hardcoded-credentials"
    assert finding["code"] == "MLL101"
    assert finding["path"] == "analysis/train.ipynb"
    assert finding["cell_index"] == 1
    assert finding["cell_id"] == "c1"
    assert finding["line"] == 1
    assert finding["severity"] == "high"
    assert finding["pillars"] == ["security"]
    assert "Tr0ub4dor" not in finding["message"], "secrets must be masked"
    assert set(finding) >= {"column", "end_line", "end_column", "phase", "lens"}


async def test_lint_uses_the_content_sent_not_the_file_on_disk(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    (jp_root_dir / "nb.ipynb").write_text(json.dumps(notebook_json("x = 1\n")), "utf-8")
    assert names(await lint(jp_fetch, "nb.ipynb", LEAKY)) == ["hardcoded-credentials"]


async def test_unsaved_untitled_notebook_is_linted(jp_fetch: Fetch) -> None:
    assert names(await lint(jp_fetch, "Untitled3.ipynb", LEAKY)) == ["hardcoded-credentials"]


async def test_notebook_metadata_ignore_is_honoured(jp_fetch: Fetch) -> None:
    metadata = {"mllens": {"ignore": ["hardcoded-credentials"]}}
    assert names(await lint(jp_fetch, "nb.ipynb", LEAKY, metadata=metadata)) == []


async def test_inline_ignore_comment_is_honoured(jp_fetch: Fetch) -> None:
    cell = LEAKY.rstrip("\n") + "  # mllens: ignore[hardcoded-credentials]\n"
    assert names(await lint(jp_fetch, "nb.ipynb", cell)) == []


async def test_not_a_notebook_is_an_error_entry_not_a_failure(jp_fetch: Fetch) -> None:
    response = await post_lint(jp_fetch, {"path": "nb.ipynb", "notebook": {"cells": "nope"}})
    result = json.loads(response.body)
    assert response.code == 200
    assert result["findings"] == []
    assert result["errors"][0]["path"] == "nb.ipynb"


async def test_rules_serves_the_catalog_with_pillar_context(jp_fetch: Fetch) -> None:
    response = await jp_fetch("mllens", "rules", method="GET")
    catalog = json.loads(response.body)
    assert set(catalog["pillars"]) == {
        "operational-excellence",
        "security",
        "reliability",
        "performance-efficiency",
        "cost-optimization",
        "sustainability",
    }
    assert catalog["phases"]["data-processing"]["description"]
    rule = next(r for r in catalog["rules"] if r["name"] == "hardcoded-credentials")
    assert rule["code"] == "MLL101"
    assert rule["why"]
    assert rule["fix"]
    assert rule["examples"]["good"]
    assert {"id", "title", "url"} <= set(rule["lens"][0])


# -- authentication ----------------------------------------------------------------------
@pytest.mark.parametrize(("method", "route"), [("POST", "lint"), ("GET", "rules")])
async def test_requests_without_a_token_are_refused(
    jp_fetch: Fetch, method: str, route: str
) -> None:
    body = json.dumps({"path": "nb.ipynb", "notebook": notebook_json(LEAKY)})
    with pytest.raises(HTTPClientError) as failure:
        await jp_fetch(
            "mllens",
            route,
            method=method,
            body=body if method == "POST" else None,
            headers={"Authorization": ""},
        )
    assert failure.value.code == 403


async def login_cookie(jp_fetch: Fetch, jp_serverapp: Any) -> str:
    """A browser-style session: log in once with the token, keep only the cookies."""
    response = await jp_fetch(
        "api", "status", params={"token": jp_serverapp.identity_provider.token}
    )
    cookies = [c.split(";", 1)[0] for c in response.headers.get_list("Set-Cookie")]
    assert cookies, "logging in with the token should set a session cookie"
    return "; ".join(cookies)


async def test_cookie_session_needs_the_xsrf_token(jp_fetch: Fetch, jp_serverapp: Any) -> None:
    """Cookie-authenticated POSTs (the browser) must carry the XSRF token, as for any API."""
    cookie = await login_cookie(jp_fetch, jp_serverapp)
    body = {"path": "nb.ipynb", "notebook": notebook_json(LEAKY)}
    with pytest.raises(HTTPClientError) as failure:
        await post_lint(jp_fetch, body, headers={"Authorization": "", "Cookie": cookie})
    assert failure.value.code == 403
    assert "xsrf" in failure.value.response.body.decode().lower()

    xsrf = "2|abcdef01|0123456789abcdef0123456789abcdef|1700000000"
    headers = {"Authorization": "", "Cookie": f"{cookie}; _xsrf={xsrf}", "X-XSRFToken": xsrf}
    response = await post_lint(jp_fetch, body, headers=headers)
    assert response.code == 200


# -- malformed and oversized bodies ------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (json.dumps({"notebook": {}}).encode(), "'path'"),
        (json.dumps({"path": "", "notebook": {}}).encode(), "'path'"),
        (json.dumps({"path": "a.ipynb"}).encode(), "'notebook'"),
        (json.dumps({"path": "a.ipynb", "notebook": []}).encode(), "'notebook'"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
async def test_malformed_bodies_get_400_with_a_message(
    jp_fetch: Fetch, body: bytes, message: str
) -> None:
    with pytest.raises(HTTPClientError) as failure:
        await post_lint(jp_fetch, body)
    assert failure.value.code == 400
    reply = json.loads(failure.value.response.body)
    assert message in reply["message"]
    assert not reply.get("traceback")


async def test_oversized_body_gets_413(jp_fetch: Fetch) -> None:
    big = notebook_json(*["x = 1\n" + "# padding\n" * 800] * 10)
    with pytest.raises(HTTPClientError) as failure:
        await post_lint(jp_fetch, {"path": "big.ipynb", "notebook": big})
    assert failure.value.code == 413
    assert "limit is 65,536 bytes" in json.loads(failure.value.response.body)["message"]


# -- paths and configuration -------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["../outside.ipynb", "a/../../outside.ipynb", "/etc/passwd", "C:/x.ipynb", "a\x00b"]
)
async def test_paths_escaping_the_root_are_refused(jp_fetch: Fetch, path: str) -> None:
    with pytest.raises(HTTPClientError) as failure:
        await post_lint(jp_fetch, {"path": path, "notebook": notebook_json(LEAKY)})
    assert failure.value.code == 400


def write_pyproject(directory: Path, body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(f"[tool.mllens]\n{body}\n", "utf-8")


async def test_config_is_the_nearest_pyproject_above_the_notebook(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write_pyproject(jp_root_dir, 'ignore = ["unversioned-data"]')
    write_pyproject(jp_root_dir / "team", 'ignore = ["hardcoded-credentials"]')
    cells = (LEAKY, UNVERSIONED)
    assert names(await lint(jp_fetch, "team/deep/nb.ipynb", *cells)) == ["unversioned-data"]
    assert names(await lint(jp_fetch, "other/nb.ipynb", *cells)) == ["hardcoded-credentials"]


async def test_config_above_the_server_root_is_never_read(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    write_pyproject(jp_root_dir.parent, 'ignore = ["ALL"]')
    assert names(await lint(jp_fetch, "nb.ipynb", LEAKY)) == ["hardcoded-credentials"]


async def test_severity_override_from_config(jp_fetch: Fetch, jp_root_dir: Path) -> None:
    write_pyproject(jp_root_dir, '[tool.mllens.severity]\nhardcoded-credentials = "low"')
    [finding] = (await lint(jp_fetch, "nb.ipynb", LEAKY))["findings"]
    assert finding["severity"] == "low"


async def test_rule_options_from_config_apply_in_the_server(
    jp_fetch: Fetch, jp_root_dir: Path
) -> None:
    """`[tool.mllens.rules.<name>]` reaches the rules in the server as in the CLI."""
    acme = 'import acme_io\ndf = acme_io.read_table("s3://raw-bucket/events.parquet")\n'
    tracked = (
        "import acme_ml\nfrom sklearn.linear_model import LogisticRegression\n"
        "acme_ml.log_run(params={})\nLogisticRegression().fit(X, y)\n"
    )
    relevant = {"unversioned-data", "missing-experiment-tracking"}

    async def found() -> list[str]:
        result = await lint(jp_fetch, "team/nb.ipynb", acme, tracked)
        return [name for name in names(result) if name in relevant]

    assert await found() == ["missing-experiment-tracking"]
    write_pyproject(
        jp_root_dir / "team",
        '[tool.mllens.rules.unversioned-data]\nreaders = ["acme_io.read_table"]\n'
        '[tool.mllens.rules.missing-experiment-tracking]\ntrackers = ["acme_ml.log_run"]',
    )
    assert await found() == ["unversioned-data"]


async def test_broken_config_is_reported_not_ignored(jp_fetch: Fetch, jp_root_dir: Path) -> None:
    write_pyproject(jp_root_dir, 'ignore = ["no-such-rule"]')
    result = await lint(jp_fetch, "nb.ipynb", LEAKY)
    assert result["findings"] == []
    assert "no-such-rule" in result["errors"][0]["message"]
    assert result["errors"][0]["message"].startswith("configuration: ")
