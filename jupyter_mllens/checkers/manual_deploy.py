"""`deploy-from-notebook`: what looks like a production endpoint, deployed by hand.

A notebook is the right place to try a model, not to ship one: an endpoint deployed from a
notebook has no review, no approval step and no repeatable way back. Reported: a lasting
endpoint `deploy(...)` (one `endpoint-not-deleted` finds no cleanup for) whose endpoint name
or tag values contain a production word as a word of their own (`churn-prod`,
`ProductionScoring`; the words are the rule's `[knowledge]`), or that starts on more than one
instance (`initial_instance_count=2`: capacity for real traffic). Text built at run time is
read where the linter can (f-strings, `+`, names bound to literals); its unknown parts are
not guessed at. Trial endpoints the notebook deletes, local mode and serverless endpoints are
not reported. `info`: a deploy from a notebook may be the team's sanctioned path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import ClassVar

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.names import string_value
from .base import Checker, Violation
from .sagemaker_jobs import Deploy, deploys, is_local, literal, lookup

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


class DeployFromNotebook(Checker):
    name = "deploy-from-notebook"
    options: ClassVar[Mapping[str, str]] = {
        "production-words": "words that name a production stage in the team's endpoint names "
        '(`"prd"`, `"customer"`), matched as whole words',
    }

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        words = frozenset(
            word.lower() for word in ctx.knowledge(self.name).get("production-words", ())
        )
        for deploy in deploys(ctx):
            if not deploy.kept or is_local(ctx, deploy):
                continue
            why = _production(ctx, deploy, words)
            if why is None:
                continue
            yield Violation(
                deploy.call.cell,
                f"`{deploy.call.site.func}` deploys {why} by hand from a notebook: changes to a "
                "production endpoint should go through a pipeline with review, approval and "
                "rollback (SageMaker Pipelines with a model registry, or CI/CD)",
                node=deploy.call.site.node,
            )


def _production(ctx: NotebookContext, deploy: Deploy, words: frozenset[str]) -> str | None:
    name = lookup(ctx, deploy, "endpoint_name")
    if name is not None:
        text = ctx.text_of(name.value, name.at)
        if text is not None and _has_word(text.value, words):
            shown = text.value if text.exact else _PLACEHOLDER.sub("...", text.value)
            return f"endpoint `{shown}`"
    tags = lookup(ctx, deploy, "tags")
    if tags is not None and _tag_says(tags.value, words):
        return "an endpoint tagged for production"
    count = lookup(ctx, deploy, "initial_instance_count")
    value = literal(ctx, count) if count is not None else None
    if isinstance(value, int) and value > 1:
        return f"an endpoint on {value} instances"
    return None


def _has_word(text: str, words: frozenset[str]) -> bool:
    known = _PLACEHOLDER.sub(" ", text)
    return any(word.lower() in words for word in _WORD.findall(known))


def _tag_says(node: cst.BaseExpression, words: frozenset[str]) -> bool:
    """A tag value in a literal list of `{"Key": ..., "Value": ...}` dicts names production."""
    if not isinstance(node, cst.List):
        return False
    for element in node.elements:
        tag = element.value
        if not isinstance(tag, cst.Dict):
            continue
        for item in tag.elements:
            if isinstance(item, cst.DictElement) and string_value(item.key) in ("Value", "value"):
                value = string_value(item.value)
                if value is not None and _has_word(value, words):
                    return True
    return False
