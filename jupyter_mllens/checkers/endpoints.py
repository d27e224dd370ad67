"""`endpoint-not-deleted`: a SageMaker real-time endpoint deployed and never deleted.

A notebook that runs `estimator.deploy(...)` to try a model leaves instances billed by the
hour behind it unless it deletes the endpoint. Deployments are `deploy(...)` calls on SageMaker
estimators, models, JumpStart models, tuners and `ModelBuilder` (resolved through imports and
the binding in force; in a notebook that imports `sagemaker` and no other cloud ML SDK, any
`deploy` counts), and boto3 `create_endpoint`. Cleanup is any call that deletes an endpoint
(`predictor.delete_endpoint()`, `delete_predictor()`, `Session().delete_endpoint`, boto3
`delete_endpoint`, a
helper named like `delete_endpoint_and_model`), `.delete()` on what a deploy returned (v3
`Endpoint`), or `aws sagemaker delete-endpoint`. A delete is tied to its deploy only when it
is called on a plain name bound to a `deploy(...)` where it is called
(`predictor.delete_endpoint()`): then a deploy bound to another name, never deleted, is still
reported. Any other cleanup (a helper, boto3 by endpoint name, a loop over predictors, the
CLI) cannot be tied reliably and counts for every endpoint: precision first.

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
from ..analysis.qualified import QualifiedName
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
#: A receiver named like an endpoint or a predictor (`endpoint.delete()`).
_ENDPOINT_LIKE = re.compile(r"endpoint|predictor", re.I)


class EndpointNotDeleted(Checker):
    name = "endpoint-not-deleted"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        for call in undeleted_endpoints(ctx):
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


def undeleted_endpoints(ctx: NotebookContext) -> tuple[ResolvedCall, ...]:
    """The endpoint creations (persistent `deploy(...)`, boto3 `create_endpoint`) that no
    cleanup in the notebook accounts for, in document order (memoized: other endpoint rules
    ask the same question)."""
    return ctx.memo("undeleted-endpoints", _undeleted_endpoints)


def _undeleted_endpoints(ctx: NotebookContext) -> tuple[ResolvedCall, ...]:
    deploys = [
        call for call in ctx.calls_named("deploy", "create_endpoint") if is_endpoint(ctx, call)
    ]
    if not deploys:
        return ()
    deleted = _deleted(ctx)
    if deleted is _EVERY:
        return ()
    if deleted is None:
        return tuple(deploys)
    # A deploy not kept in a name cannot be tied to a delete.
    return tuple(
        call for call in deploys if (name := _bound_name(call)) is not None and name not in deleted
    )


def is_endpoint(ctx: NotebookContext, call: ResolvedCall) -> bool:
    """Whether `call` creates a persistent SageMaker endpoint: a real-time or asynchronous
    `deploy(...)` (not serverless, local mode or an update) or boto3 `create_endpoint`."""
    site = call.site
    if site.method == "create_endpoint":
        return "EndpointName" in site.kwargs and (
            call.is_any("boto3") or ctx.imports_module("boto3", "sagemaker")
        )
    if site.method != "deploy" or site.receiver is None:
        return False
    qualified = call.qualified
    if qualified is None or not qualified.is_any("sagemaker"):
        if not ctx.imports_module("sagemaker") or ctx.imports_module(*_OTHER_CLOUDS):
            return False
        imported = None if qualified is None else ctx.imports.get(qualified.root)
        if imported is not None and not imported.is_any("sagemaker"):
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
        QualifiedName.of(node.func)
        if isinstance(node, cst.Call)
        else ctx.made_by(node.value, call.point)
        if isinstance(node, cst.Name)
        else None
    )
    return made is not None and any("Serverless" in name for name in made.names)


#: Cleanup that cannot be tied to one deploy (a helper, boto3 by name, the CLI): it counts
#: for every endpoint of the notebook.
_EVERY: frozenset[str] = frozenset({"*"})


def _deleted(ctx: NotebookContext) -> frozenset[str] | None:
    """What the notebook deletes: None for nothing, `_EVERY` for cleanup not tied to one
    deploy, else the names deploys were bound to whose endpoints are deleted
    (`predictor.delete_endpoint()` where `predictor = model.deploy(...)` is in force)."""
    names: set[str] = set()
    for call in ctx.calls:
        site = call.site
        receiver = site.receiver
        # The callee's last name, also when what it gives is called again (`get_cleanup()()`).
        name = site.method or (site.func.last if site.func is not None else "")
        if site.method == "delete" and receiver is not None:
            deployed = _deploy_bound(ctx, call)
            if deployed is not None:
                names.add(deployed)
            elif any(_ENDPOINT_LIKE.search(part) for part in receiver.names):
                return _EVERY  # v3's `Endpoint.delete()` on an endpoint got another way
            continue
        if not _DELETES.search(name):
            continue
        if site.method in ("delete_endpoint", "delete_predictor"):
            deployed = _deploy_bound(ctx, call)
            if deployed is not None:
                names.add(deployed)
                continue
        return _EVERY
    for analyzed in ctx.cells:
        for shell in analyzed.analysis.shell:
            for _, command in shell_commands(shell):
                if _SHELL_DELETE.search(command):
                    return _EVERY
    return frozenset(names) if names else None


def _deploy_bound(ctx: NotebookContext, call: ResolvedCall) -> str | None:
    """The receiver's name when it is a plain name bound, where the call is, to a
    `deploy(...)` (`predictor` for `predictor.delete_endpoint()`); else None."""
    receiver = call.site.receiver
    if receiver is None or not receiver.is_name:
        return None
    found = ctx.binding_at(receiver.root, call.point)
    if found is None or found[1].parameter or found[1].unpacked is not None:
        return None
    value = found[1].value
    if not isinstance(value, cst.Call):
        return None
    made = QualifiedName.of(value.func)
    if made is None or made.is_name or made.parts[-1] != "deploy":
        return None
    return receiver.root


def _bound_name(call: ResolvedCall) -> str | None:
    """The name a deploy's result is bound to (`predictor = model.deploy(...)`), if any."""
    binding = call.cell.binding_of(call.site)
    return binding.name if binding is not None else None
