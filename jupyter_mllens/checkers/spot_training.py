"""`training-without-spot-instances`: accelerated SageMaker training paid at on-demand prices.

Managed spot training runs the same job on spare capacity for up to 90% less. The rule looks
at training jobs that cost enough for that to matter: an accelerated instance type (GPU,
Trainium) or more than one instance. A v2 estimator is satisfied by `use_spot_instances=True`,
v3's `ModelTrainer` by `Compute(enable_managed_spot_training=True)`; reserved capacity (a
training plan) is its own answer. An explicit `False` is a decision, not an oversight, and a
value the linter cannot read (a variable flag, a `**value`) is given the benefit of the doubt.
Local mode is not reported. Which classes are checked, and which keyword paths count, is the
rule's `[knowledge]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from ..analysis import NotebookContext
from .base import Checker, Violation
from .sagemaker_jobs import (
    JOBS_OPTION,
    UNKNOWN,
    Construction,
    cloud_jobs,
    given_any,
    instance_types,
    literal,
    lookup,
    nested,
)


class TrainingWithoutSpotInstances(Checker):
    name = "training-without-spot-instances"
    options: ClassVar[Mapping[str, str]] = JOBS_OPTION

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        knowledge = ctx.knowledge(self.name)
        accelerated = knowledge.get("accelerated-instances", ())
        for job in cloud_jobs(ctx, knowledge.get("jobs", ())):
            if given_any(ctx, job, knowledge.get("reserved-capacity", ())):
                continue
            spot = [lookup(ctx, job, path) for path in knowledge.get("spot", ())]
            if any(found is not None and literal(ctx, found) is not None for found in spot):
                continue  # True, False or a value that cannot be read: decided
            why = _costly(ctx, job, accelerated)
            if why is None:
                continue
            how = (
                "`compute=Compute(..., enable_managed_spot_training=True)` with a "
                "`StoppingCondition(max_wait_time_in_seconds=...)`"
                if "compute" in job.settings or job.cls == "ModelTrainer"
                else "`use_spot_instances=True` with `max_wait` and `checkpoint_s3_uri`"
            )
            yield Violation(
                job.call.cell,
                f"SageMaker training job `{job.call.site.func}(...)` runs {why} at on-demand "
                f"prices: managed spot training costs up to 90% less for jobs that can wait "
                f"and resume; pass {how}",
                node=job.call.site.node,
            )


def _costly(ctx: NotebookContext, job: Construction, accelerated: tuple[str, ...]) -> str | None:
    """Why the job is worth running on spot (accelerated or several instances), or None."""
    compute = nested(ctx, job.settings.get("compute"))
    where = compute if compute is not None else job
    kinds = instance_types(ctx, where.settings.get("instance_type"))
    if kinds is not None:
        fast = [kind for kind in kinds if kind.startswith(accelerated)]
        if fast and len(fast) == len(kinds):
            return f"on `{fast[0]}`"
    count = lookup(ctx, where, "instance_count")
    if count is not None and count is not UNKNOWN:
        value = literal(ctx, count)
        if isinstance(value, int) and value > 1:
            return f"on {value} instances"
    return None
