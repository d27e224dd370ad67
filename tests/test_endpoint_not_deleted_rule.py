"""endpoint-not-deleted: SageMaker endpoints a notebook deploys and never cleans up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jupyter_mllens.findings import Finding

Lint = Callable[..., list[Finding]]

TRAIN = (
    "from sagemaker.xgboost import XGBoost\n"
    'estimator = XGBoost(entry_point="train.py", role=role, instance_count=1,\n'
    '                    instance_type="ml.m5.xlarge", framework_version="1.7-1")\n'
    'estimator.fit({"train": train_uri})'
)
DEPLOY = 'predictor = estimator.deploy(initial_instance_count=1, instance_type="ml.m5.large")'


def endpoints(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.name == "endpoint-not-deleted"]


def test_deploy_without_delete_is_reported_at_the_deploy(lint: Lint) -> None:
    (finding,) = endpoints(lint(TRAIN, DEPLOY, "predictor.predict(sample)"))
    assert (finding.cell_index, finding.line, finding.column) == (1, 1, 13)
    assert finding.message.startswith("`estimator.deploy` deploys a real-time SageMaker endpoint")
    assert "predictor.delete_endpoint()" in finding.message


@pytest.mark.parametrize(
    "cleanup",
    [
        "predictor.delete_endpoint()",
        "predictor.delete_predictor(delete_endpoint_config=True)",
        "import sagemaker\nsagemaker.Session().delete_endpoint(predictor.endpoint_name)",
        'import boto3\nboto3.client("sagemaker").delete_endpoint(EndpointName=name)',
        "utils.delete_endpoint_and_model(predictor)",
        "!aws sagemaker delete-endpoint --endpoint-name churn",
        "def cleanup():\n    predictor.delete_endpoint()",
    ],
)
def test_any_cleanup_in_the_notebook_counts(lint: Lint, cleanup: str) -> None:
    assert endpoints(lint(TRAIN, DEPLOY, cleanup)) == []


def test_v3_endpoint_resource_deleted(lint: Lint) -> None:
    source = (
        "from sagemaker.serve import ModelBuilder\n"
        "builder = ModelBuilder(model=model, role_arn=role)\n"
        'ep = builder.build().deploy(endpoint_name="churn", instance_type="ml.m5.large")\n'
    )
    assert len(endpoints(lint(source))) == 1
    assert endpoints(lint(source, "ep.delete()")) == []
    assert len(endpoints(lint(source, "blob.delete()"))) == 1  # not an endpoint


@pytest.mark.parametrize(
    "deploy",
    [
        "from sagemaker.serverless import ServerlessInferenceConfig\n"
        "predictor = estimator.deploy(serverless_inference_config=ServerlessInferenceConfig())",
        "from sagemaker.serve import ModelBuilder\n"
        "from sagemaker.core.inference_config import ServerlessInferenceConfig\n"
        "config = ServerlessInferenceConfig(memory_size_in_mb=2048)\n"
        "endpoint = ModelBuilder(model=model).deploy(inference_config=config)",
        'predictor = estimator.deploy(initial_instance_count=1, instance_type="local")',
        'mode = "local_gpu"\npredictor = estimator.deploy(1, mode)',
        'estimator.deploy(1, "ml.m5.large", endpoint_name="churn", update_endpoint=True)',
    ],
)
def test_serverless_local_and_updates_are_not_reported(lint: Lint, deploy: str) -> None:
    assert endpoints(lint(TRAIN, deploy)) == []


def test_other_libraries_deploys_are_not_sagemaker_endpoints(lint: Lint) -> None:
    vertex = (
        "from google.cloud import aiplatform\nendpoint = model.deploy(machine_type='n1-standard-4')"
    )
    assert endpoints(lint(vertex)) == []
    mixed = "import sagemaker\nfrom google.cloud import aiplatform\nmodel.deploy()"
    assert endpoints(lint(mixed)) == []
    no_sdk = "app.deploy()"
    assert endpoints(lint(no_sdk)) == []


def test_jumpstart_model_and_boto3_create_endpoint(lint: Lint) -> None:
    source = (
        "import boto3\n"
        "from sagemaker.jumpstart.model import JumpStartModel\n"
        'model = JumpStartModel(model_id="meta-textgeneration-llama-3-8b")\n'
        "predictor = model.deploy(accept_eula=True)\n"
        'sm = boto3.client("sagemaker")\n'
        'sm.create_endpoint(EndpointName="e", EndpointConfigName="c")\n'
    )
    found = endpoints(lint(source))
    assert [(f.line, f.column) for f in found] == [(4, 13), (6, 1)]
    assert "`delete_endpoint(EndpointName=...)`" in found[1].message


BOTH = (
    'base = base_model.deploy(initial_instance_count=1, instance_type="ml.g5.xlarge")\n'
    'tuned = tuned_model.deploy(initial_instance_count=1, instance_type="ml.g5.xlarge")'
)


def test_a_delete_tied_to_one_deploy_leaves_the_other_reported(lint: Lint) -> None:
    (finding,) = endpoints(lint("import sagemaker", BOTH, "base.delete_endpoint()"))
    assert (finding.cell_index, finding.line) == (1, 2)
    assert finding.message.startswith("`tuned_model.deploy`")
    both_deleted = "base.delete_endpoint()\ntuned.delete_endpoint()"
    assert endpoints(lint("import sagemaker", BOTH, both_deleted)) == []


@pytest.mark.parametrize(
    "cleanup",
    [
        "for p in [base, tuned]:\n    p.delete_endpoint()",
        'import boto3\nboto3.client("sagemaker").delete_endpoint(EndpointName=base.endpoint_name)',
        "from sagemaker.predictor import Predictor\nPredictor(endpoint_name=name).delete_endpoint()",
    ],
)
def test_cleanup_not_tied_to_a_deploy_counts_for_all(lint: Lint, cleanup: str) -> None:
    assert endpoints(lint("import sagemaker", BOTH, "base.delete_endpoint()", cleanup)) == []


def test_a_deploy_not_kept_in_a_name_is_not_tied_and_not_reported(lint: Lint) -> None:
    source = 'base = base_model.deploy(1, "ml.g5.xlarge")\ntuned_model.deploy(1, "ml.g5.xlarge")'
    assert endpoints(lint("import sagemaker", source, "base.delete_endpoint()")) == []
