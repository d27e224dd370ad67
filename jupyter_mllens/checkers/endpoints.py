"""`endpoint-not-deleted`: a SageMaker real-time endpoint deployed and never deleted.

A notebook that runs `estimator.deploy(...)` to try a model leaves instances billed by the
hour behind it unless it deletes the endpoint. Deployments are `deploy(...)` calls on SageMaker
estimators, models, JumpStart models, tuners and `ModelBuilder` (resolved through imports and
the binding in force; in a notebook that imports `sagemaker` and no other cloud ML SDK, any
`deploy` counts), and boto3 `create_endpoint`. Cleanup is any call that deletes an endpoint
(`predictor.delete_endpoint()`, `delete_predictor()`, `Session().delete_endpoint`, boto3
`delete_endpoint`, a
helper named like `delete_endpoint_and_model`), `.delete()` on what a deploy returned (v3
`Endpoint`), or `aws sagemaker delete-endpoint`. Tying each delete to its deploy through
variables is unreliable (helpers, loops, names rebuilt from strings), so any cleanup in the
notebook counts for every endpoint: precision first.

Not reported: serverless endpoints (`serverless_inference_config=`, a `ServerlessInferenceConfig`
as v3's `inference_config`), which cost nothing while idle; local mode (`instance_type="local"`);
`update_endpoint=True`, which changes an endpoint the notebook did not create.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import libcst as cst

from ..analysis import NotebookContext
from ..analysis.context import ResolvedCall
from ..analysis.names import dotted_name
from ..analysis.shell import shell_commands
from .base import Checker, Violation

_OTHER_CLOUDS = (
    "google.cloud.aiplatform",
    "vertexai",
    "azure.ai.ml",
    "azureml",
    "mlflow.deployments",
)
_DELETES = re.compile(
    r"delete.*endpoint|endpoint.*delete|delete_predictor|cleanup|clean_up|tear_?down", re.I
)
_SHELL_DELETE = re.compile(r"\baws\s+sagemaker\s+delete-endpoint\b")
_LOCAL = frozenset({"local", "local_gpu"})


class EndpointNotDeleted(Checker):
    name = "endpoint-not-deleted"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        deploys = [call for call in ctx.calls if _is_deploy(ctx, call)]
        if not deploys or _cleans_up(ctx):
            return
        for call in deploys:
            callee = call.site.func or call.site.method or "deploy"
            if call.site.method == "create_endpoint":
                what = "creates a SageMaker endpoint"
                how = "`delete_endpoint(EndpointName=...)`, then its config and model"
            else:
                what = "deploys a real-time SageMaker endpoint"
                how = "`predictor.delete_endpoint()` and `predictor.delete_model()`"
            yield Violation(
                call.cell,
                f"`{callee}` {what} that the notebook never deletes: its instances are billed "
                f"by the hour until someone does; delete it when done ({how}), or use "
                "serverless inference or batch transform",
                node=call.site.node,
            )


def _is_deploy(ctx: NotebookContext, call: ResolvedCall) -> bool:
    site = call.site
    if site.method == "create_endpoint":
        return "EndpointName" in site.kwargs and (
            call.is_any("boto3") or ctx.imports_module("boto3", "sagemaker")
        )
    if site.method != "deploy" or site.receiver is None:
        return False
    qualified = call.qualified or ""
    if not qualified.startswith("sagemaker"):
        if not ctx.imports_module("sagemaker") or ctx.imports_module(*_OTHER_CLOUDS):
            return False
        root = qualified.split(".", 1)[0].removesuffix("()")
        if root in ctx.imports and not ctx.imports[root].startswith("sagemaker"):
            return False  # a deploy of some other library's object
    kwargs = site.kwargs
    if "serverless_inference_config" in kwargs or _serverless(ctx, call):
        return False
    update = kwargs.get("update_endpoint")
    if update is not None and isinstance(update.value, cst.Name) and update.value.value == "True":
        return False
    instance_type = ctx.string_of(site.arg(1, "instance_type"), call.point)
    return instance_type not in _LOCAL


def _serverless(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """v3 `ModelBuilder.deploy(inference_config=ServerlessInferenceConfig(...))`."""
    config = call.site.kwargs.get("inference_config")
    if config is None:
        return False
    node = config.value
    made = (
        dotted_name(node.func)
        if isinstance(node, cst.Call)
        else ctx.made_by(node.value, call.point)
        if isinstance(node, cst.Name)
        else None
    )
    return made is not None and "Serverless" in made


def _cleans_up(ctx: NotebookContext) -> bool:
    for call in ctx.calls:
        site = call.site
        name = site.method or site.func or ""
        if _DELETES.search(name):
            return True
        if site.method == "delete" and site.receiver is not None and _deployed(ctx, call):
            return True  # `endpoint.delete()`: v3's `deploy` returns an `Endpoint` resource
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in shell_commands(shell):
                if _SHELL_DELETE.search(command):
                    return True
    return False


def _deployed(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """Whether the receiver of `x.delete()` is an endpoint: bound to a deploy, or so named."""
    receiver = call.site.receiver or ""
    if re.search(r"endpoint|predictor", receiver, re.IGNORECASE):
        return True
    found = ctx.binding_at(receiver, call.point)
    if found is None:
        return False
    value = found[1].value
    return isinstance(value, cst.Call) and (dotted_name(value.func) or "").endswith(".deploy")
