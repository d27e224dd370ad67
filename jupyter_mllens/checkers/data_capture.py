"""`endpoint-without-data-capture`: a lasting endpoint that records none of its traffic.

Reported: a real-time or asynchronous endpoint `deploy(...)` (v2 estimators and models, v3
`ModelBuilder`) that the notebook keeps (`endpoint-not-deleted` finds no cleanup for it),
without `data_capture_config=`, when no later call turns capture on
(`predictor.enable_data_capture()`, `update_data_capture_config(...)`). Not reported:
endpoints the notebook deletes, or whose cleanup it leaves commented out for the reader
(`# predictor.delete_endpoint()`), since a trial endpoint has no production traffic to watch;
serverless endpoints (which do not support data capture), local mode, `update_endpoint=True`
and batch transform, which is not an endpoint. Keyword paths and methods are the rule's
`[knowledge]`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..analysis import NotebookContext
from .base import Checker, Violation
from .sagemaker_jobs import cleanup_commented_out, deploys, given_any, is_local


class EndpointWithoutDataCapture(Checker):
    name = "endpoint-without-data-capture"

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        kept = [deploy for deploy in deploys(ctx) if deploy.kept]
        if not kept or cleanup_commented_out(ctx):
            return
        if any(True for _ in ctx.calls_named(*knowledge.get("capture-methods", ()))):
            return
        capture = knowledge.get("capture", ())
        for deploy in kept:
            if is_local(ctx, deploy) or given_any(ctx, deploy, capture):
                continue
            yield Violation(
                deploy.call.cell,
                f"`{deploy.call.site.func}` creates an endpoint that stays up but records none "
                "of its requests and predictions: without them drift and quality problems go "
                "unseen; pass `data_capture_config=DataCaptureConfig(enable_capture=True, "
                "destination_s3_uri=...)` or log requests in the inference handler",
                node=deploy.call.site.node,
            )
