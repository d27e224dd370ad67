"""`training-without-encryption`: SageMaker jobs and endpoints with no customer-managed KMS key.

SageMaker encrypts job volumes, outputs and endpoint storage with AWS-managed keys by
default; what a notebook leaves out is the customer-managed key (CMK) that lets a team
restrict, audit and revoke access to the data. Checked: v2 estimators and processors
(`volume_kms_key`, `output_kms_key`), v3 `ModelTrainer` (`Compute(volume_kms_key_id=...)`,
`OutputDataConfig(kms_key_id=...)`) and persistent endpoint `deploy(...)` calls (`kms_key`).

Instance types with local NVMe storage cannot take a volume key (the API rejects
`VolumeKmsKeyId`; their instance store is encrypted by the hardware), so only the output key
is asked of them; nor is a volume key asked when the instance type cannot be read. A
notebook that loads SageMaker SDK defaults (`sagemaker.config`, which can inject keys) and
local mode are not reported. Classes, keyword paths and instance families are the rule's
`[knowledge]`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from ..analysis import NotebookContext
from .base import Checker, Violation
from .sagemaker_jobs import (
    JOBS_OPTION,
    Construction,
    Deploy,
    cloud_jobs,
    deploys,
    given_any,
    instance_types,
    is_local,
    nested,
    uses_sdk_defaults,
)


class TrainingWithoutEncryption(Checker):
    name = "training-without-encryption"
    options: ClassVar[Mapping[str, str]] = JOBS_OPTION

    def check(self, ctx: NotebookContext) -> Iterable[Violation]:
        if uses_sdk_defaults(ctx):
            return
        knowledge = ctx.knowledge(self.name)
        nvme = knowledge.get("local-storage-instances", ())
        volume_keys = knowledge.get("volume-keys", ())
        output_keys = knowledge.get("output-keys", ())
        for job in cloud_jobs(ctx, knowledge.get("jobs", ())):
            v3 = job.cls == "ModelTrainer"
            missing: list[tuple[str, str]] = []
            if _volume_key_applies(ctx, job, nvme) and not given_any(ctx, job, volume_keys):
                volume = "`Compute(volume_kms_key_id=...)`" if v3 else "`volume_kms_key=`"
                missing.append(("storage volume", volume))
            if not given_any(ctx, job, output_keys):
                output = "`OutputDataConfig(kms_key_id=...)`" if v3 else "`output_kms_key=`"
                missing.append(("output in S3", output))
            if not missing:
                continue
            what = " and ".join(part for part, _ in missing)
            keys = " and ".join(key for _, key in missing)
            yield Violation(
                job.call.cell,
                f"SageMaker job `{job.call.site.func}(...)` encrypts its "
                f"{what} only with AWS-managed keys: pass {keys} with a "
                "customer-managed KMS key so access to the data can be restricted, audited "
                "and revoked",
                node=job.call.site.node,
            )
        deploy_keys = knowledge.get("deploy-keys", ())
        for deploy in deploys(ctx):
            if (
                is_local(ctx, deploy)
                or not _volume_key_applies(ctx, deploy, nvme)
                or given_any(ctx, deploy, deploy_keys)
            ):
                continue
            yield Violation(
                deploy.call.cell,
                f"`{deploy.call.site.func}` creates an endpoint whose storage volume is "
                "encrypted only with an AWS-managed key: pass `kms_key=` with a "
                "customer-managed KMS key",
                node=deploy.call.site.node,
            )


def _volume_key_applies(
    ctx: NotebookContext, made: Construction | Deploy, nvme: tuple[str, ...]
) -> bool:
    """Whether a volume key can be asked for: the instance type is known and has no local
    NVMe storage (v3: the type is `Compute`'s, whose default is `ml.m5.xlarge`, or, for a
    deploy without one, the `ModelBuilder`'s)."""
    where: Construction | Deploy = made
    if isinstance(made, Deploy) and "instance_type" not in made.settings and made.model:
        where = made.model  # v3 `ModelBuilder(instance_type=...)`, then `deploy()`
    if isinstance(made, Construction) and made.cls == "ModelTrainer":
        compute = nested(ctx, made.settings.get("compute"))
        if compute is None:
            return "compute" not in made.settings and not made.opaque
        where = compute
    kinds = instance_types(ctx, where.settings.get("instance_type"))
    if kinds is None:
        return False
    return not any(kind.startswith(nvme) for kind in kinds)
