"""`training-without-max-runtime`: a SageMaker training or processing job with no time limit.

A v2 estimator without `max_run` runs for up to a day (the API's default `MaxRuntimeInSeconds`
of 86,400 s) and a processor without `max_runtime_in_seconds` likewise: a job stuck on a
deadlocked data loader or a hung collective bills its instances until then. v3's
`ModelTrainer` is not checked: without a `StoppingCondition` the SDK sets one hour itself.

The classes checked and the keywords that bound a job are the rule's `[knowledge]`; the
settings a job received are read by `sagemaker_jobs.py` (keywords, a `**dict`, attributes set
later). Local mode is not reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from ..analysis import NotebookContext
from .base import Checker, Violation
from .sagemaker_jobs import (
    JOBS_OPTION,
    cloud_jobs,
    given_any,
)


class TrainingWithoutMaxRuntime(Checker):
    name = "training-without-max-runtime"
    options: ClassVar[Mapping[str, str]] = JOBS_OPTION

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        limits = knowledge.get("limits", ())
        for job in cloud_jobs(ctx, knowledge.get("jobs", ())):
            if given_any(ctx, job, limits):
                continue
            keyword = "max_runtime_in_seconds" if job.cls.endswith("Processor") else "max_run"
            yield Violation(
                job.call.cell,
                f"SageMaker job `{job.call.site.func}(...)` has no `{keyword}`: a stuck job bills "
                "its instances for up to the 24-hour default before SageMaker stops it; set "
                f"`{keyword}=` to a little more than the job needs",
                node=job.call.site.node,
            )
