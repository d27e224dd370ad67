"""hardcoded-credentials in code, shell escapes, magics and cell magics: exact and masked."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from jupyter_mllens.cli import main
from jupyter_mllens.findings import Finding

Lint = Callable[..., list[Finding]]
TOKEN = "ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"
SECRET_KEY = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6Jp0Sd5Fg8Ae2Ui4O"


def creds(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.name == "hardcoded-credentials"]


def test_token_in_shell_escape_points_at_the_token(lint: Lint) -> None:
    source = f"import os\n!git clone https://{TOKEN}@github.com/acme/model.git"
    (finding,) = creds(lint(source))
    assert (finding.line, finding.column) == (2, source.splitlines()[1].index(TOKEN) + 1)
    assert finding.location.end_column - finding.column == len(TOKEN)
    assert TOKEN not in finding.message
    assert "ghp_****" in finding.message


def test_secret_in_bash_cell_body(lint: Lint) -> None:
    (finding,) = creds(
        lint("%%bash\necho start\nexport AWS_SECRET_ACCESS_KEY=" + SECRET_KEY + "\n")
    )
    assert finding.line == 3
    assert SECRET_KEY not in finding.message


def test_secret_in_writefile_cell(lint: Lint) -> None:
    found = creds(
        lint(
            f"%%writefile train.py\nimport boto3\nKEY = '{SECRET_KEY}'\naws_secret_access_key = '{SECRET_KEY}'\n"
        )
    )
    assert found
    assert all(SECRET_KEY not in f.message for f in found)


def test_env_magic(lint: Lint) -> None:
    (finding,) = creds(lint("%env HF_TOKEN=hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"))
    assert finding.line == 1
    assert "hf_a****" in finding.message


@pytest.mark.parametrize(
    "source",
    [
        "import os\ntoken = os.environ['HF_TOKEN']",
        "import os\napi_key = os.getenv('OPENAI_API_KEY', '')",
        "import getpass\npassword = getpass.getpass()",
        "tokenizer_kwargs = {'max_tokens': 512, 'truncation': True}",
        "s3.put_object(Bucket='b', Key='models/model.tar.gz', Body=data)",
        "headers = {'Authorization': f'Bearer {token}'}",
        "sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'",
        "!git clone https://github.com/acme/model.git",
        "password = 'YOUR_PASSWORD'",
        "df['password'] = df['password'].map(hash)",
    ],
)
def test_look_alikes_are_not_flagged(lint: Lint, source: str) -> None:
    assert creds(lint(source)) == []


def test_no_output_format_leaks_a_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], write_notebook: Callable[..., Path]
) -> None:
    path = write_notebook(
        "leak.ipynb",
        f"import boto3\nboto3.client('s3', aws_secret_access_key='{SECRET_KEY}')",
        f"!git clone https://{TOKEN}@github.com/acme/x.git",
        "db_password = 'Tr0ub4dor&3-horse'",
    )
    for fmt in ("text", "json", "sarif", "github"):
        assert main(["check", "--format", fmt, str(path)]) == 1
        out, err = capsys.readouterr()
        for secret in (SECRET_KEY, TOKEN, "Tr0ub4dor&3-horse", SECRET_KEY[4:12], TOKEN[4:12]):
            assert secret not in out + err, (fmt, secret)
    main(["check", "--format", "json", str(path)])
    assert len(json.loads(capsys.readouterr()[0])["findings"]) == 3


def test_secrets_are_found_in_cells_that_do_not_parse(lint: Lint) -> None:
    found = lint(f"print 'connecting'\ntoken = '{TOKEN}'")
    (finding,) = creds(found)
    assert (finding.line, finding.column) == (2, 10)
    assert TOKEN not in finding.message
    assert "syntax-error" in [f.name for f in found]


@pytest.mark.parametrize(
    ("source", "where"),
    [
        ("import wandb\nwandb.login(key='k3y-abc')", "`key` of `wandb.login`"),
        (
            "from huggingface_hub import login\nlogin('abc12345')",
            "`token` of `huggingface_hub.login`",
        ),
        ("import anthropic\nc = anthropic.Anthropic(api_key='team-key-7')", "`api_key` of"),
        ("from cohere import Client\nc = Client('c0here-key')", "`api_key` of `cohere.Client`"),
        (
            "import boto3\ns = boto3.Session(aws_access_key_id=key_id, aws_secret_access_key='abc123')",
            "`aws_secret_access_key` of `boto3.Session`",
        ),
        ("import pymysql\npymysql.connect(host='db', passwd='s3cret')", "`passwd` of"),
        (
            "import requests\nrequests.get(url, auth=('analyst', 'winter42'))",
            "`auth` of `requests.get`",
        ),
    ],
)
def test_credential_parameters_take_any_literal(lint: Lint, source: str, where: str) -> None:
    (finding,) = creds(lint(source))
    assert where in finding.message
    assert finding.severity.value == "high"


def test_a_credential_parameter_points_at_the_literal_bound_to_its_name(lint: Lint) -> None:
    (finding,) = creds(
        lint("comet_key = 'abc123'", "import comet_ml\ncomet_ml.init(api_key=comet_key)")
    )
    assert (finding.cell_index, finding.line, finding.column) == (0, 1, 13)
    assert "abc123" not in finding.message


@pytest.mark.parametrize(
    "source",
    [
        "import openai\nclient = openai.OpenAI(api_key='OPENAI_API_KEY')",
        "import openai\nclient = openai.OpenAI(api_key='sk-...')",
        "import openai\nclient = openai.OpenAI(api_key=f'{key}')",
        "import psycopg2\npsycopg2.connect(password='')",
        "import wandb\nwandb.login(key='<your W&B key>')",
        "import pinecone\npc = pinecone.Pinecone(api_key='{API KEY}')",
        "%pip install token-count==0.2.1 tiktoken==0.9.0",
        "!docker buildx build --secret id=HF_TOKEN,src=token.txt .",
        "pipe.load_textual_inversion('sd-concepts-library/cat-toy', token='<cat-toy>')",
        "pipe.load_textual_inversion('./EasyNegative.safetensors', token='EasyNegative')",
    ],
)
def test_placeholders_and_look_alikes_at_credential_parameters(lint: Lint, source: str) -> None:
    assert creds(lint(source)) == []


def test_a_weak_password_is_reported_only_under_a_password_name(lint: Lint) -> None:
    (finding,) = creds(lint("rds_master_password = '12345678'"))
    assert "`rds_master_password`" in finding.message
    assert creds(lint("batch_id = '12345678'\napi_key = '12345678'")) == []


def test_secret_in_a_comment_after_a_hash_inside_a_string(lint: Lint) -> None:
    source = f"label = 'run #3'  # pushed with {TOKEN}\r\nprint(label)  # done"
    (finding,) = creds(lint(source))
    assert "in a comment" in finding.message
    assert (finding.line, finding.column) == (1, source.index(TOKEN) + 1)
