"""hardcoded-aws-identifiers: account ids and ARNs tied to one account, in code and shell text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.checkers.aws_identifiers import is_placeholder
from jupyter_mllens.findings import Finding

Lint = Callable[..., list[Finding]]
ACCOUNT = "482915736041"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AmazonSageMaker-ExecutionRole"


def identifiers(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.name == "hardcoded-aws-identifiers"]


def test_role_arn_is_reported_unmasked_with_what_to_use(lint: Lint) -> None:
    source = f'import sagemaker\nrole = "{ROLE}"'
    (finding,) = identifiers(lint(source))
    assert (finding.line, finding.column) == (2, 8)
    assert f"`{ROLE}`" in finding.message
    assert "sagemaker.get_execution_role()" in finding.message


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [
        (f"account_id = {ACCOUNT}", 1, 14),
        (f'ACCOUNT_NUMBER = "{ACCOUNT}"', 1, 18),
        (f'client.assume(AccountId="{ACCOUNT}")', 1, 25),
        (f'config = {{"aws_account_id": "{ACCOUNT}"}}', 1, 29),
        (f'key = "arn:aws:kms:us-east-1:{ACCOUNT}:key/1a2b3c4d"', 1, 7),
        (f"!aws sagemaker create-model --execution-role-arn {ROLE}", 1, 50),
        (f"%env SAGEMAKER_ROLE={ROLE}", 1, 21),
        (f'%%writefile config.yaml\nrole: "{ROLE}"\n', 2, 8),
        (f"%%bash\naws iam get-role --role-arn {ROLE}\n", 2, 29),
        (f"%env AWS_ACCOUNT_ID={ACCOUNT}", 1, 21),
        (f'import os\nos.environ["AWS_ACCOUNT_ID"] = "{ACCOUNT}"', 2, 32),
        (f"!aws organizations describe-account --account-id {ACCOUNT}", 1, 50),
    ],
)
def test_identifiers_in_code_and_shell(lint: Lint, source: str, line: int, column: int) -> None:
    (finding,) = identifiers(lint(source))
    assert (finding.line, finding.column) == (line, column)
    assert ACCOUNT in finding.message


@pytest.mark.parametrize(
    "source",
    [
        'role = "arn:aws:iam::123456789012:role/MySageMakerRole"',
        'role = "arn:aws:iam::111122223333:role/Example"',
        'account_id = "000000000000"',
        'role = f"arn:aws:iam::{account_id}:role/SageMakerRole"',
        'role = "arn:aws:iam::<ACCOUNT_ID>:role/SageMakerRole"',
        'policy = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"',
        'pkg = "arn:aws:sagemaker:us-east-1:865070037744:model-package/llama-2-7b-f-v4"',
        'img = "arn:aws:sagemaker:us-east-1:081325390199:image/datascience-1.0"',
        'layer = "arn:aws:lambda:us-east-1:017000801446:layer:AWSLambdaPowertoolsPythonV2:40"',
        'uri = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.1.0-gpu-py310"',
        f"n_rows = {ACCOUNT}",
        f'phone = "{ACCOUNT}"',
        f'print("{ACCOUNT}")',
        "%env AWS_ACCOUNT_ID=123456789012",
        f"!echo order {ACCOUNT}",
    ],
)
def test_placeholders_foreign_resources_and_other_numbers_are_not_reported(
    lint: Lint, source: str
) -> None:
    assert identifiers(lint(source)) == []


@pytest.mark.parametrize(
    ("account", "placeholder"),
    [
        ("123456789012", True),
        ("111122223333", True),
        ("999999999999", True),
        ("012345678901", True),
        ("210987654321", True),
        (ACCOUNT, False),
        ("533267405543", False),
    ],
)
def test_placeholders(account: str, placeholder: bool) -> None:
    assert is_placeholder(account) is placeholder
