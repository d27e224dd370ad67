"""`training-without-network-isolation`: SageMaker jobs that can reach the internet.

A training or processing job runs in a SageMaker-managed network with internet access unless
it is isolated (`enable_network_isolation=True`) or placed in the team's VPC (`subnets` and
`security_group_ids`). Checked: v2 estimators, processors (through
`network_config=NetworkConfig(...)`) and v3 `ModelTrainer` (`networking=Networking(...)`),
with settings read from keywords, a `**dict`, attributes set later and config objects bound to
names. A value the linter cannot read counts as set. Not reported: local mode, notebooks that
load SageMaker SDK defaults (which can inject a VPC), and JumpStart estimators, whose model
specification may turn isolation on. Classes and keyword paths are the rule's `[knowledge]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from ..analysis import NotebookContext
from .base import Checker, Violation
from .sagemaker_jobs import (
    JOBS_OPTION,
    Construction,
    cloud_jobs,
    literal,
    lookup,
    uses_sdk_defaults,
)


class TrainingWithoutNetworkIsolation(Checker):
    name = "training-without-network-isolation"
    options: ClassVar[Mapping[str, str]] = JOBS_OPTION

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        if uses_sdk_defaults(ctx):
            return
        knowledge = ctx.knowledge(self.name)
        for job in cloud_jobs(ctx, knowledge.get("jobs", ())):
            if _protected(ctx, job, knowledge):
                continue
            if job.cls == "ModelTrainer":
                how = (
                    "`networking=Networking(enable_network_isolation=True)`, or "
                    "`Networking(subnets=[...], security_group_ids=[...])`"
                )
            elif job.cls.endswith("Processor"):
                how = (
                    "`network_config=NetworkConfig(enable_network_isolation=True)`, or "
                    "`NetworkConfig(subnets=[...], security_group_ids=[...])`"
                )
            else:
                how = "`enable_network_isolation=True`, or `subnets=` and `security_group_ids=`"
            yield Violation(
                job.call.cell,
                f"SageMaker job `{job.call.site.func}(...)` runs with outbound internet access: "
                "its code, and every package it installs, can send the data anywhere; isolate "
                "it with "
                f"{how} of a private VPC",
                node=job.call.site.node,
            )


def _protected(
    ctx: NotebookContext, job: Construction, knowledge: Mapping[str, tuple[str, ...]]
) -> bool:
    """Isolation on (or unreadable), or both subnets and security groups given."""
    for path in knowledge.get("isolation", ()):
        found = lookup(ctx, job, path)
        if found is not None and literal(ctx, found) is not False:
            return True

    def given(key: str) -> bool:
        return any(lookup(ctx, job, path) is not None for path in knowledge.get(key, ()))

    return given("subnets") and given("security-groups")
