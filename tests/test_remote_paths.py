"""fsspec URLs as paths, against a real S3 API: moto's server on loopback, started here.

Nothing is mocked inside the process: `mllens check s3://...` runs as a subprocess that
reaches the server through s3fs over HTTP, exactly as it would reach AWS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

from jupyter_mllens.remote import is_remote  # noqa: E402
from tests.conftest import notebook_json  # noqa: E402

TLS_CELL = "import requests\nrequests.get('https://example.org', verify=False)"


@pytest.fixture(scope="module")
def s3() -> Iterator[dict[str, str]]:
    """A moto S3 server on loopback; yields the environment that points AWS clients at it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    client = boto3.client(
        "s3",
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket="team-notebooks")

    def put(key: str, body: Any) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        client.put_object(Bucket="team-notebooks", Key=key, Body=data)

    put("project/train.ipynb", notebook_json(TLS_CELL))
    put("project/deep/eval.ipynb", notebook_json("!pip install pandas", TLS_CELL))
    put("project/clean.ipynb", notebook_json("x = 1"))
    put("project/.ipynb_checkpoints/train-checkpoint.ipynb", notebook_json(TLS_CELL))
    put("project/broken/bad.ipynb", b"{not json")
    put("project/notes.md", b"# not linted")
    put("big/huge.ipynb", b" " * 2048)
    put("sarif/indented.ipynb", json.dumps(notebook_json("x = 1", TLS_CELL), indent=1).encode())
    try:
        yield env
    finally:
        server.stop()


def _mllens(
    env: dict[str, str], *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jupyter_mllens", "check", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
        cwd=cwd,
    )


def _findings(completed: subprocess.CompletedProcess[str]) -> list[tuple[str, str, int | None]]:
    report = json.loads(completed.stdout)
    return [(f["path"], f["code"], f["cell_index"]) for f in report["findings"]]


def test_a_prefix_is_walked_like_a_folder(s3: dict[str, str]) -> None:
    done = _mllens(
        s3, "s3://team-notebooks/project/", "--isolated", "--no-cache", "--format", "json"
    )
    assert done.returncode == 2  # findings, and one notebook that cannot be read
    assert _findings(done) == [
        ("s3://team-notebooks/project/deep/eval.ipynb", "MLL303", 0),
        ("s3://team-notebooks/project/deep/eval.ipynb", "MLL102", 1),
        ("s3://team-notebooks/project/train.ipynb", "MLL102", 0),
    ]
    errors = json.loads(done.stdout)["errors"]
    assert [e["path"] for e in errors] == ["s3://team-notebooks/project/broken/bad.ipynb"]
    assert errors[0]["message"].startswith("invalid JSON")


def test_a_missing_bucket_is_one_error_and_the_rest_of_the_run_goes_on(
    s3: dict[str, str], tmp_path: Path
) -> None:
    local = tmp_path / "local.ipynb"
    local.write_text(json.dumps(notebook_json(TLS_CELL)), "utf-8")
    done = _mllens(
        s3,
        "s3://no-such-bucket/x/",
        "s3://team-notebooks/project/train.ipynb",
        "s3://team-notebooks/project/notes.md",
        str(local),
        "--isolated",
        "--no-cache",
    )
    assert done.returncode == 2
    assert "s3://team-notebooks/project/train.ipynb:cell 1:2:1: MLL102" in done.stdout
    assert f"{local}:cell 1:2:1: MLL102" in done.stdout
    assert done.stderr.splitlines() == [
        "s3://no-such-bucket/x/: error: no such file or directory",
        "s3://team-notebooks/project/notes.md: error: not a notebook (.ipynb) or Python script (.py)",
    ]


def test_the_size_limit_holds_for_remote_files(s3: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "mllens.toml").write_text("max-file-size = 1024\n", "utf-8")
    done = _mllens(s3, "s3://team-notebooks/big/", "--no-cache", cwd=tmp_path)
    assert done.returncode == 2
    assert (
        "s3://team-notebooks/big/huge.ipynb: error: file is 0.0 MiB, over the 0 MiB limit"
        in done.stderr
    )


def test_remote_results_are_cached_and_show_their_source(
    s3: dict[str, str], tmp_path: Path
) -> None:
    args = ("s3://team-notebooks/project/train.ipynb", "--isolated", "--cache-dir", str(tmp_path))
    first = _mllens(s3, *args, "--show-source", "-v")
    second = _mllens(s3, *args, "--show-source", "-v")
    assert first.returncode == second.returncode == 1
    assert "0 of 1 file(s) from the cache" in first.stderr
    assert "1 of 1 file(s) from the cache" in second.stderr
    assert "requests.get('https://example.org', verify=False)" in second.stdout
    assert first.stdout == second.stdout


def test_sarif_and_github_annotations_point_at_the_remote_ipynb_line(s3: dict[str, str]) -> None:
    """Code scanning shows the `.ipynb` JSON: a remote notebook's region is its JSON line."""
    url = "s3://team-notebooks/sarif/indented.ipynb"
    text = json.dumps(notebook_json("x = 1", TLS_CELL), indent=1)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "verify=False" in row)
    sarif = json.loads(_mllens(s3, url, "--isolated", "--no-cache", "--format", "sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == line
    github = _mllens(s3, url, "--isolated", "--no-cache", "--format", "github").stdout
    assert f"file={url.replace(':', '%3A')},line={line}," in github  # escaped as a property


def test_dask_workers_read_remote_files_themselves(s3: dict[str, str]) -> None:
    pytest.importorskip("distributed")
    args = ["s3://team-notebooks/project/", "--isolated", "--no-cache", "--format", "json"]
    local = _mllens(s3, *args)
    on_dask = _mllens(s3, *args, "--executor", "dask", "-j", "2")
    assert on_dask.returncode == local.returncode == 2
    assert json.loads(on_dask.stdout) == json.loads(local.stdout)


@pytest.mark.parametrize(
    ("name", "remote"),
    [
        ("s3://bucket/key.ipynb", True),
        ("gs://bucket/", True),
        ("memory://x/y.ipynb", True),
        ("file:///tmp/x.ipynb", False),
        ("C:\\Users\\me\\x.ipynb", False),
        ("notebooks/a.ipynb", False),
        ("-", False),
    ],
)
def test_which_paths_are_urls(name: str, remote: bool) -> None:
    assert is_remote(name) is remote
