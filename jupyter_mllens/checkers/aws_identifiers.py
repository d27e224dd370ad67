"""`hardcoded-aws-identifiers`: AWS account ids and IAM ARNs written into the notebook.

`role = "arn:aws:iam::482915736041:role/SageMakerRole"` ties the notebook to one account and
one role: it fails for everyone else, and invites pasting a more privileged role that happens
to work. Account ids are not secrets, so nothing is masked; the finding says what to use
instead (the execution role, STS, configuration).

What counts: IAM ARNs with an account (`role/`, `user/`, `policy/`, `instance-profile/`),
ARNs of the account's own resources (a KMS key, an SNS topic, a SageMaker endpoint), and a
12-digit literal given to an account-like name (`account_id = "482915736041"`,
`AccountId=...`). Left alone: ARNs and image URIs that name someone else's account (AWS
Marketplace model packages and algorithms, SageMaker images, public Lambda layers, ECR image
URIs, which are mostly AWS's own framework images), ARNs built from a variable
(`f"arn:aws:iam::{account}:role/x"`), and the documentation placeholders
(`123456789012`, `111122223333`, `000000000000`...): a placeholder is text the reader must edit,
not an account the notebook is tied to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import libcst as cst

from ..analysis import AnalyzedCell, NotebookContext
from ..analysis.cell import StringContext
from ..ipython_syntax import ShellText
from .base import Checker, Violation

_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}):"
    r"(?P<resource>[A-Za-z0-9_+=,.@:/*-]+)"
)
#: Resources that live in someone else's account: reading them by ARN is the only way.
_FOREIGN = re.compile(r"^(?:model-package|algorithm|image|image-version|hub|hub-content)/|^layer:")
_ACCOUNT_NAME = re.compile(
    r"^(?:aws_?)?account(?:_?id|_?number|_?num|_?no)?$|_account_?id$", re.IGNORECASE
)
_TWELVE_DIGITS = re.compile(r"^\d{12}$")
#: `%env AWS_ACCOUNT_ID=...`, `export ACCOUNT_ID=...`, `--account-id ...` in shell text.
_SHELL_ACCOUNT = re.compile(
    r"(?i)\b(?P<name>(?:aws_)?account(?:[_-]?id)?)\s*[=:\s]\s*[\"']?(?P<account>\d{12})\b"
)
#: AWS documentation's example accounts.
_DOCUMENTED = frozenset({"123456789012", "111122223333", "444455556666", "777788889999"})


def is_placeholder(account: str) -> bool:
    """An example account id a reader is meant to replace, not a real one."""
    return (
        account in _DOCUMENTED
        or len(set(account)) == 1
        or account in "0123456789012345678901234"
        or account in "9876543210987654321"
    )


class HardcodedAwsIdentifiers(Checker):
    name = "hardcoded-aws-identifiers"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        # Code literals and shell text are disjoint: cell magic bodies are not read as code.
        return self._violations(ctx)

    def _violations(self, ctx: NotebookContext) -> Iterator[Violation]:
        for analyzed, site in ctx.strings():
            match = _first_arn(site.value)
            if match is not None:
                yield Violation(analyzed, _arn_message(match), node=site.node)
            elif (
                _TWELVE_DIGITS.match(site.value.strip())
                and site.context
                in (
                    StringContext.ASSIGN,
                    StringContext.KEYWORD,
                    StringContext.DICT_VALUE,
                    StringContext.SUBSCRIPT_ASSIGN,
                )
                and site.key is not None
                and _ACCOUNT_NAME.search(site.key)
                and not is_placeholder(site.value.strip())
            ):
                yield Violation(
                    analyzed, _account_message(site.value.strip(), site.key), node=site.node
                )
        for analyzed in ctx.cells:
            for binding in analyzed.analysis.facts.bindings:
                value = binding.value
                if (
                    isinstance(value, cst.Integer)
                    and _TWELVE_DIGITS.match(value.value)
                    and _ACCOUNT_NAME.search(binding.name)
                    and not is_placeholder(value.value)
                ):
                    yield Violation(
                        analyzed, _account_message(value.value, binding.name), node=value
                    )
            for shell in analyzed.analysis.shell:
                yield from _shell(analyzed, shell)


def _first_arn(text: str) -> re.Match[str] | None:
    for match in _ARN.finditer(text):
        if is_placeholder(match["account"]) or _FOREIGN.match(match["resource"]):
            continue
        return match
    return None


def _shell(analyzed: AnalyzedCell, shell: ShellText) -> Iterator[Violation]:
    # Every kind of shell text: `!` escapes, line magics (`%env`), shell cell bodies, and
    # `%%writefile` bodies (a script or config written with the ARN in it is still tied to it).
    for match in _ARN.finditer(shell.text):
        if is_placeholder(match["account"]) or _FOREIGN.match(match["resource"]):
            continue
        line, column = shell.position(match.start())
        yield Violation(
            analyzed,
            _arn_message(match),
            span=(line, column, line, column + len(match[0])),
        )
    for match in _SHELL_ACCOUNT.finditer(shell.text):
        if is_placeholder(match["account"]):
            continue
        line, column = shell.position(match.start("account"))
        yield Violation(
            analyzed,
            _account_message(match["account"], match["name"]),
            span=(line, column, line, column + 12),
        )


def _arn_message(match: re.Match[str]) -> str:
    account = match["account"]
    if match["service"] == "iam":
        kind = match["resource"].split("/", 1)[0]
        what = "IAM role" if kind == "role" else f"IAM {kind}"
        instead = (
            "use `sagemaker.get_execution_role()` or read the ARN from configuration "
            "(an environment variable, SSM Parameter Store)"
            if kind == "role"
            else "read it from configuration (an environment variable, SSM Parameter Store)"
        )
        return (
            f"{what} ARN `{match[0]}` is written into the notebook: it only works in account "
            f"{account}; {instead}"
        )
    return (
        f"ARN `{match[0]}` hard-codes account {account}: the notebook only works there; "
        'build it from `boto3.client("sts").get_caller_identity()["Account"]` or read it '
        "from configuration"
    )


def _account_message(account: str, name: str) -> str:
    return (
        f"AWS account id {account} is written into `{name}`: the notebook only works in that "
        'account; use `boto3.client("sts").get_caller_identity()["Account"]` or read it from '
        "configuration"
    )
