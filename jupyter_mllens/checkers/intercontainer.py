"""`distributed-training-without-intercontainer-encryption`: nodes talking in the clear.

A SageMaker job on more than one instance exchanges gradients, parameters or shuffled data
between its instances; unless inter-container traffic encryption is on, that traffic crosses
the network unencrypted. Reported: a job whose instance count (`instance_count=`, v3
`Compute(instance_count=...)`) is a literal above one, read through names, `**dict`s and
config objects, without `encrypt_inter_container_traffic=True` (v2 estimators, a processor's
`NetworkConfig`) or `Networking(enable_inter_container_traffic_encryption=True)` (v3). An
instance count the linter cannot read is not guessed at; local mode and notebooks loading
SageMaker SDK defaults are not reported. Classes and keyword paths are the rule's
`[knowledge]`.
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
    literal,
    lookup,
    uses_sdk_defaults,
)


class DistributedTrainingWithoutIntercontainerEncryption(Checker):
    name = "distributed-training-without-intercontainer-encryption"
    options: ClassVar[Mapping[str, str]] = JOBS_OPTION

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        if uses_sdk_defaults(ctx):
            return
        knowledge = ctx.knowledge(self.name)
        for job in cloud_jobs(ctx, knowledge.get("jobs", ())):
            count = _instances(ctx, job, knowledge.get("instance-counts", ()))
            if count is None:
                continue
            encrypted = [lookup(ctx, job, path) for path in knowledge.get("encryption", ())]
            if any(found is not None and literal(ctx, found) is not False for found in encrypted):
                continue
            if job.cls == "ModelTrainer":
                how = "`networking=Networking(enable_inter_container_traffic_encryption=True)`"
            elif job.cls.endswith("Processor"):
                how = "`network_config=NetworkConfig(encrypt_inter_container_traffic=True)`"
            else:
                how = "`encrypt_inter_container_traffic=True`"
            yield Violation(
                job.call.cell,
                f"SageMaker job `{job.call.site.func}(...)` runs on {count} instances whose "
                "traffic to each other (gradients, parameters, data) is not encrypted: pass "
                f"{how}",
                node=job.call.site.node,
            )


def _instances(ctx: NotebookContext, job: Construction, paths: tuple[str, ...]) -> int | None:
    """The job's instance count when it is a literal above one, else None."""
    for path in paths:
        found = lookup(ctx, job, path)
        if found is None or found is UNKNOWN:
            continue
        value = literal(ctx, found)
        if isinstance(value, int) and not isinstance(value, bool) and value > 1:
            return value
    return None
