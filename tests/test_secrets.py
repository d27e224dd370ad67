"""Secret detection: what is reported, what is not, exact offsets, masking and speed.

Fake credentials are assembled from pieces so that secret scanners running on this repository
do not mistake the fixtures for leaks.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
import json
import random
import time

import pytest

from jupyter_mllens.secrets import (
    PROVIDERS,
    Provider,
    SecretMatch,
    is_credential_name,
    is_placeholder,
    looks_like_parameter_secret,
    looks_like_secret_value,
    mask,
    providers_markdown,
    scan_text,
)

AWS_ID = "AKIA" + "Z7VQ3MPLR4TNWJ2D"
AWS_SECRET = "q8Rv2mXo4Lt9Wc1Zk7Yb3Hn6" + "Jp0Sd5Fg8Ae2Ui4O"
GH = "ghp_" + "R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3s12"
GH_SERVER = "ghs_" + "Zq8Wx2Cv4Bn6Mk9Lj3Hg5Fd7Sa1Pq0Wo2Ei4"
GH_PAT = (
    "github_pat_"
    + "11ABCDEFG0aB3dE5fG7hI9jK_1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3rS5tU7vW9xY"
)
HF = "hf_" + "QxTzVbNmLkJhGfDsApOiUyTrEwQaZxCvBn"
OPENAI = "sk-proj-" + "5fGh7Jk9Lm2Np4Qr6St8Uv0Wx1Yz3Ab5Cd7Ef9Gh"
OPENAI_LEGACY = "sk-" + "T9vQ2mX7pL4kR8tW1yB6cF3gH5jK0nZaS4dE6fG8hJ2kL9q"
ANTHROPIC = "sk-ant-" + "api03-Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5Za7Bc9De1Fg3Hi5"
SLACK = "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0E1F2G3H/aB3dE5fG7hI9jK1lM3nO5pQ7"
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GOOGLE = "AIza" + "SyD3x8Qm2vN7pL4kR9tW1yB6cF0gH5jK8mZ"
GITLAB = "glpat-" + "Ab3De5Fg7Hi9Jk1Lm3No"
PYPI = "pypi-" + "AgEIcHlwaS5vcmc" + "CJGQ2ZjY5YjE3LTRhNmUtNGVhNi05NzRkLTkxZWYxNDE0ZTNmMQACKlsz"
HEX40 = "3f9a1c7e5b2d8f4a6c0e9b1d3f5a7c9e2b4d6f80"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


JWT = (
    _b64url({"alg": "HS256", "typ": "JWT"})
    + "."
    + _b64url({"sub": "svc-feature-store", "iat": 1716239022})
    + "."
    + "Zx9kQ2mP7vR4tY8wB3nL6jH1sD5fG0aK9cE2uI4oXy"
)
JWT_IO_EXAMPLE = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
PEM_BODY = (
    "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi1ZnvPp9g7Xm2qK8hL0sRtUvWx\n"
    "Yz3Ab5Cd7Ef9Gh1Ij3Kl5Mn7Op9Qr1St3Uv5Wx7Yz9Ab1Cd3Ef5Gh7Ij9Kl1Mn3Op5\n"
    "Qr7St9Uv1Wx3=\n"
)
PEM = "-----BEGIN RSA " + "PRIVATE KEY-----\n" + PEM_BODY + "-----END RSA PRIVATE KEY-----"
BASIC_REAL = base64.b64encode(b"analyst:w1nt3r-S0lst1ce").decode()
BASIC_PLACEHOLDER = base64.b64encode(b"user:password").decode()


def _only(text: str) -> SecretMatch:
    matches = scan_text(text)
    assert len(matches) == 1, matches
    match = matches[0]
    assert text[match.start : match.end] == match.value
    return match


# --------------------------------------------------------------------------------------------
# scan_text: what is reported
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # AWS
        (AWS_ID, "aws-access-key-id", AWS_ID),
        (f'aws_access_key_id="{AWS_ID}"', "aws-access-key-id", AWS_ID),
        (f"!aws configure set aws_access_key_id {AWS_ID}", "aws-access-key-id", AWS_ID),
        ("ASIA" + "Q4NB7XK2MZ3PLR6T", "aws-access-key-id", "ASIA" + "Q4NB7XK2MZ3PLR6T"),
        (
            f"!aws configure set aws_secret_access_key {AWS_SECRET}",
            "aws-secret-access-key",
            AWS_SECRET,
        ),
        (f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}", "aws-secret-access-key", AWS_SECRET),
        (f"aws_secret_access_key = {AWS_SECRET}\n", "aws-secret-access-key", AWS_SECRET),
        (f'"SecretAccessKey": "{AWS_SECRET}"', "aws-secret-access-key", AWS_SECRET),
        (f"--aws-secret-access-key {AWS_SECRET}", "aws-secret-access-key", AWS_SECRET),
        (f"--aws-secret-access-key={AWS_SECRET}", "aws-secret-access-key", AWS_SECRET),
        # Provider tokens
        (f"!git clone https://{GH}@github.com/org/repo.git", "github-token", GH),
        (f"https://x-access-token:{GH_SERVER}@github.com/o/r", "github-token", GH_SERVER),
        (f"GITHUB_TOKEN={GH_PAT}", "github-token", GH_PAT),
        (f"%env HF_TOKEN={HF}", "huggingface-token", HF),
        (f"!huggingface-cli login --token {HF}", "huggingface-token", HF),
        (f"%env OPENAI_API_KEY={OPENAI}", "openai-api-key", OPENAI),
        (f"openai.api_key = '{OPENAI_LEGACY}'", "openai-api-key", OPENAI_LEGACY),
        (ANTHROPIC, "anthropic-api-key", ANTHROPIC),
        (f"SLACK_BOT_TOKEN={SLACK}", "slack-token", SLACK),
        (f"requests.post('{SLACK_HOOK}', json=msg)", "slack-webhook", SLACK_HOOK),
        (STRIPE, "stripe-secret-key", STRIPE),
        (
            f"https://maps.googleapis.com/maps/api/geocode/json?key={GOOGLE}",
            "google-api-key",
            GOOGLE,
        ),
        (f"https://oauth2:{GITLAB}@gitlab.com/team/repo.git", "gitlab-token", GITLAB),
        (f"!twine upload -u __token__ -p {PYPI} dist/*", "pypi-token", PYPI),
        # Private keys, in files, with escaped newlines (service-account JSON), headers only
        (PEM, "private-key", PEM),
        (f"%%writefile id_rsa\n{PEM}\n", "private-key", PEM),
        (
            '{"private_key": "-----BEGIN PRIVATE KEY-----\\n'
            + PEM_BODY.replace("\n", "\\n")
            + '"}',
            "private-key",
            "-----BEGIN PRIVATE KEY-----\\n" + PEM_BODY.replace("\n", "\\n").rstrip("\\n"),
        ),
        # URLs with credentials
        ("postgresql://user:s3cr3t@db:5432/x", "url-credentials", "s3cr3t"),
        (
            'create_engine("postgresql://analyst:w1nt3r-S0lst1ce@warehouse.internal:5432/f")',
            "url-credentials",
            "w1nt3r-S0lst1ce",
        ),
        ("mongodb+srv://ml:p4ssW0rd99@cluster0.mongodb.net/db", "url-credentials", "p4ssW0rd99"),
        ("redis://:R3d1sP4ss@cache:6379/0", "url-credentials", "R3d1sP4ss"),
        (
            "https://ml-bot:" + "Xy7#pQ2!z" + "@nexus.corp/repository/pypi/simple",
            "url-credentials",
            "Xy7#pQ2!z",
        ),
        (f"https://{HEX40}@github.com/org/repo.git", "url-credentials", HEX40),
        # Bearer / basic / JWT
        (
            "!curl -H 'Authorization: Bearer abc123def456ghi789jkl' https://api.corp/v1",
            "bearer-token",
            "abc123def456ghi789jkl",
        ),
        ("Bearer 8f3a9c2e1b7d4f6a0c5e9b2d", "bearer-token", "8f3a9c2e1b7d4f6a0c5e9b2d"),
        (f"Authorization: Basic {BASIC_REAL}", "basic-auth", BASIC_REAL),
        (JWT, "jwt", JWT),
        (f'headers = {{"Authorization": "Bearer {JWT}"}}', "jwt", JWT),
        # Shell, magics and config assignments
        ("export API_KEY=abc123def", "credential-assignment", "abc123def"),
        ("HF_TOKEN=xYz9k2LmQ python train.py", "credential-assignment", "xYz9k2LmQ"),
        ("!python train.py --password s3cr3t!", "credential-assignment", "s3cr3t!"),
        ("!python train.py --token=abcd1234efgh", "credential-assignment", "abcd1234efgh"),
        ("!mlflow login --api-key 'Zk3&pQ9!x'", "credential-assignment", "Zk3&pQ9!x"),
        (
            '!tool --db-password "w1nt3r-S0lst1ce" --host db',
            "credential-assignment",
            "w1nt3r-S0lst1ce",
        ),
        ("%env DB_PASSWORD=s3cr3tP4ss", "credential-assignment", "s3cr3tP4ss"),
        ("%env DB_PASSWORD s3cr3tP4ss", "credential-assignment", "s3cr3tP4ss"),
        (f"%set_env WANDB_API_KEY={HEX40}", "credential-assignment", HEX40),
        (
            "!aws configure set aws_session_token FwoGZXIvYXdzEBYaDH3k9",
            "credential-assignment",
            "FwoGZXIvYXdzEBYaDH3k9",
        ),
        (
            "curl -u admin:s3cr3tP4ss https://registry.corp/v2/",
            "credential-assignment",
            "s3cr3tP4ss",
        ),
        (
            "jdbc:mysql://db:3306/f?user=admin&password=s3cr3tPass",
            "credential-assignment",
            "s3cr3tPass",
        ),
        (
            "http://localhost:8888/?token=8f3a9c2e1b7d4f6a0c5e",
            "credential-assignment",
            "8f3a9c2e1b7d4f6a0c5e",
        ),
        (
            "DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey=" + AWS_SECRET + "==;",
            "credential-assignment",
            AWS_SECRET + "==",
        ),
        ('os.environ["DB_PASSWORD"] = "hunter2!x"', "credential-assignment", "hunter2!x"),
        ('{"user": "svc", "password": "Tr0ub4dor&3"}', "credential-assignment", "Tr0ub4dor&3"),
        ("db:\n  host: warehouse\n  password: hunter2abc\n", "credential-assignment", "hunter2abc"),
        ("  password: hunter2abc  # rotate monthly\n", "credential-assignment", "hunter2abc"),
        ('api_key: str = "9f8e7d6c5b4a"', "credential-assignment", "9f8e7d6c5b4a"),
        (
            "!curl -H 'X-API-Key: a8f3k2m9q7w1z' https://api.corp",
            "credential-assignment",
            "a8f3k2m9q7w1z",
        ),
        ("-Dspring.datasource.password=Sup3rS3cret", "credential-assignment", "Sup3rS3cret"),
        ('!echo "API_KEY=abc123def" >> .env', "credential-assignment", "abc123def"),
    ],
)
def test_reports(text: str, kind: str, value: str) -> None:
    match = _only(text)
    assert (match.kind, match.value) == (kind, value)
    assert match.description


def test_offsets_point_at_the_value_not_its_context() -> None:
    text = "postgresql://user:s3cr3t@db:5432/x"
    match = _only(text)
    assert (match.start, match.end) == (18, 24)
    text = f"export HF_TOKEN={HF}"
    match = _only(text)
    assert (match.start, match.end) == (len("export HF_TOKEN="), len(text))


def test_several_secrets_in_a_cell_come_back_in_order_without_overlaps() -> None:
    cell = (
        "%%bash\n"
        f"export HF_TOKEN={HF}\n"
        f"export AWS_ACCESS_KEY_ID={AWS_ID}\n"
        f"export AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"
        "export MLFLOW_TRACKING_URI=http://mlflow.internal:5000\n"
        f"git clone https://{GH}@github.com/acme/churn.git\n"
        "psql postgresql://analyst:w1nt3r-S0lst1ce@warehouse:5432/features -c 'select 1'\n"
    )
    matches = scan_text(cell)
    assert [m.kind for m in matches] == [
        "huggingface-token",
        "aws-access-key-id",
        "aws-secret-access-key",
        "github-token",
        "url-credentials",
    ]
    for match in matches:
        assert cell[match.start : match.end] == match.value
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))


def test_the_specific_kind_wins_over_the_generic_assignment() -> None:
    assert [m.kind for m in scan_text(f"OPENAI_API_KEY={OPENAI}")] == ["openai-api-key"]
    assert [m.kind for m in scan_text(f'password="{AWS_ID}"')] == ["aws-access-key-id"]


# --------------------------------------------------------------------------------------------
# scan_text: what is not reported
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # Everyday literals
        "",
        "data/train.csv",
        "accuracy",
        "customer_id",
        "s3://bucket/key",
        "s3://ml-data/train/part-0001.parquet",
        "https://huggingface.co/bert-base-uncased",
        "https://github.com/org/repo.git",
        "Training loss: {:.4f}",
        "SELECT * FROM features WHERE day > '2024-01-01'",
        "password",
        "api_key",
        "max_tokens",
        "tokenizer",
        "Key",
        # Checksums, revisions, base64 payloads: no generic entropy detection
        SHA256,
        f"EXPECTED_SHA256 = '{SHA256}'",
        f'revision = "{HEX40}"',
        f"hashlib.sha256(data).hexdigest() == '{SHA256}'",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfD"
        "wAChwGA60e6kgAAAABJRU5ErkJggg==",
        AWS_SECRET,  # 40 base64 characters alone, with no name next to them
        "Z" + AWS_SECRET[1:] + " and more text",
        # URLs without a password, or with a placeholder for it
        "postgresql://user@db/x",
        "postgresql://user:${DB_PASSWORD}@db/x",
        "postgresql://user:{password}@db/x",
        "postgresql://user:$PASS@db/x",
        "postgresql://user:***@db/x",
        "postgresql://user:password@db/x",
        "postgresql://user:xxx@db/x",
        "https://user:<password>@host/path",
        "https://user:pass@example.com/",
        "postgres://postgres:postgres@localhost:5432/db",
        "amqp://guest:guest@localhost:5672/",
        "mysql+pymysql://root:@localhost/db",
        "git@github.com:org/repo.git",
        "ssh://git@github.com/org/repo.git",
        "!git clone https://${GITHUB_TOKEN}@github.com/acme/churn-model.git",
        "!git clone https://$GITHUB_TOKEN@github.com/acme/churn-model.git",
        "https://mlflow.internal:5000/#/experiments/3",
        "mailto:ml-team@corp.com",
        "%env MLFLOW_TRACKING_URI=http://localhost:5000",
        # Placeholders and expansions in shell and magics
        "export API_KEY=$API_KEY",
        "export API_KEY=${API_KEY}",
        'export API_KEY="${API_KEY:-}"',
        "export PASSWORD=$(cat /run/secrets/pw)",
        "export TOKEN=`cat token.txt`",
        "export OPENAI_API_KEY=YOUR_API_KEY_HERE",
        "%env HF_TOKEN=<your token>",
        "%env HF_TOKEN={hf_token}",
        "HF_TOKEN=xyz python train.py",
        "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "!huggingface-cli login --token $HF_TOKEN",
        "--password $DB_PASSWORD",
        '--password "$DB_PASSWORD"',
        "--password=${PW}",
        "docker login --password-stdin",
        "!mysql -u analyst -p s3cr3t!",
        "!pip install -U transformers",
        "!python -u train.py --learning-rate 0.1 --max-tokens 256",
        "!python train.py --token-file ~/.cache/hf_token",
        "aws configure set region us-east-1",
        "aws configure set aws_access_key_id $AWS_ACCESS_KEY_ID",
        # Code and config that name secrets without holding one
        "password = getpass.getpass('Password: ')",
        "token = tokenizer(text)['input_ids']",
        "f(token=tokens[0], api_key=get_key(), secret=cfg.secret)",
        "client(api_key=openai_key)",
        "Password: ",
        "Enter your password:",
        "Token: {}",
        "token={token}",
        "password=%s",
        "token: HFToken",
        "password: SecretStr",
        "if password == 'admin123': pass",
        '{"pad_token": "<pad>", "eos_token": "</s>", "max_tokens": 256}',
        'tokenizer(text, max_length=512, truncation=True, return_tensors="pt")',
        "df = df.drop(columns=['password'])",
        '{"password": "password", "api_key": "api_key"}',
        'api_key = os.environ["OPENAI_API_KEY"]',
        'secret_name = "prod/warehouse/password"',
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
        'password: "{{resolve:secretsmanager:prod/db:SecretString:password}}"',
        "token: ${{ secrets.HF_TOKEN }}",
        'Key="data/train.csv"',
        'boto3.client("s3").download_file(Bucket="ml-data", Key="data/train.csv", Filename="x")',
        'get_secret_value(SecretId="prod/warehouse/password")',
        # Stand-in keys for local LLM servers, default passwords of local service images
        'OpenAI(base_url="http://localhost:8000/v1", api_key="EMPTY")',
        'client = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")',
        "!vllm serve meta-llama/Llama-3.1-8B-Instruct --api-key token-abc123",
        "%env AWS_SECRET_ACCESS_KEY=minioadmin",
        "mongodb://root:root@localhost:27017",
        # Raw source that names credentials (a `%%writefile` of library code)
        "Use the --username and --password options instead.",
        'styles = {\n    Token:              "#d8dee9",\n    Token.String: "bold #AB0909",\n}',
        "styles = {\n    Token: Style(),\n    Token.Text: foreground,\n}",
        'creds = " --username=" + auth',
        '"password": password,\n',
        # Documentation values and prose
        "AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        JWT_IO_EXAMPLE,
        "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "ghp_" + "a" * 36,
        'api_key="sk-..."',
        "sk-proj-your-key-goes-here-and-nowhere-else-ok",
        "xoxb-your-token",
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "Bearer tokens expire after an hour",
        "Authorization: Bearer <token>",
        "Authorization: Bearer ${TOKEN}",
        "Authorization: Bearer {token}",
        f"Authorization: Basic {BASIC_PLACEHOLDER}",
        "Basic authentication is required",
        "-----BEGIN PRIVATE KEY-----",
        "if line.startswith('-----BEGIN RSA PRIVATE KEY-----'):",
        "-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----",
        "-----BEGIN PUBLIC KEY-----\n" + PEM_BODY + "-----END PUBLIC KEY-----",
        "The password must be at least 8 characters long.",
        "Set the HF_TOKEN environment variable before running this notebook.",
    ],
)
def test_does_not_report(text: str) -> None:
    assert scan_text(text) == []


# --------------------------------------------------------------------------------------------
# is_credential_name
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "PASSWORD",
        "Password",
        "passwd",
        "pwd",
        "pw",
        "pass",
        "DB_PASS",
        "db_password",
        "dbPassword",
        "dbpassword",
        "MasterUserPassword",
        "new_password",
        "password1",
        "password_b64",
        "passphrase",
        "secret",
        "client_secret",
        "clientSecret",
        "SecretString",
        "webhook-secret",
        "token",
        "access_token",
        "accessToken",
        "auth_token",
        "authtoken",
        "refresh_token",
        "id_token",
        "hf_token",
        "HF_TOKEN",
        "use_auth_token",
        "aws_session_token",
        "SessionToken",
        "sas_token",
        "api_key",
        "apikey",
        "apiKey",
        "APIKey",
        "API_KEY",
        "api-key",
        "X-API-Key",
        "x_api_key",
        "openai_api_key",
        "OPENAI_API_KEY",
        "openai.api_key",
        "WANDB_API_KEY",
        "access_key",
        "secret_key",
        "SECRET_KEY",
        "private_key",
        "privateKey",
        "aws_secret_access_key",
        "AWS_SECRET_ACCESS_KEY",
        "SecretAccessKey",
        "AccountKey",
        "Ocp-Apim-Subscription-Key",
        "SSECustomerKey",
        "encryption_key",
        "signing_key",
        "credentials",
        "credential",
        "creds",
        "Authorization",
        "X-Auth-Token",
        "aws_access_key_id",
        "AWS_ACCESS_KEY_ID",
        "AccessKeyId",
    ],
)
def test_credential_names(name: str) -> None:
    assert is_credential_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "_",
        "key",
        "Key",
        "keys",
        "key_id",
        "key_path",
        "key_file",
        "s3_key",
        "object_key",
        "sort_key",
        "primary_key",
        "public_key",
        "private_key_id",
        "private_key_path",
        "KmsKeyId",
        "keyboard",
        "monkey",
        "hotkey",
        "max_tokens",
        "max_new_tokens",
        "num_tokens",
        "tokens",
        "tokenizer",
        "tokenize",
        "token_type",
        "token_type_ids",
        "tokens_per_second",
        "token_id",
        "token_ids",
        "token_count",
        "token_limit",
        "token_url",
        "token_endpoint",
        "token_file",
        "hf_token_path",
        "pad_token",
        "pad_token_id",
        "eos_token",
        "bos_token",
        "unk_token",
        "sep_token",
        "cls_token",
        "mask_token",
        "NextToken",
        "next_page_token",
        "ContinuationToken",
        "ClientToken",
        "ClientRequestToken",
        "csrf_token",
        "auth",
        "auth_url",
        "auth_type",
        "password_field",
        "password_column",
        "passwd_file",
        "is_password_set",
        "has_token",
        "password_length",
        "min_password_len",
        "password_hash",
        "hashed_password",
        "password_prompt",
        "passwords",
        "bypass",
        "compass",
        "passport",
        "first_pass",
        "pass_rate",
        "secret_name",
        "secret_id",
        "SecretId",
        "secret_arn",
        "SecretArn",
        "secrets",
        "secrets_manager",
        "credentials_path",
        "credentials_file",
        "credential_provider",
        "api_key_env",
        "cwd",
    ],
)
def test_not_credential_names(name: str) -> None:
    assert not is_credential_name(name)


# --------------------------------------------------------------------------------------------
# is_placeholder
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "YOUR_API_KEY_HERE",
        "your-token",
        "YourPassword",
        "<token>",
        "<YOUR KEY>",
        "Bearer <token>",
        "{token}",
        "{}",
        "{0}",
        "{config.token}",
        "${TOKEN}",
        "${TOKEN:-default}",
        "$TOKEN",
        "$(cat token.txt)",
        "%API_KEY%",
        "{{ secrets.HF_TOKEN }}",
        "%s",
        "%(password)s",
        "xxx",
        "XXXX",
        "xxxx-xxxx",
        "sk-xxxxxxxxxxxxxxxxxxxx",
        "***",
        "********",
        "...",
        "sk-...",
        "\u2022\u2022\u2022\u2022\u2022\u2022",
        "changeme",
        "change_me",
        "CHANGE-ME",
        "replace-me",
        "TODO",
        "TBD",
        "none",
        "None",
        "null",
        "dummy",
        "dummy-token-123",
        "example",
        "test",
        "secret",
        "password",
        "token",
        "api_key",
        "<redacted>",
        "[REDACTED]",
        "REDACTED",
        "aaaaaaaa",
        "00000000",
        "12345678",
        "abcdef",
        "my_password",
        "mytoken",
        "test-token",
        "insert_key_here",
        "paste-token-here",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "PLACEHOLDER_TOKEN",
        "DUMMY_SECRET",
        "an-example-key-1234",
        "{API KEY}",
        "Bearer {your token}",
        "$$HF_TOKEN",
        "$${HF_TOKEN}",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        "hunter2!x",
        "Tr0ub4dor&3",
        "s3cr3t",
        "p4ssw0rd",
        "testing123",
        "correcthorse",
        AWS_ID,
        AWS_SECRET,
        GH,
        HF,
        OPENAI,
        HEX40,
        "w1nt3r-S0lst1ce",
        "pa$$word",
    ],
)
def test_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


# --------------------------------------------------------------------------------------------
# looks_like_secret_value
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "name"),
    [
        ("Tr0ub4dor&3-horse", "db_password"),
        ("hunter2!x", "password"),
        ("letmein!", "PASSWORD"),
        ("abc123", "pw"),
        (AWS_SECRET, "aws_secret_access_key"),
        (AWS_ID, "aws_access_key_id"),
        (AWS_ID, "AccessKeyId"),
        (GH, "token"),
        (HF, "token"),
        ("hf_" + "QxTzVbNmLkJhGfDsApOiUyTrEwQaZx", None),
        # 40/64-hex under a credential name is a secret (W&B keys, HMAC secrets, service tokens);
        # checksums live under names like `sha256` that never reach this function.
        (HEX40, "WANDB_API_KEY"),
        (SHA256, "token"),
        ("/K7MDENGbPxRfiCYzz9Q2mX7pL4kR8tW1yB6cF3", "secret"),
        ("Bearer abc123def456ghi789", "Authorization"),
        ("postgresql://analyst:w1nt3r-S0lst1ce@db/f", "credentials"),
        ("correct horse", "passphrase"),
        ("s3cr3t", None),
    ],
)
def test_secret_values(value: str, name: str | None) -> None:
    assert looks_like_secret_value(value, name)


@pytest.mark.parametrize(
    ("value", "name"),
    [
        # placeholders
        ("", "password"),
        ("YOUR_API_KEY_HERE", "API_KEY"),
        ("<token>", "token"),
        ("***", "password"),
        ("${DB_PASSWORD}", "password"),
        ("{password}", "password"),
        # field and column names, the name itself
        ("password", "password"),
        ("api_key", "api_key"),
        ("db_password", "db_password"),
        ("DB-Password", "db_password"),
        ("passwordField", "password"),
        ("hf_token", "token"),
        ("apiKey", "api_key"),
        ("config.api_key", "api_key"),
        ("openai_key", "api_key"),
        ("prod-db-password", "secret"),
        # environment-variable names handed to os.getenv / secret lookups
        ("OPENAI_API_KEY", "api_key"),
        ("HF_TOKEN", "token_name"),
        ("DB_PASSWORD", "password"),
        # file paths
        ("~/.aws/credentials", "credentials"),
        ("/run/secrets/db_password", "password"),
        ("./token.txt", "token"),
        ("../keys/service-account.json", "credentials"),
        ("service-account.json", "credentials"),
        ("id_rsa.pem", "private_key"),
        ("client.key", "client_key"),
        ("C:\\Users\\me\\token.txt", "token"),
        ("/home/ml/.cache/huggingface/token", "token"),
        ("prod/warehouse/password", "secret"),
        # URLs without credentials
        ("https://auth.corp/oauth/token", "token"),
        ("s3://ml-secrets/prod/token", "token"),
        ("postgresql://user@db/x", "password"),
        # secret-manager references
        ("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf", "secret"),
        ("arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password", "password"),
        ("{{resolve:secretsmanager:prod/db:SecretString:password}}", "password"),
        ("projects/ml-prod/secrets/db-pass/versions/latest", "secret"),
        ("vault:secret/data/db#password", "password"),
        # too short unless a provider format
        ("abc12", "password"),
        ("a1!", "token"),
        # prose
        ("Enter your password:", "password"),
        ("Please set the HF_TOKEN environment variable", "token"),
        ("What is your token?", "token"),
        # key IDs must have the AWS format
        ("some-key-id-1234", "aws_access_key_id"),
        ("AKIAIOSFODNN7EXAMPLE", "aws_access_key_id"),
        # auth schemes without a real credential
        ("Bearer <token>", "Authorization"),
        ("Bearer", "Authorization"),
        # stand-ins and local defaults
        ("EMPTY", "api_key"),
        ("ollama", "api_key"),
        ("not-needed", "api_key"),
        ("minioadmin", "aws_secret_access_key"),
        ("postgres", "POSTGRES_PASSWORD"),
    ],
)
def test_not_secret_values(value: str, name: str | None) -> None:
    assert not looks_like_secret_value(value, name)


# --------------------------------------------------------------------------------------------
# mask and repr
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("", "****"),
        ("abc", "****"),
        ("s3cr3t!", "s****"),
        ("s3cr3t!x", "s3****"),
        ("s3cr3t!x1234", "s3c****"),
        ("s3cr3t!x1234567", "s3c****"),
        ("s3cr3t!x12345678", "s3cr****"),
        (GH, "ghp_****"),
        (AWS_SECRET, "q8Rv****"),
    ],
)
def test_mask(value: str, masked: str) -> None:
    assert mask(value) == masked


@pytest.mark.parametrize("length", range(0, 40))
def test_mask_shows_at_most_a_quarter_and_never_more_than_four(length: int) -> None:
    value = "".join(chr(ord("a") + i % 26) for i in range(length))
    shown = mask(value).removesuffix("****")
    assert value.startswith(shown)
    assert len(shown) * 4 <= length
    assert len(shown) <= 4


def test_mask_does_not_reveal_the_length_of_long_secrets() -> None:
    assert len({mask(v) for v in ("abcd" + "9" * 12, "abcd" + "9" * 60)}) == 1


def test_match_repr_masks_the_value_and_match_is_frozen() -> None:
    match = _only(f"export HF_TOKEN={HF}")
    assert HF not in repr(match)
    assert HF not in str(match)
    assert "hf_Q****" in repr(match)
    assert "huggingface-token" in repr(match)
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.value = "x"  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# speed
# --------------------------------------------------------------------------------------------

TYPICAL = [
    "data/train.csv",
    "accuracy",
    "customer_id",
    "label",
    "float32",
    "s3://ml-data/train/",
    "Training loss: {:.4f}",
    "https://huggingface.co/bert-base-uncased",
    "SELECT * FROM features WHERE day > '2024-01-01'",
    "password",
    "max_tokens",
    "pad_token",
    "tokenizer",
    "ml.m5.xlarge",
    "us-east-1",
    "model.joblib",
    "relu",
    "%matplotlib inline",
    "epoch",
    "churn_probability",
]


def test_scanning_typical_literals_is_fast() -> None:
    texts = TYPICAL * (100_000 // len(TYPICAL))
    started = time.perf_counter()
    found = [m for text in texts for m in scan_text(text)]
    elapsed = time.perf_counter() - started
    assert found == []
    # About 0.1 s on a laptop; the bound only catches an accidental slow path.
    assert elapsed < 1.0, f"{len(texts)} literals took {elapsed:.2f} s"


@pytest.mark.parametrize("value", ["admin.apikey", "dbadmin1", "12345678", "abc", "team-key-7"])
def test_any_real_literal_is_a_secret_at_a_credential_parameter(value: str) -> None:
    assert looks_like_parameter_secret(value)


@pytest.mark.parametrize(
    "value", ["", "<your-key>", "{API KEY}", "EMPTY", "OPENAI_API_KEY", "$$HF_TOKEN", "xxxx"]
)
def test_placeholders_and_references_are_not_secrets_at_a_parameter(value: str) -> None:
    assert not looks_like_parameter_secret(value)


def test_a_digit_run_is_a_weak_password_only_under_a_password_name() -> None:
    assert looks_like_secret_value("12345678", "rds_master_password")
    assert not looks_like_secret_value("12345678", "api_key")
    assert not looks_like_secret_value("12345678")


# --------------------------------------------------------------------------------------------
# provider declarations
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS, ids=lambda provider: provider.kind)
def test_each_declared_provider_example_is_found_with_its_kind(provider: Provider) -> None:
    token = "".join(provider.example)
    assert token.startswith(provider.prefixes)
    for text in (token, f"export TOKEN={token}", f"print('{token}')\n# done"):
        match = _only(text)
        assert (match.kind, match.description, match.value) == (
            provider.kind,
            provider.description,
            token,
        )
    assert looks_like_secret_value(token)
    assert provider.example[1] not in mask(token)


def test_each_provider_is_declared_once_and_documented() -> None:
    kinds = [provider.kind for provider in PROVIDERS]
    assert len(kinds) == len(set(kinds))
    table = providers_markdown()
    for provider in PROVIDERS:
        assert any(provider.description in line for line in table)


def test_a_provider_prefix_inside_a_longer_word_is_not_a_token() -> None:
    for provider in PROVIDERS:
        if provider.kind == "slack-webhook":
            continue  # a URL, not a word: anything may stand before `https://`
        assert scan_text("x" + "".join(provider.example)) == [], provider.kind


def test_curl_user_password_is_found_without_any_other_credential_word() -> None:
    match = _only("!curl -u admin:hunter22 localhost:9200/_cat/indices")
    assert (match.kind, match.value) == ("credential-assignment", "hunter22")


def test_the_payload_of_an_inline_data_uri_is_not_scanned_but_the_text_around_it_is() -> None:
    payload = "iVBORw0KGgo" + "A" * 300 + "/" + AWS_ID + "/" + "B" * 300
    text = f"![chart](data:image/png;base64,{payload}) then export HF_TOKEN={HF}"
    match = _only(text)
    assert (match.kind, match.value) == ("huggingface-token", HF)
    assert scan_text(f"data:image/png;base64,{payload}") == []
    # a short payload is scanned as any text
    assert _only(f"data:text/plain;base64,/{AWS_ID}/").value == AWS_ID


def test_any_of_finds_a_text_exactly_when_it_holds_one_of_the_literals() -> None:
    from jupyter_mllens.secrets.shapes import any_of

    literals = ["key", "pw", "sk-", "AKIA", "://", "-----begin", "x", "github_pat_"]
    pattern = any_of(literals)
    alphabet = "keypwsk-AKIA:/xgithub_pat_ -begin"
    rng = random.Random(11)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert (pattern.search(text) is not None) == any(lit in text for lit in literals), text
